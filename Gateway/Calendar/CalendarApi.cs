using System.Globalization;
using Microsoft.Net.Http.Headers;
using NodaTime;
using TourPlanner.Gateway.Infrastructure;
using TourPlanner.Gateway.Tours;
using TourPlanner.Grains;
using TourPlanner.Grains.Domain;

namespace TourPlanner.Gateway.Calendar;

/// <summary>iCalendar feeds: public, per city, per speaker, private by token, and single events.</summary>
public static class CalendarApi
{
    private const string CalendarType = "text/calendar; charset=utf-8";
    private static readonly string[] GetAndHead = ["GET", "HEAD"];

    public static RouteGroupBuilder MapCalendarApi(this IEndpointRouteBuilder app)
    {
        var feeds = app.MapGroup("/tours/{slug}").WithTags("Calendar");
        feeds.MapMethods("/calendar.ics", GetAndHead, PublicAsync).WithName("TourFeed")
            .WithSummary("The tour's public calendar (confirmed public events); ?city= keeps one city.");
        feeds.MapMethods("/speakers/{speakerId}/calendar.ics", GetAndHead, SpeakerAsync).WithName("SpeakerFeed")
            .WithSummary("The public events one speaker attends.");
        feeds.MapMethods("/private.ics", GetAndHead, PrivateAsync).WithName("PrivateFeed")
            .WithSummary("Private events and travel legs, for the organizer or a speaker (?token= or Bearer).");
        feeds.MapMethods("/events/{eventId}.ics", GetAndHead, SingleAsync).WithName("EventDownload")
            .WithSummary("One event as its own .ics file (private events need a token).");
        return feeds;
    }

    private static async Task<IResult> PublicAsync(string slug, string? city, HttpContext http, IGrainFactory grains, FeedCache cache, IClock clock, ITravelTimeEstimator travel)
    {
        if (await TourOf(grains, slug, cache) is not { } tour) return NotFound();
        return await ServeAsync(http, grains, cache, clock, travel, tour, FeedVariant.Public(city), isPrivate: false);
    }

    private static async Task<IResult> SpeakerAsync(string slug, string speakerId, HttpContext http, IGrainFactory grains, FeedCache cache, IClock clock, ITravelTimeEstimator travel)
    {
        if (await TourOf(grains, slug, cache) is not { } tour) return NotFound();
        if ((await tour.GetAsync())!.Speakers.All(s => s.Id != speakerId)) return Outcomes.Problem(404, "Not found", $"No speaker '{speakerId}' in this tour.");
        return await ServeAsync(http, grains, cache, clock, travel, tour, FeedVariant.Speaker(speakerId), isPrivate: false);
    }

    private static async Task<IResult> PrivateAsync(string slug, HttpContext http, IGrainFactory grains, FeedCache cache, IClock clock, ITravelTimeEstimator travel)
    {
        if (await TourOf(grains, slug, cache) is not { } tour) return NotFound();
        var caller = await Access.ResolveAsync(grains, http.Request, tour.GetPrimaryKeyString(), allowQueryToken: true);
        if (Access.Deny(caller, c => c.IsOrganizer || c.IsSpeaker(null)) is { } denied) return denied;
        return await ServeAsync(http, grains, cache, clock, travel, tour, FeedVariant.Private(caller!.Principal), isPrivate: true);
    }

    private static async Task<IResult> SingleAsync(string slug, string eventId, HttpContext http, IGrainFactory grains, IClock clock)
    {
        if (await TourOf(grains, slug) is not { } tour) return NotFound();
        var snapshot = (await tour.GetAsync())!;
        var stops = await tour.GetStopsAsync(publishedOnly: true);
        var found = stops.SelectMany(s => s.Events.Select(e => (Stop: s, Event: e))).FirstOrDefault(x => x.Event.EventId == eventId);
        if (found.Event is null) return Outcomes.Problem(404, "Not found", "No published event has this id.");
        if (!found.Event.Public)
        {
            var caller = await Access.ResolveAsync(grains, http.Request, tour.GetPrimaryKeyString(), allowQueryToken: true);
            if (Access.Deny(caller, c => c.IsOrganizer || c.IsSpeaker(null) && found.Event.SpeakerIds.Contains(c.Principal.SpeakerId!)) is { } denied) return denied;
        }
        var page = new Uri($"{Links.Base(http.Request)}/t/{Uri.EscapeDataString(snapshot.Slug)}");
        var bytes = FeedWriter.WriteSingleEvent(TourFeeds.EventOf(snapshot, found.Stop, found.Event, page));
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{eventId}.ics\"";
        return Results.Bytes(bytes, CalendarType);
    }

