using System.Net;
using System.Text;
using NodaTime;
using TourPlanner.Gateway.Calendar;
using TourPlanner.Gateway.Infrastructure;
using TourPlanner.Grains;
using TourPlanner.Grains.Domain;

namespace TourPlanner.Gateway.Pages;

/// <summary>
/// The supporters' page, rendered on the server so it reads without JavaScript and link previews get a title and a
/// description: the route map, a city filter of plain links, subscribe links (for the whole tour or the chosen city),
/// the stops with an "add to calendar" per event, past stops under "Earlier". It shows exactly what the public feeds
/// show (<see cref="PublicStops"/>): confirmed stops, cancelled ones for 30 days, public events only, no contacts.
/// Every text a person typed goes through <see cref="PagesApi.Attr"/>; every absolute link comes from
/// <see cref="PublicLinks"/>. Past, current and next are judged by the injected clock in each stop's own zone.
/// </summary>
public static class PublicPage
{
    private const string Html = "text/html; charset=utf-8";

    private sealed record Stop(StopSnapshot Snapshot, int? Number, bool Cancelled, bool Past, RouteMap.Position Position, IReadOnlyList<EventView> Events);

    /// <summary>
    /// Where a stop's sign-up form stands on this rendering: just sent (after the redirect), or refused with the
    /// words to show and what the person typed.
    /// </summary>
    private sealed record SignupState(string StopId, string Message, bool IsError, string? Email = null, bool Share = false);

    public static Task<IResult> RenderAsync(string slug, string? city, string? signup, HttpContext http, IGrainFactory grains, IClock clock, PublicLinks links) =>
        RenderAsync(slug, city, http, grains, clock, links,
            signup is { Length: > 0 and <= 64 } ? new SignupState(signup, PageAssets.Text(PagesApi.LanguageOf(http.Request), "public.signupSent"), IsError: false) : null,
            StatusCodes.Status200OK);

