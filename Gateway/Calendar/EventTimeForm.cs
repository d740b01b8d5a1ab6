using NodaTime;

namespace TourPlanner.Gateway.Calendar;

/// <summary>Decides whether an event time can be written as TZID local time or must be written in UTC.</summary>
public static class EventTimeForm
{
    /// <summary>
    /// True when a TZID form of <paramref name="value"/> could be read as another instant than the one meant.
    /// </summary>
    /// <remarks>
    /// In the repeated hour of a fall-back night a local time names two instants. RFC 5545 says
    /// readers take the first, but popular parsers take the later one, so the TZID form cannot be
    /// trusted there: whenever the instant we mean (the ZonedDateTime's offset tells which) is not
    /// the one such a reader would pick, we write the time in UTC (…Z), which every client reads
    /// the same way. Event times in the UTC zone itself are also written in UTC form.
    /// </remarks>
    public static bool NeedsUtcForm(ZonedDateTime value)
    {
        if (value.Zone.Id == DateTimeZone.Utc.Id) return true;

        var mapping = value.Zone.MapLocal(value.LocalDateTime);
        return mapping.Count > 1 && value.ToInstant() != mapping.Last().ToInstant();
    }
}
