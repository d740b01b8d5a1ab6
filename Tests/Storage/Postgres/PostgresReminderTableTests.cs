using Microsoft.Extensions.DependencyInjection;

namespace TourPlanner.Tests.Storage.Postgres;

/// <summary>The reminder table contract on Orleans's ADO.NET table against a real PostgreSQL; a service id per test scopes the rows.</summary>
public sealed class PostgresReminderTableTests(PostgresDatabase database) : ReminderTableConformance, IClassFixture<PostgresDatabase>
{
    private readonly string _serviceId = "test-" + Guid.NewGuid().ToString("N");
    private readonly Dictionary<IReminderTable, ServiceProvider> _hosts = [];

    protected override async Task<IReminderTable> CreateTableAsync()
    {
        var (table, services) = await AdoNetProviders.StartReminderTableAsync(database.ConnectionString, _serviceId);
        _hosts[table] = services;
        return table;
    }

    protected override async Task ReleaseAsync(IReminderTable table)
    {
        await table.StopAsync();
        await _hosts[table].DisposeAsync();
    }
}
