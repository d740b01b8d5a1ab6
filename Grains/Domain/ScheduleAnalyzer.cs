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
/// Builds a speaker's timeline from stops and finds what breaks the tour's rules, explained in English and Spanish
/// with local times and zone abbreviations. Pure apart from the travel estimator it is handed.
/// </summary>
public static class ScheduleAnalyzer
{
    // Shared with VenueConflicts so every conflict shows times the same way.
    internal static readonly ZonedDateTimePattern En = ZonedDateTimePattern.CreateWithInvariantCulture("ddd d MMM HH':'mm x", null);
    internal static readonly ZonedDateTimePattern Es = ZonedDateTimePattern.Create("ddd d MMM HH':'mm x", CultureInfo.GetCultureInfo("es"), null, null, default);

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
                    Message = $"Travel from {a.Stop.City} to {b.Stop.City} cannot be checked: a stop has no coordinates.",
                    MessageEs = $"No se puede comprobar el viaje de {a.Stop.City} a {b.Stop.City}: una parada no tiene coordenadas.",
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
                        Message = $"Only {Hours(rest)} between '{a.Event.Title}' ending {En.Format(a.End)} and '{b.Event.Title}' starting {En.Format(b.Start)}; the tour's minimum rest is {Hours(Duration.FromMinutes(rules.MinRestMinutes))}.",
                        MessageEs = $"Solo {Hours(rest)} entre «{a.Event.Title}», que termina {Es.Format(a.End)}, y «{b.Event.Title}», que empieza {Es.Format(b.Start)}; el descanso mínimo de la gira es {Hours(Duration.FromMinutes(rules.MinRestMinutes))}.",
                        Details = ImmutableDictionary<string, string>.Empty.Add("restMinutes", ((int)rest.TotalMinutes).ToString(CultureInfo.InvariantCulture))
                            .Add("minRestMinutes", rules.MinRestMinutes.ToString(CultureInfo.InvariantCulture)),
                    });
            }
        }

        foreach (var day in t.GroupBy(x => x.LocalDate).Where(g => g.Count() > rules.MaxEventsPerDay))
            found.Add(new Conflict
            {
                Code = "too-many-events", Severity = "error", SpeakerId = speakerId, EventIds = [.. day.Select(x => x.Event.EventId)],
                Message = $"{day.Count()} events on {Validation.Iso(day.Key)}; the tour allows at most {rules.MaxEventsPerDay} a day.",
                MessageEs = $"{day.Count()} eventos el {Validation.Iso(day.Key)}; la gira permite como máximo {rules.MaxEventsPerDay} al día.",
            });

        if (rules.BlackoutDates.TryGetValue(speakerId, out var blackout))
            foreach (var x in t.Where(x => blackout.Contains(x.LocalDate)))
                found.Add(new Conflict
                {
                    Code = "blackout-date", Severity = "error", SpeakerId = speakerId, EventIds = [x.Event.EventId],
                    Message = $"'{x.Event.Title}' in {x.Stop.City} is on {Validation.Iso(x.LocalDate)}, a date the speaker is not available.",
                    MessageEs = $"«{x.Event.Title}» en {x.Stop.City} es el {Validation.Iso(x.LocalDate)}, una fecha en que la persona oradora no está disponible.",
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
                    Code = "start-in-gap", Severity = "warning", SpeakerId = speakerId, EventIds = [x.Event.EventId],
                    Message = $"'{x.Event.Title}' in {x.Stop.City} was stored at {typed}, a time that no longer exists in {x.Stop.TimeZone} (clocks jump forward); it now starts at {En.Format(x.Start)}.",
                    MessageEs = $"«{x.Event.Title}» en {x.Stop.City} se guardó a las {typed}, una hora que ya no existe en {x.Stop.TimeZone} (los relojes se adelantan); ahora empieza {Es.Format(x.Start)}.",
                    Details = ImmutableDictionary<string, string>.Empty.Add("storedStart", typed).Add("start", En.Format(x.Start)),
                };
            else if (mapping.Count == 2)
                yield return new Conflict
                {
                    Code = "start-ambiguous", Severity = "warning", SpeakerId = speakerId, EventIds = [x.Event.EventId],
                    Message = $"'{x.Event.Title}' in {x.Stop.City} starts at {typed}, which happens twice in {x.Stop.TimeZone} (clocks go back); it was taken as the earlier one, {En.Format(mapping.First())}, not {En.Format(mapping.Last())}.",
                    MessageEs = $"«{x.Event.Title}» en {x.Stop.City} empieza a las {typed}, hora que ocurre dos veces en {x.Stop.TimeZone} (los relojes se atrasan); se tomó la primera, {Es.Format(mapping.First())}, no {Es.Format(mapping.Last())}.",
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
        var home = speaker.HomeCity ?? "home";
        var homeEs = speaker.HomeCity ?? "casa";
        var buffer = rules.TravelBufferMinutes.ToString(CultureInfo.InvariantCulture);
        var starts = firstDay.AtStartOfDayInZone(zone);
        var ends = lastDay.PlusDays(1).AtStartOfDayInZone(zone);
        foreach (var leg in legs)
        {
            if (leg is { Kind: "outbound", To: { } first } && leg.Depart.ToInstant() < starts.ToInstant())
                yield return new Conflict
                {
                    Code = "home-leg-before-tour", Severity = "warning", SpeakerId = speaker.Id, EventIds = [first.Event.EventId],
                    Message = $"To reach {first.Stop.City} for '{first.Event.Title}' at {En.Format(first.Start)} with the {buffer} min buffer, {speaker.Name} must leave {home} by {En.Format(leg.Depart)}, before the tour's first day ({Validation.Iso(firstDay)}).",
                    MessageEs = $"Para llegar a {first.Stop.City} a «{first.Event.Title}» ({Es.Format(first.Start)}) con el margen de {buffer} min, {speaker.Name} debe salir de {homeEs} a más tardar {Es.Format(leg.Depart)}, antes del primer día de la gira ({Validation.Iso(firstDay)}).",
                    Details = TripDetails(leg, buffer).Add("tourStart", Validation.Iso(firstDay)),
                };
            if (leg is { Kind: "return", From: { } last } && leg.Arrive.ToInstant() > ends.ToInstant())
                yield return new Conflict
                {
                    Code = "return-after-tour", Severity = "warning", SpeakerId = speaker.Id, EventIds = [last.Event.EventId],
                    Message = $"The way home leaves {last.Stop.City} at {En.Format(leg.Depart)}, after '{last.Event.Title}' and the {buffer} min buffer, and reaches {home} at {En.Format(leg.Arrive)}, after the tour's last day ({Validation.Iso(lastDay)}).",
                    MessageEs = $"El regreso sale de {last.Stop.City} {Es.Format(leg.Depart)}, después de «{last.Event.Title}» y el margen de {buffer} min, y llega a {homeEs} {Es.Format(leg.Arrive)}, después del último día de la gira ({Validation.Iso(lastDay)}).",
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
            EventIds = [a.Event.EventId, b.Event.EventId],
            Message = sameStop
                ? $"'{a.Event.Title}' ({En.Format(a.Start)}–{En.Format(a.End)}) overlaps '{b.Event.Title}' ({En.Format(b.Start)}) in {a.Stop.City}."
                : $"The speaker would be in two places: '{a.Event.Title}' in {a.Stop.City} ({En.Format(a.Start)}–{En.Format(a.End)}) overlaps '{b.Event.Title}' in {b.Stop.City} ({En.Format(b.Start)}).",
            MessageEs = sameStop
                ? $"«{a.Event.Title}» ({Es.Format(a.Start)}–{Es.Format(a.End)}) se superpone con «{b.Event.Title}» ({Es.Format(b.Start)}) en {a.Stop.City}."
                : $"La persona oradora estaría en dos lugares: «{a.Event.Title}» en {a.Stop.City} ({Es.Format(a.Start)}–{Es.Format(a.End)}) se superpone con «{b.Event.Title}» en {b.Stop.City} ({Es.Format(b.Start)}).",
        };
    }

    private static Conflict Travel(string speakerId, PlanningRules rules, ScheduledEvent a, ScheduledEvent b, TravelEstimate leg, Instant arrive)
    {
        var bZone = b.Start.Zone;
        var arriveLocal = arrive.InZone(bZone);
        var how = leg.Mode == "fly" ? "flying" : "driving";
        var howEs = leg.Mode == "fly" ? "en avión" : "por carretera";
        return new Conflict
        {
            Code = "travel-impossible", Severity = "error", SpeakerId = speakerId, EventIds = [a.Event.EventId, b.Event.EventId],
            Message = $"The speaker cannot get from {a.Stop.City} to {b.Stop.City} in time: leaves at {En.Format(a.End)}, {how} {leg.DistanceKm:0} km takes {leg.Minutes} min, plus a {rules.TravelBufferMinutes} min buffer, arrives at {En.Format(arriveLocal)}, but '{b.Event.Title}' starts at {En.Format(b.Start)}.",
            MessageEs = $"La persona oradora no puede llegar de {a.Stop.City} a {b.Stop.City} a tiempo: sale a las {Es.Format(a.End)}, el viaje {howEs} de {leg.DistanceKm:0} km dura {leg.Minutes} min, más {rules.TravelBufferMinutes} min de margen; llega a las {Es.Format(arriveLocal)}, pero «{b.Event.Title}» empieza a las {Es.Format(b.Start)}.",
            Details = new Dictionary<string, string>
            {
                ["leavesAt"] = En.Format(a.End), ["travelMinutes"] = leg.Minutes.ToString(CultureInfo.InvariantCulture),
                ["bufferMinutes"] = rules.TravelBufferMinutes.ToString(CultureInfo.InvariantCulture), ["arrivesAt"] = En.Format(arriveLocal),
                ["nextStart"] = En.Format(b.Start), ["mode"] = leg.Mode, ["distanceKm"] = leg.DistanceKm.ToString("0.#", CultureInfo.InvariantCulture),
                ["source"] = leg.Source,
            }.ToImmutableDictionary(),
        };
    }

    private static string Hours(Duration d) =>
        d.TotalMinutes % 60 == 0 ? $"{(int)d.TotalHours} h" : $"{(int)d.TotalHours} h {(int)(d.TotalMinutes % 60)} min";
}
