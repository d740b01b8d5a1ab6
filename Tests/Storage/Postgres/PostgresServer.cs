using System.Globalization;
using Npgsql;
using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Storage.Postgres;

/// <summary>
/// A private PostgreSQL for the test run: <c>initdb</c> in a temporary folder, a free loopback port, no Unix socket,
/// no system service, <c>fsync=on</c>. Started once on first use; stopped by pid (and its folder removed) when the
/// test process exits. Each test class takes a fresh database with Orleans's scripts applied by <c>psql</c>.
/// </summary>
public sealed class PostgresServer
{
    private static readonly Lazy<Task<PostgresServer>> Shared = new(StartAsync);
    private static int _databases;

    private readonly string _root;
    private readonly string _bin;

    private PostgresServer(string root, string bin, int port, int pid)
    {
        _root = root;
        _bin = bin;
        Port = port;
        Pid = pid;
    }

    public int Port { get; }

    public int Pid { get; }

    public static Task<PostgresServer> GetAsync() => Shared.Value;

    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1", Port = Port, Database = database, Username = "postgres", Pooling = true,
    }.ToString();

    /// <summary>A new empty database; no schema.</summary>
    public async Task<string> CreateEmptyDatabaseAsync(string prefix)
    {
        var name = $"{prefix}_{Interlocked.Increment(ref _databases)}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 20, 60)].ToLowerInvariant();
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    /// <summary>A new database with Orleans's ADO.NET schema, applied from the unchanged scripts in the documented order.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix)
    {
        var connectionString = await CreateEmptyDatabaseAsync(prefix);
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        foreach (var script in new[] { "Main", "Clustering", "Persistence", "Reminders" })
            await PsqlAsync(database, "-f", Path.Combine(RepositoryPaths.OrleansSqlScripts, $"PostgreSQL-{script}.sql"));
        return connectionString;
    }

    /// <summary>Runs psql against <paramref name="database"/> and fails with its output when it fails.</summary>
    public async Task PsqlAsync(string database, params string[] args)
    {
        var (code, output) = await ChildProcess.RunAsync(Path.Combine(_bin, "psql"),
            ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", "postgres", "-d", database, .. args],
            new Dictionary<string, string?> { ["PGOPTIONS"] = "-c client_min_messages=warning" });
        if (code != 0) throw new InvalidOperationException($"psql {string.Join(' ', args)} failed ({code}):\n{output}");
    }

    private static async Task<PostgresServer> StartAsync()
    {
        _ = RepositoryPaths.OrleansSqlScripts; // fail loudly and early when the scripts are missing
        var bin = FindBin();
        var root = Path.Combine(Path.GetTempPath(), $"tourplanner-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        var asRoot = Environment.UserName == "root";
        // initdb refuses to run as root: run the server's tools as the postgres user, in a folder it owns.
        if (asRoot) await Must(ChildProcess.RunAsync("chown", ["postgres:postgres", root]), "chown");
        var data = Path.Combine(root, "data");
        await Must(Tool(asRoot, Path.Combine(bin, "initdb"), "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"), "initdb");

        for (var attempt = 1; ; attempt++)
        {
            var port = GatewayFactory.FreePort();
            var started = await Tool(asRoot, Path.Combine(bin, "pg_ctl"), "-D", data, "-l", Path.Combine(root, "server.log"), "-w", "-t", "60", "-o",
                $"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c fsync=on -c max_connections=300", "start");
            if (started.ExitCode == 0)
            {
                var pid = int.Parse(File.ReadLines(Path.Combine(data, "postmaster.pid")).First(), CultureInfo.InvariantCulture);
                var server = new PostgresServer(root, bin, port, pid);
                AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop();
                server.StartWatchdog();
                return server;
            }

            if (attempt == 3) throw new InvalidOperationException($"PostgreSQL did not start:\n{started.Output}\n{ReadLog(root)}");
        }
    }

    /// <summary>Fast shutdown (SIGINT: disconnect clients, stop), by pid; then the folder goes.</summary>
    private void Stop()
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(Pid);
            _ = Kill(Pid, 2);
            if (!process.WaitForExit(TimeSpan.FromSeconds(30))) _ = Kill(Pid, 9);
        }
        catch (ArgumentException)
        {
            // Already gone.
        }

        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>If this test process dies without running <see cref="Stop"/>, a detached shell stops the server and removes its folder.</summary>
    private void StartWatchdog()
    {
        var script = $"while kill -0 {Environment.ProcessId} 2>/dev/null; do sleep 2; done; " +
                     $"if [ \"$(cat /proc/{Pid}/comm 2>/dev/null)\" = postgres ]; then kill -INT {Pid}; sleep 5; fi; rm -rf '{_root}'";
        var info = new System.Diagnostics.ProcessStartInfo("/usr/bin/setsid", ["/bin/sh", "-c", script])
        {
            UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var watchdog = System.Diagnostics.Process.Start(info);
    }

    private static Task<(int ExitCode, string Output)> Tool(bool asRoot, string file, params string[] args) =>
        asRoot ? ChildProcess.RunAsync("runuser", ["-u", "postgres", "--", file, .. args]) : ChildProcess.RunAsync(file, args);

    private static async Task Must(Task<(int ExitCode, string Output)> run, string what)
    {
        var (code, output) = await run;
        if (code != 0) throw new InvalidOperationException($"{what} failed ({code}):\n{output}");
    }

    private static string FindBin()
    {
        var configured = Environment.GetEnvironmentVariable("TOURPLANNER_PG_BIN");
        if (!string.IsNullOrWhiteSpace(configured)) return configured;
        var found = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(b => File.Exists(Path.Combine(b, "initdb")))
                .OrderByDescending(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;
        return found ?? throw new InvalidOperationException(
            "PostgreSQL's server tools (initdb, pg_ctl) are not installed: ./test.sh installs Debian's postgresql, or set TOURPLANNER_PG_BIN.");
    }

    private static string ReadLog(string root)
    {
        try { return File.ReadAllText(Path.Combine(root, "server.log")); }
        catch (IOException) { return ""; }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}

/// <summary>A fresh database with Orleans's schema for one test class.</summary>
public sealed class PostgresDatabase : IAsyncLifetime
{
    public PostgresServer Server { get; private set; } = null!;

    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Server = await PostgresServer.GetAsync();
        ConnectionString = await Server.CreateDatabaseAsync("t");
    }

    public Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        return Task.CompletedTask;
    }
}
