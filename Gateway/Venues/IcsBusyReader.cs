using System.Globalization;
using System.Text;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Evaluation;
using NodaTime;
using TourPlanner.Grains.Domain;

namespace TourPlanner.Gateway.Venues;

/// <summary>The calendar asks for more work than a venue calendar needs (too many occurrences, nesting or values).</summary>
public sealed class CalendarTooComplexException(string what) : Exception($"The calendar is too complex: {what}.");

/// <summary>How much work one calendar may cost.</summary>
public sealed record IcsLimits
{
    /// <summary>Occurrences expanded (and free-busy periods read) per calendar, counting those before the range.</summary>
    public int MaxOccurrences { get; init; } = 20_000;
    /// <summary>Of one event, the text handed to Ical.Net (only the properties that decide when it is busy).</summary>
    public int MaxEventChars { get; init; } = 64 * 1024;
    /// <summary>Components inside components; real calendars need four (VCALENDAR, VTIMEZONE, STANDARD, …).</summary>
    public int MaxDepth { get; init; } = 8;
}

/// <summary>
/// Busy intervals of iCalendar text, with every step bounded: a hand-written structural pass (unfolding, nesting,
/// component boundaries) checks the cancellation token as it goes, and each event is handed to Ical.Net on its own,
/// stripped to the properties that decide when it is busy, so no single Ical.Net call is large and the token is checked
/// between events and between occurrences.
/// </summary>
/// <remarks>
/// Ical.Net 5.2.4 expands a rule from its DTSTART whatever start is asked for, one increment at a time and inside a
/// call we cannot interrupt, so a rule from 1900 with FREQ=SECONDLY would walk four billion increments before 2026.
/// Where the rule allows, DTSTART is first moved ahead by whole periods of the rule (the occurrence pattern repeats
/// after one, so the occurrences near the range do not change); then every occurrence from DTSTART on goes through our
/// loop, is counted against <see cref="IcsLimits.MaxOccurrences"/>, and the token is checked. A rule that cannot be
/// moved (COUNT, several RRULEs, EXRULE, month or year filters on a sub-weekly rule) and still has too many occurrences makes the calendar
/// "too complex", which reads as unreadable.
/// </remarks>
public sealed class IcsBusyReader(IcsLimits limits, CancellationToken ct, VenueReadMonitor? monitor = null)
{
    private static readonly HashSet<string> KeptEventProperties = new(StringComparer.OrdinalIgnoreCase)
    {
        "UID", "DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "EXRULE", "STATUS", "TRANSP", "RECURRENCE-ID",
    };

    // Gaps between matching increments of a rule (BYMONTH=2;BYMONTHDAY=29 on a daily rule is ~1,460): past this, Ical.Net
    // gives up with EvaluationLimitExceededException rather than search forever for a date that never comes.
    private const int MaxUnmatchedIncrements = 50_000;

    private int _occurrences;

    /// <summary>Busy intervals overlapping [<paramref name="from"/>, <paramref name="to"/>) of one iCalendar text.</summary>
    public List<BusyInterval> Read(string ics, Instant from, Instant to)
    {
        var found = new List<BusyInterval>();
        var parts = Split(ics, from, to, found);
        foreach (var ev in parts.Events)
        {
            ct.ThrowIfCancellationRequested();
            Expand(ev, parts.TimeZones, from, to, found);
        }
        return found;
    }

    /// <summary>One VEVENT as kept: its raw text (stripped) and what the cheap pre-filter needs.</summary>
    private sealed record EventText(string Text, HashSet<string> TzIds, string? StartDate, string? EndDate, bool Recurs, bool OneRule);

    private sealed record Parts(List<EventText> Events, Dictionary<string, string> TimeZones);

