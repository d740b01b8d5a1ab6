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

    Task<string?> ITourSlugGrain.GetTourIdAsync()
    {
        // A slug nobody reserved must not keep an activation alive: anyone can ask for any slug.
        if (state.State?.TourId is null) DeactivateOnIdle();
        return Task.FromResult(state.State?.TourId);
    }
}
