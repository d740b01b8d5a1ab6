using NodaTime;
using TourPlanner.Grains;
using TourPlanner.Grains.Domain;

namespace TourPlanner.Gateway.Calendar;

/// <summary>
/// Which feed of a tour: the public one (optionally one of the tour's own cities, in the tour's spelling), one speaker's
/// public one, or a private one. Built only from values the tour itself holds, so <see cref="Key"/> is bounded.
/// </summary>
public sealed record FeedVariant(string Kind, string? City = null, string? SpeakerId = null, Principal? Viewer = null)
{
    /// <param name="canonicalCity">From <see cref="PublicStops.CanonicalCity"/>, never the text a client sent.</param>
    public static FeedVariant Public(string? canonicalCity) => new("public", City: canonicalCity);
    public static FeedVariant Speaker(string speakerId) => new("speaker", SpeakerId: speakerId);
    public static FeedVariant Private(Principal viewer) => new("private", Viewer: viewer);

    /// <summary>A cache key: everything that changes the bytes besides the tour's feed version.</summary>
    public string Key => $"{Kind}|{(City is null ? "" : PublicStops.Fold(City))}|{SpeakerId}|{Viewer?.Role}|{Viewer?.SpeakerId}";
}

/// <summary>
/// Turns a tour's published stops into a <see cref="FeedCalendar"/>. Only confirmed stops appear, plus cancelled
/// ones for 30 days after the cancellation (as STATUS:CANCELLED), so subscribers learn of it. Private feeds add
/// private events and travel legs; no feed ever carries host contacts.
/// </summary>
public static class TourFeeds
{
    public static readonly Duration CancelledVisibleFor = PublicStops.CancelledVisibleFor;
    public static readonly Duration RefreshInterval = Duration.FromHours(1);

    public sealed record Built(FeedCalendar Calendar, Instant LastModified, Instant ValidUntil);

    public static async Task<Built> BuildAsync(TourSnapshot tour, FeedStamp stamp, IReadOnlyList<StopSnapshot> stops, FeedVariant variant,
        Uri page, Instant now, ITravelTimeEstimator travel)
    {
        var visible = PublicStops.Visible(stops, now);
        // The feed changes again when a cancellation drops out; that moment also counts as a modification.
        var dropped = stops.Where(s => s is { Status: ClaimStatus.Cancelled, CancelledAt: { } at } && at + CancelledVisibleFor <= now)
            .Select(s => s.CancelledAt!.Value + CancelledVisibleFor);
        var lastModified = dropped.Append(stamp.ChangedAt).Max();
        var validUntil = visible.Where(s => s.CancelledAt is not null).Select(s => s.CancelledAt!.Value + CancelledVisibleFor)
            .DefaultIfEmpty(Instant.MaxValue).Min();

        var events = new List<FeedEvent>();
        foreach (var stop in visible.Where(s => PublicStops.InCity(s, variant.City)))
            foreach (var e in stop.Events.Where(e => Shows(variant, e)))
                events.Add(EventOf(tour, stop, e, page, fullAddress: variant.Kind == "private"));

        if (variant.Kind == "private")
        {
            var speakers = variant.Viewer?.Role == Role.Speaker ? tour.Speakers.Where(s => s.Id == variant.Viewer.SpeakerId) : tour.Speakers;
            var live = visible.Where(s => s.Status == ClaimStatus.Confirmed).ToList();
            foreach (var speaker in speakers)
            {
                var timeline = ScheduleAnalyzer.Timeline(speaker.Id, live);
                var legs = await ScheduleAnalyzer.LegsAsync(timeline, travel);
                for (var i = 0; i < legs.Length; i++)
                    if (legs[i] is { Minutes: > 0 } leg)
                        events.Add(LegOf(speaker, timeline[i], timeline[i + 1], leg, tour.Speakers.Length > 1, page));
            }
        }

        var name = variant switch
        {
            { Kind: "speaker" } => $"{tour.Name} — {tour.Speakers.FirstOrDefault(s => s.Id == variant.SpeakerId)?.Name}",
            { Kind: "private" } => $"{tour.Name} (private)",
            { City: { } city } => $"{tour.Name} — {city}",
            _ => tour.Name,
        };
        return new Built(new FeedCalendar(name, tour.Description, tour.TimeZone, page, RefreshInterval, events), lastModified, validUntil);
    }

