using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;
using Orleans.TestingHost;
using TourPlanner.Silo;

namespace TourPlanner.Tests.Infrastructure;

/// <summary>An in-process Orleans cluster with the real grains, a fake clock and the configured storage.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public static readonly Instant Epoch = Instant.FromUtc(2026, 10, 1, 12, 0);

    public FakeClock Clock { get; } = new(Epoch);
    public InProcessTestCluster Cluster { get; private set; } = null!;
    public IGrainFactory Grains => Cluster.Client;
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "tourplanner-tests", Guid.NewGuid().ToString("N"));

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(DataDirectory);
        Cluster = Build(Clock, Settings(DataDirectory));
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
    }

    public static Dictionary<string, string?> Settings(string dataDirectory) => new()
    {
        ["Storage:Provider"] = "sqlite",
        ["Storage:ConnectionString"] = $"Data Source={Path.Combine(dataDirectory, "grains.db")}",
        ["Holds:SweepPeriod"] = "00:00:01",
    };

    /// <summary>A one-silo cluster with the given clock and settings (used again to restart on the same file).</summary>
    public static InProcessTestCluster Build(IClock clock, Dictionary<string, string?> settings)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton(clock);
            silo.AddTourPlannerGrainServices(config);
        });
        return builder.Build();
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
