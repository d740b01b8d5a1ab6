using System.Collections.Frozen;
using System.Globalization;
using NodaTime.TimeZones;

namespace TourPlanner.Grains.Domain;

/// <summary>
/// Whether a time zone someone picked fits the place's coordinates, without any network: the zone's tzdb location
/// (zone.tab / zone1970.tab) lies within <see cref="MaxDistanceKm"/> of the place, or the zone belongs to the claim's
/// country. The distance rule alone would refuse America/Anchorage for a town in Alaska's far west, and the country
/// rule alone cannot check a claim whose country is written out; together they catch the real mistake (a zone picked
/// from the wrong continent) without second-guessing local knowledge.
/// </summary>
public static class ZonePlausibility
{
    /// <summary>Zones are large: Europe/Moscow serves places 1000 km away. 1500 km still catches a wrong continent.</summary>
    public const double MaxDistanceKm = 1500;

    private sealed record ZonePlace(string ZoneId, GeoPoint Point, FrozenSet<string> Countries);

    private static readonly Lazy<FrozenDictionary<string, ZonePlace>> Places = new(Build);

    private static FrozenDictionary<string, ZonePlace> Build()
    {
        var source = TzdbDateTimeZoneSource.Default;
        var places = new Dictionary<string, (GeoPoint Point, HashSet<string> Countries)>(StringComparer.Ordinal);
        foreach (var l in source.ZoneLocations ?? [])
        {
            if (!places.TryGetValue(l.ZoneId, out var p)) places[l.ZoneId] = p = (new GeoPoint(l.Latitude, l.Longitude), []);
            p.Countries.Add(l.CountryCode);
        }
        // zone1970.tab names every country a zone serves (Europe/Zurich also serves Liechtenstein).
        foreach (var l in source.Zone1970Locations ?? [])
        {
            if (!places.TryGetValue(l.ZoneId, out var p)) places[l.ZoneId] = p = (new GeoPoint(l.Latitude, l.Longitude), []);
            foreach (var c in l.Countries) p.Countries.Add(c.Code);
        }
        return places.ToFrozenDictionary(p => p.Key, p => new ZonePlace(p.Key, p.Value.Point, p.Value.Countries.ToFrozenSet(StringComparer.OrdinalIgnoreCase)));
    }

    /// <summary>The zone with a tzdb location nearest to the point.</summary>
    public static string NearestZone(GeoPoint point) =>
        Places.Value.Values.MinBy(p => GreatCircle.DistanceKm(p.Point, point))!.ZoneId;

    /// <summary>
    /// Null when the zone is plausible for the point, or cannot be judged (an unknown zone, or one with no place such
    /// as UTC); otherwise the reason, naming the nearest zone as a suggestion.
    /// </summary>
    public static Text? Check(string zoneId, GeoPoint point, string? city, string? country)
    {
        var source = TzdbDateTimeZoneSource.Default;
        // Links (US/Central) are judged by the zone they point at.
        var canonical = source.CanonicalIdMap.TryGetValue(zoneId, out var c) ? c : zoneId;
        if (!Places.Value.TryGetValue(canonical, out var place)) return null;
        if (GreatCircle.DistanceKm(place.Point, point) <= MaxDistanceKm) return null;
        if (country is { Length: > 0 } && place.Countries.Contains(country.Trim())) return null;
        var where = string.Join(", ", new[] { city, country }.Where(s => !string.IsNullOrWhiteSpace(s)));
        var coordinates = string.Create(CultureInfo.InvariantCulture, $"{point.Latitude:0.###}, {point.Longitude:0.###}");
        return where.Length > 0
            ? Text.Of(Codes.ZoneImplausible, Arg.Plain("zone", zoneId), Arg.Plain("coordinates", coordinates), Arg.Plain("place", where),
                Arg.Plain("suggestion", NearestZone(point)))
            : Text.Of(Codes.ZoneImplausibleNoPlace, Arg.Plain("zone", zoneId), Arg.Plain("coordinates", coordinates), Arg.Plain("suggestion", NearestZone(point)));
    }

    /// <summary>Adds the reason of <see cref="Check(string, GeoPoint, string?, string?)"/> as an error on <paramref name="field"/>, when the zone and point are valid.</summary>
    public static void Check(ValidationErrors errors, string field, string? zoneId, GeoPoint? point, string? city, string? country)
    {
        if (zoneId is null || point is not { } p) return;
        var earlier = errors.ToImmutable();
        if (earlier.ContainsKey(field) || earlier.ContainsKey("latitude") || earlier.ContainsKey("longitude")) return;
        if (Check(zoneId, p, city, country) is { } reason) errors.Add(field, reason);
    }
}
