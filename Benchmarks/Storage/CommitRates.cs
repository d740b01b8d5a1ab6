using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Storage;
using TourPlanner.Silo.Storage;

namespace TourPlanner.Benchmarks.Storage;

/// <summary>
/// Commit rates on this machine's disk, each beside its reference measured in the same run:
/// <c>sqlite</c>: raw SQLite (one row per transaction, WAL, synchronous=FULL) vs. our grain storage with N concurrent
/// writers, with group commit and with batches of one (a transaction per write, as before group commit);
/// <c>postgres</c>: raw PostgreSQL commits (one-row INSERT per transaction) from one connection and from N.
/// </summary>
public static class CommitRates
{
    public const string Usage = "sqlite [--dir /tmp] [--seconds 10] [--writers 50] | postgres --connection CS [--seconds 10] [--writers 50]";

    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = double.Parse(Arg(args, "--seconds", "10"), CultureInfo.InvariantCulture);
        var writers = int.Parse(Arg(args, "--writers", "50"), CultureInfo.InvariantCulture);
        var duration = TimeSpan.FromSeconds(seconds);
        switch (args.FirstOrDefault())
        {
            case "sqlite":
                var dir = Path.Combine(Arg(args, "--dir", Path.GetTempPath()), "tourplanner-commit-" + Guid.NewGuid().ToString("N"));
                Directory.CreateDirectory(dir);
                try
                {
                    Report("sqlite raw, 1 writer, 1 row per transaction", await RawSqliteAsync(Path.Combine(dir, "raw.db"), duration), 0);
                    foreach (var batch in new[] { 1, 256 })
                    {
                        var (rate, commits) = await ProviderAsync(Path.Combine(dir, $"provider-{batch}.db"), writers, batch, duration);
                        Report($"SqliteGrainStorage, {writers} writers, batches of at most {batch}", rate, commits);
                    }
                }
                finally
                {
                    SqliteConnection.ClearAllPools();
                    Directory.Delete(dir, recursive: true);
                }

                return 0;
            case "postgres":
                var cs = Arg(args, "--connection", "");
                Report("postgres raw, 1 connection, 1 row per transaction", await RawPostgresAsync(cs, 1, duration), 0);
                Report($"postgres raw, {writers} connections, 1 row per transaction", await RawPostgresAsync(cs, writers, duration), 0);
                return 0;
            default:
                Console.Error.WriteLine("Usage: Benchmarks commit-rate " + Usage);
                return 2;
        }
    }

    private static void Report(string what, double perSecond, long commits) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what}: {perSecond:F0}/s{(commits > 0 ? $" ({commits} transactions)" : "")}"));

    private static async Task<double> RawSqliteAsync(string file, TimeSpan duration)
    {
        await using var connection = new SqliteConnection($"Data Source={file}");
        await connection.OpenAsync();
        Execute(connection, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; CREATE TABLE t (id INTEGER PRIMARY KEY, data BLOB NOT NULL);");
        var payload = new byte[512];
        var count = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            using var transaction = connection.BeginTransaction();
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO t (data) VALUES (@d)";
            insert.Parameters.AddWithValue("@d", payload);
            insert.ExecuteNonQuery();
            transaction.Commit();
            count++;
        }

        return count / clock.Elapsed.TotalSeconds;
    }

    private static async Task<(double PerSecond, long Commits)> ProviderAsync(string file, int writers, int maxBatch, TimeSpan duration)
    {
        var serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();
        using var storage = new SqliteGrainStorage("bench",
            new SqliteStorageOptions { ConnectionString = $"Data Source={file}", MaxBatchWrites = maxBatch },
            new OrleansGrainStorageSerializer(serializer), NullLogger<SqliteGrainStorage>.Instance);
        var payload = new byte[512];
        var count = 0L;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            // Each writer is one grain writing its own state over and over, as an activation does.
            var state = new GrainState<byte[]>(payload);
            var grain = GrainId.Create("bench", w.ToString(CultureInfo.InvariantCulture));
            while (clock.Elapsed < duration)
            {
                await storage.WriteStateAsync("bench", grain, state);
                Interlocked.Increment(ref count);
            }
        })));
        return (count / clock.Elapsed.TotalSeconds, storage.CommitCount);
    }

    private static async Task<double> RawPostgresAsync(string connectionString, int writers, TimeSpan duration)
    {
        await using (var setup = new NpgsqlConnection(connectionString))
        {
            await setup.OpenAsync();
            await using var create = new NpgsqlCommand("DROP TABLE IF EXISTS bench_commit; CREATE TABLE bench_commit (id bigserial PRIMARY KEY, data bytea NOT NULL)", setup);
            await create.ExecuteNonQueryAsync();
        }

        var payload = new byte[512];
        var count = 0L;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var insert = new NpgsqlCommand("INSERT INTO bench_commit (data) VALUES (@d)", connection);
            insert.Parameters.AddWithValue("d", payload);
            while (clock.Elapsed < duration)
            {
                await insert.ExecuteNonQueryAsync(); // autocommit: one transaction, one WAL flush, per row
                Interlocked.Increment(ref count);
            }
        })));
        return count / clock.Elapsed.TotalSeconds;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static string Arg(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
