using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Storage;

namespace TourPlanner.Silo.Storage;

/// <summary>
/// Orleans grain storage in a single SQLite file with ETag-checked writes; concurrent writes from different grains
/// share one transaction and one fsync (<see cref="SqliteWriteQueue"/>).
/// </summary>
public sealed class SqliteGrainStorage : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private const string SelectSql =
        "SELECT etag, data FROM grain_state WHERE state_name = @state_name AND grain_id = @grain_id;";

    private const string SelectEtagSql =
        "SELECT etag FROM grain_state WHERE state_name = @state_name AND grain_id = @grain_id;";

    // A first write may only create the row; if one exists the caller's view is stale.
    private const string InsertSql = """
        INSERT INTO grain_state (state_name, grain_id, etag, data)
        VALUES (@state_name, @grain_id, @new_etag, @data)
        ON CONFLICT (state_name, grain_id) DO NOTHING;
        """;

    // Check and write in one statement so two writers holding the same ETag cannot both succeed.
    private const string UpdateSql = """
        UPDATE grain_state SET etag = @new_etag, data = @data
        WHERE state_name = @state_name AND grain_id = @grain_id AND etag = @etag;
        """;

    private const string DeleteSql =
        "DELETE FROM grain_state WHERE state_name = @state_name AND grain_id = @grain_id AND etag = @etag;";

    private readonly string _name;
    private readonly SqliteDatabase _database;
    private readonly IGrainStorageSerializer _serializer;
    private readonly ILogger<SqliteGrainStorage> _logger;
    private readonly SqliteWriteQueue _writes;

    /// <summary>Creates the provider; the file and schema are created on start-up or first use.</summary>
    public SqliteGrainStorage(
        string name,
        SqliteStorageOptions options,
        IGrainStorageSerializer serializer,
        ILogger<SqliteGrainStorage> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _name = name;
        _database = new SqliteDatabase(options.ConnectionString);
        _writes = new SqliteWriteQueue(_database, options.MaxBatchWrites, options.MaxBatchBytes);
        _serializer = serializer;
        _logger = logger;
    }

    /// <inheritdoc />
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ReadStateAsync(stateName, grainId, grainState, CancellationToken.None);

    /// <inheritdoc />
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand(SelectSql, Key(stateName, grainId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            // Like Orleans's own providers, a missing row leaves State alone: the runtime already holds a fresh instance.
            grainState.ETag = null;
            grainState.RecordExists = false;
            return;
        }

        var etag = reader.GetString(0);
        var data = BinaryData.FromBytes((byte[])reader.GetValue(1));
        grainState.State = _serializer.Deserialize<T>(data);
        grainState.ETag = etag;
        grainState.RecordExists = true;
    }

    /// <inheritdoc />
    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WriteStateAsync(stateName, grainId, grainState, CancellationToken.None);

    /// <inheritdoc />
    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        var data = _serializer.Serialize(grainState.State).ToArray();
        var newEtag = NewEtag();
        var currentEtag = grainState.ETag;
        var key = Key(stateName, grainId);
        await _database.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        await _writes.WriteAsync(data.Length + stateName.Length + 64, transaction =>
        {
            var changed = currentEtag is null
                ? transaction.Execute(InsertSql, [.. key, ("@new_etag", newEtag), ("@data", data)])
                : transaction.Execute(UpdateSql, [.. key, ("@new_etag", newEtag), ("@data", data), ("@etag", currentEtag)]);
            if (changed == 0) throw Mismatch("write", stateName, grainId, transaction.Scalar(SelectEtagSql, key) as string, currentEtag);
            return true;
        }, cancellationToken).ConfigureAwait(false);

        grainState.ETag = newEtag;
        grainState.RecordExists = true;
    }

    /// <inheritdoc />
    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ClearStateAsync(stateName, grainId, grainState, CancellationToken.None);

    /// <inheritdoc />
    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        var currentEtag = grainState.ETag;
        var key = Key(stateName, grainId);
        await _database.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        await _writes.WriteAsync(stateName.Length + 64, transaction =>
        {
            if (currentEtag is null)
            {
                // Clearing state that was never written is a no-op, but only if nobody has written it meanwhile.
                if (transaction.Scalar(SelectEtagSql, key) is string stored) throw Mismatch("clear", stateName, grainId, stored, null);
            }
            else if (transaction.Execute(DeleteSql, [.. key, ("@etag", currentEtag)]) == 0)
            {
                throw Mismatch("clear", stateName, grainId, transaction.Scalar(SelectEtagSql, key) as string, currentEtag);
            }

            return true;
        }, cancellationToken).ConfigureAwait(false);

        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    /// <summary>Transactions the writer loop has committed (one per batch of writes).</summary>
    internal long CommitCount => _writes.Commits;

    /// <summary>Writes waiting for the writer loop.</summary>
    internal int QueuedWrites => _writes.Queued;

    /// <summary>Writes in the batch the writer loop is committing now.</summary>
    internal int WritesInFlight => _writes.InFlight;

    /// <inheritdoc />
    public void Participate(ISiloLifecycle lifecycle) =>
        // Create the file and schema before grains run so a bad path fails the silo start, not the first grain call.
        lifecycle.Subscribe(
            $"{nameof(SqliteGrainStorage)}-{_name}",
            ServiceLifecycleStage.ApplicationServices,
            _database.EnsureInitializedAsync,
            // After the grains have gone, their last writes are committed before the silo stops.
            _writes.FlushAsync);

    /// <inheritdoc />
    public void Dispose()
    {
        _writes.Dispose();
        _database.Dispose();
    }

    // Random rather than a per-row counter, so an ETag from before a clear can never match a row written after it.
    private static string NewEtag() => Guid.NewGuid().ToString("N");

    private static (string, object?)[] Key(string stateName, GrainId grainId) =>
        [("@state_name", stateName), ("@grain_id", grainId.ToString())];

    private InconsistentStateException Mismatch(string operation, string stateName, GrainId grainId, string? storedEtag, string? currentEtag)
    {
        _logger.LogWarning(
            "SQLite storage {Provider}: {Operation} of {StateName} for {GrainId} rejected, stored ETag {StoredEtag}, caller ETag {CurrentEtag}",
            _name, operation, stateName, grainId, storedEtag ?? "<none>", currentEtag ?? "<none>");
        return new InconsistentStateException(
            $"ETag mismatch on {operation} of state '{stateName}' for grain {grainId} in SQLite storage '{_name}'.",
            storedEtag,
            currentEtag);
    }
}
