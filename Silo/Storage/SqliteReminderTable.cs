using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace TourPlanner.Silo.Storage;

/// <summary>Orleans reminder table kept in the same SQLite file as grain state.</summary>
public sealed class SqliteReminderTable : IReminderTable, IDisposable
{
    private const string Columns = "grain_id, reminder_name, start_at_ticks, period_ticks, version";

    private const string SelectByGrainSql = $"SELECT {Columns} FROM reminders WHERE grain_id = @grain_id;";

    private const string SelectOneSql =
        $"SELECT {Columns} FROM reminders WHERE grain_id = @grain_id AND reminder_name = @reminder_name;";

    // The ring range is (begin, end]; when begin >= end it wraps past uint.MaxValue, and begin == end means the whole ring.
    private const string SelectRangeSql =
        $"SELECT {Columns} FROM reminders WHERE grain_hash > @begin AND grain_hash <= @end;";

    private const string SelectWrappedRangeSql =
        $"SELECT {Columns} FROM reminders WHERE grain_hash > @begin OR grain_hash <= @end;";

    // A table-wide counter rather than a per-row one, so an ETag from a removed row never matches its successor.
    private const string NextVersionSql = "UPDATE reminder_version SET value = value + 1 WHERE id = 1 RETURNING value;";

    private const string UpsertSql = """
        INSERT INTO reminders (grain_id, reminder_name, grain_hash, start_at_ticks, period_ticks, version)
        VALUES (@grain_id, @reminder_name, @grain_hash, @start_at_ticks, @period_ticks, @version)
        ON CONFLICT (grain_id, reminder_name) DO UPDATE SET
            grain_hash = excluded.grain_hash,
            start_at_ticks = excluded.start_at_ticks,
            period_ticks = excluded.period_ticks,
            version = excluded.version;
        """;

    private const string DeleteSql =
        "DELETE FROM reminders WHERE grain_id = @grain_id AND reminder_name = @reminder_name AND version = @version;";

    private readonly SqliteDatabase _database;
    private readonly ILogger<SqliteReminderTable> _logger;

    /// <summary>Creates the table; the file and schema are created when the reminder service starts or on first use.</summary>
    public SqliteReminderTable(SqliteStorageOptions options, ILogger<SqliteReminderTable> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _database = new SqliteDatabase(options.ConnectionString);
        _logger = logger;
    }

    /// <inheritdoc />
    public Task Init() => _database.EnsureInitializedAsync(CancellationToken.None);

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken = default) => _database.EnsureInitializedAsync(cancellationToken);

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <inheritdoc />
    public Task<ReminderTableData> ReadRows(GrainId grainId) => ReadRows(grainId, CancellationToken.None);

    /// <inheritdoc />
    public async Task<ReminderTableData> ReadRows(GrainId grainId, CancellationToken cancellationToken) =>
        new(await QueryAsync(SelectByGrainSql, cancellationToken, ("@grain_id", grainId.ToString())).ConfigureAwait(false));

    /// <inheritdoc />
    public Task<ReminderTableData> ReadRows(uint begin, uint end) => ReadRows(begin, end, CancellationToken.None);

    /// <inheritdoc />
    public async Task<ReminderTableData> ReadRows(uint begin, uint end, CancellationToken cancellationToken)
    {
        var sql = begin < end ? SelectRangeSql : SelectWrappedRangeSql;
        return new(await QueryAsync(sql, cancellationToken, ("@begin", (long)begin), ("@end", (long)end)).ConfigureAwait(false));
    }

    /// <inheritdoc />
    public Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName) => ReadRow(grainId, reminderName, CancellationToken.None);

    /// <inheritdoc />
    public async Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(
            SelectOneSql,
            cancellationToken,
            ("@grain_id", grainId.ToString()),
            ("@reminder_name", reminderName)).ConfigureAwait(false);

        return rows.Count == 0 ? null : rows[0];
    }

    /// <inheritdoc />
    public Task<string?> UpsertRow(ReminderEntry entry) => UpsertRow(entry, CancellationToken.None);

    /// <inheritdoc />
    public async Task<string?> UpsertRow(ReminderEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        // Non-deferred (BEGIN IMMEDIATE) takes the write lock up front: a deferred read-then-write could fail with SQLITE_BUSY
        // without waiting, and the counter bump and the upsert must commit together.
        await using var transaction = connection.BeginTransaction(deferred: false);
        var version = (long)(await transaction.ScalarAsync(NextVersionSql, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("The reminder_version row is missing."));
        await transaction.ExecuteAsync(
            UpsertSql,
            cancellationToken,
            ("@grain_id", entry.GrainId.ToString()),
            ("@reminder_name", entry.ReminderName),
            ("@grain_hash", (long)entry.GrainId.GetUniformHashCode()),
            ("@start_at_ticks", ToUtc(entry.StartAt).Ticks),
            ("@period_ticks", entry.Period.Ticks),
            ("@version", version)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return FormatEtag(version);
    }

    /// <inheritdoc />
    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag) =>
        RemoveRow(grainId, reminderName, eTag, CancellationToken.None);

    /// <inheritdoc />
    public async Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag, CancellationToken cancellationToken)
    {
        if (!long.TryParse(eTag, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            return false;
        }

        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var deleted = await connection.ExecuteAsync(
            DeleteSql,
            cancellationToken,
            ("@grain_id", grainId.ToString()),
            ("@reminder_name", reminderName),
            ("@version", version)).ConfigureAwait(false);
        if (deleted == 0)
        {
            _logger.LogDebug("Reminder {ReminderName} of {GrainId} not removed: ETag {ETag} is stale or the row is gone", reminderName, grainId, eTag);
        }

        return deleted > 0;
    }

    /// <inheritdoc />
    public Task TestOnlyClearTable() => TestOnlyClearTable(CancellationToken.None);

    /// <inheritdoc />
    public async Task TestOnlyClearTable(CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync("DELETE FROM reminders;", cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose() => _database.Dispose();

    private async Task<List<ReminderEntry>> QueryAsync(string sql, CancellationToken cancellationToken, params (string, object?)[] parameters)
    {
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand(sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<ReminderEntry>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new ReminderEntry
            {
                GrainId = GrainId.Parse(reader.GetString(0)),
                ReminderName = reader.GetString(1),
                StartAt = new DateTime(reader.GetInt64(2), DateTimeKind.Utc),
                Period = TimeSpan.FromTicks(reader.GetInt64(3)),
                ETag = FormatEtag(reader.GetInt64(4)),
            });
        }

        return rows;
    }

    // Orleans hands us UTC times; a Local one is converted so ticks always mean UTC, the reminder contract's own DateTime.
    private static DateTime ToUtc(DateTime value) => value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value;

    private static string FormatEtag(long version) => version.ToString(CultureInfo.InvariantCulture);
}
