using System.Globalization;
using System.Text;
using System.Text.Json;

namespace TourPlanner.Gateway.Cities;

/// <summary>A place a person can pick: coordinates and the IANA zone its events are typed in.</summary>
public sealed record CityMatch(string Name, string Region, string Country, double Latitude, double Longitude, string TimeZone, string Label, string Source);

/// <summary>
/// The built-in list of the world's larger cities (about 7,000, from the city-timezones package, built by
/// <c>Gateway/Pages/build/build-cities.mjs</c>), embedded so the pages can pick a city's coordinates and zone offline.
/// Searched by prefix without regard to case, accents or punctuation; largest cities first.
/// </summary>
public sealed class CityIndex
{
    public const int MaxQueryLength = 100;
    public const int MaxResults = 20;

    private readonly Entry[] _entries;

    private sealed record Entry(string Key, string[] Words, string RegionKey, CityMatch City);

    private CityIndex(Entry[] entries) => _entries = entries;

    public int Count => _entries.Length;

    private static readonly Lazy<CityIndex> Shared = new(Load);

    /// <summary>The embedded list, read once on first use (about 400 KB of JSON, a few MB in memory).</summary>
    public static CityIndex Builtin => Shared.Value;

    private static CityIndex Load()
    {
        using var stream = typeof(CityIndex).Assembly.GetManifestResourceStream("cities/cities.json")
            ?? throw new InvalidOperationException("The embedded city list is missing (Gateway/Cities/cities.json).");
        using var doc = JsonDocument.Parse(stream);
        var zones = doc.RootElement.GetProperty("zones").EnumerateArray().Select(z => z.GetString()!).ToArray();
        var entries = new List<Entry>();
        foreach (var row in doc.RootElement.GetProperty("cities").EnumerateArray())
        {
            var name = row[0].GetString()!;
            var region = row[1].GetString()!;
            var country = row[2].GetString()!;
            var label = string.Join(", ", new[] { name, region, country }.Where(s => s.Length > 0).Distinct());
            var key = Fold(name);
            entries.Add(new Entry(key, key.Split(' ', StringSplitOptions.RemoveEmptyEntries), Fold(region + " " + country),
                new CityMatch(name, region, country, row[3].GetDouble(), row[4].GetDouble(), zones[row[5].GetInt32()], label, "builtin")));
        }
        return new CityIndex([.. entries]);
    }

    /// <summary>
    /// Cities whose name starts with the query (or with a word of it), best first: the whole name, then the start of
    /// the name, then the start of a later word; larger first within each. "San José, CR" narrows by region or country.
    /// </summary>
    public IReadOnlyList<CityMatch> Search(string query, int limit)
    {
        limit = Math.Clamp(limit, 1, MaxResults);
        var comma = query.IndexOf(',');
        var name = Fold(comma < 0 ? query : query[..comma]);
        var within = comma < 0 ? "" : Fold(query[(comma + 1)..]);
        if (name.Length == 0) return [];
        var exact = new List<CityMatch>();
        var prefix = new List<CityMatch>();
        var word = new List<CityMatch>();
        foreach (var e in _entries)
        {
            if (within.Length > 0 && !Within(e, within)) continue;
            if (e.Key == name) exact.Add(e.City);
            else if (e.Key.StartsWith(name, StringComparison.Ordinal)) { if (prefix.Count < limit) prefix.Add(e.City); }
            else if (word.Count < limit && e.Words.Skip(1).Any(w => w.StartsWith(name, StringComparison.Ordinal))) word.Add(e.City);
        }
        return [.. exact.Concat(prefix).Concat(word).Take(limit)];
    }

    /// <summary>Two letters name a country ("cr"); anything longer is the start of the region's or country's words ("calif").</summary>
    private static bool Within(Entry e, string within) =>
        within.Length == 2
            ? string.Equals(e.City.Country, within, StringComparison.OrdinalIgnoreCase)
            : within.Split(' ').All(part => e.RegionKey.Split(' ').Any(w => w.StartsWith(part, StringComparison.Ordinal)));

    /// <summary>The listed city nearest to a point, for a zone guess when a geocoder found a place but no zone.</summary>
    public CityMatch Nearest(double latitude, double longitude)
    {
        var best = _entries[0].City;
        var bestDistance = double.MaxValue;
        var cosLat = Math.Cos(latitude * Math.PI / 180);
        foreach (var e in _entries)
        {
            var dLat = e.City.Latitude - latitude;
            var dLon = (e.City.Longitude - longitude) * cosLat;
            var d = dLat * dLat + dLon * dLon;
            if (d < bestDistance) { bestDistance = d; best = e.City; }
        }
        return best;
    }

    /// <summary>Lower case, accents and punctuation dropped, single spaces: "São Paulo" and "sao  paulo" meet; "St. Paul" is "st paul".</summary>
    public static string Fold(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var ch in text.Normalize(NormalizationForm.FormD))
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(ch);
            if (category == UnicodeCategory.NonSpacingMark) continue;
            if (char.IsLetterOrDigit(ch)) sb.Append(char.ToLowerInvariant(ch));
            else if (sb.Length > 0 && sb[^1] != ' ') sb.Append(' ');
        }
        return sb.ToString().Trim();
    }
}
