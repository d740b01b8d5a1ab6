using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;
using TourPlanner.Silo.Storage;

namespace TourPlanner.Tests.Storage;

/// <summary>SQLite grain storage and reminders working inside a real Orleans cluster.</summary>
[Collection(SqliteClusterCollection.Name)]
public sealed class SqliteClusterTests(SqliteClusterFixture fixture)
{
    private static readonly TimeSpan TickTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_grain_with_persistent_state_writes_its_state_into_the_sqlite_file()
    {
        var grain = fixture.Cluster.Client.GetGrain<ITripTestGrain>("write-read");

        await grain.Save("Lisbon");

        var trip = await grain.GetTrip();
        Assert.Equal("Lisbon", trip.Title);
        Assert.Equal(new LocalDate(2026, 9, 1), trip.StartDate);
        Assert.True(await grain.HasStoredRecord());
        Assert.Equal(1L, await fixture.Database.ScalarAsync<long>(
            $"SELECT COUNT(*) FROM grain_state WHERE state_name = 'trip' AND grain_id = '{grain.GetGrainId()}'"));
    }

    [Fact]
    public async Task A_reactivated_grain_reads_its_state_back_from_sqlite()
    {
        var grain = fixture.Cluster.Client.GetGrain<ITripTestGrain>("reactivate");
        await grain.Save("Porto");
        var firstActivation = await grain.GetActivationId();

        await fixture.Cluster.DeactivateAsync(grain);

        Assert.NotEqual(firstActivation, await grain.GetActivationId());
        Assert.True(await grain.HasStoredRecord());
        var trip = await grain.GetTrip();
        Assert.Equal("Porto", trip.Title);
        Assert.Equal(Instant.FromUtc(2026, 2, 1, 10, 0), trip.BookedAt);
    }

    [Fact]
    public async Task A_registered_reminder_is_stored_in_the_sqlite_reminder_table()
    {
        var grain = fixture.Cluster.Client.GetGrain<IReminderTestGrain>("stored");
        try
        {
            await grain.Register("hourly", TimeSpan.FromHours(1), TimeSpan.FromHours(1));

            var row = await ReadReminderAsync(grain.GetGrainId(), "hourly");
            Assert.NotNull(row);
            Assert.Equal(TimeSpan.FromHours(1), row.Period);
        }
        finally
        {
            await grain.Unregister("hourly");
        }

        Assert.Null(await ReadReminderAsync(grain.GetGrainId(), "hourly"));
    }

    [Fact]
    public async Task A_reminder_survives_a_full_cluster_restart_on_the_same_file_and_fires_in_the_new_cluster()
    {
        const string grainKey = "restart", reminderName = "tick";
        var grainId = fixture.Cluster.Client.GetGrain<IReminderTestGrain>(grainKey).GetGrainId();
        await fixture.Cluster.Client.GetGrain<IReminderTestGrain>(grainKey)
            .Register(reminderName, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        Assert.NotNull(await ReadReminderAsync(grainId, reminderName));

        await fixture.RestartClusterAsync();
        var tick = ReminderProbe.NextTick(grainKey, reminderName);

        try
        {
            Assert.NotNull(await ReadReminderAsync(grainId, reminderName));
            // Nothing calls the grain in the new cluster: only the reminder service, reading SQLite, can activate it.
            await tick.WaitAsync(TickTimeout);
        }
        finally
        {
            await fixture.Cluster.Client.GetGrain<IReminderTestGrain>(grainKey).Unregister(reminderName);
        }
    }

    private async Task<ReminderEntry?> ReadReminderAsync(GrainId grainId, string reminderName)
    {
        using var table = new SqliteReminderTable(
            new SqliteStorageOptions { ConnectionString = fixture.Database.ConnectionString },
            NullLogger<SqliteReminderTable>.Instance);
        return await table.ReadRow(grainId, reminderName);
    }
}
