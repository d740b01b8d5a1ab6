using System.Globalization;
using NodaTime;
using NodaTime.Text;

namespace TourPlanner.Gateway.Calendar;

/// <summary>iCalendar spellings of NodaTime values.</summary>
public static class IcalFormat
{
    private static readonly LocalDateTimePattern LocalPattern =
        LocalDateTimePattern.CreateWithInvariantCulture("uuuuMMdd'T'HHmmss");

    private static readonly InstantPattern UtcPattern =
        InstantPattern.CreateWithInvariantCulture("uuuuMMdd'T'HHmmss'Z'");

    /// <summary>DATE-TIME in local ("floating" or TZID) form, e.g. 20261101T013000; sub-second parts are dropped.</summary>
    public static string Local(LocalDateTime value) => LocalPattern.Format(TruncateToSecond(value));

    /// <summary>DATE-TIME in UTC form, e.g. 20261101T053000Z; sub-second parts are dropped.</summary>
    public static string Utc(Instant value) =>
        UtcPattern.Format(Instant.FromUnixTimeSeconds(value.ToUnixTimeSeconds()));

    /// <summary>UTC-OFFSET value, e.g. -0500 or +053000 when the offset has seconds.</summary>
    public static string Offset(Offset offset)
    {
        var total = offset.Seconds;
        var sign = total < 0 ? '-' : '+';
        total = Math.Abs(total);
        var text = string.Create(CultureInfo.InvariantCulture, $"{sign}{total / 3600:00}{total / 60 % 60:00}");
        return total % 60 == 0 ? text : string.Create(CultureInfo.InvariantCulture, $"{text}{total % 60:00}");
    }

    /// <summary>FLOAT value with invariant culture and no exponent.</summary>
    public static string Float(double value) => value.ToString("0.0#####", CultureInfo.InvariantCulture);

    private static LocalDateTime TruncateToSecond(LocalDateTime value) =>
        value.PlusNanoseconds(-value.NanosecondOfSecond);
}
