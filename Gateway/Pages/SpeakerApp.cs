using System.IO.Compression;
using System.Text.Json;
using TourPlanner.Gateway.Calendar;
using TourPlanner.Gateway.Infrastructure;

namespace TourPlanner.Gateway.Pages;

/// <summary>
/// The day-sheet pages (organizer and speaker), the stop logistics page, and what makes the speaker's pages an
/// installable app that works offline: a web app manifest per speaker and a service worker whose scope, <c>/speak/</c>,
/// covers the speaker's page and day sheets. Service workers need a secure origin: <c>http://localhost</c> counts,
/// anything public needs HTTPS.
/// </summary>
public static class SpeakerApp
{
    public const string WorkerPath = "/speak/sw.js";
    private const string DatePattern = @"^\d{{4}}-\d{{2}}-\d{{2}}$";

    private static readonly Representation Worker = LoadWorker();

    public static RouteGroupBuilder MapSpeakerAppPages(this RouteGroupBuilder pages)
    {
        pages.MapGet("/organize/{tourId}/days", (string tourId, HttpRequest r) => OrganizerDays(r, tourId))
            .WithName("OrganizerDaySheets").WithSummary("Every day sheet of the tour, printable (organizer link in the fragment).");
        pages.MapGet($"/organize/{{tourId}}/days/{{date:regex({DatePattern})}}", (string tourId, HttpRequest r) => OrganizerDays(r, tourId))
            .WithName("OrganizerDaySheet").WithSummary("One day's sheets, printable.");
        pages.MapGet("/speak/{tourId}/{speakerId}/days", (string tourId, string speakerId, HttpRequest r) => SpeakerDays(r, tourId, speakerId))
            .WithName("SpeakerDaySheets").WithSummary("A speaker's day sheets, printable and kept offline (speaker link in the fragment).");
        pages.MapGet($"/speak/{{tourId}}/{{speakerId}}/days/{{date:regex({DatePattern})}}", (string tourId, string speakerId, HttpRequest r) => SpeakerDays(r, tourId, speakerId))
            .WithName("SpeakerDaySheet").WithSummary("One day of a speaker's sheets.");
        pages.MapGet("/logistics/{tourId}/{stopId}", (string tourId, string stopId, HttpRequest r) =>
                PagesApi.ShellWithHead(r, "logistics", "logistics.js", null, ("tour-id", tourId), ("stop-id", stopId)))
            .WithName("StopLogisticsPage").WithSummary("A stop's lodging and notes, for its host group or the organizer.");
        // Revalidated on every update check, so a deploy reaches phones the next time they have signal.
        pages.MapGet(WorkerPath, (HttpContext http) => HttpRepresentations.Serve(http, Worker, "text/javascript; charset=utf-8", "no-cache"))
            .WithName("SpeakerServiceWorker").WithSummary("The speaker pages' service worker (scope /speak/).");
        pages.MapGet("/speak/{tourId}/{speakerId}/manifest.webmanifest", Manifest)
            .WithName("SpeakerManifest").WithSummary("The web app manifest that installs a speaker's itinerary.");
        return pages;
    }

    /// <summary>The speaker pages' extra head: the day-sheet styles and the manifest that makes them installable.</summary>
    public static string HeadLinks(string tourId, string speakerId) =>
        $"""
        <link rel="stylesheet" href="/assets/sheets.css">
        <link rel="manifest" href="/speak/{PagesApi.Attr(Uri.EscapeDataString(tourId))}/{PagesApi.Attr(Uri.EscapeDataString(speakerId))}/manifest.webmanifest">
        <meta name="theme-color" content="#8a1c1c">
        <link rel="icon" href="/assets/icon-192.png">
        """;

    private const string SheetStyles = """<link rel="stylesheet" href="/assets/sheets.css">""";

    private static IResult OrganizerDays(HttpRequest r, string tourId) =>
        PagesApi.ShellWithHead(r, "days", "days.js", SheetStyles, ("tour-id", tourId), ("role", "organize"));

    private static IResult SpeakerDays(HttpRequest r, string tourId, string speakerId) =>
        PagesApi.ShellWithHead(r, "days", "days.js", HeadLinks(tourId, speakerId), ("tour-id", tourId), ("speaker-id", speakerId), ("role", "speak"));

    private static IResult Manifest(string tourId, string speakerId, HttpRequest request)
    {
        if (!Access.LooksLikeTourId(tourId) || !PublicStops.IsWellFormedId(speakerId)) return TypedResults.NotFound();
        var lang = PagesApi.LanguageOf(request);
        var start = $"/speak/{tourId}/{speakerId}";
        var manifest = new
        {
            id = start, name = PageAssets.Text(lang, "app.name"), short_name = PageAssets.Text(lang, "app.shortName"),
            description = PageAssets.Text(lang, "app.description"), lang,
            start_url = start, scope = "/speak/", display = "standalone", background_color = "#ffffff", theme_color = "#8a1c1c",
            icons = new[]
            {
                new { src = "/assets/icon-192.png", sizes = "192x192", type = "image/png", purpose = "any" },
                new { src = "/assets/icon-512.png", sizes = "512x512", type = "image/png", purpose = "any" },
                new { src = "/assets/icon-512.png", sizes = "512x512", type = "image/png", purpose = "maskable" },
            },
        };
        request.HttpContext.Response.Headers.CacheControl = "no-cache";
        return TypedResults.Text(JsonSerializer.Serialize(manifest), "application/manifest+json; charset=utf-8");
    }

    private static Representation LoadWorker()
    {
        using var stream = typeof(SpeakerApp).Assembly.GetManifestResourceStream("offline/sw.js")
            ?? throw new InvalidOperationException("The service worker is not embedded (Gateway.csproj: offline/sw.js).");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return Representation.Of(buffer.ToArray(), CompressionLevel.SmallestSize);
    }
}
