using System.Collections.Immutable;
using NodaTime;

namespace TourPlanner.Grains.Domain.Tours;

/// <summary>
/// Confirm's rules applied to a tour with facts handed in: travel from a <see cref="ITravelTable"/> (legs the
/// Gateway looked up, else the built-in model) and venue calendars as the Gateway read them. Pure: no I/O.
/// </summary>
public static class TourChecks
{
    /// <summary>Conflicts of the confirmed route with <paramref name="candidate"/> in place, limited to those touching <paramref name="focus"/>.</summary>
    public static ImmutableArray<Conflict> Involving(TourModel tour, StopSnapshot candidate, IReadOnlySet<string> focus,
        ITravelTable travel, ImmutableArray<VenueFact> venues)
    {
        var stops = tour.Ledger.ConfirmedStops.Where(s => s.StopId != candidate.StopId).Append(candidate).ToList();
        var found = ImmutableArray.CreateBuilder<Conflict>();
        foreach (var speakerId in candidate.Events.SelectMany(e => e.SpeakerIds).Distinct())
        {
            var t = ScheduleAnalyzer.Timeline(speakerId, stops);
            found.AddRange(ScheduleAnalyzer.Check(speakerId, tour.Rules, t, ScheduleAnalyzer.Legs(t, travel)).Where(c => c.EventIds.Any(focus.Contains)));
        }
        found.AddRange(VenueConflicts.Check(candidate, VenueOf(candidate, venues)).Where(c => c.EventIds.Any(focus.Contains)));
        return found.ToImmutable();
    }

    /// <summary>Every conflict among the confirmed stops.</summary>
    public static ImmutableArray<Conflict> All(TourModel tour, ITravelTable travel, ImmutableArray<VenueFact> venues)
    {
        var confirmed = tour.Ledger.ConfirmedStops.ToList();
        var all = ImmutableArray.CreateBuilder<Conflict>();
        foreach (var speaker in tour.Speakers)
        {
            var t = ScheduleAnalyzer.Timeline(speaker.Id, confirmed);
            all.AddRange(ScheduleAnalyzer.Check(speaker.Id, tour.Rules, t, ScheduleAnalyzer.Legs(t, travel)));
        }
        foreach (var stop in confirmed) all.AddRange(VenueConflicts.Check(stop, VenueOf(stop, venues)));
        return all.ToImmutable();
    }

    /// <summary>What the venue calendar said for this stop's current calendar and hours; not checked when no fact matches.</summary>
    public static VenueBusy VenueOf(StopSnapshot stop, ImmutableArray<VenueFact> venues)
    {
        if (string.IsNullOrWhiteSpace(stop.Venue.CalendarUrl) || venues.IsDefaultOrEmpty) return VenueBusy.NotConfigured;
        var span = VenueConflicts.Span(stop);
        // Matched by calendar and hours, not by stop id: a new claim's stop has no id until the tour makes it.
        var fact = venues.FirstOrDefault(v => v.CalendarUrl == stop.Venue.CalendarUrl && span is { } s && v.From <= s.From && v.To >= s.To);
        return fact?.Status switch
        {
            "ok" => VenueBusy.Free(fact.Busy.Select(b => new BusyInterval(b.Start, b.End))),
            "unavailable" => VenueBusy.Unavailable(fact.Reason ?? "the calendar could not be read"),
            _ => VenueBusy.NotConfigured,
        };
    }

    /// <summary>The travel table for a command: legs handed in, then routed legs the tour kept, then the built-in model.</summary>
    public static TravelTable TravelFor(TourModel tour, Facts facts) => TravelTable.From(facts.Legs, tour.KnownLegs.Values);
}

/// <summary>
/// Which outside facts a command needs, worked out from the route the tour published, so the Gateway can gather
/// them before it calls the tour (and the tour never waits on the network).
/// </summary>
public static class FactNeeds
{
    /// <summary>The legs between <paramref name="candidate"/>'s events and their neighbours in each of its speakers' timelines.</summary>
    public static ImmutableArray<(GeoPoint From, GeoPoint To)> LegsFor(RouteSnapshot route, StopSnapshot candidate)
    {
        var stops = route.Confirmed.Where(s => s.StopId != candidate.StopId).Append(candidate).ToList();
        var pairs = new HashSet<(GeoPoint, GeoPoint)>();
        foreach (var speakerId in candidate.Events.SelectMany(e => e.SpeakerIds).Distinct())
        {
            var t = ScheduleAnalyzer.Timeline(speakerId, stops);
            for (var i = 0; i + 1 < t.Length; i++)
                if ((t[i].Stop.StopId == candidate.StopId || t[i + 1].Stop.StopId == candidate.StopId)
                    && t[i].Stop.StopId != t[i + 1].Stop.StopId && t[i].Stop.Location is { } a && t[i + 1].Stop.Location is { } b)
                    pairs.Add((a, b));
        }
        return [.. pairs];
    }

    /// <summary>Every leg along the confirmed route of every speaker.</summary>
    public static ImmutableArray<(GeoPoint From, GeoPoint To)> LegsOfRoute(RouteSnapshot route) =>
        [.. route.Speakers.SelectMany(s => ScheduleAnalyzer.LegPairs(ScheduleAnalyzer.Timeline(s.Id, route.Confirmed))).Distinct()];

    /// <summary>
    /// For date suggestions: from a place to every confirmed stop and back, plus the route's own legs (a stop put
    /// between two others replaces the leg between them).
    /// </summary>
    public static ImmutableArray<(GeoPoint From, GeoPoint To)> LegsAround(RouteSnapshot route, GeoPoint place)
    {
        var pairs = new HashSet<(GeoPoint, GeoPoint)>(LegsOfRoute(route));
        foreach (var stop in route.Confirmed)
            if (stop.Location is { } p) { pairs.Add((place, p)); pairs.Add((p, place)); }
        return [.. pairs];
    }

    /// <summary>The venue calendar to read for a stop and over which hours; null when it has none or no events.</summary>
    public static (string Url, Instant From, Instant To)? VenueFor(StopSnapshot stop) =>
        string.IsNullOrWhiteSpace(stop.Venue.CalendarUrl) || VenueConflicts.Span(stop) is not { } span
            ? null
            : (stop.Venue.CalendarUrl!, span.From, span.To);
}
