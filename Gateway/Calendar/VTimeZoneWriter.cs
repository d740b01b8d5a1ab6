using Ical.Net;
using Ical.Net.DataTypes;
using Ical.Net.Serialization.DataTypes;
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
            // One RDATE per onset rather than a comma list: every reader handles that form.
            foreach (var date in observance.RecurrenceDates) writer.Write("RDATE", IcalFormat.Local(date));
            writer.End(component);
        }

        writer.End("VTIMEZONE");
    }

    /// <summary>The RRULE value of a yearly onset rule.</summary>
    /// <remarks>Kept from Ical.Net: its RecurrenceRule serializer spells RRULE values correctly and is cheap to reuse.</remarks>
    public static string RuleText(YearlyRule rule)
    {
        var recurrence = new RecurrenceRule(FrequencyType.Yearly)
        {
            ByMonth = [rule.Month],
            ByDay = [new WeekDay(ToDayOfWeek(rule.Day), rule.WeekOfMonth)],
        };
        var text = new RecurrenceRuleSerializer().SerializeToString(recurrence)
            ?? throw new InvalidOperationException("Ical.Net could not serialize the RRULE.");

        // UNTIL is appended by hand: RFC 5545 wants it in UTC inside a VTIMEZONE, and going
        // through CalDateTime would tie the result to Ical.Net's own time-zone handling.
        return rule.Until is { } until ? $"{text};UNTIL={IcalFormat.Utc(until)}" : text;
    }

    private static DayOfWeek ToDayOfWeek(IsoDayOfWeek day) => day == IsoDayOfWeek.Sunday ? DayOfWeek.Sunday : (DayOfWeek)(int)day;
}
