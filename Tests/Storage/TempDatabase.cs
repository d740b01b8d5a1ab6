using Microsoft.Data.Sqlite;

namespace TourPlanner.Tests.Storage;

/// <summary>A SQLite file in a not-yet-existing temp directory, removed again on dispose.</summary>
public sealed class TempDatabase : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "tourplanner-tests", Guid.NewGuid().ToString("N"));

    public TempDatabase()
    {
        // A nested directory, so every test also exercises "create the file's directory if missing".
        FilePath = Path.Combine(_root, "nested", "tourplanner.db");
        ConnectionString = new SqliteConnectionStringBuilder { DataSource = FilePath }.ToString();
    }

    public string FilePath { get; }

    public string ConnectionString { get; }

    public async Task<T?> ScalarAsync<T>(string sql)
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)value;
    }

    public void Dispose()
    {
        using (var connection = new SqliteConnection(ConnectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A straggling handle only leaves litter in the temp directory; it must not fail the test.
        }
    }
}
