using Orleans.Runtime;
using TourPlanner.Grains;
using TourPlanner.Silo;
using TourPlanner.Silo.Storage;
using TourPlanner.Silo.Storage.Postgres;

namespace TourPlanner.Gateway.Infrastructure;

/// <summary>
/// Whether a client Gateway still reaches the cluster. Orleans starts the client only once it has connected, and
/// reports later changes here; it does not report that first connection, hence "connected" to begin with.
/// </summary>
public sealed class ClusterConnection : IClusterConnectionStatusObserver
{
    private volatile bool _connected = true;

    public bool IsConnected => _connected;

    public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered) =>
        _connected = currentNumberOfGateways > 0;

    public void NotifyClusterConnectionLost() => _connected = false;
}

/// <summary>
/// Readiness (<c>GET /readyz</c>): a co-hosted silo whose membership is active, or a client Gateway connected to the
/// cluster, and a store that answers. Liveness (<c>/healthz</c>) never comes here: it touches nothing.
/// </summary>
public sealed class Readiness(IServiceProvider services, IConfiguration config)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);

    /// <summary>Null when ready; otherwise what is not.</summary>
    public async Task<Text?> NotReadyBecauseAsync(CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Deadline);
        var storage = StorageSettings.From(config);
        if (config.GetValue("Gateway:CoHostSilo", true))
        {
            var membership = services.GetRequiredService<IClusterMembershipService>();
            var self = services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
            var status = membership.CurrentSnapshot.GetSiloStatus(self);
            if (status != SiloStatus.Active) return Text.Of(RequestCodes.SiloNotActive, Arg.Plain("status", status.ToString()));
            var answers = storage.Provider switch
            {
                StorageSettings.Sqlite => await SqliteHealth.PingAsync(storage.ConnectionString, timeout.Token),
                StorageSettings.Postgres => await PostgresHealth.PingAsync(storage.ConnectionString, timeout.Token),
                _ => true,
            };
            return answers ? null : Text.Of(RequestCodes.StoreUnavailable);
        }

        if (!services.GetRequiredService<ClusterConnection>().IsConnected) return Text.Of(RequestCodes.ClusterNotConnected);
        if (storage.Provider == StorageSettings.Postgres && !await PostgresHealth.PingAsync(storage.ConnectionString, timeout.Token))
            return Text.Of(RequestCodes.StoreUnavailable);
        try
        {
            // A round trip through a silo: the cluster answers, not just a socket.
            await services.GetRequiredService<IGrainFactory>().GetGrain<ITourSlugGrain>("__readyz").GetTourIdAsync().WaitAsync(timeout.Token);
            return null;
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException or OrleansException or InvalidOperationException)
        {
            return Text.Of(RequestCodes.ClusterSilent);
        }
    }
}
