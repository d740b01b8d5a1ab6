using Microsoft.Extensions.Options;
using NodaTime;
using TourPlanner.Gateway.Infrastructure;
using TourPlanner.Gateway.Pages;
using TourPlanner.Grains;
using TourPlanner.Grains.Domain;

namespace TourPlanner.Gateway.Calendar;

/// <summary>
/// iCalendar feeds (public, per city, per speaker, private by token, single events) and the Atom feed. Links inside
/// come from <see cref="PublicLinks"/>, never from the request; a path segment that cannot be an id, or a city the
/// tour does not visit, is a 404 that repeats nothing the client sent.
/// </summary>
public static class CalendarApi
{
    private const string CalendarType = "text/calendar; charset=utf-8";
    private const string PublicCache = "public, max-age=300";
    private static readonly string[] GetAndHead = ["GET", "HEAD"];

    public static RouteGroupBuilder MapCalendarApi(this IEndpointRouteBuilder app)
    {
        var feeds = app.MapGroup("/tours/{slug}").WithTags("Calendar");
        feeds.MapMethods("/calendar.ics", GetAndHead, PublicAsync).WithName("TourFeed")
            .WithSummary("The tour's public calendar (confirmed public events); ?city= keeps one of the tour's cities.");
        feeds.MapMethods("/atom.xml", GetAndHead, AtomAsync).WithName("TourAtomFeed")
            .WithSummary("The tour's public events as an Atom feed; ?city= keeps one of the tour's cities, ?lang= en or es.");
        feeds.MapMethods("/speakers/{speakerId}/calendar.ics", GetAndHead, SpeakerAsync).WithName("SpeakerFeed")
            .WithSummary("The public events one speaker attends.");
        feeds.MapMethods("/private.ics", GetAndHead, PrivateAsync).WithName("PrivateFeed")
            .WithSummary("Private events, lodging and notes, and travel legs, for the organizer or a speaker (?token= or Bearer); ?lang= en or es.");
        feeds.MapMethods("/events/{eventId}.ics", GetAndHead, SingleAsync).WithName("EventDownload")
            .WithSummary("One event as its own .ics file (private events need a token).");
        return feeds;
    }

    /// <summary>What every feed handler needs, bound once.</summary>
    public sealed record FeedServices(IGrainFactory Grains, FeedCache Cache, IClock Clock, ITravelTimeEstimator Travel, PublicLinks Links,
        IOptions<FeedOptions> Options);

    private static async Task<IResult> PublicAsync(string slug, string? city, HttpContext http, [AsParameters] FeedServices s)
    {
        if (await TourOf(s.Grains, slug, s.Cache) is not { } tour || await tour.GetFeedStampAsync() is not { } stamp) return await MissingAsync(s.Grains, slug);
        string? canonical = null;
        if (city is not null && (canonical = await CityAsync(tour, stamp, city, s.Cache)) is null) return UnknownCity(http.Request);
        return await ServeAsync(http, s, tour, stamp, FeedVariant.Public(canonical), isPrivate: false);
    }

    private static async Task<IResult> AtomAsync(string slug, string? city, HttpContext http, [AsParameters] FeedServices s)
    {
        if (await TourOf(s.Grains, slug, s.Cache) is not { } tour || await tour.GetFeedStampAsync() is not { } stamp) return await MissingAsync(s.Grains, slug);
        string? canonical = null;
        if (city is not null && (canonical = await CityAsync(tour, stamp, city, s.Cache)) is null) return UnknownCity(http.Request);
        var lang = PagesApi.LanguageOf(http.Request);
        var now = s.Clock.GetCurrentInstant();
        var key = $"{tour.GetPrimaryKeyString()}|atom|{lang}|{(canonical is null ? "" : PublicStops.Fold(canonical))}";
        var rendition = await s.Cache.GetAsync(key, stamp.Version, now, async () =>
        {
            var snapshot = (await tour.GetAsync())!;
            var stops = await tour.GetStopsAsync(publishedOnly: true);
            var built = await TourFeeds.BuildAsync(snapshot, stamp, stops, FeedVariant.Public(canonical), new Uri(FeedLinks.PageUrl(s.Links, snapshot.Slug)), now, s.Travel);
            var bytes = AtomFeed.Write(snapshot, stops, canonical, lang, s.Links, built.LastModified, now, s.Options.Value.MaxFeedBytes);
            return new FeedRendition(stamp.Version, built.ValidUntil, built.LastModified, Representation.Of(bytes));
        });
        http.Response.Headers.ContentLanguage = lang;
        return HttpRepresentations.Serve(http, rendition.Body, AtomFeed.ContentType, PublicCache, rendition.LastModified);
    }

