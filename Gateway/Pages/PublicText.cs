using System.Globalization;
using NodaTime;

namespace TourPlanner.Gateway.Pages;

/// <summary>
/// Dates and times as people read them on the public page and in the Atom feed, in English or Spanish from .NET's
/// culture data (ICU), never from hand-written month names. Times are always the event's own local time with its
/// zone's abbreviation: a supporter in Chicago reads the Madrid stop at Madrid's hour.
/// </summary>
public static class PublicText
{
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en");
    private static readonly CultureInfo Spanish = CultureInfo.GetCultureInfo("es");

    public static CultureInfo Culture(string lang) => lang == "es" ? Spanish : English;

    /// <summary>"Wed 28 Oct" / "mié 28 oct".</summary>
    public static string Day(LocalDate date, string lang) => date.ToDateOnly().ToString("ddd d MMM", Culture(lang));

    /// <summary>"Wed 28 Oct 2026" / "mié 28 oct 2026".</summary>
    public static string DayWithYear(LocalDate date, string lang) => date.ToDateOnly().ToString("ddd d MMM yyyy", Culture(lang));

    /// <summary>"Wed 28 Oct 19:00 CDT": local date and time where the event happens, and that zone's abbreviation then.</summary>
    public static string LocalTime(LocalDateTime local, Instant at, string zoneId, string lang) =>
        $"{Day(local.Date, lang)} {local.Hour:00}:{local.Minute:00} {ZoneAbbreviation(zoneId, at)}";

    /// <summary>The zone's name at that instant per tzdb (CDT, CET, -03); the id itself for an unknown zone.</summary>
    public static string ZoneAbbreviation(string zoneId, Instant at) =>
        DateTimeZoneProviders.Tzdb.GetZoneOrNull(zoneId)?.GetZoneInterval(at).Name ?? zoneId;

    /// <summary>"28 Oct – 15 Nov 2026" style ranges share the year once.</summary>
    public static string Range(LocalDate first, LocalDate last, string lang) =>
        first == last ? DayWithYear(first, lang)
        : first.Year == last.Year ? $"{Day(first, lang)} – {DayWithYear(last, lang)}"
        : $"{DayWithYear(first, lang)} – {DayWithYear(last, lang)}";

    /// <summary>Today's date where the stop is, by the injected clock.</summary>
    public static LocalDate Today(Instant now, string zoneId) =>
        now.InZone(DateTimeZoneProviders.Tzdb.GetZoneOrNull(zoneId) ?? DateTimeZone.Utc).Date;

    public static string Iso(LocalDate date) => date.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture);

    public static string IsoInstant(Instant instant) => instant.ToString("uuuu-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