    private static async Task<IResult> RenderAsync(string slug, string? city, HttpContext http, IGrainFactory grains, IClock clock, PublicLinks links,
        SignupState? signup, int status)
    {
        var request = http.Request;
        var lang = PagesApi.LanguageOf(request);
        string T(string key) => PageAssets.Text(lang, key);

        if (await CalendarApi.TourOf(grains, slug) is not { } tourGrain || await tourGrain.GetAsync() is not { } tour)
        {
            // A deleted tour says so (410) rather than pretend it never was.
            var gone = await CalendarApi.IsGoneAsync(grains, slug);
            var missing = PagesApi.Head(lang, T(gone ? "public.goneTitle" : "public.missingTitle"), null, "public.js") + $"""
                <main id="app" tabindex="-1"><div class="alert" role="alert">{T(gone ? "public.gone" : "public.missing")}</div></main>
                </body></html>
                """;
            return Serve(http, missing, gone ? StatusCodes.Status410Gone : StatusCodes.Status404NotFound);
        }

        var now = clock.GetCurrentInstant();
        var stops = Arrange(PublicStops.Visible(await tourGrain.GetStopsAsync(publishedOnly: true), now), now);
        var cities = stops.Select(s => s.Snapshot.City).Distinct(StringComparer.Ordinal).ToList();
        var canonical = PublicStops.CanonicalCity(cities, city);
        var feeds = FeedLinks.For(links, tour.Slug, tour.Name, canonical, lang);
        var e = PagesApi.Attr;
        var langQuery = request.Query.ContainsKey("lang") ? $"lang={lang}" : "";

        var summary = string.IsNullOrWhiteSpace(tour.Description)
            ? $"{PublicText.Range(tour.StartDate, tour.EndDate, lang)}{(cities.Count > 0 ? ": " + string.Join(", ", cities) : "")}"
            : tour.Description!;
        var atomTitle = canonical is null ? T("public.atom") : $"{T("public.atom")} — {canonical}";
        var html = new StringBuilder(PagesApi.Head(lang, $"{tour.Name} — TourPlanner", Shorten(summary, 200), "public.js",
            $"""<link rel="alternate" type="application/atom+xml" title="{e(atomTitle)}" href="{e(feeds.Atom)}">"""));
        html.Append($"""
            <main id="app" class="public" tabindex="-1">
            <h1>{e(tour.Name)}</h1>
            <p class="lead">{DateRange(tour.StartDate, tour.EndDate, lang)}</p>
            """);
        if (!string.IsNullOrWhiteSpace(tour.Description)) html.Append($"""<p class="description">{e(tour.Description)}</p>""");
        if (tour.Speakers.Length > 0)
            html.Append($"""<p>{T("public.speakers")} {e(string.Join(", ", tour.Speakers.Select(s => s.Name)))}</p>""");

        AppendMap(html, stops, canonical, lang, now);
        AppendCityFilter(html, cities, canonical, city, langQuery, lang);

        var subscribeLabel = canonical is null ? Fill(T("public.subscribe")) : Fill(T("public.subscribeCity"), ("city", canonical));
        html.Append($"""
            <nav class="subscribe" aria-label="{subscribeLabel}"><span>{subscribeLabel}</span>
            <a href="{e(feeds.Webcal)}">Apple / webcal</a> · <a href="{e(feeds.Google)}" rel="noopener">Google</a> · <a href="{e(feeds.Outlook)}" rel="noopener">Outlook</a> · <a href="{e(feeds.Https)}">{T("public.icsLink")}</a></nav>
            <p class="atom"><a href="{e(feeds.Atom)}" type="application/atom+xml">{e(atomTitle)}</a></p>
            """);

        html.Append($"""<h2>{(canonical is null ? T("public.stops") : $"{T("public.stops")} — {e(canonical)}")}</h2>""");
        var shown = stops.Where(s => PublicStops.InCity(s.Snapshot, canonical)).ToList();
        // A refused sign-up for a stop that shows no form (not on request, gone, or unknown) is said above the stops.
        if (signup is { IsError: true } && !shown.Any(s => s.Snapshot.StopId == signup.StopId && OffersSignup(s)))
            html.Append($"""<div class="alert" role="alert">{e(signup.Message)}</div>""");
        if (shown.Count == 0) html.Append($"""<p class="muted">{T("public.noStops")}</p>""");
        var past = shown.Where(s => s.Past).ToList();
        var ahead = shown.Where(s => !s.Past).ToList();
        if (past.Count > 0)
        {
            html.Append($"""<details class="earlier"><summary>{Fill(T("public.earlier"), ("count", past.Count.ToString()))}</summary><ol class="cards">""");
            foreach (var stop in past) AppendStop(html, stop, tour, links, lang, signup);
            html.Append("</ol></details>");
        }
        if (ahead.Count > 0)
        {
            html.Append("""<ol class="cards">""");
            foreach (var stop in ahead) AppendStop(html, stop, tour, links, lang, signup);
            html.Append("</ol>");
        }
        // People who lost their link get a sign-in link by e-mail (the page answers the same for unknown addresses).
        html.Append($"""<p class="muted"><a href="{e($"/t/{Uri.EscapeDataString(tour.Slug)}/link?lang={lang}")}">{T("mail.lostLink")}</a></p>""");
        html.Append("</main>\n</body>\n</html>\n");
        return Serve(http, html.ToString(), status);
    }