    private static async Task<IResult> SpeakerAsync(string slug, string speakerId, HttpContext http, [AsParameters] FeedServices s)
    {
        if (await TourOf(s.Grains, slug, s.Cache) is not { } tour || await tour.GetAsync() is not { } snapshot) return await MissingAsync(s.Grains, slug);
        if (!PublicStops.IsWellFormedId(speakerId) || snapshot.Speakers.All(sp => sp.Id != speakerId))
            return Outcomes.Problem(404, Text.Of(RequestCodes.FeedNoSpeaker));
        return await ServeAsync(http, s, tour, (await tour.GetFeedStampAsync())!, FeedVariant.Speaker(speakerId), isPrivate: false);
    }

    private static async Task<IResult> PrivateAsync(string slug, HttpContext http, [AsParameters] FeedServices s)
    {
        if (await TourOf(s.Grains, slug, s.Cache) is not { } tour) return await MissingAsync(s.Grains, slug);
        var caller = await Access.ResolveAsync(s.Grains, http.Request, tour.GetPrimaryKeyString(), allowQueryToken: true);
        if (Access.Deny(caller, c => c.IsOrganizer || c.IsSpeaker(null)) is { } denied) return denied;
        // Lodging and notes live in each stop's own grain, outside the tour's feed version: their versions join the cache key.
        var stops = await tour.GetStopsAsync(publishedOnly: true);
        var logistics = (await Task.WhenAll(stops.Select(async st => (st.StopId, L: await s.Grains.GetGrain<ITourStopGrain>(st.StopId).GetLogisticsAsync()))))
            .Where(x => !x.L.IsEmpty).ToDictionary(x => x.StopId, x => x.L);
        var stamp = string.Join(",", logistics.OrderBy(x => x.Key, StringComparer.Ordinal).Select(x => $"{x.Key}:{x.Value.Version}"));
        var asked = http.Request.Query["lang"].ToString();
        var lang = asked is "en" or "es" ? asked : (await tour.GetAsync())!.Language;
        return await ServeAsync(http, s, tour, (await tour.GetFeedStampAsync())!, FeedVariant.Private(caller!.Principal, lang, stamp), isPrivate: true, logistics);
    }

    private static async Task<IResult> SingleAsync(string slug, string eventId, HttpContext http, IGrainFactory grains, PublicLinks links)
    {
        if (await TourOf(grains, slug) is not { } tour || await tour.GetAsync() is not { } snapshot) return await MissingAsync(grains, slug);
        if (!PublicStops.IsWellFormedId(eventId)) return NoEvent();
        var stops = await tour.GetStopsAsync(publishedOnly: true);
        var found = stops.SelectMany(st => st.Events.Select(e => (Stop: st, Event: e))).FirstOrDefault(x => x.Event.EventId == eventId);
        if (found.Event is null) return NoEvent();
        if (!found.Event.Public)
        {
            var caller = await Access.ResolveAsync(grains, http.Request, tour.GetPrimaryKeyString(), allowQueryToken: true);
            if (Access.Deny(caller, c => c.IsOrganizer || c.IsSpeaker(null) && found.Event.SpeakerIds.Contains(c.Principal.SpeakerId!)) is { } denied) return denied;
        }
        var bytes = FeedWriter.WriteSingleEvent(TourFeeds.EventOf(snapshot, found.Stop, found.Event, new Uri(FeedLinks.PageUrl(links, snapshot.Slug)), fullAddress: !found.Event.Public));
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{eventId}.ics\"";
        return Results.Bytes(bytes, CalendarType);
    }

