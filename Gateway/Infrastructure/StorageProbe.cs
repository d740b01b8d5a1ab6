using TourPlanner.Grains;

namespace TourPlanner.Gateway.Infrastructure;

/// <summary>Asks the store through a grain round trip: a slug grain reads its state when it activates.</summary>
public sealed class StorageProbe(IGrainFactory grains)
{
    public async Task<bool> IsHealthyAsync(CancellationToken ct)
    {
        try
        {
            await grains.GetGrain<ITourSlugGrain>("__healthz").GetTourIdAsync().WaitAsync(TimeSpan.FromSeconds(5), ct);
            return true;
        }
        catch (Exception e) when (e is TimeoutException or OrleansException or InvalidOperationException)
        {
            return false;
        }
    }
}