    /// <summary>
    /// The sign-up form posted without script: the same rules and limits as the API, then the page again (Post/Redirect/Get
    /// on success, so reloading sends nothing twice; the page itself with the refusal, in the page's language, otherwise).
    /// </summary>
    public static async Task<IResult> SignUpAsync(string slug, string stopId, HttpContext http, IGrainFactory grains, IClock clock, PublicLinks links,
        SignupLimiter limiter)
    {
        var lang = PagesApi.LanguageOf(http.Request);
        var words = Wording.Of(http);
        if (await CalendarApi.TourOf(grains, slug) is not { } tourGrain || await tourGrain.GetAsync() is not { } tour)
            return await RenderAsync(slug, null, http, grains, clock, links, null, StatusCodes.Status200OK);
        var (email, share, readable) = await ReadSignupFormAsync(http.Request);
        SignupState Refused(string message) => new(stopId, message, IsError: true, email, share);
        if (!readable)
            return await RenderAsync(slug, null, http, grains, clock, links, Refused(words.Say(Text.Of(Codes.FieldEmail, Arg.Plain("field", "email")))), StatusCodes.Status400BadRequest);
        if (!limiter.TryAcquire(http, tour.TourId, email))
        {
            http.Response.Headers.RetryAfter = "3600";
            return await RenderAsync(slug, null, http, grains, clock, links, Refused(words.Say(Text.Of(RequestCodes.RateSignups))), StatusCodes.Status429TooManyRequests);
        }
        var outcome = await tourGrain.SignUpAsync(CommandContext.Of(Principal.Anonymous),
            new SignupRequest { StopId = stopId, Email = email, ShareWithHost = share, Language = lang });
        if (outcome.IsOk)
        {
            var query = $"?lang={lang}&signup={Uri.EscapeDataString(stopId)}#stop-{Uri.EscapeDataString(stopId)}";
            // 303: the browser fetches the page with GET, so reloading it sends nothing again.
            http.Response.Headers.Location = $"/t/{Uri.EscapeDataString(tour.Slug)}{query}";
            return TypedResults.StatusCode(StatusCodes.Status303SeeOther);
        }
        var reason = outcome.Errors.Values.SelectMany(x => x).FirstOrDefault() ?? outcome.Reason;
        var code = outcome.Kind switch
        {
            OutcomeKind.Invalid => StatusCodes.Status400BadRequest,
            OutcomeKind.NotFound => StatusCodes.Status404NotFound,
            _ => StatusCodes.Status409Conflict,
        };
        return await RenderAsync(slug, null, http, grains, clock, links, Refused(reason is null ? "" : words.Say(reason)), code);
    }