    private static async Task<IResult> ServeAsync(HttpContext http, FeedServices s, ITourGrain tour, FeedStamp stamp, FeedVariant variant, bool isPrivate,
        IReadOnlyDictionary<string, StopLogistics>? logistics = null)
    {
        var now = s.Clock.GetCurrentInstant();
        var rendition = await s.Cache.GetAsync($"{tour.GetPrimaryKeyString()}|{variant.Key}", stamp.Version, now, async () =>
        {
            var snapshot = (await tour.GetAsync())!;
            var stops = await tour.GetStopsAsync(publishedOnly: true);
            var built = await TourFeeds.BuildAsync(snapshot, stamp, stops, variant, new Uri(FeedLinks.PageUrl(s.Links, snapshot.Slug)), now, s.Travel, logistics);
            var bytes = TourFeeds.Write(built.Calendar, s.Options.Value.MaxFeedBytes, now);
            return FeedRendition.Of(stamp.Version, built.ValidUntil, built.LastModified, bytes);
        });
        return HttpRepresentations.Serve(http, rendition.Body, CalendarType, isPrivate ? "private, no-cache" : PublicCache, rendition.LastModified);
    }

    /// <summary>Brotli or gzip only when the client asks for it (q &gt; 0); otherwise the plain bytes.</summary>
    public static string Negotiate(string acceptEncoding) => HttpRepresentations.Negotiate(acceptEncoding);

    /// <summary>The tour's spelling of a city it visits, from its published stops (cached per feed version).</summary>
    private static async Task<string?> CityAsync(ITourGrain tour, FeedStamp stamp, string typed, FeedCache cache)
    {
        var cities = await cache.CitiesAsync(tour.GetPrimaryKeyString(), stamp.Version,
            async () => [.. (await tour.GetStopsAsync(publishedOnly: true)).Select(st => st.City).Distinct(StringComparer.Ordinal)]);
        return PublicStops.CanonicalCity(cities, typed);
    }

    /// <summary>The tour behind a slug; null (so 404) for a slug that cannot exist, before any grain is asked.</summary>
    public static async Task<ITourGrain?> TourOf(IGrainFactory grains, string slug, FeedCache? cache = null)
    {
        if (!PublicStops.IsWellFormedId(slug)) return null;
        var id = cache is null
            ? await grains.GetGrain<ITourSlugGrain>(slug).GetTourIdAsync()
            : await cache.TourIdAsync(slug, () => grains.GetGrain<ITourSlugGrain>(slug).GetTourIdAsync());
        return id is null ? null : grains.GetGrain<ITourGrain>(id);
    }

    private static IResult NotFound() => Outcomes.Problem(404, Text.Of(RequestCodes.NoTourAtAddress));

    /// <summary>When a slug names no tour: 410 if a tour had it and was deleted, else 404.</summary>
    public static async Task<IResult> MissingAsync(IGrainFactory grains, string slug) =>
        await IsGoneAsync(grains, slug) ? Outcomes.Problem(410, Text.Of(RequestCodes.TourDeleted)) : NotFound();

    /// <summary>True when a deleted tour had this slug (remembered only as a hash).</summary>
    public static async Task<bool> IsGoneAsync(IGrainFactory grains, string slug) =>
        PublicStops.IsWellFormedId(slug) && await grains.GetGrain<IGoneGrain>(IGoneGrain.KeyOf("slug", slug)).DeletedAtAsync() is not null;

    private static IResult NoEvent() => Outcomes.Problem(404, Text.Of(RequestCodes.FeedNoEvent));

    /// <summary>Names the field, in the caller's language, and never repeats the text: a feed must not say what a stranger typed.</summary>
    private static IResult UnknownCity(HttpRequest request)
    {
        var message = Text.Of(RequestCodes.FeedUnknownCity);
        return new ProblemResult(404, RequestCodes.TitleNotFound, message)
        {
            Errors = System.Collections.Immutable.ImmutableDictionary<string, System.Collections.Immutable.ImmutableArray<Text>>.Empty.Add("city", [message]),
        };
    }
}
