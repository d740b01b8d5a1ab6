using Microsoft.Extensions.Hosting;

namespace TourPlanner.Silo.Storage.Postgres;

/// <summary>Refuses to start on a database without Orleans's schema, before Orleans itself opens it.</summary>
public sealed class PostgresSchemaCheck(string connectionString, SchemaNeeds needs) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => PostgresSchema.EnsureAsync(connectionString, needs, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
