using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Storage;
using TourPlanner.Silo.Storage;
using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Storage;

/// <summary>Group commit: concurrent writes share a transaction, each still checks its own ETag and is acknowledged only after the commit.</summary>
public sealed class SqliteGroupCommitTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task A_stale_write_in_a_batch_fails_alone_and_its_neighbours_commit_in_the_same_transaction()
    {
        using var storage = NewStorage();
        var good1 = GrainId.Create("trip", "good-1");
        var stale = GrainId.Create("trip", "stale");
        var good2 = GrainId.Create("trip", "good-2");
        var staleState = new GrainState<TripState>(Trip("stale v1"));
        await storage.WriteStateAsync("trip", stale, staleState);
        var staleEtag = staleState.ETag;
        staleState.State!.Title = "stale v2";
        await storage.WriteStateAsync("trip", stale, staleState);

        // Hold the file's write lock so the writer loop stalls on a first write while three more queue up behind it.
        await using var blocker = new SqliteConnection(_db.ConnectionString);
        await blocker.OpenAsync();
        var lockHolder = blocker.BeginTransaction(deferred: false);
        var opener = Task.Run(() => storage.WriteStateAsync("trip", GrainId.Create("trip", "opener"), new GrainState<TripState>(Trip("opener"))));
        Assert.Equal(1, await Eventually.ValueAsync(() => Task.FromResult(storage.WritesInFlight), taken => taken == 1)); // the loop holds the opener
        var commitsBefore = storage.CommitCount;
        var writes = new[]
        {
            Task.Run(() => storage.WriteStateAsync("trip", good1, new GrainState<TripState>(Trip("good 1")))),
            Task.Run(() => storage.WriteStateAsync("trip", stale, new GrainState<TripState>(Trip("stale v3"), staleEtag) { RecordExists = true })),
            Task.Run(() => storage.WriteStateAsync("trip", good2, new GrainState<TripState>(Trip("good 2")))),
        };
        Assert.Equal(3, await Eventually.ValueAsync(() => Task.FromResult(storage.QueuedWrites), queued => queued == 3));
        Assert.All(writes, w => Assert.False(w.IsCompleted, "Nothing is acknowledged before its transaction commits."));

        lockHolder.Commit();
        await opener.WaitAsync(TimeSpan.FromSeconds(30));
        await writes[0].WaitAsync(TimeSpan.FromSeconds(30));
        await writes[2].WaitAsync(TimeSpan.FromSeconds(30));
        await Assert.ThrowsAsync<InconsistentStateException>(() => writes[1].WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Equal(commitsBefore + 2, storage.CommitCount); // the opener's transaction, then one for all three
        Assert.Equal("good 1", (await ReadAsync(storage, good1)).State!.Title);
        Assert.Equal("good 2", (await ReadAsync(storage, good2)).State!.Title);
        Assert.Equal("stale v2", (await ReadAsync(storage, stale)).State!.Title);
    }

    [Fact]
    public async Task Five_hundred_concurrent_writers_are_all_durable_after_reopening_the_file_and_share_transactions()
    {
        var grains = Enumerable.Range(0, 500).Select(i => GrainId.Create("trip", $"writer-{i}")).ToList();
        var etags = new Dictionary<GrainId, string?>();
        long commits;
        using (var storage = NewStorage())
        {
            var states = grains.ToDictionary(g => g, g => new GrainState<TripState>(Trip($"{g} v1")));
            await Task.WhenAll(grains.Select(g => Task.Run(() => storage.WriteStateAsync("trip", g, states[g]))));
            await Task.WhenAll(grains.Select(g => Task.Run(() =>
            {
                states[g].State!.Title = $"{g} v2";
                return storage.WriteStateAsync("trip", g, states[g]);
            })));
            commits = storage.CommitCount;
            foreach (var g in grains) etags[g] = states[g].ETag;
        }

        Assert.True(commits < 1000, $"1000 writes took {commits} transactions: concurrent writes should share them.");
        using var reopened = NewStorage();
        foreach (var g in grains)
        {
            var read = await ReadAsync(reopened, g);
            Assert.Equal($"{g} v2", read.State!.Title);
            Assert.Equal(etags[g], read.ETag);
        }

        Assert.Equal(500L, await _db.ScalarAsync<long>("SELECT COUNT(*) FROM grain_state"));
    }

    [Fact]
    public async Task A_batch_never_holds_more_writes_than_its_bound()
    {
        using var storage = new SqliteGrainStorage("test",
            new SqliteStorageOptions { ConnectionString = _db.ConnectionString, MaxBatchWrites = 4 },
            TestSerializer.Instance, NullLogger<SqliteGrainStorage>.Instance);
        await storage.WriteStateAsync("trip", GrainId.Create("trip", "warm"), new GrainState<TripState>(Trip("warm")));
        await using var blocker = new SqliteConnection(_db.ConnectionString);
        await blocker.OpenAsync();
        var lockHolder = blocker.BeginTransaction(deferred: false);
        var opener = Task.Run(() => storage.WriteStateAsync("trip", GrainId.Create("trip", "opener"), new GrainState<TripState>(Trip("opener"))));
        Assert.Equal(1, await Eventually.ValueAsync(() => Task.FromResult(storage.WritesInFlight), taken => taken == 1)); // the loop holds the opener
        var before = storage.CommitCount;
        var writes = Enumerable.Range(0, 12).Select(i => Task.Run(() =>
            storage.WriteStateAsync("trip", GrainId.Create("trip", $"bounded-{i}"), new GrainState<TripState>(Trip($"{i}"))))).ToList();
        await Eventually.ValueAsync(() => Task.FromResult(storage.QueuedWrites), queued => queued == 12);

        lockHolder.Commit();
        await Task.WhenAll(writes.Append(opener)).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(before + 1 + 3, storage.CommitCount); // the opener, then 12 writes in batches of 4
    }

    private SqliteGrainStorage NewStorage() => new("test", new SqliteStorageOptions { ConnectionString = _db.ConnectionString },
        TestSerializer.Instance, NullLogger<SqliteGrainStorage>.Instance);

    private static async Task<GrainState<TripState>> ReadAsync(IGrainStorage storage, GrainId grainId)
    {
        var state = new GrainState<TripState>(new TripState());
        await storage.ReadStateAsync("trip", grainId, state);
        return state;
    }

    private static TripState Trip(string title) => new() { Title = title, Stops = ["Porto"] };
}
