using System.Globalization;
using NodaTime;

namespace TourPlanner.Gateway.Calendar;

/// <summary>Writes a <see cref="VTimeZoneDefinition"/> as a VTIMEZONE component.</summary>
public static class VTimeZoneWriter
{
    /// <summary>Writes BEGIN:VTIMEZONE … END:VTIMEZONE.</summary>
    public static void Write(ContentLineWriter writer, VTimeZoneDefinition zone)
    {
        writer.Begin("VTIMEZONE");
        writer.WriteText("TZID", zone.TzId);
        foreach (var observance in zone.Observances)
        {
            var component = observance.Kind == ObservanceKind.Daylight ? "DAYLIGHT" : "STANDARD";
            writer.Begin(component);
            writer.Write("DTSTART", IcalFormat.Local(observance.Start));
            writer.Write("TZOFFSETFROM", IcalFormat.Offset(observance.OffsetFrom));
            writer.Write("TZOFFSETTO", IcalFormat.Offset(observance.OffsetTo));
            writer.WriteText("TZNAME", observance.Name);
            if (observance.Rule is { } rule) writer.Write("RRULE", RuleText(rule));
            if (observance.RecurrenceDates.Count > 0)
            {
                // DTSTART is repeated as the first RDATE: ical.js (Thunderbird) ignores DTSTART as an
                // onset once an observance has RDATEs, and RFC 5545 collapses the duplicate for others.
                // One RDATE per onset rather than a comma list: every reader handles that form.
                writer.Write("RDATE", IcalFormat.Local(observance.Start));
                foreach (var date in observance.RecurrenceDates) writer.Write("RDATE", IcalFormat.Local(date));
            }
            writer.End(component);
        }

        writer.End("VTIMEZONE");
    }

    /// <summary>The RRULE value of a yearly onset rule, e.g. FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU.</summary>
    /// <remarks>
    /// Written by hand: in Ical.Net 5.2.4 RecurrenceRuleSerializer returns no text for a
    /// RecurrenceRule, and the RecurrencePattern serializer that works is marked obsolete.
    /// UNTIL is in UTC, as RFC 5545 requires inside a VTIMEZONE.
    /// </remarks>
    public static string RuleText(YearlyRule rule)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"FREQ=YEARLY;BYMONTH={rule.Month};BYDAY={rule.WeekOfMonth}{DayCode(rule.Day)}");
        return rule.Until is { } until ? $"{text};UNTIL={IcalFormat.Utc(until)}" : text;
    }

    private static string DayCode(IsoDayOfWeek day) => day switch
    {
        IsoDayOfWeek.Monday => "MO",
        IsoDayOfWeek.Tuesday => "TU",
        IsoDayOfWeek.Wednesday => "WE",
        IsoDayOfWeek.Thursday => "TH",
        IsoDayOfWeek.Friday => "FR",
        IsoDayOfWeek.Saturday => "SA",
        IsoDayOfWeek.Sunday => "SU",
        _ => throw new ArgumentOutOfRangeException(nameof(day), day, "Not a weekday."),
    };
}
