using Microsoft.AspNetCore.HttpLogging;
using Orleans.Configuration;
using TourPlanner.Silo;
using TourPlanner.Silo.Storage.Postgres;

namespace TourPlanner.Gateway.Infrastructure;

/// <summary>How the Gateway reaches the grains, and what it writes to the log.</summary>
internal static class OrleansHosting
{
    /// <summary>
    /// A co-hosted silo (<c>Gateway:CoHostSilo</c>, the default), or a pure client of the cluster: on PostgreSQL it finds
    /// the silos' gateways in the membership table, on SQLite it dials the one local silo.
    /// </summary>
    public static void AddTourPlannerOrleans(this WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        if (config.GetValue("Gateway:CoHostSilo", true))
        {
            builder.AddTourPlannerSilo();
            return;
        }

        var storage = StorageSettings.From(config);
        var cluster = ClusterSettings.From(config);
        if (storage.Provider == StorageSettings.Postgres)
            builder.Services.AddHostedService(_ => new PostgresSchemaCheck(storage.ConnectionString, PostgresSchema.ClientNeeds));
        builder.Services.AddSingleton<ClusterConnection>();
        builder.UseOrleansClient(client =>
        {
            if (storage.Provider == StorageSettings.Postgres)
            {
                client.UseAdoNetClustering(o =>
                {
                    o.Invariant = PostgresConnection.Invariant;
                    o.ConnectionString = storage.ConnectionString;
                });
                client.Configure<ClusterOptions>(cluster.Apply);
            }
            else
            {
                client.UseLocalhostClustering(cluster.GatewayPort, cluster.ServiceId, cluster.ClusterId);
            }

            client.Services.AddOptions<ClientMessagingOptions>().Bind(config.GetSection("Orleans:Messaging"));
            client.AddClusterConnectionStatusObserver<ClusterConnection>();
            // Silos may start after this Gateway: keep dialling (readiness says 503 meanwhile) until the host stops.
            client.UseConnectionRetryFilter(async (_, ct) =>
            {
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
                return !ct.IsCancellationRequested;
            });
        });
    }

    /// <summary>
    /// One line per request (method, path, status, duration) and nothing else: no query string, so a feed's
    /// <c>?token=</c> never reaches a log, and no headers, so neither does <c>Authorization</c>.
    /// </summary>
    public static void AddTourPlannerRequestLogging(this WebApplicationBuilder builder) =>
        builder.Services.AddHttpLogging(o =>
        {
            o.LoggingFields = HttpLoggingFields.RequestMethod | HttpLoggingFields.RequestPath | HttpLoggingFields.ResponseStatusCode | HttpLoggingFields.Duration;
            o.RequestHeaders.Clear();
            o.ResponseHeaders.Clear();
            o.CombineLogs = true;
        });
}
