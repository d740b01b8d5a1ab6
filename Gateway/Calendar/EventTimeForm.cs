using NodaTime;

namespace TourPlanner.Gateway.Calendar;

/// <summary>Decides whether an event time can be written as TZID local time or must be written in UTC.</summary>
public static class EventTimeForm
{
    /// <summary>
    /// True when a TZID form of <paramref name="value"/> could be read as another instant than the one meant.
    /// </summary>
    /// <remarks>
    /// In the repeated hour of a fall-back night a local time names two instants, and readers
    /// disagree on which one a TZID form means: ical.js, Python icalendar (pytz) and khal take the
    /// later one, while RFC 5545 §3.3.5 and Ical.Net's own reader take the earlier one (our tests
    /// run all four). Whichever instant we mean (the ZonedDateTime's offset tells which), some
    /// popular reader would pick the other, so every ambiguous time is written in UTC (…Z), which
    /// all of them read the same way. That covers the "meant the earlier, readers pick the later"
    /// case and also its mirror image. Times in the UTC zone itself are written in UTC form too.
    /// </remarks>
    public static bool NeedsUtcForm(ZonedDateTime value) =>
        value.Zone.Id == DateTimeZone.Utc.Id || value.Zone.MapLocal(value.LocalDateTime).Count > 1;
}
