using Npgsql;

namespace TourPlanner.Silo.Storage.Postgres;

/// <summary>Readiness probe for the PostgreSQL database of the cluster profile.</summary>
public static class PostgresHealth
{
    /// <summary>Returns true when <c>SELECT 1</c> answers within the caller's deadline.</summary>
    public static async Task<bool> PingAsync(string connectionString, CancellationToken ct)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            return Convert.ToInt32(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture) == 1;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or OperationCanceledException or InvalidOperationException)
        {
            return false;
        }
    }
}
