using System.Collections.Immutable;
using System.Globalization;
using NodaTime;
using NodaTime.Text;

namespace TourPlanner.Grains.Domain;

/// <summary>One speaker's event placed in time.</summary>
public sealed record ScheduledEvent(StopSnapshot Stop, StopEvent Event, ZonedDateTime Start, ZonedDateTime End)
{
    public LocalDate LocalDate => Start.Date;
}

/// <summary>
/// A travel leg of a speaker's trip placed in time. <see cref="Kind"/> is <c>outbound</c> (from home: no event
/// before it), <c>between</c> two stops, or <c>return</c> (the way home: no event after it).
/// </summary>
public sealed record PlannedLeg(string Kind, ScheduledEvent? From, ScheduledEvent? To, TravelEstimate Estimate, ZonedDateTime Depart, ZonedDateTime Arrive);

/// <summary>
/// Builds a speaker's timeline from stops and finds what breaks the tour's rules, explained as message codes with
/// local times in each place's zone. Another stop's event is named with its host group as owner, so a host group reads
/// it only as "another event in Denver" with its times. Pure apart from the travel estimator it is handed.
/// </summary>
public static class ScheduleAnalyzer
{
    // Details are values for programs, so one invariant form ("Wed 28 Oct 21:00 CDT"), whatever the reader's language.
    internal static readonly ZonedDateTimePattern En = ZonedDateTimePattern.CreateWithInvariantCulture("ddd d MMM HH':'mm x", null);

    /// <summary>
    /// An event as a conflict names it: its title (and city), owned by its stop's host group; other groups read
    /// "another event (in its city)". The model event of a date suggestion has no title and reads as "the proposed event".
    /// </summary>
    internal static TextArg EventArg(string name, StopSnapshot stop, StopEvent e, bool withCity = true)
    {
        var city = Arg.Plain("city", stop.City);
        var untitled = string.IsNullOrEmpty(e.Title);
        var full = (withCity, untitled) switch
        {
            (true, true) => Text.Of(Codes.EventProposedInCity, city),
            (true, false) => Text.Of(Codes.EventInCity, Arg.Plain("title", e.Title), city),
            (false, true) => Text.Of(Codes.EventProposed),
            _ => Text.Of(Codes.EventTitled, Arg.Plain("title", e.Title)),
        };
        return Arg.Of(name, full).OwnedBy(stop.HostId, withCity ? Text.Of(Codes.EventOtherInCity, city) : Text.Of(Codes.EventOther));
    }

    private static TextArg EventArg(string name, ScheduledEvent x, bool withCity = true) => EventArg(name, x.Stop, x.Event, withCity);

    /// <summary>Event id → host group, for the events a conflict names.</summary>
    internal static ImmutableDictionary<string, string> HostsOf(IEnumerable<ScheduledEvent> events) =>
        events.GroupBy(x => x.Event.EventId).ToImmutableDictionary(g => g.Key, g => g.First().Stop.HostId);

    /// <summary>The speaker's events across the given stops, in time order.</summary>
    public static ImmutableArray<ScheduledEvent> Timeline(string speakerId, IEnumerable<StopSnapshot> stops) =>
        stops.SelectMany(stop =>
            {
                var zone = LocalTimes.FindZone(stop.TimeZone) ?? DateTimeZone.Utc;
                return stop.Events.Where(e => e.SpeakerIds.Contains(speakerId)).Select(e =>
                {
                    var start = LocalTimes.ResolveStored(e.Start, zone);
                    return new ScheduledEvent(stop, e, start, start.Plus(Duration.FromMinutes(e.DurationMinutes)));
                });
            })
            .OrderBy(x => x.Start.ToInstant()).ThenBy(x => x.Event.EventId, StringComparer.Ordinal)
            .ToImmutableArray();

    /// <summary>Travel between consecutive events in different stops (null where a stop has no coordinates), from known legs.</summary>
    public static ImmutableArray<TravelEstimate?> Legs(ImmutableArray<ScheduledEvent> timeline, ITravelTable travel)
    {
        var legs = new TravelEstimate?[Math.Max(0, timeline.Length - 1)];
        for (var i = 0; i + 1 < timeline.Length; i++)
        {
            var (a, b) = (timeline[i].Stop, timeline[i + 1].Stop);
            if (a.StopId == b.StopId || a.Location is not { } from || b.Location is not { } to) continue;
            legs[i] = travel.Leg(from, to);
        }
        return [.. legs];
    }