    /// <summary>The form's two fields, read with small limits: an e-mail address needs no more, and a huge or endless body is refused.</summary>
    private static async Task<(string Email, bool Share, bool Readable)> ReadSignupFormAsync(HttpRequest request)
    {
        const int MaxBody = 4096;
        if (!request.HasFormContentType || request.ContentLength > MaxBody) return ("", false, false);
        request.HttpContext.Features.Set<Microsoft.AspNetCore.Http.Features.IFormFeature>(new Microsoft.AspNetCore.Http.Features.FormFeature(request,
            new Microsoft.AspNetCore.Http.Features.FormOptions { BufferBody = false, MultipartBodyLengthLimit = MaxBody, ValueCountLimit = 8, KeyLengthLimit = 32, ValueLengthLimit = 512 }));
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(request.HttpContext.RequestAborted);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            var form = await request.ReadFormAsync(timeout.Token);
            var share = form["shareWithHost"].ToString() is "true" or "on";
            return (form["email"].ToString().Trim(), share, true);
        }
        catch (Exception ex) when (ex is InvalidDataException or OperationCanceledException or IOException or BadHttpRequestException)
        {
            return ("", false, false);
        }
    }

    /// <summary>Numbers the confirmed stops in route order and judges each against today in its own zone.</summary>
    private static List<Stop> Arrange(IReadOnlyList<StopSnapshot> visible, Instant now)
    {
        var result = new List<Stop>(visible.Count);
        var number = 0;
        var nextTaken = false;
        foreach (var s in visible)
        {
            var today = PublicText.Today(now, s.TimeZone);
            var first = s.Dates.IsDefaultOrEmpty ? today : s.Dates[0];
            var last = s.Dates.IsDefaultOrEmpty ? today : s.Dates[^1];
            var cancelled = s.Status == ClaimStatus.Cancelled;
            var isPast = last < today;
            var position = isPast ? RouteMap.Position.Past
                : cancelled ? RouteMap.Position.Upcoming
                : first <= today ? RouteMap.Position.Current
                : !nextTaken ? RouteMap.Position.Next : RouteMap.Position.Upcoming;
            if (!cancelled && position is RouteMap.Position.Current or RouteMap.Position.Next) nextTaken = true;
            var events = s.Events.Where(ev => ev.Public).Select(ev => EventViews.Of(s, ev)).OrderBy(ev => ev.Start).ToList();
            result.Add(new Stop(s, cancelled ? null : ++number, cancelled, isPast, position, events));
        }
        return result;
    }

    private static void AppendMap(StringBuilder html, List<Stop> stops, string? canonical, string lang, Instant now)
    {
        var route = stops.Where(s => !s.Cancelled && s.Snapshot.Location is not null).ToList();
        if (route.Count == 0) return;
        string T(string key) => PageAssets.Text(lang, key);
        var highlighted = route.FirstOrDefault(s => s.Position is RouteMap.Position.Current or RouteMap.Position.Next);
        var caption = new StringBuilder(Fill(T("public.mapRoute"), ("count", route.Count.ToString()),
            ("first", route[0].Snapshot.City), ("last", route[^1].Snapshot.City)));
        string? label = null;
        if (highlighted is not null)
        {
            var key = highlighted.Position == RouteMap.Position.Current ? "public.mapNow" : "public.mapNext";
            var when = PublicText.Day(highlighted.Snapshot.Dates.IsDefaultOrEmpty ? PublicText.Today(now, highlighted.Snapshot.TimeZone) : highlighted.Snapshot.Dates[0], lang);
            caption.Append(' ').Append(Fill(T(key), ("city", highlighted.Snapshot.City), ("date", when)));
            label = highlighted.Snapshot.City;
        }
        else caption.Append(' ').Append(WebUtility.HtmlEncode(T("public.mapOver")));
        var markers = route.Select(s => new RouteMap.Marker(s.Snapshot.StopId, s.Snapshot.City, s.Snapshot.Location!.Value.Latitude,
            s.Snapshot.Location!.Value.Longitude, s.Position, canonical is not null && PublicStops.InCity(s.Snapshot, canonical))).ToList();
        var svg = RouteMap.Svg(markers, "route-caption", label);
        html.Append($"""<figure class="route">{svg}<figcaption id="route-caption">{caption}</figcaption></figure>""");
    }

    /// <summary>Plain links (no script needed): one per city of the tour, and back to all of them.</summary>
    private static void AppendCityFilter(StringBuilder html, List<string> cities, string? canonical, string? typed, string langQuery, string lang)
    {
        string T(string key) => PageAssets.Text(lang, key);
        var e = PagesApi.Attr;
        if (typed is not null && canonical is null)
            html.Append($"""<p class="notice warn" role="status">{T("public.unknownCity")}</p>""");
        if (cities.Count < 2) return;
        string Href(string? c) => "?" + string.Join("&", new[] { c is null ? "" : "city=" + Uri.EscapeDataString(c), langQuery }.Where(p => p.Length > 0));
        if (canonical is not null)
            html.Append($"""<p class="filtering">{Fill(T("public.showing"), ("city", canonical))} <a href="{e(Href(null))}">{T("public.allCities")}</a></p>""");
        html.Append($"""<details class="cities"{(canonical is null ? "" : " open")}><summary>{Fill(T("public.cities"), ("count", cities.Count.ToString()))}</summary><nav aria-label="{e(T("public.citiesLabel"))}"><ul class="chips">""");
        html.Append($"""<li><a href="{e(Href(null))}"{(canonical is null ? " aria-current=\"page\"" : "")}>{T("public.allCities")}</a></li>""");
        foreach (var c in cities.OrderBy(c => c, StringComparer.Create(PublicText.Culture(lang), ignoreCase: true)))
            html.Append($"""<li><a href="{e(Href(c))}"{(c == canonical ? " aria-current=\"page\"" : "")}>{e(c)}</a></li>""");
        html.Append("</ul></nav></details>");
    }

    private static void AppendStop(StringBuilder html, Stop stop, TourSnapshot tour, PublicLinks links, string lang, SignupState? signup)
    {
        string T(string key) => PageAssets.Text(lang, key);
        var e = PagesApi.Attr;
        var s = stop.Snapshot;
        var classes = "card stop" + (stop.Cancelled ? " cancelled" : "") + (stop.Position is RouteMap.Position.Next or RouteMap.Position.Current ? " next" : "");
        var badge = stop.Cancelled ? $"""<span class="badge cancelled">{T("public.cancelled")}</span>"""
            : stop.Position == RouteMap.Position.Current ? $"""<span class="badge now">{T("public.now")}</span>"""
            : stop.Position == RouteMap.Position.Next ? $"""<span class="badge next">{T("public.next")}</span>""" : "";
        var number = stop.Number is { } n ? $"""<span class="num" title="{e(Fill(T("public.stopNumber"), ("n", n.ToString())))}">{n}</span> """ : "";
        var days = s.Dates.IsDefaultOrEmpty ? "" : s.Dates.Length == 1 ? DateTag(s.Dates[0], lang) : $"{DateTag(s.Dates[0], lang)} – {DateTag(s.Dates[^1], lang)}";
        html.Append($"""
            <li class="{classes}" id="stop-{e(s.StopId)}"><h3>{number}{e(s.City)}<span class="muted">, {e(s.Country)}</span> {badge}</h3>
            <p class="when">{days}</p>
            """);
        var venue = string.Join(" · ", new[] { s.Venue.Name, s.Venue.PublicAddress }.Where(v => !string.IsNullOrWhiteSpace(v)).Select(e));
        if (venue.Length > 0) html.Append($"""<p class="venue">{venue}</p>""");
        if (stop.Events.Count > 0)
        {
            html.Append("""<ul class="events">""");
            foreach (var ev in stop.Events)
            {
                html.Append($"""<li class="event" id="{e(ev.EventId)}">{TimeTag(ev, lang)} <strong class="title">{e(ev.Title)}</strong>""");
                if (!string.IsNullOrWhiteSpace(ev.Description)) html.Append($"""<p class="muted">{e(ev.Description)}</p>""");
                if (!stop.Cancelled && !stop.Past)
                    html.Append($"""
                        <p class="add">{T("public.addEvent")} <a href="{e(FeedLinks.EventFile(links, tour.Slug, ev.EventId))}" download>{T("public.icsFile")}</a> · <a href="{e(GoogleTemplate(tour, s, ev, links))}" rel="noopener">Google</a></p>
                        """);
                html.Append("</li>");
            }
            html.Append("</ul>");
        }
        if (OffersSignup(stop))
            AppendSignup(html, tour, s, lang, signup?.StopId == s.StopId ? signup : null);
        html.Append("</li>");
    }

    private static bool OffersSignup(Stop stop) => stop.Snapshot.Venue.AddressVisibility == AddressVisibility.OnRequest && !stop.Cancelled && !stop.Past;

    /// <summary>
    /// An on-request stop says so and offers the sign-up form: a plain form POST that works without script, which
    /// public.js turns into a fetch with an inline answer. The address itself is never on the page.
    /// </summary>
    private static void AppendSignup(StringBuilder html, TourSnapshot tour, StopSnapshot s, string lang, SignupState? state)
    {
        string T(string key) => PagesApi.Attr(PageAssets.Text(lang, key));
        var e = PagesApi.Attr;
        var id = e(s.StopId);
        var action = $"/t/{Uri.EscapeDataString(tour.Slug)}/stops/{Uri.EscapeDataString(s.StopId)}/signup?lang={lang}";
        var sent = state is { IsError: false };
        var message = state is null ? "" : $"""<p class="{(state.IsError ? "alert" : "notice ok")}" id="signup-msg-{id}">{e(state.Message)}</p>""";
        html.Append($"""
            <div class="signup">
            <p class="on-request">{T("public.onRequest")}</p>
            <div class="signup-answer" role="status" aria-live="polite" data-for="{id}">{(state is { IsError: false } ? message : "")}</div>
            """);
        if (!sent)
            html.Append($"""
                <form class="signup-form" method="post" action="{e(action)}" data-tour-id="{e(tour.TourId)}" data-stop-id="{id}"
                 data-sent="{T("public.signupSent")}" data-failed="{T("public.signupFailed")}">
                {(state is { IsError: true } ? $"""<div role="alert">{message}</div>""" : """<div role="alert"></div>""")}
                <div class="field"><label for="signup-email-{id}">{T("public.signupEmail")}</label>
                <input id="signup-email-{id}" name="email" type="email" autocomplete="email" required maxlength="254" value="{e(state?.Email)}"
                 aria-describedby="signup-help-{id}"{(state is { IsError: true } ? $""" aria-invalid="true" aria-errormessage="signup-msg-{id}" """ : "")}></div>
                <div class="field check"><input id="signup-share-{id}" name="shareWithHost" type="checkbox" value="true"{(state is { Share: true } ? " checked" : "")}>
                <label for="signup-share-{id}">{T("public.signupShare")}</label></div>
                <button type="submit">{T("public.signupButton")}</button>
                <p class="muted" id="signup-help-{id}">{T("public.signupHelp")}</p>
                </form>
                """);
        html.Append("</div>");
    }

    /// <summary>Google Calendar's "create event" template, prefilled; times in UTC, shown by Google in the stop's zone.</summary>
    private static string GoogleTemplate(TourSnapshot tour, StopSnapshot stop, EventView ev, PublicLinks links)
    {
        static string Utc(Instant i) => i.ToString("uuuuMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var location = string.Join(", ", new[] { stop.Venue.Name, stop.Venue.PublicAddress, $"{stop.City}, {stop.Country}" }.Where(x => !string.IsNullOrWhiteSpace(x)));
        var details = $"{Shorten(ev.Description ?? "", 300)}\n\n{tour.Name}: {FeedLinks.PageUrl(links, tour.Slug)}".TrimStart();
        return "https://calendar.google.com/calendar/render?action=TEMPLATE" +
               $"&text={Uri.EscapeDataString(ev.Title)}&dates={Utc(ev.Start)}/{Utc(ev.End)}" +
               $"&details={Uri.EscapeDataString(details)}&location={Uri.EscapeDataString(location)}&ctz={Uri.EscapeDataString(stop.TimeZone)}";
    }

    /// <summary>The event's own local time and its zone's abbreviation ("Wed 28 Oct 19:00 CDT"), never the viewer's zone.</summary>
    private static string TimeTag(EventView ev, string lang) =>
        $"""<time datetime="{PublicText.IsoInstant(ev.Start)}">{PagesApi.Attr(PublicText.LocalTime(ev.LocalStart, ev.Start, ev.TimeZone, lang))}</time>""";

    private static string DateTag(LocalDate date, string lang) => $"""<time datetime="{PublicText.Iso(date)}">{PagesApi.Attr(PublicText.Day(date, lang))}</time>""";

    private static string DateRange(LocalDate first, LocalDate last, string lang) =>
        $"""<time datetime="{PublicText.Iso(first)}">{PagesApi.Attr(first.Year == last.Year ? PublicText.Day(first, lang) : PublicText.DayWithYear(first, lang))}</time> – <time datetime="{PublicText.Iso(last)}">{PagesApi.Attr(PublicText.DayWithYear(last, lang))}</time>""";

    /// <summary>A catalogue string with {name} placeholders filled by HTML-escaped values; the catalogue itself is trusted.</summary>
    private static string Fill(string template, params (string Name, string Value)[] values)
    {
        var text = WebUtility.HtmlEncode(template);
        foreach (var (name, value) in values) text = text.Replace("{" + name + "}", WebUtility.HtmlEncode(value), StringComparison.Ordinal);
        return text;
    }

    private static IResult Serve(HttpContext http, string html, int status)
    {
        http.Response.Headers.XContentTypeOptions = "nosniff";
        return HttpRepresentations.ServeRendered(http, Encoding.UTF8.GetBytes(html), Html, "no-cache", status, vary: "Accept-Encoding, Accept-Language");
    }

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