    private static async Task<IResult> ServeAsync(HttpContext http, IGrainFactory grains, FeedCache cache, IClock clock, ITravelTimeEstimator travel,
        ITourGrain tour, FeedVariant variant, bool isPrivate)
    {
        var stamp = (await tour.GetFeedStampAsync())!;
        var baseUrl = Links.Base(http.Request);
        var now = clock.GetCurrentInstant();
        var rendition = await cache.GetAsync($"{tour.GetPrimaryKeyString()}|{variant.Key}|{baseUrl}", stamp.Version, now, async () =>
        {
            var snapshot = (await tour.GetAsync())!;
            var stops = await tour.GetStopsAsync(publishedOnly: true);
            var built = await TourFeeds.BuildAsync(snapshot, stamp, stops, variant, baseUrl, now, travel);
            return FeedRendition.Of(stamp.Version, built.ValidUntil, built.LastModified, FeedWriter.Write(built.Calendar));
        });

        var encoding = Negotiate(http.Request.Headers.AcceptEncoding.ToString());
        var headers = http.Response.Headers;
        var etag = rendition.ETag(encoding);
        headers.ETag = etag;
        headers.LastModified = HttpDate(rendition.LastModified);
        headers.CacheControl = isPrivate ? "private, no-cache" : "public, max-age=300";
        headers.Vary = HeaderNames.AcceptEncoding;
        if (NotModified(http.Request, etag, rendition.LastModified)) return Results.StatusCode(StatusCodes.Status304NotModified);
        if (encoding != "identity") headers.ContentEncoding = encoding;
        return Results.Bytes(rendition.Body(encoding), CalendarType);
    }

    /// <summary>RFC 9110 §13.1: If-None-Match wins over If-Modified-Since; an unparsable date is ignored.</summary>
    private static bool NotModified(HttpRequest request, string etag, Instant lastModified)
    {
        var ifNoneMatch = request.Headers.IfNoneMatch.ToString();
        if (ifNoneMatch.Length > 0)
            return ifNoneMatch.Split(',').Select(t => t.Trim()).Any(t => t == "*" || t == etag || t == "W/" + etag);
        var since = request.Headers.IfModifiedSince.ToString();
        if (since.Length == 0 || !DateTimeOffset.TryParseExact(since, "r", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var date))
            return false;
        return lastModified.ToUnixTimeSeconds() <= date.ToUnixTimeSeconds();
    }

    /// <summary>Brotli or gzip only when the client asks for it (q &gt; 0); otherwise the plain bytes.</summary>
    public static string Negotiate(string acceptEncoding)
    {
        var offers = acceptEncoding.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part =>
            {
                var pieces = part.Split(';', StringSplitOptions.TrimEntries);
                var q = pieces.Skip(1).Select(p => p.StartsWith("q=", StringComparison.OrdinalIgnoreCase)
                    && double.TryParse(p[2..], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : 1.0).DefaultIfEmpty(1.0).First();
                return (Name: pieces[0].ToLowerInvariant(), Q: q);
            }).ToList();
        foreach (var name in new[] { "br", "gzip" })
            if (offers.Any(o => o.Name == name && o.Q > 0)) return name;
        return "identity";
    }

    private static string HttpDate(Instant instant) => instant.ToDateTimeOffset().ToString("r", CultureInfo.InvariantCulture);

    private static async Task<ITourGrain?> TourOf(IGrainFactory grains, string slug, FeedCache? cache = null)
    {
        if (slug.Length > 64) return null;
        var id = cache is null
            ? await grains.GetGrain<ITourSlugGrain>(slug).GetTourIdAsync()
            : await cache.TourIdAsync(slug, () => grains.GetGrain<ITourSlugGrain>(slug).GetTourIdAsync());
        return id is null ? null : grains.GetGrain<ITourGrain>(id);
    }

    private static IResult NotFound() => Outcomes.Problem(404, "Not found", "No tour has this address.");
}
