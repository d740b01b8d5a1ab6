using NodaTime;
using Orleans.Serialization;
using TourPlanner.Grains.Domain;

namespace TourPlanner.Grains.Implementation;

/// <summary>
/// One stop's logistics (lodging, parking, entrance, interpreter, notes). The tour's log arbitrates dates and events;
/// this is the host group's own information about its stop, so it lives beside the log, one small record per stop.
/// Where a speaker sleeps is what an opponent would look for, so the row holds it only sealed with the tour's data key
/// (the tour grain seals and opens; it alone holds the key): a copy of the database reveals nothing, and purging or
/// deleting the tour shreds it with the rest even before the row is removed.
/// </summary>
public sealed class TourStopGrain(
    [PersistentState("logistics")] IPersistentState<StopLogistics> state, IClock clock, Serializer serializer) : Grain, ITourStopGrain
{
    /// <summary>The logistics opened (null until first read: opening asks the tour grain, never during activation).</summary>
    private StopLogistics? _open;

    async Task<StopLogistics> ITourStopGrain.GetLogisticsAsync() => await OpenAsync();

    async Task<Outcome<StopLogistics>> ITourStopGrain.SetLogisticsAsync(string tourId, LogisticsPatch patch, Principal by)
    {
        var current = await OpenAsync();
        var outcome = StopLogisticsRules.Apply(this.GetPrimaryKeyString(), current, tourId, patch, by, clock.GetCurrentInstant());
        if (!outcome.IsOk || outcome.Value == current) return outcome;
        var next = outcome.Value!;
        var fields = serializer.SerializeToArray(Fields(next));
        var sealedFields = await GrainFactory.GetGrain<ITourGrain>(next.TourId ?? tourId).SealAsync(fields);
        if (sealedFields is null) return Outcome<StopLogistics>.NotFound(Text.Of(Codes.TourNotFound));
        var stored = state.State;
        state.State = next with { Lodging = null, Parking = null, Entrance = null, Interpreter = null, Notes = null, Sealed = sealedFields };
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // Nobody may read a change that was not stored.
            state.State = stored;
            throw;
        }
        _open = next;
        return outcome;
    }

    async Task ITourStopGrain.ForgetAsync()
    {
        if (state.RecordExists) await state.ClearStateAsync();
        state.State = StopLogistics.Empty;
        _open = StopLogistics.Empty;
        DeactivateOnIdle();
    }

    private async Task<StopLogistics> OpenAsync()
    {
        if (_open is not null) return _open;
        if (!state.RecordExists) return _open = StopLogistics.Empty;
        var row = state.State;
        if (row.Sealed is not { } sealedFields || row.TourId is null) return _open = row; // written before sealing
        var plain = await GrainFactory.GetGrain<ITourGrain>(row.TourId).OpenAsync(sealedFields);
        // A destroyed key (the tour purged or deleted) leaves nothing to read, as for the tour's own private data.
        var fields = (plain is null ? null : serializer.Deserialize<StopLogistics>(plain)) ?? StopLogistics.Empty;
        return _open = row with
        {
            Lodging = fields.Lodging, Parking = fields.Parking, Entrance = fields.Entrance, Interpreter = fields.Interpreter, Notes = fields.Notes, Sealed = null,
        };
    }

    private static StopLogistics Fields(StopLogistics l) => new()
    {
        Lodging = l.Lodging, Parking = l.Parking, Entrance = l.Entrance, Interpreter = l.Interpreter, Notes = l.Notes,
    };
}