    /// <summary>
    /// Writes the feed within <paramref name="maxBytes"/>. A feed that would be larger keeps the events nearest to
    /// <paramref name="now"/> (the next ones first, then the most recent past ones) and names how many it left out in
    /// X-TOURPLANNER-OMITTED and in the calendar's description, in English and Spanish. Calendar apps choke on
    /// multi-megabyte feeds, and the nearest events are the ones a subscriber acts on.
    /// </summary>
    public static byte[] Write(FeedCalendar calendar, long maxBytes, Instant now)
    {
        var bytes = FeedWriter.Write(calendar);
        if (bytes.Length <= maxBytes || calendar.Events.Count == 0) return bytes;
        return FeedSize.FitNearest(NearestFirst(calendar.Events, e => e.Start.ToInstant(), e => e.End.ToInstant(), now), bytes.Length, maxBytes,
            (kept, omitted) =>
            {
                var note = $"This feed lists the {kept.Count} events nearest to today; {omitted} more are on the tour page. " +
                           $"/ Este calendario muestra los {kept.Count} eventos más cercanos a hoy; hay {omitted} más en la página de la gira.";
                return FeedWriter.Write(calendar with
                {
                    Events = kept,
                    Description = string.IsNullOrWhiteSpace(calendar.Description) ? note : $"{calendar.Description}\n\n{note}",
                    Omitted = omitted,
                });
            });
    }

    /// <summary>The next events first (soonest first), then the past ones (most recent first).</summary>
    public static List<T> NearestFirst<T>(IEnumerable<T> items, Func<T, Instant> start, Func<T, Instant> end, Instant now) =>
        [.. items.OrderBy(e => end(e) >= now ? 0 : 1).ThenBy(e => end(e) >= now ? (start(e) - now).TotalTicks : (now - end(e)).TotalTicks)];

    private static bool Shows(FeedVariant variant, StopEvent e) => variant switch
    {
        { Kind: "public" } => e.Public,
        { Kind: "speaker" } => e.Public && e.SpeakerIds.Contains(variant.SpeakerId!),
        { Kind: "private", Viewer.Role: Role.Speaker } => e.SpeakerIds.Contains(variant.Viewer.SpeakerId!),
        { Kind: "private" } => true,
        _ => false,
    };

    /// <summary>
    /// One event as a feed entry; its UID is derived from the event id, so it never changes. The venue's address is
    /// printed when its host group publishes it, or in the organizer's and speakers' private feed.
    /// </summary>
    public static FeedEvent EventOf(TourSnapshot tour, StopSnapshot stop, StopEvent e, Uri page, bool fullAddress = false)
    {
        var zone = LocalTimes.FindZone(stop.TimeZone) ?? DateTimeZone.Utc;
        var start = LocalTimes.ResolveStored(e.Start, zone);
        var description = string.IsNullOrWhiteSpace(e.Description) ? $"{tour.Name}: {page}" : $"{e.Description}\n\n{tour.Name}: {page}";
        var location = string.Join(", ", new[] { stop.Venue.Name, fullAddress ? stop.Venue.Address : stop.Venue.PublicAddress, $"{stop.City}, {stop.Country}" }.Where(x => !string.IsNullOrWhiteSpace(x)));
        return new FeedEvent(Uid(e.EventId), e.Title, description, location, stop.Location?.Latitude, stop.Location?.Longitude,
            new Uri(page, "#" + e.EventId),
            start, start.Plus(Duration.FromMinutes(e.DurationMinutes)),
            stop.Status == ClaimStatus.Cancelled ? FeedEventStatus.Cancelled : FeedEventStatus.Confirmed,
            e.Sequence, e.Created, e.LastModified, Transparent: false, Categories: e.Public ? null : ["Private"]);
    }

    private static FeedEvent LegOf(SpeakerInfo speaker, ScheduledEvent from, ScheduledEvent to, TravelEstimate leg, bool nameSpeaker, Uri page)
    {
        var arrive = from.End.ToInstant().Plus(Duration.FromMinutes(leg.Minutes)).InZone(to.Start.Zone);
        var who = nameSpeaker ? $"{speaker.Name}: " : "";
        var how = leg.Mode == "fly" ? "fly" : "drive";
        return new FeedEvent(
            $"travel-{speaker.Id}-{from.Event.EventId}-{to.Event.EventId}@tourplanner",
            $"{who}Travel {from.Stop.City} → {to.Stop.City} ({how}, {leg.Minutes} min)",
            $"{leg.DistanceKm:0} km, {leg.Minutes} min by {how} (source: {leg.Source}). Leaves after '{from.Event.Title}', arrives before '{to.Event.Title}'.",
            $"{from.Stop.City} → {to.Stop.City}", null, null, page, from.End, arrive, FeedEventStatus.Confirmed,
            from.Event.Sequence + to.Event.Sequence,
            Max(from.Event.Created, to.Event.Created), Max(from.Event.LastModified, to.Event.LastModified), Transparent: true, Categories: ["Travel"]);
    }

    public static string Uid(string eventId) => $"{eventId}@tourplanner";

    private static Instant Max(Instant a, Instant b) => a > b ? a : b;
}
