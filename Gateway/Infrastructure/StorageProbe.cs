using TourPlanner.Grains;
using TourPlanner.Silo;
using TourPlanner.Silo.Storage;

namespace TourPlanner.Gateway.Infrastructure;

/// <summary>Healthy when the store answers: the SQLite file takes a query, and a grain round trip completes.</summary>
public sealed class StorageProbe(IGrainFactory grains, IConfiguration config)
{
    public async Task<bool> IsHealthyAsync(CancellationToken ct)
    {
        try
        {
            var storage = StorageSettings.From(config);
            if (storage.Provider == "sqlite" && config.GetValue("Gateway:CoHostSilo", true) &&
                !await SqliteHealth.PingAsync(storage.ConnectionString, ct))
                return false;
            await grains.GetGrain<ITourSlugGrain>("__healthz").GetTourIdAsync().WaitAsync(TimeSpan.FromSeconds(5), ct);
            return true;
        }
        catch (Exception e) when (e is TimeoutException or OrleansException or InvalidOperationException)
        {
            return false;
        }
    }
}
