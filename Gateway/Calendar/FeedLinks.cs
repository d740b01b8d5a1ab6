using TourPlanner.Gateway.Infrastructure;

namespace TourPlanner.Gateway.Calendar;

/// <summary>
/// Absolute links to a tour's public calendar (whole tour or one of its cities) in the common apps, to its Atom feed and
/// to its page, all from <see cref="PublicLinks"/> so no request header reaches them.
/// </summary>
public sealed record FeedLinks(string Https, string Webcal, string Google, string Outlook, string Atom, string Page)
{
    /// <param name="canonicalCity">One of the tour's own cities (<see cref="PublicStops.CanonicalCity"/>), or null for the whole tour.</param>
    public static FeedLinks For(PublicLinks links, string slug, string tourName, string? canonicalCity, string lang)
    {
        var escapedSlug = Uri.EscapeDataString(slug);
        var city = canonicalCity is null ? "" : "city=" + Uri.EscapeDataString(canonicalCity);
        var https = links.Absolute($"/tours/{escapedSlug}/calendar.ics{(city.Length > 0 ? "?" + city : "")}");
        var webcal = "webcal://" + https[(https.IndexOf("://", StringComparison.Ordinal) + 3)..];
        var name = canonicalCity is null ? tourName : $"{tourName} — {canonicalCity}";
        return new FeedLinks(https, webcal,
            // Google's add-by-URL takes the feed in cid; Outlook's addfromweb takes url and a display name.
            $"https://calendar.google.com/calendar/r?cid={Uri.EscapeDataString(webcal)}",
            $"https://outlook.live.com/calendar/0/addfromweb?url={Uri.EscapeDataString(https)}&name={Uri.EscapeDataString(name)}",
            links.Absolute($"/tours/{escapedSlug}/atom.xml?lang={lang}{(city.Length > 0 ? "&" + city : "")}"),
            PageUrl(links, slug));
    }

    public static string PageUrl(PublicLinks links, string slug) => links.Absolute($"/t/{Uri.EscapeDataString(slug)}");

    /// <summary>One event as its own .ics file (the "add to calendar" download).</summary>
    public static string EventFile(PublicLinks links, string slug, string eventId) =>
        links.Absolute($"/tours/{Uri.EscapeDataString(slug)}/events/{Uri.EscapeDataString(eventId)}.ics");
}
