using TourPlanner.Silo.Storage;

namespace TourPlanner.Tests.Storage;

/// <summary>The readiness probe (/readyz) against the SQLite database.</summary>
public sealed class SqliteHealthTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task Ping_succeeds_against_an_initialised_database()
    {
        using var reminders = new SqliteReminderTable(
            new SqliteStorageOptions { ConnectionString = _db.ConnectionString },
            Microsoft.Extensions.Logging.Abstractions.NullLogger<SqliteReminderTable>.Instance);
        await reminders.StartAsync(CancellationToken.None);

        Assert.True(await SqliteHealth.PingAsync(_db.ConnectionString, CancellationToken.None));
    }

    [Fact]
    public async Task Ping_fails_without_creating_a_database_that_does_not_exist()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_db.FilePath)!);

        Assert.False(await SqliteHealth.PingAsync(_db.ConnectionString, CancellationToken.None));
        Assert.False(File.Exists(_db.FilePath));
    }
}
