using System.Globalization;
using System.Text;
using NodaTime;
using TourPlanner.Grains;

namespace TourPlanner.Gateway.Calendar;

/// <summary>
/// What the public surface (feeds, Atom, the public page) shows of a tour's published stops, in one place so they
/// agree: confirmed stops, and cancelled ones for <see cref="CancelledVisibleFor"/> after the cancellation.
/// </summary>
public static class PublicStops
{
    public static readonly Duration CancelledVisibleFor = Duration.FromDays(30);

    /// <summary>Confirmed stops and recently cancelled ones, in route order (first date, then city).</summary>
    public static IReadOnlyList<StopSnapshot> Visible(IEnumerable<StopSnapshot> stops, Instant now) =>
        [.. stops.Where(s => IsVisible(s, now)).OrderBy(s => s.Dates.IsDefaultOrEmpty ? default : s.Dates[0]).ThenBy(s => s.City, StringComparer.Ordinal)];

    public static bool IsVisible(StopSnapshot s, Instant now) =>
        s.Status == ClaimStatus.Confirmed || s is { Status: ClaimStatus.Cancelled, CancelledAt: { } at } && at + CancelledVisibleFor > now;

    /// <summary>
    /// The tour's own spelling of the city a visitor typed in <c>?city=</c>, matched without regard to case or accents
    /// ("san jose" finds "San José"); null when no published stop of the tour is there. Only this canonical name is ever
    /// used afterwards (cache keys, feed names, links), so what a visitor types is never echoed.
    /// </summary>
    public static string? CanonicalCity(IEnumerable<string> tourCities, string? typed)
    {
        if (string.IsNullOrWhiteSpace(typed) || typed.Length > 200) return null;
        var folded = Fold(typed);
        return tourCities.Where(c => Fold(c) == folded).Order(StringComparer.Ordinal).FirstOrDefault();
    }

    public static string? CanonicalCity(IEnumerable<StopSnapshot> published, string? typed) => CanonicalCity(published.Select(s => s.City), typed);

    public static bool InCity(StopSnapshot stop, string? canonicalCity) => canonicalCity is null || Fold(stop.City) == Fold(canonicalCity);

    /// <summary>Case, accents and runs of spaces folded away: "  SAN  José " and "san jose" are one city.</summary>
    public static string Fold(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var ch in text.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(ch) == UnicodeCategory.NonSpacingMark) continue;
            if (char.IsWhiteSpace(ch)) { if (sb.Length > 0 && sb[^1] != ' ') sb.Append(' '); continue; }
            sb.Append(char.ToLowerInvariant(ch));
        }
        return sb.ToString().TrimEnd();
    }

    /// <summary>
    /// Whether a path segment can name a tour, speaker or event at all: 1–64 ASCII letters, digits, '-' or '_'. Anything
    /// else (whitespace, control characters, a 300-character id) is answered 404 before any grain is asked.
    /// </summary>
    public static bool IsWellFormedId(string? id) =>
        id is { Length: > 0 and <= 64 } && id.All(c => c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '-' or '_');
}
