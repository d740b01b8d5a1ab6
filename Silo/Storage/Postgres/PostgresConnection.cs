using Npgsql;

namespace TourPlanner.Silo.Storage.Postgres;

/// <summary>The PostgreSQL connection string of the cluster profile, checked before Orleans sees it.</summary>
public static class PostgresConnection
{
    /// <summary>The ADO.NET invariant Orleans loads by reflection; the process must reference the Npgsql package.</summary>
    public const string Invariant = "Npgsql";

    private const string Example = "set it to one such as 'Host=127.0.0.1;Port=5432;Database=tourplanner;Username=tourplanner;Password=…'.";

    /// <summary>Returns the connection string when Npgsql can use it; otherwise says what is wrong (never echoing a password).</summary>
    public static string Validate(string connectionString)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException(
                $"Storage:Provider is 'postgres' but Storage:ConnectionString is not an Npgsql connection string ({e.Message}); {Example}", e);
        }

        if (string.IsNullOrWhiteSpace(builder.Host))
            throw new InvalidOperationException(
                $"Storage:Provider is 'postgres' but Storage:ConnectionString names no Host; {Example}");
        return connectionString;
    }

    /// <summary>Where the database is, for messages: host, port, database and user, never the password.</summary>
    public static string Describe(string connectionString)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        return $"database '{b.Database ?? b.Username}' on {b.Host}:{b.Port} as '{b.Username}'";
    }
}
