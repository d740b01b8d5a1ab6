using System.Net;
using TourPlanner.Tests.Infrastructure;
using TourPlanner.Tests.Storage.Postgres;

namespace TourPlanner.Tests.Cluster;

/// <summary><c>/healthz</c> says the process runs; <c>/readyz</c> says it can serve: silo active or cluster reachable, store answering.</summary>
[Collection(MultiProcessCollection.Name)]
public sealed class ReadinessTests
{
    [Fact]
    public async Task A_client_gateway_is_live_but_not_ready_once_its_only_silo_is_gone()
    {
        await using var host = ClusterHost.OnPostgres(await (await PostgresServer.GetAsync()).CreateDatabaseAsync("ready"), TimeSpan.FromSeconds(5));
        var silo = await host.StartSiloAsync("silo");
        var gateway = await host.StartGatewayAsync("gateway"); // returns once /readyz is 200

        silo.Kill9();

        var status = await Eventually.ValueAsync(async () => (await gateway.Http.GetAsync("/readyz")).StatusCode, s => s == HttpStatusCode.ServiceUnavailable, 60);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        using var problem = await gateway.Http.GetAsync("/readyz");
        Assert.Equal("application/problem+json", problem.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, (await gateway.Http.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task An_embedded_gateway_whose_database_file_is_gone_is_live_but_not_ready()
    {
        await using var host = ClusterHost.OnSqlite();
        var gateway = await host.StartGatewayAsync("embedded", coHostSilo: true);

        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(host.SqliteFile)!, "tourplanner.db*")) File.Delete(file);

        using var ready = await gateway.Http.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await gateway.Http.GetAsync("/healthz")).StatusCode);
    }
}
