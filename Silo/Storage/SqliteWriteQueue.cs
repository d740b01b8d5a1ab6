using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace TourPlanner.Silo.Storage;

/// <summary>
/// Group commit for one SQLite file: a single writer loop takes the writes that queued up meanwhile (bounded in count
/// and bytes) and runs them in one transaction, so many grains pay for one fsync (synchronous=FULL) instead of one each.
/// Each write runs in a savepoint and checks its own ETag, so one that fails fails alone; every write in the batch is
/// acknowledged only once the transaction has committed.
/// </summary>
internal sealed class SqliteWriteQueue : IDisposable
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(30);

    private readonly SqliteDatabase _database;
    private readonly int _maxBatchWrites;
    private readonly long _maxBatchBytes;
    private readonly Channel<PendingWrite> _queue;
    private readonly Task _loop;
    private long _commits;
    private int _inFlight;

    public SqliteWriteQueue(SqliteDatabase database, int maxBatchWrites, long maxBatchBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchWrites, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchBytes, 1);
        _database = database;
        _maxBatchWrites = maxBatchWrites;
        _maxBatchBytes = maxBatchBytes;
        // Bounded: past this many waiting writes, callers wait to enqueue rather than grow memory without limit.
        _queue = Channel.CreateBounded<PendingWrite>(new BoundedChannelOptions(maxBatchWrites * 64)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Transactions committed so far (tests compare it with the number of writes).</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>Writes waiting for the writer loop.</summary>
    public int Queued => _queue.Reader.Count;

    /// <summary>Writes the loop has taken into the batch it is committing now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>
    /// Runs <paramref name="apply"/> inside the next batch's transaction and completes once that transaction has
    /// committed; an exception from <paramref name="apply"/> fails this write only.
    /// </summary>
    public async Task<T> WriteAsync<T>(long bytes, Func<SqliteTransaction, T> apply, CancellationToken cancellationToken)
    {
        var pending = new PendingWrite(bytes, tx => apply(tx), cancellationToken);
        try
        {
            await _queue.Writer.WriteAsync(pending, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            throw new ObjectDisposedException(nameof(SqliteGrainStorage), "The SQLite grain storage is shutting down.");
        }

        return (T)(await pending.Done.Task.ConfigureAwait(false))!;
    }

    /// <summary>Completes once every write queued before it has committed.</summary>
    public Task FlushAsync(CancellationToken cancellationToken) => WriteAsync<object?>(0, _ => null, cancellationToken);

    /// <summary>Stops taking writes and waits (bounded) for the queued ones to commit.</summary>
    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _loop.Wait(DrainTimeout);
    }

    private async Task RunAsync()
    {
        SqliteConnection? connection = null;
        var batch = new List<PendingWrite>(_maxBatchWrites);
        try
        {
            while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
            {
                TakeBatch(batch);
                if (batch.Count == 0) continue;
                Volatile.Write(ref _inFlight, batch.Count);
                try
                {
                    connection ??= await _database.OpenAsync(CancellationToken.None).ConfigureAwait(false);
                    Commit(connection, batch);
                }
                catch (Exception e)
                {
                    // The transaction as a whole failed (disk full, lock timeout): nothing in it is durable, so every write fails.
                    foreach (var write in batch) write.Done.TrySetException(e);
                    connection?.Dispose();
                    connection = null;
                }
                finally
                {
                    Volatile.Write(ref _inFlight, 0);
                }
            }
        }
        finally
        {
            connection?.Dispose();
        }
    }

    private void TakeBatch(List<PendingWrite> batch)
    {
        batch.Clear();
        long bytes = 0;
        // A single write larger than the byte bound still goes, alone.
        while (batch.Count < _maxBatchWrites
               && _queue.Reader.TryPeek(out var next)
               && (batch.Count == 0 || bytes + next.Bytes <= _maxBatchBytes)
               && _queue.Reader.TryRead(out next))
        {
            if (next.Cancellation.IsCancellationRequested)
            {
                next.Done.TrySetCanceled(next.Cancellation);
                continue;
            }

            batch.Add(next);
            bytes += next.Bytes;
        }
    }

    private void Commit(SqliteConnection connection, List<PendingWrite> batch)
    {
        var results = new (object? Value, Exception? Error)[batch.Count];
        using (var transaction = connection.BeginTransaction(deferred: false))
        {
            for (var i = 0; i < batch.Count; i++)
            {
                Execute(transaction, "SAVEPOINT w;");
                try
                {
                    results[i] = (batch[i].Apply(transaction), null);
                    Execute(transaction, "RELEASE w;");
                }
                catch (Exception e) when (e is not SqliteException { SqliteErrorCode: 13 or 10 }) // SQLITE_FULL, SQLITE_IOERR fail the batch
                {
                    Execute(transaction, "ROLLBACK TO w; RELEASE w;");
                    results[i] = (null, e);
                }
            }

            transaction.Commit();
        }

        Interlocked.Increment(ref _commits);
        for (var i = 0; i < batch.Count; i++)
        {
            if (results[i].Error is { } error) batch[i].Done.TrySetException(error);
            else batch[i].Done.TrySetResult(results[i].Value);
        }
    }

    private static void Execute(SqliteTransaction transaction, string sql)
    {
        using var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private sealed record PendingWrite(long Bytes, Func<SqliteTransaction, object?> Apply, CancellationToken Cancellation)
    {
        // Continuations run elsewhere, never on the writer loop, so one slow caller cannot hold up the next batch.
        public TaskCompletionSource<object?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
