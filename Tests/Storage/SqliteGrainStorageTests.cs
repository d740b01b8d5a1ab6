using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;
using Orleans.Storage;
using TourPlanner.Silo.Storage;

namespace TourPlanner.Tests.Storage;

/// <summary>Conformance of <see cref="SqliteGrainStorage"/> with Orleans's grain storage contract.</summary>
public sealed class SqliteGrainStorageTests : IDisposable
{
    private const string StateName = "trip";
    private static readonly GrainId Trip42 = GrainId.Create("trip", "42");

    private readonly TempDatabase _db = new();
    private readonly List<SqliteGrainStorage> _storages = [];

    public void Dispose()
    {
        foreach (var storage in _storages)
        {
            storage.Dispose();
        }

        _db.Dispose();
    }

    [Fact]
    public async Task A_written_state_reads_back_with_its_NodaTime_values_intact()
    {
        var storage = NewStorage();
        var written = new GrainState<TripState>(SampleTrip("Lisbon"));
        await storage.WriteStateAsync(StateName, Trip42, written);

        var read = new GrainState<TripState>(new TripState());
        await storage.ReadStateAsync(StateName, Trip42, read);

        Assert.True(read.RecordExists);
        Assert.Equal(written.ETag, read.ETag);
        Assert.Equal("Lisbon", read.State!.Title);
        Assert.Equal(new LocalDate(2026, 7, 14), read.State!.StartDate);
        Assert.Equal(new LocalDateTime(2026, 7, 14, 8, 30, 15).PlusNanoseconds(123_456_789), read.State!.Departure);
        Assert.Equal(Instant.FromUtc(2026, 3, 1, 12, 0).PlusNanoseconds(987), read.State!.BookedAt);
        Assert.Equal(["Porto", "Sintra"], read.State!.Stops);
    }