    /// <summary>The pairs of places consecutive events of a timeline travel between: the legs a check of it needs.</summary>
    public static IEnumerable<(GeoPoint From, GeoPoint To)> LegPairs(ImmutableArray<ScheduledEvent> timeline)
    {
        for (var i = 0; i + 1 < timeline.Length; i++)
        {
            var (a, b) = (timeline[i].Stop, timeline[i + 1].Stop);
            if (a.StopId != b.StopId && a.Location is { } from && b.Location is { } to) yield return (from, to);
        }
    }

    /// <summary>Travel between consecutive events in different stops (null where a stop has no coordinates).</summary>
    public static async Task<ImmutableArray<TravelEstimate?>> LegsAsync(ImmutableArray<ScheduledEvent> timeline, ITravelTimeEstimator travel, CancellationToken ct = default)
    {
        var legs = new TravelEstimate?[Math.Max(0, timeline.Length - 1)];
        for (var i = 0; i + 1 < timeline.Length; i++)
        {
            var (a, b) = (timeline[i].Stop, timeline[i + 1].Stop);
            if (a.StopId == b.StopId || a.Location is not { } from || b.Location is not { } to) continue;
            legs[i] = await travel.EstimateAsync(from, to, ct);
        }
        return [.. legs];
    }

    /// <summary>Every rule the timeline breaks.</summary>
    public static ImmutableArray<Conflict> Check(string speakerId, PlanningRules rules, ImmutableArray<ScheduledEvent> t, ImmutableArray<TravelEstimate?> legs)
    {
        var found = ImmutableArray.CreateBuilder<Conflict>();
        for (var i = 0; i < t.Length; i++)
            for (var j = i + 1; j < t.Length && t[j].Start.ToInstant() < t[i].End.ToInstant(); j++)
                found.Add(Overlap(speakerId, t[i], t[j]));

        for (var i = 0; i + 1 < t.Length; i++)
        {
            var (a, b) = (t[i], t[i + 1]);
            if (a.Stop.StopId != b.Stop.StopId && (a.Stop.Location is null || b.Stop.Location is null))
                found.Add(new Conflict
                {
                    Code = "location-missing", Severity = "warning", SpeakerId = speakerId, EventIds = [a.Event.EventId, b.Event.EventId],
                    EventHosts = HostsOf([a, b]),
                    Text = Text.Of(Codes.ConflictLocationMissing, Arg.Plain("from", a.Stop.City), Arg.Plain("to", b.Stop.City)),
                });
            if (i < legs.Length && legs[i] is { Minutes: > 0 } leg && b.Start.ToInstant() >= a.End.ToInstant())
            {
                var arrive = a.End.ToInstant() + Duration.FromMinutes(leg.Minutes + rules.TravelBufferMinutes);
                if (arrive > b.Start.ToInstant())
                    found.Add(Travel(speakerId, rules, a, b, leg, arrive));
            }
            if (a.LocalDate != b.LocalDate && b.Start.ToInstant() >= a.End.ToInstant())
            {
                var rest = b.Start.ToInstant() - a.End.ToInstant();
                if (rest < Duration.FromMinutes(rules.MinRestMinutes))
                    found.Add(new Conflict
                    {
                        Code = "rest-too-short", Severity = "error", SpeakerId = speakerId, EventIds = [a.Event.EventId, b.Event.EventId],
                        EventHosts = HostsOf([a, b]),
                        Text = Text.Of(Codes.ConflictRestTooShort, Arg.Minutes("rest", (long)rest.TotalMinutes), EventArg("a", a), Arg.Moment("aEnd", a.End),
                            EventArg("b", b), Arg.Moment("bStart", b.Start), Arg.Minutes("minRest", rules.MinRestMinutes)),
                        Details = ImmutableDictionary<string, string>.Empty.Add("restMinutes", ((int)rest.TotalMinutes).ToString(CultureInfo.InvariantCulture))
                            .Add("minRestMinutes", rules.MinRestMinutes.ToString(CultureInfo.InvariantCulture)),
                    });
            }
        }

        foreach (var day in t.GroupBy(x => x.LocalDate).Where(g => g.Count() > rules.MaxEventsPerDay))
        {
            // How many events the day holds is the organizer's to know when other groups' events are among them.
            var owners = day.Select(x => x.Stop.HostId).Distinct().ToList();
            var count = Arg.Of("events", Text.Of(Codes.CountEvents, Arg.Number("count", day.Count())))
                .OwnedBy(owners.Count == 1 ? owners[0] : null, Text.Of(Codes.CountTooManyEvents));
            found.Add(new Conflict
            {
                Code = "too-many-events", Severity = "error", SpeakerId = speakerId, EventIds = [.. day.Select(x => x.Event.EventId)],
                EventHosts = HostsOf(day),
                Text = Text.Of(Codes.ConflictTooManyEvents, count, Arg.Date("date", day.Key), Arg.Number("max", rules.MaxEventsPerDay)),
            });
        }

        if (rules.BlackoutDates.TryGetValue(speakerId, out var blackout))
            foreach (var x in t.Where(x => blackout.Contains(x.LocalDate)))
                found.Add(new Conflict
                {
                    Code = "blackout-date", Severity = "error", SpeakerId = speakerId, EventIds = [x.Event.EventId], EventHosts = HostsOf([x]),
                    Text = Text.Of(Codes.ConflictBlackout, EventArg("event", x), Arg.Date("date", x.LocalDate)),
                });
        found.AddRange(StartsAtDstEdges(speakerId, t));
        return found.ToImmutable();
    }

