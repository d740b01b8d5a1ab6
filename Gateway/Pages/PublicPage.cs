using System.Globalization;
using System.Text;
using NodaTime;
using TourPlanner.Gateway.Tours;
using TourPlanner.Grains;

namespace TourPlanner.Gateway.Pages;

/// <summary>
/// The supporters' page, rendered on the server so it reads without JavaScript and link previews get a title and a
/// description. It builds from <see cref="PublicTourDto"/>, the same public view the API serves, so nothing private
/// can reach it. Every text a person typed goes through <see cref="PagesApi.Attr"/>.
/// </summary>
public static class PublicPage
{
    private static readonly string[] DaysEs = ["lun", "mar", "mié", "jue", "vie", "sáb", "dom"];
    private static readonly string[] MonthsEs = ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"];

    public static async Task<IResult> RenderAsync(string slug, HttpRequest request, IGrainFactory grains)
    {
        var lang = PagesApi.LanguageOf(request);
        string T(string key) => PageAssets.Text(lang, key);
        request.HttpContext.Response.Headers.CacheControl = "no-cache";

        if (slug.Length > 64 || await grains.GetGrain<ITourSlugGrain>(slug).GetTourIdAsync() is not { } tourId
            || await grains.GetGrain<ITourGrain>(tourId).GetAsync() is not { } snapshot)
        {
            var missing = PagesApi.Head(lang, T("public.missingTitle"), null, "public.js") + $"""
                <main id="app" tabindex="-1"><div class="alert" role="alert" data-i18n="public.missing">{T("public.missing")}</div></main>
                </body></html>
                """;
            return TypedResults.Content(missing, "text/html; charset=utf-8", Encoding.UTF8, StatusCodes.Status404NotFound);
        }

        var tour = PublicTourDto.From(snapshot, await grains.GetGrain<ITourGrain>(tourId).GetStopsAsync(publishedOnly: true), Links.Base(request));
        var e = PagesApi.Attr;
        var range = $"{DateTag(tour.StartDate, lang, withYear: false)} – {DateTag(tour.EndDate, lang, withYear: true)}";
        var cities = string.Join(", ", tour.Stops.Select(s => s.City).Distinct());
        var summary = string.IsNullOrWhiteSpace(tour.Description)
            ? $"{Plain(tour.StartDate, lang)} – {Plain(tour.EndDate, lang)}{(cities.Length > 0 ? ": " + cities : "")}"
            : tour.Description!;

        var html = new StringBuilder(PagesApi.Head(lang, $"{tour.Name} — TourPlanner", Shorten(summary, 200), "public.js"));
        html.Append($"""
            <main id="app" class="public" tabindex="-1">
            <h1>{e(tour.Name)}</h1>
            <p class="lead">{range}</p>
            """);
        if (!string.IsNullOrWhiteSpace(tour.Description)) html.Append($"""<p class="description">{e(tour.Description)}</p>""");
        var sub = tour.Subscribe;
        html.Append($"""
            <nav class="subscribe" aria-label="{e(T("public.subscribe"))}"><span data-i18n="public.subscribe">{T("public.subscribe")}</span>
            <a href="{e(sub.Webcal)}">Apple / webcal</a> · <a href="{e(sub.Google)}" rel="noopener">Google</a> · <a href="{e(sub.Outlook)}" rel="noopener">Outlook</a> · <a href="{e(sub.Https)}" data-i18n="public.icsLink">{T("public.icsLink")}</a></nav>
            """);
        if (tour.Speakers.Count > 0)
            html.Append($"""<p><span data-i18n="public.speakers">{T("public.speakers")}</span> {e(string.Join(", ", tour.Speakers.Select(s => s.Name)))}</p>""");
        html.Append($"""<h2 data-i18n="public.stops">{T("public.stops")}</h2>""");
        if (tour.Stops.Count == 0) html.Append($"""<p class="muted" data-i18n="public.noStops">{T("public.noStops")}</p>""");
        else
        {
            html.Append("""<ol class="cards">""");
            foreach (var stop in tour.Stops)
            {
                var days = stop.Dates.Count == 0 ? "" : stop.Dates.Count == 1 ? DateTag(stop.Dates[0], lang, false)
                    : $"{DateTag(stop.Dates[0], lang, false)} – {DateTag(stop.Dates[^1], lang, false)}";
                html.Append($"""
                    <li class="card stop"><h3>{e(stop.City)}<span class="muted">, {e(stop.Country)}</span></h3>
                    <p class="when">{days}</p>
                    """);
                var venue = string.Join(" · ", new[] { stop.Venue.Name, stop.Venue.Address }.Where(v => !string.IsNullOrWhiteSpace(v)).Select(e));
                if (venue.Length > 0) html.Append($"""<p class="venue">{venue}</p>""");
                if (stop.Events.Count > 0)
                {
                    html.Append("""<ul class="events">""");
                    foreach (var ev in stop.Events)
                    {
                        html.Append($"""<li class="event">{TimeTag(ev.Start, ev.LocalStart, ev.TimeZone, lang)} <strong class="title">{e(ev.Title)}</strong>""");
                        if (!string.IsNullOrWhiteSpace(ev.Description)) html.Append($"""<p class="muted">{e(ev.Description)}</p>""");
                        html.Append("</li>");
                    }
                    html.Append("</ul>");
                }
                html.Append("</li>");
            }
            html.Append("</ol>");
        }
        html.Append("</main>\n</body>\n</html>\n");
        return TypedResults.Content(html.ToString(), "text/html; charset=utf-8");
    }

    /// <summary>
    /// The event's own local time and its zone's abbreviation ("Wed 28 Oct 19:00 CDT"), never the viewer's zone.
    /// The attributes let the script re-format the same instant in the other language with Intl.
    /// </summary>
    private static string TimeTag(Instant start, LocalDateTime local, string zoneId, string lang)
    {
        var abbreviation = DateTimeZoneProviders.Tzdb.GetZoneOrNull(zoneId)?.GetZoneInterval(start).Name ?? zoneId;
        var text = $"{Day(local.Date, lang)} {local.Hour:00}:{local.Minute:00} {abbreviation}";
        return $"""<time datetime="{start.ToString("uuuu-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}" data-tz="{PagesApi.Attr(zoneId)}" data-abbr="{PagesApi.Attr(abbreviation)}">{PagesApi.Attr(text)}</time>""";
    }

    private static string DateTag(LocalDate date, string lang, bool withYear) =>
        $"""<time datetime="{Iso(date)}" data-date="{Iso(date)}"{(withYear ? " data-year=\"1\"" : "")}>{Day(date, lang)}{(withYear ? $" {date.Year}" : "")}</time>""";

    private static string Plain(LocalDate date, string lang) => $"{Day(date, lang)} {date.Year}";

    /// <summary>Same shape as the script's Intl formatting, so the text does not jump when the script takes over.</summary>
    private static string Day(LocalDate date, string lang) => lang == "es"
        ? $"{DaysEs[(int)date.DayOfWeek - 1]} {date.Day} {MonthsEs[date.Month - 1]}"
        : date.ToString("ddd d MMM", CultureInfo.InvariantCulture);

    private static string Iso(LocalDate date) => date.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture);

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