    [Fact]
    public async Task Reading_state_that_was_never_written_reports_no_record_and_no_etag()
    {
        var read = new GrainState<TripState>(new TripState(), "left-over");
        await NewStorage().ReadStateAsync(StateName, Trip42, read);

        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);
    }

    [Fact]
    public async Task Every_write_gives_the_state_a_new_etag()
    {
        var storage = NewStorage();
        var state = new GrainState<TripState>(SampleTrip("v1"));
        var etags = new List<string?>();
        for (var i = 0; i < 3; i++)
        {
            state.State!.Title = $"v{i}";
            await storage.WriteStateAsync(StateName, Trip42, state);
            etags.Add(state.ETag);
        }

        Assert.All(etags, Assert.NotNull);
        Assert.Equal(3, etags.Distinct().Count());
        Assert.True(state.RecordExists);
    }

    [Fact]
    public async Task A_write_with_a_stale_etag_throws_and_leaves_the_stored_state_unchanged()
    {
        var storage = NewStorage();
        var first = new GrainState<TripState>(SampleTrip("original"));
        await storage.WriteStateAsync(StateName, Trip42, first);
        var staleEtag = first.ETag;
        first.State!.Title = "winner";
        await storage.WriteStateAsync(StateName, Trip42, first);

        var stale = new GrainState<TripState>(SampleTrip("loser"), staleEtag) { RecordExists = true };
        var error = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, Trip42, stale));

        Assert.Equal(first.ETag, error.StoredEtag);
        Assert.Equal(staleEtag, error.CurrentEtag);
        var read = await ReadAsync(storage, Trip42);
        Assert.Equal("winner", read.State!.Title);
        Assert.Equal(first.ETag, read.ETag);
    }

    [Fact]
    public async Task A_first_write_without_an_etag_throws_when_a_row_already_exists()
    {
        var storage = NewStorage();
        var existing = new GrainState<TripState>(SampleTrip("existing"));
        await storage.WriteStateAsync(StateName, Trip42, existing);

        var newcomer = new GrainState<TripState>(SampleTrip("newcomer"));
        var error = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, Trip42, newcomer));

        Assert.Equal(existing.ETag, error.StoredEtag);
        Assert.Null(error.CurrentEtag);
        Assert.Equal("existing", (await ReadAsync(storage, Trip42)).State!.Title);
    }

    [Fact]
    public async Task A_write_with_an_etag_throws_when_the_row_has_been_deleted()
    {
        var storage = NewStorage();
        var holder = new GrainState<TripState>(SampleTrip("before delete"));
        await storage.WriteStateAsync(StateName, Trip42, holder);
        var other = await ReadAsync(storage, Trip42);
        await storage.ClearStateAsync(StateName, Trip42, other);

        var error = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, Trip42, holder));

        Assert.Null(error.StoredEtag);
        Assert.False((await ReadAsync(storage, Trip42)).RecordExists);
    }

    [Fact]
    public async Task Clearing_deletes_the_row_so_a_later_read_finds_no_record()
    {
        var storage = NewStorage();
        var state = new GrainState<TripState>(SampleTrip("to clear"));
        await storage.WriteStateAsync(StateName, Trip42, state);

        await storage.ClearStateAsync(StateName, Trip42, state);

        Assert.Null(state.ETag);
        Assert.False(state.RecordExists);
        var read = await ReadAsync(storage, Trip42);
        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);
        Assert.Equal(0L, await _db.ScalarAsync<long>("SELECT COUNT(*) FROM grain_state"));
    }

    [Fact]
    public async Task Clearing_with_a_stale_etag_throws_and_keeps_the_row()
    {
        var storage = NewStorage();
        var state = new GrainState<TripState>(SampleTrip("v1"));
        await storage.WriteStateAsync(StateName, Trip42, state);
        var staleEtag = state.ETag;
        await storage.WriteStateAsync(StateName, Trip42, state);

        var stale = new GrainState<TripState>(new TripState(), staleEtag);
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync(StateName, Trip42, stale));

        Assert.True((await ReadAsync(storage, Trip42)).RecordExists);
    }

    [Fact]
    public async Task After_a_clear_the_state_can_be_written_again_from_scratch()
    {
        var storage = NewStorage();
        var state = new GrainState<TripState>(SampleTrip("first life"));
        await storage.WriteStateAsync(StateName, Trip42, state);
        await storage.ClearStateAsync(StateName, Trip42, state);

        state.State!.Title = "second life";
        await storage.WriteStateAsync(StateName, Trip42, state);

        Assert.Equal("second life", (await ReadAsync(storage, Trip42)).State!.Title);
    }

    [Fact]
    public async Task Different_grains_and_different_state_names_do_not_collide()
    {
        var storage = NewStorage();
        var trip7 = GrainId.Create("trip", "7");
        var tour42 = GrainId.Create("tour", "42");
        await storage.WriteStateAsync(StateName, Trip42, new GrainState<TripState>(SampleTrip("trip 42")));
        await storage.WriteStateAsync(StateName, trip7, new GrainState<TripState>(SampleTrip("trip 7")));
        await storage.WriteStateAsync("draft", Trip42, new GrainState<TripState>(SampleTrip("draft of trip 42")));
        await storage.WriteStateAsync(StateName, tour42, new GrainState<TripState>(SampleTrip("tour 42")));

        Assert.Equal("trip 42", (await ReadAsync(storage, Trip42)).State!.Title);
        Assert.Equal("trip 7", (await ReadAsync(storage, trip7)).State!.Title);
        Assert.Equal("draft of trip 42", (await ReadAsync(storage, Trip42, "draft")).State!.Title);
        Assert.Equal("tour 42", (await ReadAsync(storage, tour42)).State!.Title);
    }

    [Fact]
    public async Task Data_survives_disposing_the_provider_and_reopening_the_same_file()
    {
        var first = NewStorage();
        var state = new GrainState<TripState>(SampleTrip("durable"));
        await first.WriteStateAsync(StateName, Trip42, state);
        first.Dispose();
        _storages.Remove(first);

        var read = await ReadAsync(NewStorage(), Trip42);

        Assert.True(read.RecordExists);
        Assert.Equal(state.ETag, read.ETag);
        Assert.Equal("durable", read.State!.Title);
        Assert.Equal(new LocalDate(2026, 7, 14), read.State!.StartDate);
    }

    [Fact]
    public async Task The_database_file_is_created_in_wal_journal_mode()
    {
        await NewStorage().WriteStateAsync(StateName, Trip42, new GrainState<TripState>(SampleTrip("wal")));

        Assert.True(File.Exists(_db.FilePath));
        Assert.Equal("wal", await _db.ScalarAsync<string>("PRAGMA journal_mode"));
    }

    [Fact]
    public async Task Two_hundred_parallel_writers_on_different_grains_all_succeed()
    {
        var storage = NewStorage();
        var grains = Enumerable.Range(0, 200).Select(i => GrainId.Create("trip", $"parallel-{i}")).ToList();

        await Task.WhenAll(grains.Select(grain => Task.Run(async () =>
        {
            var state = new GrainState<TripState>(SampleTrip($"{grain} v1"));
            await storage.WriteStateAsync(StateName, grain, state);
            state.State!.Title = $"{grain} v2";
            await storage.WriteStateAsync(StateName, grain, state);
        })));

        Assert.Equal(200L, await _db.ScalarAsync<long>("SELECT COUNT(*) FROM grain_state"));
        foreach (var grain in grains)
        {
            Assert.Equal($"{grain} v2", (await ReadAsync(storage, grain)).State!.Title);
        }
    }

    [Fact]
    public async Task Racing_writers_holding_the_same_etag_produce_exactly_one_winner()
    {
        // Separate provider instances, as two silos sharing the file would have.
        var racers = Enumerable.Range(0, 4).Select(_ => NewStorage()).ToList();
        var seed = new GrainState<TripState>(SampleTrip("seed"));
        await racers[0].WriteStateAsync(StateName, Trip42, seed);

        var attempts = Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            var state = new GrainState<TripState>(SampleTrip($"racer {i}"), seed.ETag) { RecordExists = true };
            try
            {
                await racers[i % racers.Count].WriteStateAsync(StateName, Trip42, state);
                return state.State!.Title;
            }
            catch (InconsistentStateException)
            {
                return null;
            }
        })).ToList();
        var outcomes = await Task.WhenAll(attempts);

        var winner = Assert.Single(outcomes, title => title is not null);
        Assert.Equal(winner, (await ReadAsync(racers[0], Trip42)).State!.Title);
    }

    private SqliteGrainStorage NewStorage()
    {
        var storage = new SqliteGrainStorage(
            "test",
            new SqliteStorageOptions { ConnectionString = _db.ConnectionString },
            TestSerializer.Instance,
            NullLogger<SqliteGrainStorage>.Instance);
        _storages.Add(storage);
        return storage;
    }

    private static async Task<GrainState<TripState>> ReadAsync(IGrainStorage storage, GrainId grainId, string stateName = StateName)
    {
        var state = new GrainState<TripState>(new TripState());
        await storage.ReadStateAsync(stateName, grainId, state);
        return state;
    }

    private static TripState SampleTrip(string title) => new()
    {
        Title = title,
        StartDate = new LocalDate(2026, 7, 14),
        Departure = new LocalDateTime(2026, 7, 14, 8, 30, 15).PlusNanoseconds(123_456_789),
        BookedAt = Instant.FromUtc(2026, 3, 1, 12, 0).PlusNanoseconds(987),
        Stops = ["Porto", "Sintra"],
    };
}
