using TourPlanner.Grains.Domain;

namespace TourPlanner.Grains.Implementation;

/// <summary>
/// One speaker's itinerary, from home to the first stop, stop to stop, and home again, computed from the tour's stored
/// confirmed route with the travel legs the Gateway looked up (and the routed legs the tour kept from its confirms),
/// so what the itinerary shows between stops is what confirm checked. Legs it was not handed come from the built-in
/// model; nothing here calls outside the cluster. It keeps nothing of its own: the tour is the one source of truth,
/// and the last answer is cached per route version.
/// </summary>
public sealed class SpeakerItineraryGrain : Grain, ISpeakerItineraryGrain
{
    private (int RouteVersion, Facts Facts, ItineraryView View)? _cached;

    private string TourId => this.GetPrimaryKeyString().Split('/', 2)[0];
    private string SpeakerId => this.GetPrimaryKeyString().Split('/', 2)[1];

    async Task<ItineraryView?> ISpeakerItineraryGrain.GetAsync(Facts facts)
    {
        var route = await GrainFactory.GetGrain<ITourGrain>(TourId).GetRouteAsync(null);
        if (route is null || route.Speakers.All(s => s.Id != SpeakerId)) return null;
        if (_cached is { } c && c.RouteVersion == route.RouteVersion && c.Facts == facts) return c.View;
        var travel = TravelTable.From(facts.Legs, route.KnownLegs);
        var view = ScheduleAnalyzer.Itinerary(SpeakerId, route.Rules, new TourFrame(route.StartDate, route.EndDate, route.Speakers), route.Confirmed, travel);
        _cached = (route.RouteVersion, facts, view);
        return view;
    }
}
