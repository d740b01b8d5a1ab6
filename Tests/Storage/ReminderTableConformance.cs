using System.Globalization;

namespace TourPlanner.Tests.Storage;

/// <summary>
/// Orleans's reminder table contract, run against the embedded SQLite table and Orleans's ADO.NET table on PostgreSQL.
/// Ring ranges matter most: a silo reads the reminders of its slice of the hash ring, and a slice may wrap.
/// </summary>
public abstract class ReminderTableConformance : IAsyncLifetime
{
    protected static readonly DateTime StartAt = new(2026, 5, 1, 9, 0, 0, DateTimeKind.Utc);

    private readonly List<IReminderTable> _tables = [];

    /// <summary>A new, started table on this test's store.</summary>
    protected abstract Task<IReminderTable> CreateTableAsync();

    protected abstract Task ReleaseAsync(IReminderTable table);

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var table in _tables) await ReleaseAsync(table);
    }

    [Fact]
    public async Task An_upserted_reminder_reads_back_by_name_and_by_grain()
    {
        var table = await NewTableAsync();
        var grain = GrainId.Create("trip", "42");
        var etag = await table.UpsertRow(Entry(grain, "remind-checkin", TimeSpan.FromHours(1)));

        var row = await table.ReadRow(grain, "remind-checkin");
        var rows = await table.ReadRows(grain);

        Assert.NotNull(row);
        Assert.Equal(grain, row.GrainId);
        Assert.Equal("remind-checkin", row.ReminderName);
        Assert.Equal(StartAt, row.StartAt);
        Assert.Equal(DateTimeKind.Utc, row.StartAt.Kind);
        Assert.Equal(TimeSpan.FromHours(1), row.Period);
        Assert.Equal(etag, row.ETag);
        Assert.Equal("remind-checkin", Assert.Single(rows.Reminders).ReminderName);
    }

    [Fact]
    public async Task Reading_a_reminder_that_does_not_exist_returns_null()
    {
        var table = await NewTableAsync();

        Assert.Null(await table.ReadRow(GrainId.Create("trip", "nobody"), "nothing"));
        Assert.Empty((await table.ReadRows(GrainId.Create("trip", "nobody"))).Reminders);
    }

    [Fact]
    public async Task Reading_by_grain_returns_only_that_grains_reminders()
    {
        var table = await NewTableAsync();
        var mine = GrainId.Create("trip", "mine");
        var theirs = GrainId.Create("trip", "theirs");
        await table.UpsertRow(Entry(mine, "a"));
        await table.UpsertRow(Entry(mine, "b"));
        await table.UpsertRow(Entry(theirs, "a"));

        var rows = await table.ReadRows(mine);

        Assert.Equal(["a", "b"], rows.Reminders.Select(r => r.ReminderName).Order());
        Assert.All(rows.Reminders, r => Assert.Equal(mine, r.GrainId));
    }

    [Fact]
    public async Task Every_upsert_returns_a_higher_etag_and_stores_the_new_values()
    {
        var table = await NewTableAsync();
        var grain = GrainId.Create("trip", "42");

        var first = await table.UpsertRow(Entry(grain, "tick", TimeSpan.FromMinutes(1)));
        var second = await table.UpsertRow(Entry(grain, "tick", TimeSpan.FromMinutes(2)));

        Assert.True(ParseEtag(second) > ParseEtag(first));
        var row = await table.ReadRow(grain, "tick");
        Assert.Equal(second, row!.ETag);
        Assert.Equal(TimeSpan.FromMinutes(2), row.Period);
        Assert.Single((await table.ReadRows(grain)).Reminders);
    }

    [Fact]
    public async Task Removing_with_a_stale_etag_returns_false_and_keeps_the_row()
    {
        var table = await NewTableAsync();
        var grain = GrainId.Create("trip", "42");
        var stale = await table.UpsertRow(Entry(grain, "tick"));
        var current = await table.UpsertRow(Entry(grain, "tick"));

        Assert.False(await table.RemoveRow(grain, "tick", stale!));
        Assert.NotNull(await table.ReadRow(grain, "tick"));

        Assert.True(await table.RemoveRow(grain, "tick", current!));
        Assert.Null(await table.ReadRow(grain, "tick"));
    }

    [Fact]
    public async Task Removing_a_reminder_that_does_not_exist_returns_false()
    {
        var table = await NewTableAsync();

        Assert.False(await table.RemoveRow(GrainId.Create("trip", "42"), "tick", "1"));
    }

    [Fact]
    public async Task A_normal_hash_range_returns_exactly_the_rows_above_begin_up_to_and_including_end()
    {
        var (table, hashes) = await SeedRingAsync();
        uint begin = hashes[10], end = hashes[40];

        var actual = await ReadHashesAsync(table, begin, end);

        var expected = hashes.Where(h => h > begin && h <= end).ToList();
        Assert.Equal(30, expected.Count);
        Assert.DoesNotContain(begin, actual);
        Assert.Contains(end, actual);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public async Task A_wrap_around_hash_range_returns_the_rows_above_begin_and_the_rows_up_to_end()
    {
        var (table, hashes) = await SeedRingAsync();
        uint begin = hashes[50], end = hashes[5];

        var actual = await ReadHashesAsync(table, begin, end);

        var expected = hashes.Where(h => h > begin || h <= end).ToList();
        Assert.Equal(hashes.Count - 50 - 1 + 6, expected.Count);
        Assert.DoesNotContain(begin, actual);
        Assert.Contains(end, actual);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public async Task A_range_whose_begin_equals_its_end_covers_the_whole_ring()
    {
        var (table, hashes) = await SeedRingAsync();

        Assert.Equal(hashes, await ReadHashesAsync(table, 0, 0));
        Assert.Equal(hashes, await ReadHashesAsync(table, hashes[20], hashes[20]));
    }

    [Fact]
    public async Task Hashes_above_int_max_value_are_compared_as_unsigned_numbers()
    {
        var (table, hashes) = await SeedRingAsync();
        const uint begin = int.MaxValue;

        var actual = await ReadHashesAsync(table, begin, uint.MaxValue);

        var expected = hashes.Where(h => h > begin).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public async Task Reminders_survive_disposing_the_table_and_reopening_the_same_file()
    {
        var first = await NewTableAsync();
        var grain = GrainId.Create("trip", "42");
        var etag = await first.UpsertRow(Entry(grain, "tick", TimeSpan.FromMinutes(5)));
        _tables.Remove(first);
        await ReleaseAsync(first);

        var row = await (await NewTableAsync()).ReadRow(grain, "tick");

        Assert.NotNull(row);
        Assert.Equal(etag, row.ETag);
        Assert.Equal(TimeSpan.FromMinutes(5), row.Period);
        Assert.Equal(StartAt, row.StartAt);
    }

    [Fact]
    public async Task Clearing_the_table_for_tests_removes_every_reminder()
    {
        var (table, _) = await SeedRingAsync();

        await table.TestOnlyClearTable();

        Assert.Empty((await table.ReadRows(0, 0)).Reminders);
    }

    protected async Task<IReminderTable> NewTableAsync()
    {
        var table = await CreateTableAsync();
        _tables.Add(table);
        return table;
    }

    /// <summary>Stores one reminder for each of 64 grains and returns their hashes, computed independently and sorted.</summary>
    private async Task<(IReminderTable Table, List<uint> Hashes)> SeedRingAsync()
    {
        var table = await NewTableAsync();
        var grains = Enumerable.Range(0, 64).Select(i => GrainId.Create("trip", $"ring-{i}")).ToList();
        foreach (var grain in grains)
        {
            await table.UpsertRow(Entry(grain, "tick"));
        }

        var hashes = grains.Select(g => g.GetUniformHashCode()).Order().ToList();
        Assert.Equal(hashes.Count, hashes.Distinct().Count());
        return (table, hashes);
    }

    private static async Task<List<uint>> ReadHashesAsync(IReminderTable table, uint begin, uint end) =>
        (await table.ReadRows(begin, end)).Reminders.Select(r => r.GrainId.GetUniformHashCode()).Order().ToList();

    protected static ReminderEntry Entry(GrainId grain, string name, TimeSpan? period = null) => new()
    {
        GrainId = grain,
        ReminderName = name,
        StartAt = StartAt,
        Period = period ?? TimeSpan.FromMinutes(1),
    };

    private static long ParseEtag(string? etag) => long.Parse(etag!, CultureInfo.InvariantCulture);
}
