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

    /// <summary>The itinerary: events and travel legs in order, with conflicts.</summary>
    public static async Task<ItineraryView> ItineraryAsync(string speakerId, PlanningRules rules, IEnumerable<StopSnapshot> stops, ITravelTimeEstimator travel, CancellationToken ct = default)
    {
        var t = Timeline(speakerId, stops);
        return Itinerary(speakerId, rules, t, await LegsAsync(t, travel, ct));
    }

    /// <summary>The itinerary from known legs only (what a grain may use).</summary>
    public static ItineraryView Itinerary(string speakerId, PlanningRules rules, IEnumerable<StopSnapshot> stops, ITravelTable travel)
    {
        var t = Timeline(speakerId, stops);
        return Itinerary(speakerId, rules, t, Legs(t, travel));
    }

    private static ItineraryView Itinerary(string speakerId, PlanningRules rules, ImmutableArray<ScheduledEvent> t, ImmutableArray<TravelEstimate?> legs)
    {
        var items = ImmutableArray.CreateBuilder<ItineraryItem>();
        for (var i = 0; i < t.Length; i++)
        {
            var x = t[i];
            items.Add(new ItineraryItem
            {
                Kind = "event", Title = x.Event.Title, City = x.Stop.City, Start = x.Start.ToInstant(), End = x.End.ToInstant(),
                TimeZone = x.Stop.TimeZone, LocalStart = x.Start.LocalDateTime, LocalEnd = x.End.LocalDateTime,
                EventId = x.Event.EventId, StopId = x.Stop.StopId, Public = x.Event.Public,
            });
            if (i < legs.Length && legs[i] is { Minutes: > 0 } leg)
            {
                var next = t[i + 1];
                var arriveZone = LocalTimes.FindZone(next.Stop.TimeZone) ?? DateTimeZone.Utc;
                var arrive = x.End.ToInstant() + Duration.FromMinutes(leg.Minutes);
                items.Add(new ItineraryItem
                {
                    Kind = "travel", Title = $"Travel {x.Stop.City} → {next.Stop.City}", City = next.Stop.City,
                    Start = x.End.ToInstant(), End = arrive, TimeZone = x.Stop.TimeZone, EndTimeZone = next.Stop.TimeZone,
                    LocalStart = x.End.LocalDateTime, LocalEnd = arrive.InZone(arriveZone).LocalDateTime,
                    Mode = leg.Mode, DistanceKm = leg.DistanceKm, Minutes = leg.Minutes, Source = leg.Source,
                });
            }
        }
        return new ItineraryView { SpeakerId = speakerId, Items = items.ToImmutable(), Conflicts = Check(speakerId, rules, t, legs) };
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
