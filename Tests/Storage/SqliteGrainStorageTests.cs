using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Storage;
using TourPlanner.Silo.Storage;

namespace TourPlanner.Tests.Storage;

/// <summary>The grain storage contract on the embedded SQLite provider, plus what only a file has.</summary>
public sealed class SqliteGrainStorageTests : GrainStorageConformance
{
    private readonly TempDatabase _db = new();

    protected override bool ConflictsCarryEtags => true;

    protected override Task<IGrainStorage> CreateStorageAsync() => Task.FromResult<IGrainStorage>(new SqliteGrainStorage(
        "test",
        new SqliteStorageOptions { ConnectionString = _db.ConnectionString },
        TestSerializer.Instance,
        NullLogger<SqliteGrainStorage>.Instance));

    protected override Task ReleaseAsync(IGrainStorage storage)
    {
        ((SqliteGrainStorage)storage).Dispose();
        return Task.CompletedTask;
    }

    protected override async Task<long> CountRowsAsync() => await _db.ScalarAsync<long>("SELECT COUNT(*) FROM grain_state");

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _db.Dispose();
    }

    [Fact]
    public async Task Clearing_forgets_the_etag_so_the_next_write_creates_the_row_afresh()
    {
        var storage = await NewStorageAsync();
        var state = new GrainState<TripState>(SampleTrip("to clear"));
        await storage.WriteStateAsync(StateName, Trip42, state);

        await storage.ClearStateAsync(StateName, Trip42, state);

        Assert.Null(state.ETag);
    }

    [Fact]
    public async Task The_database_file_is_created_in_wal_journal_mode()
    {
        await (await NewStorageAsync()).WriteStateAsync(StateName, Trip42, new GrainState<TripState>(SampleTrip("wal")));

        Assert.True(File.Exists(_db.FilePath));
        Assert.Equal("wal", await _db.ScalarAsync<string>("PRAGMA journal_mode"));
    }
}
