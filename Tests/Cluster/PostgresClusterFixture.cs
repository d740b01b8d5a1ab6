using TourPlanner.Tests.Storage.Postgres;

namespace TourPlanner.Tests.Cluster;

/// <summary>Two silos and two client Gateways, separate processes on loopback, sharing one fresh PostgreSQL database.</summary>
public sealed class PostgresClusterFixture : IAsyncLifetime
{
    public ClusterHost Host { get; private set; } = null!;
    public GatewayNode GatewayA { get; private set; } = null!;
    public GatewayNode GatewayB { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var server = await PostgresServer.GetAsync();
        Host = ClusterHost.OnPostgres(await server.CreateDatabaseAsync("cluster"));
        await Task.WhenAll(Host.StartSiloAsync("silo-1"), Host.StartSiloAsync("silo-2"));
        var gateways = await Task.WhenAll(Host.StartGatewayAsync("gateway-a"), Host.StartGatewayAsync("gateway-b"));
        (GatewayA, GatewayB) = (gateways[0], gateways[1]);
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>The multi-process tests run one at a time: each starts several .NET processes on a 2-core machine.</summary>
[CollectionDefinition(Name)]
public sealed class MultiProcessCollection : ICollectionFixture<PostgresClusterFixture>
{
    public const string Name = "multi-process cluster";
}