    /// <summary>
    /// The structural pass: unfolds lines, tracks nesting, keeps each top-level VEVENT (busy-relevant lines only) and
    /// VTIMEZONE, and reads VFREEBUSY periods directly. Linear in the text; checks the token every few thousand lines.
    /// </summary>
    private Parts Split(string ics, Instant from, Instant to, List<BusyInterval> found)
    {
        var events = new List<EventText>();
        var zones = new Dictionary<string, string>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        StringBuilder? eventText = null, zoneText = null;
        HashSet<string>? tzIds = null;
        string? zoneId = null, startDate = null, endDate = null;
        bool recurs = false, sawCalendar = false;
        int rules = 0, exRules = 0;
        var lines = 0;

        foreach (var line in LogicalLines(ics))
        {
            if (++lines % 4096 == 0) ct.ThrowIfCancellationRequested();
            var (name, parameters, value) = SplitLine(line);
            if (name.Equals("BEGIN", StringComparison.OrdinalIgnoreCase))
            {
                var component = value.Trim().ToUpperInvariant();
                if (stack.Count == 0 && component == "VCALENDAR") sawCalendar = true;
                stack.Push(component);
                if (stack.Count > limits.MaxDepth) throw new CalendarTooComplexException("components nested too deep");
                if (stack.Count == 2 && component == "VEVENT")
                {
                    eventText = new StringBuilder("BEGIN:VEVENT\r\n");
                    tzIds = [];
                    (startDate, endDate, recurs, rules, exRules) = (null, null, false, 0, 0);
                }
                else if (stack.Count == 2 && component == "VTIMEZONE")
                {
                    zoneText = new StringBuilder();
                    zoneId = null;
                }
                zoneText?.Append(line).Append("\r\n"); // STANDARD and DAYLIGHT are part of the zone
                continue;
            }
            else if (name.Equals("END", StringComparison.OrdinalIgnoreCase))
            {
                var component = value.Trim().ToUpperInvariant();
                if (stack.Count == 0 || stack.Peek() != component) throw new FormatException("END does not match BEGIN");
                if (stack.Count == 2 && component == "VEVENT" && eventText is not null)
                {
                    eventText.Append("END:VEVENT\r\n");
                    events.Add(new EventText(eventText.ToString(), tzIds!, startDate, endDate, recurs, rules == 1 && exRules == 0));
                    eventText = null;
                }
                else if (zoneText is not null)
                {
                    zoneText.Append(line).Append("\r\n");
                    if (stack.Count == 2 && component == "VTIMEZONE")
                    {
                        if (zoneId is not null) zones.TryAdd(zoneId, zoneText.ToString());
                        zoneText = null;
                    }
                }
                stack.Pop();
                continue;
            }

            if (zoneText is not null)
            {
                zoneText.Append(line).Append("\r\n");
                if (zoneText.Length > limits.MaxEventChars) throw new CalendarTooComplexException("a time zone is too long");
                if (stack.Count == 2 && name.Equals("TZID", StringComparison.OrdinalIgnoreCase)) zoneId = value.Trim();
            }
            else if (eventText is not null && stack.Count == 2 && KeptEventProperties.Contains(name))
            {
                eventText.Append(line).Append("\r\n");
                if (eventText.Length > limits.MaxEventChars) throw new CalendarTooComplexException("an event has too many dates");
                foreach (var p in parameters)
                    if (p.StartsWith("TZID=", StringComparison.OrdinalIgnoreCase)) tzIds!.Add(p[5..].Trim('"'));
                if (name.Equals("DTSTART", StringComparison.OrdinalIgnoreCase)) startDate = value;
                else if (name.Equals("DTEND", StringComparison.OrdinalIgnoreCase)) endDate = value;
                else if (name.ToUpperInvariant() is "RRULE" or "RDATE" or "EXRULE") recurs = true;
                if (name.Equals("RRULE", StringComparison.OrdinalIgnoreCase)) rules++;
                else if (name.Equals("EXRULE", StringComparison.OrdinalIgnoreCase)) exRules++;
            }
            else if (stack.Count == 2 && stack.Peek() == "VFREEBUSY" && name.Equals("FREEBUSY", StringComparison.OrdinalIgnoreCase))
            {
                FreeBusy(parameters, value, from, to, found);
            }
        }
        if (!sawCalendar) throw new FormatException("not an iCalendar object");
        return new Parts(events, zones);
    }

    /// <summary>Lines with folding undone (RFC 5545 §3.1: a line break followed by one space or tab continues the line).</summary>
    private static IEnumerable<string> LogicalLines(string text)
    {
        var current = new StringBuilder();
        var has = false;
        var start = 0;
        while (start <= text.Length)
        {
            var end = text.IndexOf('\n', start);
            if (end < 0) end = text.Length;
            var raw = text[start..end].TrimEnd('\r');
            if (raw.Length > 0 && (raw[0] == ' ' || raw[0] == '\t') && has) current.Append(raw, 1, raw.Length - 1);
            else
            {
                if (has) yield return current.ToString();
                current.Clear().Append(raw);
                has = raw.Length > 0;
            }
            start = end + 1;
        }
        if (has) yield return current.ToString();
    }

