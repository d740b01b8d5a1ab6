using System.Net;
using TourPlanner.Gateway.Calendar;

namespace TourPlanner.Gateway.Pages;

/// <summary>The pages people open from their links, and the assets they load.</summary>
public static class PagesApi
{
    /// <summary>
    /// No inline script or style anywhere, so an HTML injection that slipped past escaping still could not run.
    /// no-referrer keeps the pages' own URLs out of requests to other sites (tokens already live in the fragment).
    /// The speaker's pages install as an app: their manifest and service worker come from this origin only.
    /// </summary>
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
        "manifest-src 'self'; worker-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static IEndpointRouteBuilder MapPages(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("").WithTags("Pages").ExcludeFromDescription()
            .AddEndpointFilter(async (context, next) =>
            {
                var headers = context.HttpContext.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers["Referrer-Policy"] = "no-referrer";
                headers.XContentTypeOptions = "nosniff";
                return await next(context);
            });
        pages.MapGet("/", (HttpRequest r, IConfiguration config) => StartPage(r, !string.IsNullOrEmpty(config["Gateway:TourCreationKey"])))
            .WithName("StartPage").WithSummary("What TourPlanner does, and the form that starts a tour.");
        pages.MapGet("/t/{slug}", PublicPage.RenderAsync).WithName("PublicPage").WithSummary("The public tour page, rendered on the server.");
        pages.MapPost("/t/{slug}/stops/{stopId}/signup", PublicPage.SignUpAsync).WithName("PublicSignupForm").DisableAntiforgery()
            .WithSummary("The public page's sign-up form without script: asks for an on-request address, answers with the page.");
        pages.MapGet("/organize/{tourId}", (string tourId, HttpRequest r) => Shell(r, "organize", "organize.js", ("tour-id", tourId)))
            .WithName("OrganizerPage").WithSummary("The organizer's page; its script reads the token from the fragment.");
        pages.MapGet("/host/{tourId}/{hostId}", (string tourId, string hostId, HttpRequest r) => Shell(r, "host", "host.js", ("tour-id", tourId), ("host-id", hostId)))
            .WithName("HostPage").WithSummary("A host group's page; its script reads the token from the fragment.");
        pages.MapGet("/speak/{tourId}/{speakerId}", (string tourId, string speakerId, HttpRequest r) =>
                ShellWithHead(r, "speak", "speak.js", SpeakerApp.HeadLinks(tourId, speakerId), ("tour-id", tourId), ("speaker-id", speakerId)))
            .WithName("SpeakerPage").WithSummary("A speaker's itinerary page; its script reads the token from the fragment.");
        pages.MapSpeakerAppPages();
        pages.MapGet("/assets/{name}", Asset).WithName("PageAsset").WithSummary("The pages' CSS, JavaScript and strings.");
        return app;
    }

    // Revalidate every time (no-cache, answered with 304): a deploy must never leave a phone running yesterday's script
    // against today's API. Brotli or gzip when the browser asks.
    private static IResult Asset(string name, HttpContext http) =>
        PageAssets.All.TryGetValue(name, out var asset)
            ? HttpRepresentations.Serve(http, asset.Body, asset.ContentType, "no-cache")
            : TypedResults.NotFound();

    /// <summary>
    /// The language for server-rendered text before any script runs: <c>?lang=en|es</c> when given (a shared link can
    /// carry it), otherwise the browser's preference, chosen as the API chooses it.
    /// </summary>
    public static string LanguageOf(HttpRequest request) => Infrastructure.RequestLanguage.Of(request);

    public static string Attr(string? value) => WebUtility.HtmlEncode(value ?? "");

    /// <summary>The page head, brand bar and language switch shared by every page.</summary>
    public static string Head(string lang, string title, string? description, string script, string? headLinks = null) => $"""
        <!doctype html>
        <html lang="{lang}">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <title>{Attr(title)}</title>
        {(description is null ? "" : $"""<meta name="description" content="{Attr(description)}">""")}
        <link rel="stylesheet" href="/assets/app.css">
        {headLinks}
        <script type="module" src="/assets/{script}"></script>
        </head>
        <body>
        <a class="skip" href="#app" data-i18n="skip">{PageAssets.Text(lang, "skip")}</a>
        <header class="bar">
        <span class="brand">TourPlanner</span>
        <div class="lang" role="group" aria-label="Language / Idioma">
        <button type="button" data-lang="en" lang="en" aria-pressed="{(lang == "en" ? "true" : "false")}">EN</button>
        <button type="button" data-lang="es" lang="es" aria-pressed="{(lang == "es" ? "true" : "false")}">ES</button>
        </div>
        </header>
        """;

    /// <summary>The start page: three lines on what this is, readable without script, and the form (start.js) under them.</summary>
    private static IResult StartPage(HttpRequest request, bool needsCreationKey)
    {
        var lang = LanguageOf(request);
        string T(string key) => Attr(PageAssets.Text(lang, key));
        var html = Head(lang, "TourPlanner", PageAssets.Text(lang, "start.line1"), "start.js") + $"""
            <main id="app" data-page="start" data-creation-key="{(needsCreationKey ? "required" : "none")}" tabindex="-1">
            <p class="eyebrow" data-i18n="start.eyebrow">{T("start.eyebrow")}</p>
            <h1 data-i18n="start.title">{T("start.title")}</h1>
            <ul class="intro">
            <li data-i18n="start.line1">{T("start.line1")}</li>
            <li data-i18n="start.line2">{T("start.line2")}</li>
            <li data-i18n="start.line3">{T("start.line3")}</li>
            </ul>
            <div id="start-form"><p class="status" role="status" data-i18n="loading">{T("loading")}</p>
            <noscript><p class="alert">{T("start.noscript")}</p></noscript></div>
            </main>
            </body>
            </html>
            """;
        request.HttpContext.Response.Headers.CacheControl = "no-cache";
        return TypedResults.Content(html, "text/html; charset=utf-8");
    }

    private static IResult Shell(HttpRequest request, string page, string script, params (string Name, string Value)[] data) =>
        ShellWithHead(request, page, script, null, data);

    /// <summary>A page shell whose head also carries <paramref name="headLinks"/> (stylesheets, the web app manifest).</summary>
    internal static IResult ShellWithHead(HttpRequest request, string page, string script, string? headLinks, params (string Name, string Value)[] data)
    {
        var lang = LanguageOf(request);
        var attributes = string.Join(" ", data.Select(d => $"data-{d.Name}=\"{Attr(d.Value)}\""));
        var html = Head(lang, "TourPlanner", null, script, headLinks) + $"""
            <main id="app" data-page="{page}" {attributes} tabindex="-1">
            <p class="status" role="status" data-i18n="loading">{PageAssets.Text(lang, "loading")}</p>
            <noscript><p class="alert">{PageAssets.Text(lang, "noscript")}</p></noscript>
            </main>
            </body>
            </html>
            """;
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        request.HttpContext.Response.Headers["X-Robots-Tag"] = "noindex";
        return TypedResults.Content(html, "text/html; charset=utf-8");
    }
}
