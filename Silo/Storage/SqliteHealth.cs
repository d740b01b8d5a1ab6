using Microsoft.Data.Sqlite;

namespace TourPlanner.Silo.Storage;

/// <summary>Liveness probe for the SQLite database behind grain storage and reminders.</summary>
public static class SqliteHealth
{
    /// <summary>Returns true when <c>SELECT 1</c> succeeds against the database.</summary>
    public static async Task<bool> PingAsync(string connectionString, CancellationToken ct)
    {
        // ReadWrite, not the default ReadWriteCreate: a health probe must not conjure up an empty database file.
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (builder.Mode == SqliteOpenMode.ReadWriteCreate)
        {
            builder.Mode = SqliteOpenMode.ReadWrite;
        }

        // A pooled connection would keep answering from a file that has since gone: open the file itself.
        builder.Pooling = false;

        try
        {
            await using var connection = await SqliteDatabase.OpenConnectionAsync(builder.ToString(), ct).ConfigureAwait(false);
            return Convert.ToInt64(await connection.ScalarAsync("SELECT 1;", ct).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) == 1;
        }
        catch (SqliteException)
        {
            return false;
        }
    }
}
