using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Storage;
using TourPlanner.Silo.Storage;

namespace TourPlanner.Tests.Storage;

/// <summary>The per-connection SQLite settings the providers depend on for durability and concurrency.</summary>
public sealed class SqliteConnectionSettingsTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task Provider_connections_commit_with_synchronous_full_and_wait_on_a_busy_database()
    {
        using var database = new SqliteDatabase(_db.ConnectionString);
        await using var connection = await database.OpenAsync(CancellationToken.None);

        Assert.Equal(2L, await connection.ScalarAsync("PRAGMA synchronous;", CancellationToken.None)); // 2 = FULL
        Assert.True((long)(await connection.ScalarAsync("PRAGMA busy_timeout;", CancellationToken.None))! >= 5_000);
    }

    [Fact]
    public async Task A_write_waits_for_another_connections_write_lock_instead_of_failing()
    {
        using var storage = new SqliteGrainStorage(
            "test",
            new SqliteStorageOptions { ConnectionString = _db.ConnectionString },
            TestSerializer.Instance,
            NullLogger<SqliteGrainStorage>.Instance);
        var grain = GrainId.Create("trip", "locked");
        await storage.ReadStateAsync("trip", grain, new GrainState<TripState>(new TripState()));

        await using var blocker = new SqliteConnection(_db.ConnectionString);
        await blocker.OpenAsync();
        var lockHolder = blocker.BeginTransaction(deferred: false);
        // Task.Run because Microsoft.Data.Sqlite's async methods complete synchronously, so the wait would block this thread.
        var write = Task.Run(() => storage.WriteStateAsync("trip", grain, new GrainState<TripState>(new TripState { Title = "after the lock" })));
        await Task.WhenAny(write, Task.Delay(TimeSpan.FromMilliseconds(200)));
        Assert.False(write.IsCompleted, "The write should still be waiting for the lock.");

        lockHolder.Commit();
        await write.WaitAsync(TimeSpan.FromSeconds(10));

        var read = new GrainState<TripState>(new TripState());
        await storage.ReadStateAsync("trip", grain, read);
        Assert.Equal("after the lock", read.State!.Title);
    }
}