    /// <summary>NAME;PARAM=…;PARAM=…:VALUE (quoted parameter values may hold ':' and ';').</summary>
    private static (string Name, List<string> Parameters, string Value) SplitLine(string line)
    {
        var parameters = new List<string>();
        var quoted = false;
        var segmentStart = 0;
        string? name = null;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '"') quoted = !quoted;
            else if (!quoted && (c == ';' || c == ':'))
            {
                var segment = line[segmentStart..i];
                if (name is null) name = segment; else parameters.Add(segment);
                segmentStart = i + 1;
                if (c == ':') return (name, parameters, line[(i + 1)..]);
            }
        }
        return (name ?? line, parameters, "");
    }

    /// <summary>BUSY, BUSY-UNAVAILABLE and BUSY-TENTATIVE periods (RFC 5545 §3.8.2.6; always UTC). Ical.Net 5.2.4 drops them.</summary>
    private void FreeBusy(List<string> parameters, string value, Instant from, Instant to, List<BusyInterval> found)
    {
        var type = parameters.Select(p => p.Split('=', 2)).FirstOrDefault(p => p[0].Equals("FBTYPE", StringComparison.OrdinalIgnoreCase))?[1] ?? "BUSY";
        if (!type.StartsWith("BUSY", StringComparison.OrdinalIgnoreCase)) return;
        foreach (var period in value.Split(','))
        {
            Count();
            var parts = period.Split('/', 2);
            if (parts.Length != 2 || !TryUtc(parts[0], out var start)) continue;
            Instant? end = TryUtc(parts[1], out var e) ? e
                : parts[1].TrimStart('+').StartsWith('P') ? start + NodaTime.Duration.FromTimeSpan(System.Xml.XmlConvert.ToTimeSpan(parts[1].TrimStart('+'))) : null;
            if (end is { } stop && stop > start && start < to && from < stop) found.Add(new BusyInterval(start, stop));
        }
    }

    private static bool TryUtc(string text, out Instant value)
    {
        var ok = DateTime.TryParseExact(text, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var utc);
        value = ok ? Instant.FromDateTimeUtc(utc) : default;
        return ok;
    }

    private void Count()
    {
        if (++_occurrences > limits.MaxOccurrences) throw new CalendarTooComplexException("too many occurrences");
        monitor?.Occurred();
        if ((_occurrences & 63) == 0) ct.ThrowIfCancellationRequested();
    }

    /// <summary>
    /// A margin of two days around the range covers any zone offset (at most ±14 h) when comparing bare dates.
    /// An event that ends well before the range or starts well after it is skipped without Ical.Net.
    /// </summary>
    private static bool CannotOverlap(EventText ev, Instant from, Instant to)
    {
        var fromDate = from.InUtc().Date.PlusDays(-2);
        var toDate = to.InUtc().Date.PlusDays(2);
        if (BareDate(ev.StartDate) is { } start && start > toDate && !ev.Recurs) return true;
        return !ev.Recurs && BareDate(ev.EndDate) is { } end && end < fromDate;
    }

    private static LocalDate? BareDate(string? value) =>
        value is { Length: >= 8 } && DateTime.TryParseExact(value[..8], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? LocalDate.FromDateTime(d) : null;

    private void Expand(EventText ev, Dictionary<string, string> zones, Instant from, Instant to, List<BusyInterval> found)
    {
        if (CannotOverlap(ev, from, to)) return;
        var text = new StringBuilder("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//TourPlanner//Venue reader//EN\r\n");
        foreach (var id in ev.TzIds)
            if (zones.TryGetValue(id, out var zone)) text.Append(zone);
        text.Append(ev.Text).Append("END:VCALENDAR\r\n");
        var calendar = Ical.Net.Calendar.Load(text.ToString()) ?? throw new FormatException("not an iCalendar object");
        foreach (var e in calendar.Events)
        {
            if (string.Equals(e.Status, "CANCELLED", StringComparison.OrdinalIgnoreCase)) continue;
            if (string.Equals(e.Transparency, "TRANSPARENT", StringComparison.OrdinalIgnoreCase)) continue;
            if (e.DtStart is null) continue;
            var length = Length(e);
            // Occurrences that start this early can still reach into the range; the day covers zone offsets.
            var lookBack = from.ToDateTimeUtc() - length - TimeSpan.FromDays(1);
            if (ev.OneRule) SkipAhead(e, lookBack);
            var end = to.ToDateTimeUtc();
            foreach (var o in e.GetOccurrences(e.DtStart, new EvaluationOptions { MaxUnmatchedIncrementsLimit = MaxUnmatchedIncrements }))
            {
                ct.ThrowIfCancellationRequested();
                Count();
                var start = ToInstant(o.Period.StartTime);
                if (start.ToDateTimeUtc() >= end) break;
                var stop = o.Period.EffectiveEndTime is { } effective ? ToInstant(effective) : start;
                if (stop > start && start < to && from < stop) found.Add(new BusyInterval(start, stop));
            }
        }
    }

    private static TimeSpan Length(CalendarEvent e)
    {
        try
        {
            if (e.DtEnd is { } end) return end.AsUtc - e.DtStart!.AsUtc;
            if (e.Duration is { } d) return d.ToTimeSpanUnspecified();
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or OverflowException)
        {
        }
        return e.DtStart!.HasTime ? TimeSpan.Zero : TimeSpan.FromDays(1);
    }

    /// <summary>
    /// Moves DTSTART (and DTEND) ahead by a whole number of the rule's periods, to the last start at or before
    /// <paramref name="lookBack"/>. After a whole period the pattern repeats, so the occurrences from there on are the
    /// ones the rule had anyway. Only for one RRULE without COUNT (COUNT counts from the original DTSTART) and without
    /// EXRULE; rules filtered by month, year day, week number or a numbered weekday are left alone unless the period is
    /// whole months. The original DTSTART is always an occurrence; the moved one may not be, but it lies before the
    /// look-back and so outside the range.
    /// </summary>
    private static void SkipAhead(CalendarEvent e, DateTime lookBack)
    {
        if (e.RecurrenceRule is not { Count: null, Interval: >= 1 } rule) return;
        var start = e.DtStart!;
        if (start.AsUtc >= lookBack) return;
        var calendarFilters = rule.ByMonth.Count > 0 || rule.ByMonthDay.Count > 0 || rule.ByYearDay.Count > 0
                              || rule.ByWeekNo.Count > 0 || rule.BySetPosition.Count > 0 || rule.ByDay.Any(d => d.Offset is not null);
        long unitSeconds = rule.Frequency switch
        {
            FrequencyType.Secondly => 1, FrequencyType.Minutely => 60, FrequencyType.Hourly => 3600,
            FrequencyType.Daily => 86_400, FrequencyType.Weekly => 7 * 86_400, _ => 0,
        };
        if (unitSeconds > 0)
        {
            if (calendarFilters) return;
            // Whole days keep local times of day across zone changes; a weekday filter needs whole weeks.
            var dayMultiple = rule.ByDay.Count > 0 || rule.Frequency == FrequencyType.Weekly ? 7 * 86_400L : 86_400L;
            var periodDays = Lcm(unitSeconds * rule.Interval, dayMultiple) / 86_400;
            if (periodDays <= 0 || periodDays > 366 * 400) return;
            var steps = (long)Math.Floor((lookBack - start.AsUtc).TotalDays / periodDays);
            if (steps <= 0) return;
            var days = (int)Math.Min(int.MaxValue / 2, steps * periodDays);
            e.DtStart = start.AddDays(days);
            if (e.DtEnd is { } end) e.DtEnd = end.AddDays(days);
        }
        else if (rule.Frequency == FrequencyType.Monthly && start.Day <= 28)
        {
            var months = (lookBack.Year - start.Year) * 12 + lookBack.Month - start.Month - 1;
            var moved = months / rule.Interval * rule.Interval;
            if (moved <= 0) return;
            e.DtStart = start.AddMonths(moved);
            if (e.DtEnd is { } end) e.DtEnd = end.AddMonths(moved);
        }
        // Yearly rules have at most a few hundred occurrences since 1900: the count bounds them without skipping.
    }

    private static long Lcm(long a, long b) => a / Gcd(a, b) * b;
    private static long Gcd(long a, long b) => b == 0 ? a : Gcd(b, a % b);

    /// <summary>A floating or all-day time has no zone; reading it as UTC is the best a shared venue calendar offers.</summary>
    private static Instant ToInstant(CalDateTime t) => Instant.FromDateTimeUtc(DateTime.SpecifyKind(t.IsFloating ? t.Value : t.AsUtc, DateTimeKind.Utc));
}
