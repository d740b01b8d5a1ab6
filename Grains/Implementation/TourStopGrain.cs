namespace TourPlanner.Grains.Implementation;

/// <summary>The stop grain's durable state.</summary>
[GenerateSerializer, Immutable]
public sealed record StopState([property: Id(0)] StopSnapshot? Stop);

/// <summary>Keeps one stop. Only its tour grain writes it, so a version check is enough to catch a stale writer.</summary>
public sealed class TourStopGrain([PersistentState("stop")] IPersistentState<StopState> state) : Grain, ITourStopGrain
{
    async Task ITourStopGrain.CreateAsync(StopSnapshot stop)
    {
        if (state.State?.Stop is not null) throw new InvalidOperationException($"Stop {stop.StopId} exists already.");
        state.State = new StopState(stop with { Version = 1 });
        await state.WriteStateAsync();
    }

    Task<StopSnapshot?> ITourStopGrain.GetAsync() => Task.FromResult(state.State?.Stop);

    async Task<StopSnapshot> ITourStopGrain.SaveAsync(StopSnapshot next)
    {
        var current = state.State?.Stop ?? throw new InvalidOperationException($"Stop {next.StopId} does not exist.");
        if (next.Version != current.Version)
            throw new InvalidOperationException($"Stop {next.StopId} changed meanwhile (version {current.Version}, got {next.Version}).");
        if (next == current) return current;
        state.State = new StopState(next with { Version = current.Version + 1 });
        await state.WriteStateAsync();
        return state.State.Stop!;
    }
}
