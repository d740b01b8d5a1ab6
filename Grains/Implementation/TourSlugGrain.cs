namespace TourPlanner.Grains.Implementation;

/// <summary>The slug grain's durable state.</summary>
[GenerateSerializer, Immutable]
public sealed record SlugState([property: Id(0)] string? TourId);

/// <summary>Owns one public slug, so two tours can never share it.</summary>
public sealed class TourSlugGrain([PersistentState("slug")] IPersistentState<SlugState> state) : Grain, ITourSlugGrain
{
    async Task<bool> ITourSlugGrain.ReserveAsync(string tourId)
    {
        if (state.State?.TourId is { } owner) return owner == tourId;
        state.State = new SlugState(tourId);
        await state.WriteStateAsync();
        return true;
    }

    async Task ITourSlugGrain.ReleaseAsync(string tourId)
    {
        if (state.State?.TourId != tourId) return;
        await state.ClearStateAsync();
        state.State = new SlugState(null);
        DeactivateOnIdle();
    }

    Task<string?> ITourSlugGrain.GetTourIdAsync()
    {
        // A slug nobody reserved must not keep an activation alive: anyone can ask for any slug.
        if (state.State?.TourId is null) DeactivateOnIdle();
        return Task.FromResult(state.State?.TourId);
    }
}

/// <summary>Remembers a deleted tour or slug under a hash, so its pages answer 410 Gone while nothing of it stays readable.</summary>
public sealed class GoneGrain([PersistentState("gone")] IPersistentState<GoneState> state) : Grain, IGoneGrain
{
    async Task IGoneGrain.MarkAsync(NodaTime.Instant at)
    {
        if (state.State?.DeletedAt is not null) return;
        state.State = new GoneState { DeletedAt = at };
        await state.WriteStateAsync();
    }

    Task<NodaTime.Instant?> IGoneGrain.DeletedAtAsync()
    {
        if (state.State?.DeletedAt is null) DeactivateOnIdle();
        return Task.FromResult(state.State?.DeletedAt);
    }
}
