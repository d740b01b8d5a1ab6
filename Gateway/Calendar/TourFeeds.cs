using NodaTime;
using TourPlanner.Gateway.Infrastructure;
using TourPlanner.Grains;
using TourPlanner.Grains.Domain;

namespace TourPlanner.Gateway.Calendar;

/// <summary>
/// Which feed of a tour: the public one (optionally one of the tour's own cities, in the tour's spelling), one speaker's
/// public one, or a private one (in a language, with the stops' logistics at a stamp). Built only from values the tour
/// itself holds, so <see cref="Key"/> is bounded.
/// </summary>
public sealed record FeedVariant(string Kind, string? City = null, string? SpeakerId = null, Principal? Viewer = null, string? Lang = null,
    string? LogisticsStamp = null)
{
    /// <param name="canonicalCity">From <see cref="PublicStops.CanonicalCity"/>, never the text a client sent.</param>
    public static FeedVariant Public(string? canonicalCity) => new("public", City: canonicalCity);
    public static FeedVariant Speaker(string speakerId) => new("speaker", SpeakerId: speakerId);
    public static FeedVariant Private(Principal viewer) => new("private", Viewer: viewer);

    /// <param name="lang"><c>en</c> or <c>es</c>: the words the feed adds (travel, lodging).</param>
    /// <param name="logisticsStamp">Changes whenever a stop's logistics change (they live outside the tour's feed version).</param>
    public static FeedVariant Private(Principal viewer, string lang, string logisticsStamp) =>
        new("private", Viewer: viewer, Lang: lang, LogisticsStamp: logisticsStamp);

    /// <summary>A cache key: everything that changes the bytes besides the tour's feed version.</summary>
    public string Key => $"{Kind}|{(City is null ? "" : PublicStops.Fold(City))}|{SpeakerId}|{Viewer?.Role}|{Viewer?.SpeakerId}|{Lang}|{LogisticsStamp}";
}

/// <summary>
/// Turns a tour's published stops into a <see cref="FeedCalendar"/>. Only confirmed stops appear, plus cancelled
/// ones for 30 days after the cancellation (as STATUS:CANCELLED), so subscribers learn of it. Private feeds add
/// private events, the stops' lodging and notes, and the travel legs of each speaker's itinerary (from home and back,
/// leaving after the tour's travel buffer); no feed ever carries host contacts.
/// </summary>
public static class TourFeeds
{
    public static readonly Duration CancelledVisibleFor = PublicStops.CancelledVisibleFor;
    public static readonly Duration RefreshInterval = Duration.FromHours(1);

    public sealed record Built(FeedCalendar Calendar, Instant LastModified, Instant ValidUntil);

