using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.TestingHost;
using TourPlanner.Silo.Storage;

namespace TourPlanner.Tests.Storage;

/// <summary>An in-process Orleans cluster using SQLite as default grain storage and as reminder table.</summary>
public sealed class SqliteClusterFixture : IAsyncLifetime
{
    public TempDatabase Database { get; } = new();

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await StartClusterAsync();

    /// <summary>Stops every silo and starts a brand-new cluster on the same SQLite file.</summary>
    public async Task RestartClusterAsync()
    {
        await StopClusterAsync();
        Cluster = await StartClusterAsync();
    }

    public async Task DisposeAsync()
    {
        await StopClusterAsync();
        Database.Dispose();
    }

    private async Task StopClusterAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }

    private async Task<InProcessTestCluster> StartClusterAsync()
    {
        var connectionString = Database.ConnectionString;
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddSqliteGrainStorageAsDefault(options => options.ConnectionString = connectionString);
            silo.UseSqliteReminderService(options => options.ConnectionString = connectionString);
            // The production minimum is a minute; one second keeps the restart test short.
            silo.Services.Configure<ReminderOptions>(options => options.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
        });

        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }
}

/// <summary>Tests sharing one SQLite-backed cluster run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class SqliteClusterCollection : ICollectionFixture<SqliteClusterFixture>
{
    public const string Name = "SQLite-backed Orleans cluster";
}
