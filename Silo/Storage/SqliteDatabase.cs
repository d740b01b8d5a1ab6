using Microsoft.Data.Sqlite;

namespace TourPlanner.Silo.Storage;

/// <summary>Opens tuned connections to one SQLite file and creates its schema once.</summary>
internal sealed class SqliteDatabase : IDisposable
{
    // Long enough that a writer queued behind a burst of other writers waits instead of failing with SQLITE_BUSY.
    private const int BusyTimeoutMilliseconds = 30_000;

    private readonly SemaphoreSlim _initLock = new(1, 1);
    private volatile bool _initialized;

    public SqliteDatabase(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (string.IsNullOrWhiteSpace(builder.DataSource))
        {
            throw new ArgumentException("The SQLite connection string needs a Data Source.", nameof(connectionString));
        }

        ConnectionString = builder.ToString();
        DataSource = builder.DataSource;
        Mode = builder.Mode;
    }

    public string ConnectionString { get; }

    private string DataSource { get; }

    private SqliteOpenMode Mode { get; }

    /// <summary>Opens a connection, creating the file and schema on first use.</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        return await OpenConnectionAsync(ConnectionString, cancellationToken).ConfigureAwait(false);
    }

    public async Task EnsureInitializedAsync(CancellationToken cancellationToken)
    {
        if (_initialized)
        {
            return;
        }

        await _initLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_initialized)
            {
                return;
            }

            CreateDirectoryIfMissing();
            await using var connection = await OpenConnectionAsync(ConnectionString, cancellationToken).ConfigureAwait(false);
            // WAL is a property of the file, so setting it once here covers every later connection; it cannot run inside a transaction.
            await connection.ExecuteAsync("PRAGMA journal_mode = WAL;", cancellationToken).ConfigureAwait(false);
            await connection.ExecuteAsync(SqliteSchema.CreateScript, cancellationToken).ConfigureAwait(false);
            _initialized = true;
        }
        finally
        {
            _initLock.Release();
        }
    }

    /// <summary>Opens a connection with the per-connection settings every caller relies on.</summary>
    internal static async Task<SqliteConnection> OpenConnectionAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            // busy_timeout and synchronous are per connection, not per file; FULL makes an acknowledged commit survive power loss in WAL mode.
            await connection.ExecuteAsync(
                $"PRAGMA busy_timeout = {BusyTimeoutMilliseconds}; PRAGMA synchronous = FULL;",
                cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private void CreateDirectoryIfMissing()
    {
        if (Mode == SqliteOpenMode.Memory
            || DataSource == ":memory:"
            || DataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(DataSource));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
    }

    /// <summary>Closes pooled connections so the file is released when the provider goes away.</summary>
    public void Dispose()
    {
        using var connection = new SqliteConnection(ConnectionString);
        SqliteConnection.ClearPool(connection);
    }
}
