using System.Collections.Immutable;
using TourPlanner.Grains.Domain;

namespace TourPlanner.Grains.Implementation;

/// <summary>The itinerary grain's durable state: which stops make up the speaker's confirmed schedule.</summary>
[GenerateSerializer, Immutable]
public sealed record ItineraryState
{
    [Id(0)] public PlanningRules Rules { get; init; } = new();
    [Id(1)] public ImmutableArray<string> StopIds { get; init; } = [];
}

/// <summary>
/// One speaker's schedule. It persists stop ids, not copies of the stops, and caches the computed itinerary
/// until the tour grain says the schedule changed.
/// </summary>
public sealed class SpeakerItineraryGrain(
    [PersistentState("itinerary")] IPersistentState<ItineraryState> state,
    ITravelTimeEstimator travel) : Grain, ISpeakerItineraryGrain
{
    private ItineraryView? _cached;

    private string SpeakerId => this.GetPrimaryKeyString().Split('/', 2)[1];

    async Task ISpeakerItineraryGrain.SetScheduleAsync(PlanningRules rules, ImmutableArray<string> stopIds)
    {
        _cached = null;
        var next = new ItineraryState { Rules = rules, StopIds = stopIds };
        if (state.State is { } current && current.Rules == rules && current.StopIds.SequenceEqual(stopIds)) return;
        state.State = next;
        await state.WriteStateAsync();
    }

    async Task<ItineraryView> ISpeakerItineraryGrain.GetAsync()
    {
        if (_cached is not null) return _cached;
        var ids = state.State?.StopIds ?? [];
        var stops = await Task.WhenAll(ids.Select(id => GrainFactory.GetGrain<ITourStopGrain>(id).GetAsync()));
        _cached = await ScheduleAnalyzer.ItineraryAsync(SpeakerId, state.State?.Rules ?? new(), stops.OfType<StopSnapshot>(), travel);
        return _cached;
    }
}
