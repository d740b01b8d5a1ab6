using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;
using Orleans.Storage;
using Orleans.TestingHost;
using TourPlanner.Grains;
using TourPlanner.Grains.Implementation;
using TourPlanner.Silo;
using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Grains;

/// <summary>
/// An in-memory grain storage whose writes of the tour log can be held at a gate: it shows, by order and not by
/// timing, what readers see while a command's write is in flight.
/// </summary>
public sealed class GatedStorage : IGrainStorage
{
    private readonly ConcurrentDictionary<string, (byte[] Bytes, string ETag)> _rows = new();
    private readonly Orleans.Serialization.Serializer _serializer;
    private TaskCompletionSource _gate = Open();
    public TaskCompletionSource WriteHeld { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public int Writes;
    public bool FailNext;

    public GatedStorage(Orleans.Serialization.Serializer serializer) => _serializer = serializer;

    private static TaskCompletionSource Open()
    {
        var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        tcs.SetResult();
        return tcs;
    }

    public void Close()
    {
        _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        WriteHeld = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public void Release() => _gate.TrySetResult();

    private static string Key(string name, GrainId id) => $"{name}|{id}";

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (_rows.TryGetValue(Key(stateName, grainId), out var row))
        {
            grainState.State = _serializer.Deserialize<T>(row.Bytes);
            grainState.ETag = row.ETag;
            grainState.RecordExists = true;
        }
        return Task.CompletedTask;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (stateName == TourLog.StateName)
        {
            WriteHeld.TrySetResult();
            await _gate.Task;
            if (FailNext)
            {
                FailNext = false;
                throw new IOException("The disk went away.");
            }
        }
        var key = Key(stateName, grainId);
        var current = _rows.TryGetValue(key, out var row) ? row.ETag : null;
        if (current != grainState.ETag) throw new InconsistentStateException("ETag mismatch", current, grainState.ETag);
        var etag = Guid.NewGuid().ToString("N");
        _rows[key] = (_serializer.SerializeToArray(grainState.State), etag);
        grainState.ETag = etag;
        grainState.RecordExists = true;
        Interlocked.Increment(ref Writes);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        _rows.TryRemove(Key(stateName, grainId), out _);
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }
}

public sealed class GatedClusterFixture : IAsyncLifetime
{
    public FakeClock Clock { get; } = new(ClusterFixture.Epoch);
    public InProcessTestCluster Cluster { get; private set; } = null!;
    public GatedStorage Storage => (GatedStorage)Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>("Default");

    public async Task InitializeAsync()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:Provider"] = "memory" }).Build();
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton<IClock>(Clock);
            silo.AddTourPlannerGrainServices(config);
            silo.Services.AddKeyedSingleton<IGrainStorage>("Default", (sp, _) => new GatedStorage(sp.GetRequiredService<Orleans.Serialization.Serializer>()));
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        Storage.Release();
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }
}

public class TourLogTests(GatedClusterFixture fixture) : IClassFixture<GatedClusterFixture>
{
    private static readonly LocalDate Oct28 = new(2026, 10, 28);

    [Fact]
    public async Task WhileAClaimIsBeingStored_ReadsComplete_AndShowTheLastStoredVersion()
    {
        var s = await new Scenario(fixture.Cluster.Client).CreateAsync();
        var host = await s.HostAsync();
        fixture.Storage.Close();
        var submitting = s.Tour.SubmitClaimAsync(host, Scenario.Claim([Oct28]));
        await fixture.Storage.WriteHeld.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // The claim's write is held: reads are answered anyway, from what is stored, without the claim.
        var reads = Task.WhenAll(s.Tour.GetClaimsAsync(), s.Tour.GetClaimsAsync());
        var done = await Task.WhenAny(reads, Task.Delay(TimeSpan.FromSeconds(30)));
        Assert.Same(reads, done);
        Assert.All(await reads, claims => Assert.Empty(claims));
        Assert.NotNull(await s.Tour.GetFeedStampAsync());
        Assert.Equal(Role.Anonymous, (await s.Tour.AuthenticateAsync("nonsense"))!.Role);
        Assert.False(submitting.IsCompleted);

        fixture.Storage.Release();
        var receipt = await submitting;
        Assert.True(receipt.IsOk);
        Assert.Equal(receipt.Value!.Claim.ClaimId, Assert.Single(await s.Tour.GetClaimsAsync()).ClaimId);
    }

    [Fact]
    public async Task AWriteThatFails_IsNotAcknowledged_NotVisible_AndTheTourReloadsFromWhatIsStored()
    {
        var s = await new Scenario(fixture.Cluster.Client).CreateAsync();
        var host = await s.HostAsync();
        fixture.Storage.FailNext = true;
        await Assert.ThrowsAnyAsync<Exception>(() => s.Tour.SubmitClaimAsync(host, Scenario.Claim([Oct28])));
        Assert.Empty(await s.Tour.GetClaimsAsync());
        var retried = await s.Tour.SubmitClaimAsync(host, Scenario.Claim([Oct28]));
        Assert.True(retried.IsOk, retried.Detail);
        Assert.Equal(1, retried.Value!.Claim.Rank);
    }

    [Fact]
    public async Task ManyChanges_SpanSeveralSegments_AndAReloadedTourIsTheSame()
    {
        var s = await new Scenario(fixture.Cluster.Client).CreateAsync();
        var host = await s.HostAsync();
        for (var i = 0; i < 80; i++)
            Assert.True((await s.Tour.SubmitClaimAsync(host, Scenario.Claim([Oct28.PlusDays(i % 10)]))).IsOk);
        var before = await s.Tour.GetClaimsAsync();
        var stops = await s.Tour.GetStopsAsync(publishedOnly: false);

        // Deactivate and read back from the segment rows.
        await fixture.Cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var after = await s.Tour.GetClaimsAsync();
        Assert.Equal(before.Select(c => (c.ClaimId, c.Rank, c.Status)), after.Select(c => (c.ClaimId, c.Rank, c.Status)));
        Assert.Equal(stops.Select(x => x.StopId), (await s.Tour.GetStopsAsync(publishedOnly: false)).Select(x => x.StopId));
        Assert.True(fixture.Storage.Writes >= 82);
    }

    [Fact]
    public async Task AnIdNobodyCreated_DoesNotKeepAnActivationAlive()
    {
        var management = fixture.Cluster.Client.GetGrain<IManagementGrain>(0);
        async Task<int> Tours() => (await management.GetSimpleGrainStatistics()).Where(g => g.GrainType.Contains(nameof(TourGrain))).Sum(g => g.ActivationCount);
        var before = await Tours();
        for (var i = 0; i < 50; i++)
            Assert.Null(await fixture.Cluster.Client.GetGrain<ITourGrain>($"t_nobody{i:D10}").GetAsync());
        Assert.True(await Eventually.ValueAsync(Tours, n => n <= before) <= before);
    }
}
