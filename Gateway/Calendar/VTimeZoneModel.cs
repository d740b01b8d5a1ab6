using NodaTime;

namespace TourPlanner.Gateway.Calendar;

/// <summary>A VTIMEZONE: one zone's observances over the span a feed needs.</summary>
/// <param name="TzId">The IANA id, used as TZID.</param>
/// <param name="Observances">STANDARD/DAYLIGHT sub-components, ordered by onset.</param>
public sealed record VTimeZoneDefinition(string TzId, IReadOnlyList<TimeZoneObservance> Observances);

/// <summary>Whether an observance is written as STANDARD or DAYLIGHT.</summary>
public enum ObservanceKind
{
    /// <summary>Standard time (also used for a zone with one fixed offset).</summary>
    Standard,

    /// <summary>Daylight saving time.</summary>
    Daylight,
}

/// <summary>One STANDARD or DAYLIGHT observance: its first onset, offsets, name and how it recurs.</summary>
/// <param name="Kind">STANDARD or DAYLIGHT.</param>
/// <param name="Start">First onset, as local time in the offset in force before it (DTSTART).</param>
/// <param name="OffsetFrom">Offset before the onset (TZOFFSETFROM).</param>
/// <param name="OffsetTo">Offset from the onset on (TZOFFSETTO).</param>
/// <param name="Name">Abbreviation (TZNAME).</param>
/// <param name="Rule">Yearly rule when the onsets follow one; null otherwise.</param>
/// <param name="RecurrenceDates">Further onsets listed one by one (RDATE) when they follow no yearly rule.</param>
public sealed record TimeZoneObservance(
    ObservanceKind Kind,
    LocalDateTime Start,
    Offset OffsetFrom,
    Offset OffsetTo,
    string Name,
    YearlyRule? Rule,
    IReadOnlyList<LocalDateTime> RecurrenceDates);

/// <summary>A yearly onset rule such as "last Sunday of October" (RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU).</summary>
/// <param name="Month">Month, 1-12.</param>
/// <param name="WeekOfMonth">1-4 for the n-th weekday of the month, -1 for the last.</param>
/// <param name="Day">Weekday.</param>
/// <param name="Until">Last onset when the rule stops; null when it goes on.</param>
public sealed record YearlyRule(int Month, int WeekOfMonth, IsoDayOfWeek Day, Instant? Until);