    /// <summary>
    /// Stored local starts that a daylight-saving change makes doubtful. Input refuses gaps, but zone rules can change
    /// after an event was stored, and a repeated hour is accepted (as the earlier instant) — both deserve a word.
    /// Warnings, not errors: the event still has one definite instant, and the organizer may well mean it.
    /// </summary>
    private static IEnumerable<Conflict> StartsAtDstEdges(string speakerId, ImmutableArray<ScheduledEvent> t)
    {
        foreach (var x in t)
        {
            var mapping = x.Start.Zone.MapLocal(x.Event.Start);
            var typed = LocalTimes.Format(x.Event.Start);
            if (mapping.Count == 0)
                yield return new Conflict
                {
                    Code = "start-in-gap", Severity = "warning", SpeakerId = speakerId, EventIds = [x.Event.EventId], EventHosts = HostsOf([x]),
                    Text = Text.Of(Codes.ConflictStartInGap, EventArg("event", x), Arg.Plain("typed", typed), Arg.Plain("zone", x.Stop.TimeZone),
                        Arg.Moment("start", x.Start)),
                    Details = ImmutableDictionary<string, string>.Empty.Add("storedStart", typed).Add("start", En.Format(x.Start)),
                };
            else if (mapping.Count == 2)
                yield return new Conflict
                {
                    Code = "start-ambiguous", Severity = "warning", SpeakerId = speakerId, EventIds = [x.Event.EventId], EventHosts = HostsOf([x]),
                    Text = Text.Of(Codes.ConflictStartAmbiguous, EventArg("event", x), Arg.Plain("typed", typed), Arg.Plain("zone", x.Stop.TimeZone),
                        Arg.Moment("earlier", mapping.First()), Arg.Moment("later", mapping.Last())),
                    Details = ImmutableDictionary<string, string>.Empty.Add("storedStart", typed).Add("start", En.Format(mapping.First())),
                };
        }
    }

    /// <summary>The itinerary: events and travel legs in order, with conflicts (no way from or back home: the speaker is not known).</summary>
    public static Task<ItineraryView> ItineraryAsync(string speakerId, PlanningRules rules, IEnumerable<StopSnapshot> stops, ITravelTimeEstimator travel, CancellationToken ct = default) =>
        ItineraryAsync(speakerId, rules, new TourFrame(default, default, []), stops, travel, ct);

    /// <summary>The itinerary from home and back: events and travel legs in order, with conflicts.</summary>
    public static async Task<ItineraryView> ItineraryAsync(string speakerId, PlanningRules rules, TourFrame frame, IEnumerable<StopSnapshot> stops,
        ITravelTimeEstimator travel, CancellationToken ct = default)
    {
        var t = Timeline(speakerId, stops);
        var table = await TableAsync(TripLegPairs(SpeakerOf(frame, speakerId), t), travel, ct);
        return Itinerary(speakerId, rules, frame, t, table);
    }

    /// <summary>The itinerary from known legs only (what a grain may use).</summary>
    public static ItineraryView Itinerary(string speakerId, PlanningRules rules, IEnumerable<StopSnapshot> stops, ITravelTable travel) =>
        Itinerary(speakerId, rules, new TourFrame(default, default, []), Timeline(speakerId, stops), travel);

    /// <summary>The itinerary from home and back, from known legs only (what a grain may use).</summary>
    public static ItineraryView Itinerary(string speakerId, PlanningRules rules, TourFrame frame, IEnumerable<StopSnapshot> stops, ITravelTable travel) =>
        Itinerary(speakerId, rules, frame, Timeline(speakerId, stops), travel);

