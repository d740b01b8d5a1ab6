using Npgsql;

namespace TourPlanner.Silo.Storage.Postgres;

/// <summary>What part of Orleans's ADO.NET schema a process relies on: tables, and the query rows Orleans runs.</summary>
public sealed record SchemaNeeds(IReadOnlyList<string> Tables, IReadOnlyList<string> QueryKeys);

/// <summary>A database without the schema Orleans's ADO.NET providers need.</summary>
public sealed class StorageSchemaException(string message) : InvalidOperationException(message);

/// <summary>
/// Checks a PostgreSQL database for Orleans's own ADO.NET schema (the scripts come from the Orleans repository; this
/// project never creates or alters it) and explains what is missing and which scripts to run.
/// </summary>
public static class PostgresSchema
{
    /// <summary>The scripts, in the order Orleans's documentation gives, with their paths in the Orleans repository.</summary>
    public static readonly IReadOnlyList<(string File, string RepositoryPath)> Scripts =
    [
        ("PostgreSQL-Main.sql", "src/AdoNet/Shared/PostgreSQL-Main.sql"),
        ("PostgreSQL-Clustering.sql", "src/AdoNet/Orleans.Clustering.AdoNet/PostgreSQL-Clustering.sql"),
        ("PostgreSQL-Persistence.sql", "src/AdoNet/Orleans.Persistence.AdoNet/PostgreSQL-Persistence.sql"),
        ("PostgreSQL-Reminders.sql", "src/AdoNet/Orleans.Reminders.AdoNet/PostgreSQL-Reminders.sql"),
    ];

    private static readonly string[] MembershipKeys =
    [
        "UpdateIAmAlivetimeKey", "InsertMembershipVersionKey", "InsertMembershipKey", "UpdateMembershipKey", "MembershipReadRowKey",
        "MembershipReadAllKey", "DeleteMembershipTableEntriesKey", "GatewaysQueryKey", "CleanupDefunctSiloEntriesKey",
    ];

    private static readonly string[] MembershipTables = ["orleansquery", "orleansmembershipversiontable", "orleansmembershiptable"];

    /// <summary>A silo: membership, grain state (a clear deletes the row) and reminders.</summary>
    public static readonly SchemaNeeds SiloNeeds = new(
        [.. MembershipTables, "orleansstorage", "orleansreminderstable"],
        [
            .. MembershipKeys,
            "WriteToStorageKey", "ReadFromStorageKey", "ClearStorageKey", "DeleteStorageKey",
            "UpsertReminderRowKey", "ReadReminderRowsKey", "ReadReminderRowKey", "ReadRangeRows1Key", "ReadRangeRows2Key",
            "DeleteReminderRowKey", "DeleteReminderRowsKey",
        ]);

    /// <summary>A client Gateway only reads the list of live gateways.</summary>
    public static readonly SchemaNeeds ClientNeeds = new(MembershipTables, ["GatewaysQueryKey"]);

    /// <summary>Lists what <paramref name="needs"/> asks for and the database lacks; empty when all is there.</summary>
    public static async Task<(IReadOnlyList<string> MissingTables, IReadOnlyList<string> MissingQueries)> FindMissingAsync(
        string connectionString, SchemaNeeds needs, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        var present = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        await using (var tables = new NpgsqlCommand(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = ANY (current_schemas(false))", connection))
        await using (var reader = await tables.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct)) present.Add(reader.GetString(0));
        var missingTables = needs.Tables.Where(t => !present.Contains(t)).ToList();
        if (!present.Contains("orleansquery")) return (missingTables, needs.QueryKeys);

        var keys = new HashSet<string>(StringComparer.Ordinal);
        await using (var query = new NpgsqlCommand("SELECT querykey FROM orleansquery", connection))
        await using (var reader = await query.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct)) keys.Add(reader.GetString(0));
        return (missingTables, needs.QueryKeys.Where(k => !keys.Contains(k)).ToList());
    }

    /// <summary>Throws <see cref="StorageSchemaException"/> naming what is missing and the psql commands that add it.</summary>
    public static async Task EnsureAsync(string connectionString, SchemaNeeds needs, CancellationToken ct)
    {
        IReadOnlyList<string> tables, queries;
        try
        {
            (tables, queries) = await FindMissingAsync(connectionString, needs, ct);
        }
        catch (NpgsqlException e)
        {
            throw new StorageSchemaException(
                $"Storage:Provider is 'postgres' but the {PostgresConnection.Describe(connectionString)} cannot be reached: {e.Message}");
        }

        if (tables.Count == 0 && queries.Count == 0) return;
        throw new StorageSchemaException(MissingSchemaMessage(connectionString, tables, queries));
    }

    public static string MissingSchemaMessage(string connectionString, IReadOnlyList<string> tables, IReadOnlyList<string> queries)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        var lines = new List<string>
        {
            $"The {PostgresConnection.Describe(connectionString)} lacks Orleans's ADO.NET schema.",
        };
        if (tables.Count > 0) lines.Add($"Missing tables: {string.Join(", ", tables)}.");
        if (queries.Count > 0) lines.Add($"Missing OrleansQuery rows: {string.Join(", ", queries)}.");
        lines.Add("Apply Orleans's PostgreSQL scripts, from the Orleans repository at the version of the Microsoft.Orleans.*.AdoNet " +
                  "packages (" + string.Join(", ", Scripts.Select(s => s.RepositoryPath)) + "), to an empty database, in this order:");
        foreach (var (file, _) in Scripts)
            lines.Add($"  psql -v ON_ERROR_STOP=1 -h {b.Host} -p {b.Port} -U {b.Username} -d {b.Database ?? b.Username} -f {file}");
        lines.Add("See docs/cluster.md.");
        return string.Join(Environment.NewLine, lines);
    }
}