    public static async Task<Built> BuildAsync(TourSnapshot tour, FeedStamp stamp, IReadOnlyList<StopSnapshot> stops, FeedVariant variant,
        Uri page, Instant now, ITravelTimeEstimator travel, IReadOnlyDictionary<string, StopLogistics>? logistics = null)
    {
        var isPrivate = variant.Kind == "private";
        var words = FeedWords.For(variant.Lang ?? tour.Language);
        var visible = PublicStops.Visible(stops, now);
        // The feed changes again when a cancellation drops out; that moment also counts as a modification.
        var dropped = stops.Where(s => s is { Status: ClaimStatus.Cancelled, CancelledAt: { } at } && at + CancelledVisibleFor <= now)
            .Select(s => s.CancelledAt!.Value + CancelledVisibleFor);
        var lastModified = dropped.Append(stamp.ChangedAt).Max();
        var validUntil = visible.Where(s => s.CancelledAt is not null).Select(s => s.CancelledAt!.Value + CancelledVisibleFor)
            .DefaultIfEmpty(Instant.MaxValue).Min();

        var events = new List<FeedEvent>();
        foreach (var stop in visible.Where(s => PublicStops.InCity(s, variant.City)))
        {
            // Lodging and notes go in the private feed only: the speaker's calendar is where they look on the road.
            var notes = isPrivate && logistics is not null && logistics.TryGetValue(stop.StopId, out var l) ? words.Logistics(l) : null;
            foreach (var e in stop.Events.Where(e => Shows(variant, e)))
                events.Add(EventOf(tour, stop, e, page, notes, fullAddress: isPrivate));
        }

        if (isPrivate)
        {
            var speakers = variant.Viewer?.Role == Role.Speaker ? tour.Speakers.Where(s => s.Id == variant.Viewer.SpeakerId) : tour.Speakers;
            var live = visible.Where(s => s.Status == ClaimStatus.Confirmed).ToList();
            foreach (var speaker in speakers)
            {
                // The same legs as the speaker's itinerary: from home, between stops after the buffer, and home again.
                var timeline = ScheduleAnalyzer.Timeline(speaker.Id, live);
                foreach (var leg in await ScheduleAnalyzer.TripAsync(speaker, tour.Rules, timeline, travel))
                    events.Add(LegOf(speaker, leg, tour.Speakers.Length > 1, page, words, tour.Rules.TravelBufferMinutes));
            }
        }

        var name = variant switch
        {
            { Kind: "speaker" } => $"{tour.Name} — {tour.Speakers.FirstOrDefault(s => s.Id == variant.SpeakerId)?.Name}",
            { Kind: "private" } => words.PrivateName(tour.Name),
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
    public static FeedEvent EventOf(TourSnapshot tour, StopSnapshot stop, StopEvent e, Uri page, string? privateNotes = null, bool fullAddress = false)
    {
        var zone = LocalTimes.FindZone(stop.TimeZone) ?? DateTimeZone.Utc;
        var start = LocalTimes.ResolveStored(e.Start, zone);
        var description = string.Join("\n\n", new[] { e.Description, privateNotes, $"{tour.Name}: {page}" }.Where(x => !string.IsNullOrWhiteSpace(x)));
        var location = string.Join(", ", new[] { stop.Venue.Name, fullAddress ? stop.Venue.Address : stop.Venue.PublicAddress, $"{stop.City}, {stop.Country}" }.Where(x => !string.IsNullOrWhiteSpace(x)));
        return new FeedEvent(Uid(e.EventId), e.Title, description, location, stop.Location?.Latitude, stop.Location?.Longitude,
            new Uri(page, "#" + e.EventId),
            start, start.Plus(Duration.FromMinutes(e.DurationMinutes)),
            stop.Status == ClaimStatus.Cancelled ? FeedEventStatus.Cancelled : FeedEventStatus.Confirmed,
            e.Sequence, e.Created, e.LastModified, Transparent: false, Categories: e.Public ? null : ["Private"]);
    }

    private static FeedEvent LegOf(SpeakerInfo speaker, PlannedLeg leg, bool nameSpeaker, Uri page, FeedWords words, int bufferMinutes)
    {
        var from = leg.From?.Stop.City ?? speaker.HomeCity ?? words.Home;
        var to = leg.To?.Stop.City ?? speaker.HomeCity ?? words.Home;
        var how = words.Mode(leg.Estimate.Mode);
        var uid = $"travel-{speaker.Id}-{leg.From?.Event.EventId ?? "home"}-{leg.To?.Event.EventId ?? "home"}@tourplanner";
        var events = new[] { leg.From?.Event, leg.To?.Event }.OfType<StopEvent>().ToList();
        return new FeedEvent(uid,
            words.LegTitle(nameSpeaker ? speaker.Name : null, from, to, how, leg.Estimate.Minutes),
            words.LegDescription(leg, bufferMinutes),
            $"{from} → {to}", null, null, page, leg.Depart, leg.Arrive, FeedEventStatus.Confirmed,
            events.Sum(e => e.Sequence), events.Max(e => e.Created), events.Max(e => e.LastModified), Transparent: true, Categories: ["Travel"]);
    }

    public static string Uid(string eventId) => $"{eventId}@tourplanner";
}

/// <summary>The few words a private feed adds (travel legs, lodging and notes), from the catalogue in English or Spanish.</summary>
public sealed record FeedWords(string Lang)
{
    public static FeedWords For(string? lang) => new(lang == "es" ? "es" : "en");

    private string Say(Text text) => Catalogue.Default.Render(text, Lang);

    public string Home => Say(Text.Of(RequestCodes.FeedHome));

    public string Mode(string mode) => Say(Text.Of(mode == "fly" ? RequestCodes.FeedModeFly : RequestCodes.FeedModeDrive));

    public string PrivateName(string tour) => Say(Text.Of(RequestCodes.FeedPrivateName, Arg.Plain("tour", tour)));

    public string LegTitle(string? speaker, string from, string to, string mode, int minutes) => Say(speaker is null
        ? Text.Of(RequestCodes.FeedLegTitle, Arg.Plain("from", from), Arg.Plain("to", to), Arg.Plain("mode", mode), Arg.Number("minutes", minutes))
        : Text.Of(RequestCodes.FeedLegTitleOf, Arg.Plain("speaker", speaker), Arg.Plain("from", from), Arg.Plain("to", to), Arg.Plain("mode", mode),
            Arg.Number("minutes", minutes)));

    public string LegDescription(PlannedLeg leg, int bufferMinutes)
    {
        var how = Say(Text.Of(RequestCodes.FeedLegHow,
            Arg.Number("km", (long)Math.Round(leg.Estimate.DistanceKm, MidpointRounding.AwayFromZero)), Arg.Number("minutes", leg.Estimate.Minutes),
            Arg.Of("mode", Text.Of(leg.Estimate.Mode == "fly" ? RequestCodes.FeedByAir : RequestCodes.FeedByRoad)),
            Arg.Of("source", Text.Of(leg.Estimate.Source == "estimate" ? RequestCodes.FeedSourceEstimate : RequestCodes.FeedSourceRouted))));
        // A leg from home has no event before it: it is placed to arrive the buffer before the first one.
        var when = leg.From is { } f
            ? Say(Text.Of(RequestCodes.FeedLegAfter, Arg.Number("buffer", bufferMinutes), Arg.Of("event", Text.Of(Codes.EventTitled, Arg.Plain("title", f.Event.Title)))))
            : leg.To is { } t
                ? Say(Text.Of(RequestCodes.FeedLegBefore, Arg.Number("buffer", bufferMinutes), Arg.Of("event", Text.Of(Codes.EventTitled, Arg.Plain("title", t.Event.Title)))))
                : null;
        return when is null ? how : $"{how} {when}";
    }

    /// <summary>The stop's logistics as lines of the event's description; null when there are none.</summary>
    public string? Logistics(StopLogistics l)
    {
        if (l.IsEmpty) return null;
        var lines = new List<string>();
        void Add(MessageCode code, string? value) { if (!string.IsNullOrWhiteSpace(value)) lines.Add(Say(Text.Of(code, Arg.Plain("text", value)))); }
        Add(RequestCodes.FeedLodging, l.Lodging);
        Add(RequestCodes.FeedParking, l.Parking);
        Add(RequestCodes.FeedEntrance, l.Entrance);
        Add(RequestCodes.FeedInterpreter, l.Interpreter);
        Add(RequestCodes.FeedNotes, l.Notes);
        return string.Join("\n", lines);
    }
}
