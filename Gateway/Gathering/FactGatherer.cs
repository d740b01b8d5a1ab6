using System.Collections.Immutable;
using NodaTime;
using TourPlanner.Grains;
using TourPlanner.Grains.Domain;
using TourPlanner.Grains.Domain.Tours;

namespace TourPlanner.Gateway.Gathering;

/// <summary>
/// Gathers the outside information a command needs (routed travel legs, venue calendars) before the tour is asked,
/// so the tour's single arbiter never waits on the network: a slow venue server costs its own request up to
/// <see cref="VenueCalendarOptions.Timeout"/>, and every other request of the tour goes on meanwhile.
/// </summary>
public sealed class FactGatherer(ITravelTimeEstimator travel, IVenueCalendar venues, VenueCalendarOptions venueOptions, ILogger<FactGatherer> logger)
{
    /// <summary>At most this many legs are looked up for one request (a route of tens of stops needs far fewer).</summary>
    public const int MaxLegs = 400;
    private const int Parallelism = 8;

    /// <summary>When travel is the built-in model there is nothing to look up: the tour computes the same by itself.</summary>
    public bool RoutesTravel => travel is not GreatCircleTravelEstimator and not TravelTable;

    /// <summary>Facts for a check of <paramref name="candidate"/> against the confirmed route.</summary>
    public async Task<Facts> ForStopAsync(RouteSnapshot route, StopSnapshot candidate, CancellationToken ct)
    {
        var legs = LegsAsync(FactNeeds.LegsFor(route, candidate), ct);
        var venue = VenueAsync(candidate, ct);
        return new Facts { RouteVersion = route.RouteVersion, Legs = await legs, Venues = await venue is { } v ? [v] : [] };
    }

    /// <summary>Facts for every conflict of the confirmed route (all its legs and venue calendars).</summary>
    public async Task<Facts> ForRouteAsync(RouteSnapshot route, CancellationToken ct)
    {
        var legs = LegsAsync(FactNeeds.LegsOfRoute(route), ct);
        var venueFacts = await Task.WhenAll(route.Confirmed.Select(s => VenueAsync(s, ct)));
        return new Facts { RouteVersion = route.RouteVersion, Legs = await legs, Venues = [.. venueFacts.OfType<VenueFact>()] };
    }

    /// <summary>Facts for suggesting dates around a place (legs to and from every confirmed stop).</summary>
    public async Task<Facts> AroundAsync(RouteSnapshot route, GeoPoint place, CancellationToken ct) =>
        new() { RouteVersion = route.RouteVersion, Legs = await LegsAsync(FactNeeds.LegsAround(route, place), ct) };

    /// <summary>Facts for one speaker's itinerary: every leg of the trip, the way from home and back included.</summary>
    public async Task<Facts> ForSpeakerAsync(RouteSnapshot route, string speakerId, CancellationToken ct) =>
        new()
        {
            RouteVersion = route.RouteVersion,
            Legs = await LegsAsync([.. ScheduleAnalyzer.TripLegPairs(route.Speakers.FirstOrDefault(s => s.Id == speakerId),
                ScheduleAnalyzer.Timeline(speakerId, route.Confirmed)).Distinct()], ct),
        };

    private async Task<ImmutableArray<LegFact>> LegsAsync(ImmutableArray<(GeoPoint From, GeoPoint To)> pairs, CancellationToken ct)
    {
        if (!RoutesTravel || pairs.IsEmpty) return [];
        var found = new LegFact?[Math.Min(pairs.Length, MaxLegs)];
        await Parallel.ForEachAsync(Enumerable.Range(0, found.Length), new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct },
            async (i, token) => found[i] = new LegFact(pairs[i].From, pairs[i].To, await travel.EstimateAsync(pairs[i].From, pairs[i].To, token)));
        return [.. found.OfType<LegFact>()];
    }

    /// <summary>The venue calendar over the stop's hours, bounded by the venue timeout whatever the reader does.</summary>
    private async Task<VenueFact?> VenueAsync(StopSnapshot stop, CancellationToken ct)
    {
        if (FactNeeds.VenueFor(stop) is not { } need) return null;
        VenueBusy busy;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(venueOptions.Timeout);
        try
        {
            // WaitAsync as well as the token: an implementation that ignores cancellation still cannot hold us.
            busy = await venues.GetBusyAsync(need.Url, need.From, need.To, cts.Token).WaitAsync(venueOptions.Timeout, ct);
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException && !ct.IsCancellationRequested)
        {
            busy = VenueBusy.Unavailable($"no answer within {venueOptions.Timeout.TotalSeconds:0} s");
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning("Venue calendar of stop {StopId} failed: {Error}", stop.StopId, ex.GetType().Name);
            busy = VenueBusy.Unavailable("the calendar could not be read");
        }
        return new VenueFact
        {
            StopId = stop.StopId, CalendarUrl = need.Url, From = need.From, To = need.To,
            Status = busy.Status switch { VenueCalendarStatus.Ok => "ok", VenueCalendarStatus.Unavailable => "unavailable", _ => "not-configured" },
            Busy = [.. busy.Intervals.Select(b => new TimeRange(b.Start, b.End))], Reason = busy.Reason,
        };
    }

    /// <summary>
    /// Runs a command that needs facts: gathers them for the route the tour publishes, and gathers again when the
    /// confirmed route changed meanwhile (the tour answers <see cref="OutcomeKind.Stale"/>); a few tries, then the
    /// caller is told to try again.
    /// </summary>
    public async Task<Outcome<T>> RunAsync<T>(ITourGrain tour, string? stopId, Func<RouteSnapshot, Task<Facts>> gather,
        Func<Facts, Task<Outcome<T>>> command)
    {
        Outcome<T>? last = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            if (await tour.GetRouteAsync(stopId) is not { } route) return Outcome<T>.NotFound(Text.Of(Codes.TourNotFound));
            last = await command(await gather(route));
            if (last.Kind != OutcomeKind.Stale) return last;
        }
        return last!;
    }
}