    /// <summary>
    /// The places a speaker's whole trip travels between: home to the first stop, stop to stop, the last stop home.
    /// What the Gateway looks up before asking for an itinerary.
    /// </summary>
    public static IEnumerable<(GeoPoint From, GeoPoint To)> TripLegPairs(SpeakerInfo? speaker, ImmutableArray<ScheduledEvent> timeline)
    {
        foreach (var pair in LegPairs(timeline)) yield return pair;
        if (speaker?.Home is not { } home || timeline.IsEmpty) yield break;
        if (timeline[0].Stop.Location is { } first) yield return (home, first);
        if (timeline[^1].Stop.Location is { } last) yield return (last, home);
    }

    /// <summary>
    /// Every travel leg of a speaker's trip, placed in time. A leg leaves the tour's travel buffer after the event
    /// before it ends (time to pack up, say goodbye, reach the station) and arrives its travel time later; the way
    /// from home has no event before it, so it is placed to arrive the buffer before the first event (the latest the
    /// speaker can leave). Legs between places closer than the same-place distance are not legs.
    /// </summary>
    public static ImmutableArray<PlannedLeg> Trip(SpeakerInfo? speaker, PlanningRules rules, ImmutableArray<ScheduledEvent> t, ITravelTable travel)
    {
        var buffer = Duration.FromMinutes(rules.TravelBufferMinutes);
        var legs = ImmutableArray.CreateBuilder<PlannedLeg>();
        var home = speaker?.Home;
        var homeZone = speaker is null ? null : LocalTimes.FindZone(speaker.HomeTimeZone);
        if (t.IsEmpty) return [];
        if (home is { } h && homeZone is not null && t[0].Stop.Location is { } first && travel.Leg(h, first) is { Minutes: > 0 } outbound)
        {
            var arrive = t[0].Start.ToInstant() - buffer;
            legs.Add(new PlannedLeg("outbound", null, t[0], outbound, (arrive - Duration.FromMinutes(outbound.Minutes)).InZone(homeZone), arrive.InZone(t[0].Start.Zone)));
        }
        var between = Legs(t, travel);
        for (var i = 0; i < between.Length; i++)
            if (between[i] is { Minutes: > 0 } leg)
            {
                var depart = t[i].End.ToInstant() + buffer;
                legs.Add(new PlannedLeg("between", t[i], t[i + 1], leg, depart.InZone(t[i].End.Zone), (depart + Duration.FromMinutes(leg.Minutes)).InZone(t[i + 1].Start.Zone)));
            }
        if (home is { } back && homeZone is not null && t[^1].Stop.Location is { } last && travel.Leg(last, back) is { Minutes: > 0 } homeward)
        {
            var depart = t[^1].End.ToInstant() + buffer;
            legs.Add(new PlannedLeg("return", t[^1], null, homeward, depart.InZone(t[^1].End.Zone), (depart + Duration.FromMinutes(homeward.Minutes)).InZone(homeZone)));
        }
        return legs.ToImmutable();
    }

    /// <summary><see cref="Trip(SpeakerInfo?, PlanningRules, ImmutableArray{ScheduledEvent}, ITravelTable)"/> with legs from an estimator (the Gateway's feeds).</summary>
    public static async Task<ImmutableArray<PlannedLeg>> TripAsync(SpeakerInfo? speaker, PlanningRules rules, ImmutableArray<ScheduledEvent> t,
        ITravelTimeEstimator travel, CancellationToken ct = default) =>
        Trip(speaker, rules, t, await TableAsync(TripLegPairs(speaker, t), travel, ct));

