using NodaTime;
using NodaTime.TimeZones;

namespace TourPlanner.Gateway.Calendar;

/// <summary>
/// Builds VTIMEZONE definitions from NodaTime's tzdb for the span a feed covers.
/// </summary>
/// <remarks>
/// Replaces Ical.Net's VTimeZone.FromDateTimeZone, which (5.2.4) only looks forward from one
/// date, turns a zone without DST such as America/Managua into a yearly RRULE transition it no
/// longer has, and never writes UNTIL when a zone's rules change. Here every onset in the span
/// comes straight from tzdb: regular yearly onsets become an RRULE (which Outlook handles far
/// better than long RDATE lists), anything irregular is listed with RDATE, and a zone with a
/// single offset over the span gets one fixed STANDARD observance.
/// </remarks>
public static class VTimeZoneBuilder
{
    /// <summary>
    /// Margin added on both sides of the feed's span: a year guarantees that every time in the
    /// span is preceded by both yearly onsets, so no client has to guess the offset before the first one.
    /// </summary>
    public static readonly Duration Margin = Duration.FromDays(366);

    private static readonly LocalDateTime FixedOffsetStart = new(1970, 1, 1, 0, 0);

    /// <summary>Builds the VTIMEZONE for <paramref name="zone"/> covering [earliest, latest] plus <see cref="Margin"/>.</summary>
    public static VTimeZoneDefinition Build(DateTimeZone zone, Instant earliest, Instant latest)
    {
        var window = new Interval(earliest - Margin, latest + Margin);
        var intervals = zone.GetZoneIntervals(window).ToList();

        if (intervals.Count == 1)
        {
            var only = intervals[0];
            return new VTimeZoneDefinition(zone.Id,
            [
                new TimeZoneObservance(ObservanceKind.Standard, FixedOffsetStart, only.WallOffset, only.WallOffset, only.Name, null, []),
            ]);
        }

        var observances = new List<TimeZoneObservance>();
        if (!intervals[0].HasStart)
        {
            // Only for a span reaching before the zone's first recorded change; pin its offset from the start of time.
            var first = intervals[0];
            observances.Add(new TimeZoneObservance(KindOf(first), FixedOffsetStart, first.WallOffset, first.WallOffset, first.Name, null, []));
        }

        var onsets = Onsets(zone, intervals);
        foreach (var group in onsets.GroupBy(o => o.Key))
            observances.AddRange(ToObservances(zone, group.ToList()));

        return new VTimeZoneDefinition(zone.Id,
            observances.OrderBy(o => o.Start).ThenBy(o => o.Kind).ToList());
    }

    private static List<Onset> Onsets(DateTimeZone zone, IReadOnlyList<ZoneInterval> intervals)
    {
        var onsets = new List<Onset>();
        for (var k = 0; k < intervals.Count; k++)
        {
            var interval = intervals[k];
            if (!interval.HasStart) continue;
            var from = k > 0 ? intervals[k - 1].WallOffset : zone.GetZoneInterval(interval.Start - Duration.Epsilon).WallOffset;
            onsets.Add(Onset.Create(interval, from));
        }

        return onsets;
    }

    private static IEnumerable<TimeZoneObservance> ToObservances(DateTimeZone zone, List<Onset> occurrences)
    {
        var first = occurrences[0];
        var last = occurrences[^1];
        var next = NextYearOccurrence(zone, last);
        var forRule = next is null ? occurrences : [.. occurrences, next];

        var week = forRule.Count >= 2 && ConsecutiveYears(forRule) ? CommonWeekOfMonth(forRule) : null;
        if (week is { } weekOfMonth)
        {
            var rule = new YearlyRule(first.Local.Month, weekOfMonth, first.Local.DayOfWeek, next is null ? last.At : null);
            yield return new TimeZoneObservance(first.Key.Kind, first.Local, first.Key.From, first.Key.To, first.Key.Name, rule, []);
            yield break;
        }

        yield return new TimeZoneObservance(first.Key.Kind, first.Local, first.Key.From, first.Key.To, first.Key.Name, null,
            occurrences.Skip(1).Select(o => o.Local).ToList());
    }

    // The same change one year after the last one in the window means the rule goes on past
    // the feed (no UNTIL); none means the rule ended, and clients must not extend it.
    private static Onset? NextYearOccurrence(DateTimeZone zone, Onset last)
    {
        var look = new Interval(last.At + Duration.FromDays(1), last.At + Duration.FromDays(400));
        var intervals = zone.GetZoneIntervals(look).ToList();
        for (var k = 1; k < intervals.Count; k++)
        {
            var onset = Onset.Create(intervals[k], intervals[k - 1].WallOffset);
            if (onset.Key == last.Key && onset.Local.Year == last.Local.Year + 1) return onset;
        }

        return null;
    }

    private static bool ConsecutiveYears(List<Onset> onsets) =>
        onsets.Zip(onsets.Skip(1)).All(p => p.Second.Local.Year == p.First.Local.Year + 1);

    // When every onset is both the 4th and the last weekday of its month, "last" wins: tzdb
    // rules say "lastSun", while a "4th Sunday" rule does not occur in practice.
    private static int? CommonWeekOfMonth(List<Onset> onsets)
    {
        if (onsets.All(o => o.Local.Day + 7 > o.Local.Calendar.GetDaysInMonth(o.Local.Year, o.Local.Month))) return -1;
        var nth = onsets.Select(o => (o.Local.Day - 1) / 7 + 1).Distinct().ToList();
        return nth.Count == 1 && nth[0] <= 4 ? nth[0] : null;
    }

    private static ObservanceKind KindOf(ZoneInterval interval) =>
        interval.Savings > Offset.Zero ? ObservanceKind.Daylight : ObservanceKind.Standard;

    private readonly record struct OnsetKey(ObservanceKind Kind, Offset From, Offset To, string Name, int Month, IsoDayOfWeek Day, LocalTime Time);

    private sealed record Onset(Instant At, LocalDateTime Local, OnsetKey Key)
    {
        public static Onset Create(ZoneInterval interval, Offset from)
        {
            // DTSTART of an observance is the wall-clock time just before the change, in the old offset.
            var local = interval.Start.WithOffset(from).LocalDateTime;
            var key = new OnsetKey(KindOf(interval), from, interval.WallOffset, interval.Name, local.Month, local.DayOfWeek, local.TimeOfDay);
            return new Onset(interval.Start, local, key);
        }
    }
}
