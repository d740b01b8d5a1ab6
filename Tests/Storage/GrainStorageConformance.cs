using NodaTime;
using Orleans.Storage;

namespace TourPlanner.Tests.Storage;

/// <summary>
/// Orleans's grain storage contract, run against every provider we deploy: the embedded SQLite provider and Orleans's
/// ADO.NET provider on PostgreSQL (the cluster profile). A subclass supplies fresh provider instances on its store.
/// </summary>
public abstract class GrainStorageConformance : IAsyncLifetime
{
    protected const string StateName = "trip";
    protected static readonly GrainId Trip42 = GrainId.Create("trip", "42");

    private readonly List<IGrainStorage> _storages = [];

    /// <summary>A new provider instance on this test's store, started as a silo would start it.</summary>
    protected abstract Task<IGrainStorage> CreateStorageAsync();

    /// <summary>Stops and releases a provider instance (its pooled connections too).</summary>
    protected abstract Task ReleaseAsync(IGrainStorage storage);

    /// <summary>How many state rows this test's store holds.</summary>
    protected abstract Task<long> CountRowsAsync();

    /// <summary>Whether the provider's conflict exceptions carry the stored and the caller's ETag (Orleans's ADO.NET provider's do not).</summary>
    protected virtual bool ConflictsCarryEtags => false;

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var storage in _storages) await ReleaseAsync(storage);
    }

    protected async Task<IGrainStorage> NewStorageAsync()
    {
        var storage = await CreateStorageAsync();
        _storages.Add(storage);
        return storage;
    }

    protected async Task DropAsync(IGrainStorage storage)
    {
        _storages.Remove(storage);
        await ReleaseAsync(storage);
    }

    [Fact]
    public async Task A_written_state_reads_back_with_its_NodaTime_values_intact()
    {
        var storage = await NewStorageAsync();
        var written = new GrainState<TripState>(SampleTrip("Lisbon"));
        await storage.WriteStateAsync(StateName, Trip42, written);

        var read = await ReadAsync(storage, Trip42);

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
        await (await NewStorageAsync()).ReadStateAsync(StateName, Trip42, read);

        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);
    }

    [Fact]
    public async Task Every_write_gives_the_state_a_new_etag()
    {
        var storage = await NewStorageAsync();
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
        var storage = await NewStorageAsync();
        var first = new GrainState<TripState>(SampleTrip("original"));
        await storage.WriteStateAsync(StateName, Trip42, first);
        var staleEtag = first.ETag;
        first.State!.Title = "winner";
        await storage.WriteStateAsync(StateName, Trip42, first);

        var stale = new GrainState<TripState>(SampleTrip("loser"), staleEtag) { RecordExists = true };
        var error = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, Trip42, stale));

        if (ConflictsCarryEtags)
        {
            Assert.Equal(first.ETag, error.StoredEtag);
            Assert.Equal(staleEtag, error.CurrentEtag);
        }

        var read = await ReadAsync(storage, Trip42);
        Assert.Equal("winner", read.State!.Title);
        Assert.Equal(first.ETag, read.ETag);
    }

    [Fact]
    public async Task A_first_write_without_an_etag_throws_when_a_row_already_exists()
    {
        var storage = await NewStorageAsync();
        var existing = new GrainState<TripState>(SampleTrip("existing"));
        await storage.WriteStateAsync(StateName, Trip42, existing);

        var newcomer = new GrainState<TripState>(SampleTrip("newcomer"));
        var error = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, Trip42, newcomer));

        if (ConflictsCarryEtags)
        {
            Assert.Equal(existing.ETag, error.StoredEtag);
            Assert.Null(error.CurrentEtag);
        }

        Assert.Equal("existing", (await ReadAsync(storage, Trip42)).State!.Title);
    }

    [Fact]
    public async Task A_write_with_an_etag_throws_when_the_row_has_been_cleared_meanwhile()
    {
        var storage = await NewStorageAsync();
        var holder = new GrainState<TripState>(SampleTrip("before clear"));
        await storage.WriteStateAsync(StateName, Trip42, holder);
        var other = await ReadAsync(storage, Trip42);
        await storage.ClearStateAsync(StateName, Trip42, other);

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, Trip42, holder));

        Assert.False((await ReadAsync(storage, Trip42)).RecordExists);
    }

    [Fact]
    public async Task Clearing_removes_the_state_so_a_later_read_finds_no_record()
    {
        var storage = await NewStorageAsync();
        var state = new GrainState<TripState>(SampleTrip("to clear"));
        await storage.WriteStateAsync(StateName, Trip42, state);

        await storage.ClearStateAsync(StateName, Trip42, state);

        Assert.False(state.RecordExists);
        var read = await ReadAsync(storage, Trip42);
        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);
        Assert.Equal(0L, await CountRowsAsync());
    }

    [Fact]
    public async Task Clearing_with_a_stale_etag_throws_and_keeps_the_state()
    {
        var storage = await NewStorageAsync();
        var state = new GrainState<TripState>(SampleTrip("v1"));
        await storage.WriteStateAsync(StateName, Trip42, state);
        var staleEtag = state.ETag;
        state.State!.Title = "v2";
        await storage.WriteStateAsync(StateName, Trip42, state);

        var stale = new GrainState<TripState>(new TripState(), staleEtag) { RecordExists = true };
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync(StateName, Trip42, stale));

        var read = await ReadAsync(storage, Trip42);
        Assert.True(read.RecordExists);
        Assert.Equal("v2", read.State!.Title);
    }

    [Fact]
    public async Task After_a_clear_the_state_can_be_written_again_from_scratch()
    {
        var storage = await NewStorageAsync();
        var state = new GrainState<TripState>(SampleTrip("first life"));
        await storage.WriteStateAsync(StateName, Trip42, state);
        await storage.ClearStateAsync(StateName, Trip42, state);

        state.State!.Title = "second life";
        await storage.WriteStateAsync(StateName, Trip42, state);

        Assert.Equal("second life", (await ReadAsync(storage, Trip42)).State!.Title);
    }

    [Fact]
    public async Task Different_grain_keys_and_different_state_names_do_not_collide()
    {
        // Not different grain types with one key and one state name: Orleans's ADO.NET provider keys a row by state name
        // and key alone, which is why every grain class has a state name of its own (GrainStateTypesTests checks it).
        var storage = await NewStorageAsync();
        var trip7 = GrainId.Create("trip", "7");
        await storage.WriteStateAsync(StateName, Trip42, new GrainState<TripState>(SampleTrip("trip 42")));
        await storage.WriteStateAsync(StateName, trip7, new GrainState<TripState>(SampleTrip("trip 7")));
        await storage.WriteStateAsync("draft", Trip42, new GrainState<TripState>(SampleTrip("draft of trip 42")));

        Assert.Equal("trip 42", (await ReadAsync(storage, Trip42)).State!.Title);
        Assert.Equal("trip 7", (await ReadAsync(storage, trip7)).State!.Title);
        Assert.Equal("draft of trip 42", (await ReadAsync(storage, Trip42, "draft")).State!.Title);
    }

    [Fact]
    public async Task Data_survives_disposing_the_provider_and_opening_a_new_one()
    {
        var first = await NewStorageAsync();
        var state = new GrainState<TripState>(SampleTrip("durable"));
        await first.WriteStateAsync(StateName, Trip42, state);
        await DropAsync(first);

        var read = await ReadAsync(await NewStorageAsync(), Trip42);

        Assert.True(read.RecordExists);
        Assert.Equal(state.ETag, read.ETag);
        Assert.Equal("durable", read.State!.Title);
        Assert.Equal(new LocalDate(2026, 7, 14), read.State!.StartDate);
    }

    [Fact]
    public async Task Two_hundred_parallel_writers_on_different_grains_all_succeed()
    {
        var storage = await NewStorageAsync();
        var grains = Enumerable.Range(0, 200).Select(i => GrainId.Create("trip", $"parallel-{i}")).ToList();

        await Task.WhenAll(grains.Select(grain => Task.Run(async () =>
        {
            var state = new GrainState<TripState>(SampleTrip($"{grain} v1"));
            await storage.WriteStateAsync(StateName, grain, state);
            state.State!.Title = $"{grain} v2";
            await storage.WriteStateAsync(StateName, grain, state);
        })));

        Assert.Equal(200L, await CountRowsAsync());
        foreach (var grain in grains)
        {
            Assert.Equal($"{grain} v2", (await ReadAsync(storage, grain)).State!.Title);
        }
    }

    [Fact]
    public async Task Racing_writers_holding_the_same_etag_produce_exactly_one_winner()
    {
        // Separate provider instances, as two silos sharing the store would have.
        var racers = new List<IGrainStorage>();
        for (var i = 0; i < 4; i++) racers.Add(await NewStorageAsync());
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

    [Fact]
    public async Task Synthetic_grain_ids_write_read_conflict_and_clear_like_any_other()
    {
        // The tour grain keeps its ledger in rows of its own: ids no grain class answers to, written through the default storage.
        var storage = await NewStorageAsync();
        var segment3 = GrainId.Create("tourlog", "t_abc/3");
        var segment4 = GrainId.Create("tourlog", "t_abc/4");
        var state = new GrainState<TripState>(SampleTrip("segment 3"));
        await storage.WriteStateAsync("log", segment3, state);
        await storage.WriteStateAsync("log", segment4, new GrainState<TripState>(SampleTrip("segment 4")));

        var read = await ReadAsync(storage, segment3, "log");
        Assert.True(read.RecordExists);
        Assert.Equal("segment 3", read.State!.Title);
        Assert.Equal("segment 4", (await ReadAsync(storage, segment4, "log")).State!.Title);

        var stale = new GrainState<TripState>(SampleTrip("stale"), read.ETag) { RecordExists = true };
        state.State!.Title = "segment 3, second write";
        await storage.WriteStateAsync("log", segment3, state);
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("log", segment3, stale));

        await storage.ClearStateAsync("log", segment3, state);
        Assert.False((await ReadAsync(storage, segment3, "log")).RecordExists);
        Assert.Equal("segment 4", (await ReadAsync(storage, segment4, "log")).State!.Title);
    }

    protected static async Task<GrainState<TripState>> ReadAsync(IGrainStorage storage, GrainId grainId, string stateName = StateName)
    {
        var state = new GrainState<TripState>(new TripState());
        await storage.ReadStateAsync(stateName, grainId, state);
        return state;
    }

    protected static TripState SampleTrip(string title) => new()
    {
        Title = title,
        StartDate = new LocalDate(2026, 7, 14),
        Departure = new LocalDateTime(2026, 7, 14, 8, 30, 15).PlusNanoseconds(123_456_789),
        BookedAt = Instant.FromUtc(2026, 3, 1, 12, 0).PlusNanoseconds(987),
        Stops = ["Porto", "Sintra"],
    };
}