    /// <summary>
    /// The way from and back home, checked against the tour's own days in the speaker's home zone. Both are warnings,
    /// not errors: leaving the evening before the tour starts or getting home the morning after it ends may be just
    /// what the organizer intends, but they should decide it, not find out. A leg that cannot be made in time between
    /// two events is still <c>travel-impossible</c>.
    /// </summary>
    public static IEnumerable<Conflict> CheckTrip(SpeakerInfo speaker, PlanningRules rules, LocalDate firstDay, LocalDate lastDay, ImmutableArray<PlannedLeg> legs)
    {
        if (LocalTimes.FindZone(speaker.HomeTimeZone) is not { } zone || firstDay == default) yield break;
        var home = speaker.HomeCity is { Length: > 0 } city ? Arg.Plain("home", city) : Arg.Of("home", Text.Of(Codes.TripHome));
        var buffer = rules.TravelBufferMinutes.ToString(CultureInfo.InvariantCulture);
        var starts = firstDay.AtStartOfDayInZone(zone);
        var ends = lastDay.PlusDays(1).AtStartOfDayInZone(zone);
        foreach (var leg in legs)
        {
            if (leg is { Kind: "outbound", To: { } first } && leg.Depart.ToInstant() < starts.ToInstant())
                yield return new Conflict
                {
                    Code = "home-leg-before-tour", Severity = "warning", SpeakerId = speaker.Id, EventIds = [first.Event.EventId],
                    EventHosts = HostsOf([first]),
                    Text = Text.Of(Codes.ConflictHomeLegBeforeTour, Arg.Plain("city", first.Stop.City), EventArg("event", first, withCity: false),
                        Arg.Moment("start", first.Start), Arg.Number("buffer", rules.TravelBufferMinutes), Arg.Plain("speaker", speaker.Name), home,
                        Arg.Moment("leaves", leg.Depart), Arg.Date("tourStart", firstDay)),
                    Details = TripDetails(leg, buffer).Add("tourStart", Validation.Iso(firstDay)),
                };
            if (leg is { Kind: "return", From: { } last } && leg.Arrive.ToInstant() > ends.ToInstant())
                yield return new Conflict
                {
                    Code = "return-after-tour", Severity = "warning", SpeakerId = speaker.Id, EventIds = [last.Event.EventId],
                    EventHosts = HostsOf([last]),
                    Text = Text.Of(Codes.ConflictReturnAfterTour, Arg.Plain("city", last.Stop.City), Arg.Moment("leaves", leg.Depart),
                        EventArg("event", last, withCity: false), Arg.Number("buffer", rules.TravelBufferMinutes), home,
                        Arg.Moment("arrives", leg.Arrive), Arg.Date("tourEnd", lastDay)),
                    Details = TripDetails(leg, buffer).Add("tourEnd", Validation.Iso(lastDay)),
                };
        }
    }

    private static ImmutableDictionary<string, string> TripDetails(PlannedLeg leg, string buffer) =>
        ImmutableDictionary<string, string>.Empty
            .Add("leavesAt", En.Format(leg.Depart)).Add("arrivesAt", En.Format(leg.Arrive))
            .Add("travelMinutes", leg.Estimate.Minutes.ToString(CultureInfo.InvariantCulture)).Add("bufferMinutes", buffer)
            .Add("mode", leg.Estimate.Mode).Add("source", leg.Estimate.Source);

    private static ItineraryView Itinerary(string speakerId, PlanningRules rules, TourFrame frame, ImmutableArray<ScheduledEvent> t, ITravelTable travel)
    {
        var speaker = SpeakerOf(frame, speakerId);
        var trip = Trip(speaker, rules, t, travel);
        var items = ImmutableArray.CreateBuilder<ItineraryItem>();
        foreach (var leg in trip.Where(l => l.Kind == "outbound")) items.Add(LegItem(leg, speaker));
        foreach (var x in t)
        {
            items.Add(new ItineraryItem
            {
                Kind = "event", Title = x.Event.Title, City = x.Stop.City, Start = x.Start.ToInstant(), End = x.End.ToInstant(),
                TimeZone = x.Stop.TimeZone, LocalStart = x.Start.LocalDateTime, LocalEnd = x.End.LocalDateTime,
                EventId = x.Event.EventId, StopId = x.Stop.StopId, Public = x.Event.Public,
            });
            foreach (var leg in trip.Where(l => l.Kind != "outbound" && ReferenceEquals(l.From, x))) items.Add(LegItem(leg, speaker));
        }
        var conflicts = Check(speakerId, rules, t, Legs(t, travel));
        if (speaker is not null) conflicts = conflicts.AddRange(CheckTrip(speaker, rules, frame.StartDate, frame.EndDate, trip));
        return new ItineraryView { SpeakerId = speakerId, Items = items.ToImmutable(), Conflicts = conflicts };
    }

