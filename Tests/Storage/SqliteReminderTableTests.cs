using Microsoft.Extensions.Logging.Abstractions;
using TourPlanner.Silo.Storage;

namespace TourPlanner.Tests.Storage;

/// <summary>The reminder table contract on the embedded SQLite table, plus what its table-wide version counter promises.</summary>
public sealed class SqliteReminderTableTests : ReminderTableConformance
{
    private readonly TempDatabase _db = new();

    protected override async Task<IReminderTable> CreateTableAsync()
    {
        var table = new SqliteReminderTable(
            new SqliteStorageOptions { ConnectionString = _db.ConnectionString },
            NullLogger<SqliteReminderTable>.Instance);
        await table.StartAsync(CancellationToken.None);
        return table;
    }

    protected override Task ReleaseAsync(IReminderTable table)
    {
        ((SqliteReminderTable)table).Dispose();
        return Task.CompletedTask;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _db.Dispose();
    }

    [Fact]
    public async Task An_etag_from_before_a_remove_does_not_match_the_reminder_registered_after_it()
    {
        // Orleans's ADO.NET table restarts a re-registered row's version at 0; ours counts table-wide, so an old ETag never matches.
        var table = await NewTableAsync();
        var grain = GrainId.Create("trip", "42");
        var old = await table.UpsertRow(Entry(grain, "tick"));
        Assert.True(await table.RemoveRow(grain, "tick", old!));
        await table.UpsertRow(Entry(grain, "tick"));

        Assert.False(await table.RemoveRow(grain, "tick", old!));
        Assert.NotNull(await table.ReadRow(grain, "tick"));
    }

    [Fact]
    public async Task Removing_with_an_etag_that_is_not_a_number_returns_false()
    {
        var table = await NewTableAsync();

        Assert.False(await table.RemoveRow(GrainId.Create("trip", "42"), "tick", "not-a-number"));
    }
}
