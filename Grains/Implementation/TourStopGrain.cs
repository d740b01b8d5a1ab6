using NodaTime;
using TourPlanner.Grains.Domain;

namespace TourPlanner.Grains.Implementation;

/// <summary>
/// One stop's logistics (lodging, parking, entrance, interpreter, notes). The tour's log arbitrates dates and events;
/// this is the host group's own information about its stop, so it lives beside the log, one small record per stop.
/// </summary>
public sealed class TourStopGrain([PersistentState("logistics")] IPersistentState<StopLogistics> state, IClock clock) : Grain, ITourStopGrain
{
    Task<StopLogistics> ITourStopGrain.GetLogisticsAsync() => Task.FromResult(state.RecordExists ? state.State : StopLogistics.Empty);

    async Task<Outcome<StopLogistics>> ITourStopGrain.SetLogisticsAsync(string tourId, LogisticsPatch patch, Principal by)
    {
        var current = state.RecordExists ? state.State : StopLogistics.Empty;
        var outcome = StopLogisticsRules.Apply(this.GetPrimaryKeyString(), current, tourId, patch, by, clock.GetCurrentInstant());
        if (!outcome.IsOk || outcome.Value == current) return outcome;
        state.State = outcome.Value!;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // Nobody may read a change that was not stored.
            state.State = current;
            throw;
        }
        return outcome;
    }

    async Task ITourStopGrain.ForgetAsync()
    {
        if (state.RecordExists) await state.ClearStateAsync();
        state.State = StopLogistics.Empty;
        DeactivateOnIdle();
    }
}