    private static ItineraryItem LegItem(PlannedLeg leg, SpeakerInfo? speaker)
    {
        var from = leg.From?.Stop.City ?? speaker?.HomeCity;
        var to = leg.To?.Stop.City ?? speaker?.HomeCity;
        return new ItineraryItem
        {
            // The title stays English for API clients that show it as is; pages build their words from Leg, FromCity and ToCity.
            Kind = "travel", Title = $"Travel {from ?? "home"} → {to ?? "home"}", City = to, Leg = leg.Kind, FromCity = from, ToCity = to,
            FromStopId = leg.From?.Stop.StopId, ToStopId = leg.To?.Stop.StopId,
            Start = leg.Depart.ToInstant(), End = leg.Arrive.ToInstant(), TimeZone = leg.Depart.Zone.Id, EndTimeZone = leg.Arrive.Zone.Id,
            LocalStart = leg.Depart.LocalDateTime, LocalEnd = leg.Arrive.LocalDateTime,
            Mode = leg.Estimate.Mode, DistanceKm = leg.Estimate.DistanceKm, Minutes = leg.Estimate.Minutes, Source = leg.Estimate.Source,
        };
    }

    private static SpeakerInfo? SpeakerOf(TourFrame frame, string speakerId) => frame.Speakers.FirstOrDefault(s => s.Id == speakerId);

    /// <summary>Looks every pair up once, so the rules then read travel without waiting.</summary>
    private static async Task<ITravelTable> TableAsync(IEnumerable<(GeoPoint From, GeoPoint To)> pairs, ITravelTimeEstimator travel, CancellationToken ct)
    {
        if (travel is ITravelTable table) return table;
        var known = new Dictionary<string, TravelEstimate>();
        foreach (var (from, to) in pairs.Distinct())
            known[TravelCacheKey.For(from, to)] = await travel.EstimateAsync(from, to, ct);
        return new TravelTable(known, new GreatCircleTravelEstimator());
    }

    private static Conflict Overlap(string speakerId, ScheduledEvent a, ScheduledEvent b)
    {
        var sameStop = a.Stop.StopId == b.Stop.StopId;
        return new Conflict
        {
            Code = sameStop ? "events-overlap" : "speaker-double-booked", Severity = "error", SpeakerId = speakerId,
            EventIds = [a.Event.EventId, b.Event.EventId], EventHosts = HostsOf([a, b]),
            Text = sameStop
                ? Text.Of(Codes.ConflictEventsOverlap, EventArg("a", a, withCity: false), Arg.Moment("aStart", a.Start), Arg.Moment("aEnd", a.End),
                    EventArg("b", b, withCity: false), Arg.Moment("bStart", b.Start), Arg.Moment("bEnd", b.End), Arg.Plain("city", a.Stop.City))
                : Text.Of(Codes.ConflictDoubleBooked, EventArg("a", a), Arg.Moment("aStart", a.Start), Arg.Moment("aEnd", a.End),
                    EventArg("b", b), Arg.Moment("bStart", b.Start), Arg.Moment("bEnd", b.End)),
        };
    }

    private static Conflict Travel(string speakerId, PlanningRules rules, ScheduledEvent a, ScheduledEvent b, TravelEstimate leg, Instant arrive)
    {
        var bZone = b.Start.Zone;
        var arriveLocal = arrive.InZone(bZone);
        return new Conflict
        {
            Code = "travel-impossible", Severity = "error", SpeakerId = speakerId, EventIds = [a.Event.EventId, b.Event.EventId],
            EventHosts = HostsOf([a, b]),
            Text = Text.Of(Codes.ConflictTravelImpossible, Arg.Plain("from", a.Stop.City), Arg.Plain("to", b.Stop.City), Arg.Moment("leaves", a.End),
                Arg.Of("mode", Text.Of(leg.Mode == "fly" ? Codes.TravelFlying : Codes.TravelDriving)),
                Arg.Number("km", (long)Math.Round(leg.DistanceKm, MidpointRounding.AwayFromZero)), Arg.Number("minutes", leg.Minutes),
                Arg.Number("buffer", rules.TravelBufferMinutes), Arg.Moment("arrives", arriveLocal), EventArg("b", b, withCity: false),
                Arg.Moment("starts", b.Start)),
            Details = new Dictionary<string, string>
            {
                ["leavesAt"] = En.Format(a.End), ["travelMinutes"] = leg.Minutes.ToString(CultureInfo.InvariantCulture),
                ["bufferMinutes"] = rules.TravelBufferMinutes.ToString(CultureInfo.InvariantCulture), ["arrivesAt"] = En.Format(arriveLocal),
                ["nextStart"] = En.Format(b.Start), ["mode"] = leg.Mode, ["distanceKm"] = leg.DistanceKm.ToString("0.#", CultureInfo.InvariantCulture),
                ["source"] = leg.Source,
            }.ToImmutableDictionary(),
        };
    }

}
