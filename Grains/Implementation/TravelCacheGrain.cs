using NodaTime;

namespace TourPlanner.Grains.Implementation;

/// <summary>The travel cache grain's durable state.</summary>
[GenerateSerializer, Immutable]
public sealed record TravelCacheState([property: Id(0)] TravelEstimate Estimate, [property: Id(1)] Instant ExpiresAt);

/// <summary>Keeps one routed estimate with a time to live measured by the injected clock.</summary>
public sealed class TravelCacheGrain([PersistentState("travel")] IPersistentState<TravelCacheState> state, IClock clock)
    : Grain, ITravelCacheGrain
{
    Task<TravelEstimate?> ITravelCacheGrain.GetAsync() =>
        Task.FromResult(state.State is { } s && clock.GetCurrentInstant() < s.ExpiresAt ? s.Estimate : null);

    async Task ITravelCacheGrain.PutAsync(TravelEstimate estimate, Duration timeToLive)
    {
        var next = new TravelCacheState(estimate, clock.GetCurrentInstant() + timeToLive);
        if (next == state.State) return;
        state.State = next;
        await state.WriteStateAsync();
    }
}
