using System.Globalization;
using System.Net;
using Npgsql;
using NodaTime;
using NodaTime.Text;
using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Cluster;

/// <summary>A Gateway process and a client for its HTTP API.</summary>
public sealed class GatewayNode(ChildProcess process, Uri baseUrl) : IAsyncDisposable
{
    public ChildProcess Process { get; } = process;

    public Uri BaseUrl { get; } = baseUrl;

    public HttpClient Http { get; } = new(new SocketsHttpHandler { MaxConnectionsPerServer = 64, AutomaticDecompression = DecompressionMethods.None })
    {
        BaseAddress = baseUrl,
        Timeout = TimeSpan.FromSeconds(60),
    };

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Process.DisposeAsync();
    }
}

/// <summary>
/// Silos and Gateways started as real processes from the built outputs, all on loopback with free ports, sharing one
/// cluster id and store. Every process is stopped by pid when the host is disposed. Time in the silos can be moved
/// forward through the test-only clock file (<c>Testing:ClockFile</c>).
/// </summary>
public sealed class ClusterHost : IAsyncDisposable
{
    public const string PublicBaseUrl = "https://tours.example.org";

    private readonly List<IAsyncDisposable> _processes = [];
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "tourplanner-tests", "cluster-" + Guid.NewGuid().ToString("N"));

    private ClusterHost(string provider, string connectionString)
    {
        Directory.CreateDirectory(_folder);
        Provider = provider;
        ConnectionString = connectionString;
        ClockFile = Path.Combine(_folder, "clock-offset");
        // One key ring for every silo, with its key made before any starts: silos started together would otherwise each
        // make one, and a tour sealed on one silo would meet a key the other has not loaded yet after a failover.
        Microsoft.AspNetCore.DataProtection.DataProtectionProvider.Create(new DirectoryInfo(KeysFolder), b => Microsoft.AspNetCore.DataProtection.DataProtectionBuilderExtensions.SetApplicationName(b, "TourPlanner"))
            .CreateProtector("warm-up").Protect([1]);
    }

    public string Provider { get; }

    public string ConnectionString { get; }

    public string ClusterId { get; } = "c" + Guid.NewGuid().ToString("N")[..10];

    public string ClockFile { get; }

    /// <summary>How long a grain call waits for its answer; short where a test kills silos on purpose.</summary>
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public static ClusterHost OnPostgres(string connectionString, TimeSpan? responseTimeout = null, int votesForDeath = 2) =>
        new("postgres", connectionString) { ResponseTimeout = responseTimeout ?? TimeSpan.FromSeconds(30), VotesForDeath = votesForDeath };

    /// <summary>How many silos must vote a silo dead (Orleans's default is 2; a cluster of two has one voter left).</summary>
    public int VotesForDeath { get; init; } = 2;

    /// <summary>The embedded profile: one SQLite file in this host's own folder.</summary>
    public static ClusterHost OnSqlite() => new("sqlite", "");

    public string SqliteFile => Path.Combine(_folder, "tourplanner.db");

    /// <summary>The Data Protection key ring every silo shares (Privacy:KeysFolder).</summary>
    public string KeysFolder => Path.Combine(_folder, "keys");

    /// <summary>Every silo reads its time as the system clock plus this offset.</summary>
    public async Task SetClockOffsetAsync(Duration offset)
    {
        var temporary = ClockFile + ".tmp";
        await File.WriteAllTextAsync(temporary, DurationPattern.Roundtrip.Format(offset));
        File.Move(temporary, ClockFile, overwrite: true); // atomic: a silo never reads half a file
    }

    public Instant Now(Duration offset) => SystemClock.Instance.GetCurrentInstant() + offset;

    /// <summary>Starts a stand-alone silo and waits until its host reports started.</summary>
    public async Task<ChildProcess> StartSiloAsync(string name)
    {
        var silo = ChildProcess.Start(name, "dotnet", [RepositoryPaths.SiloDll], Environment(siloPort: GatewayFactory.FreePort(), gatewayPort: GatewayFactory.FreePort()),
            workingDirectory: _folder);
        _processes.Add(silo);
        await silo.WaitForOutputAsync(line => line.Contains("Application started", StringComparison.Ordinal), TimeSpan.FromSeconds(90));
        return silo;
    }

    /// <summary>Starts a Gateway (a pure client of the silos, or co-hosting one) and waits until /readyz says 200.</summary>
    public async Task<GatewayNode> StartGatewayAsync(string name, bool coHostSilo = false)
    {
        var port = GatewayFactory.FreePort();
        var environment = Environment(siloPort: GatewayFactory.FreePort(), gatewayPort: GatewayFactory.FreePort());
        environment["Gateway__CoHostSilo"] = coHostSilo ? "true" : "false";
        environment["Urls"] = $"http://127.0.0.1:{port}";
        // Started from its build folder so its appsettings.json (log levels) applies, as in production.
        var process = ChildProcess.Start(name, "dotnet", [RepositoryPaths.GatewayDll], environment, Path.GetDirectoryName(RepositoryPaths.GatewayDll));
        var node = new GatewayNode(process, new Uri($"http://127.0.0.1:{port}"));
        _processes.Add(node);
        await WaitReadyAsync(node, TimeSpan.FromSeconds(90));
        return node;
    }

    public static async Task WaitReadyAsync(GatewayNode node, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (node.Process.HasExited) throw new InvalidOperationException($"{node.Process.Name} exited with {node.Process.ExitCode}:\n{node.Process.Tail()}");
            try
            {
                using var ready = await node.Http.GetAsync("/readyz");
                if (ready.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{node.Process.Name} not ready within {timeout}:\n{node.Process.Tail()}");
            await Task.Delay(200);
        }
    }

    /// <summary>Membership rows of this cluster: (silo port, status), status 3 = Active, 6 = Dead.</summary>
    public async Task<List<(int Port, int Status)>> MembershipAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT port, status FROM orleansmembershiptable WHERE deploymentid = @d", connection);
        command.Parameters.AddWithValue("d", ClusterId);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(int, int)>();
        while (await reader.ReadAsync()) rows.Add((reader.GetInt32(0), reader.GetInt32(1)));
        return rows;
    }

    /// <summary>A number that rises with every grain state write in the store (row versions plus row count).</summary>
    public async Task<long> StorageWritesAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT COALESCE(SUM(version), 0) + COUNT(*) FROM orleansstorage", connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in Enumerable.Reverse(_processes))
        {
            try { await process.DisposeAsync(); }
            catch (Exception) { /* keep stopping the others */ }
        }

        NpgsqlConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    private Dictionary<string, string?> Environment(int siloPort, int gatewayPort) => new()
    {
        ["DOTNET_ENVIRONMENT"] = null,
        ["ASPNETCORE_ENVIRONMENT"] = null,
        ["DOTNET_gcServer"] = "0",
        ["Storage__Provider"] = Provider,
        ["Storage__ConnectionString"] = Provider == "postgres" ? ConnectionString : $"Data Source={SqliteFile}",
        ["Orleans__ClusterId"] = ClusterId,
        ["Orleans__SiloPort"] = siloPort.ToString(CultureInfo.InvariantCulture),
        ["Orleans__GatewayPort"] = gatewayPort.ToString(CultureInfo.InvariantCulture),
        // Quick failure detection, so a killed silo is voted dead within seconds rather than a minute.
        ["Orleans__Membership__ProbeTimeout"] = "00:00:01",
        ["Orleans__Membership__NumMissedProbesLimit"] = "2",
        ["Orleans__Membership__NumVotesForDeathDeclaration"] = VotesForDeath.ToString(CultureInfo.InvariantCulture),
        ["Orleans__Membership__TableRefreshTimeout"] = "00:00:02",
        ["Orleans__Membership__IAmAliveTablePublishTimeout"] = "00:00:05",
        ["Orleans__Messaging__ResponseTimeout"] = ResponseTimeout.ToString("c", CultureInfo.InvariantCulture),
        ["Holds__SweepPeriod"] = "00:00:01",
        ["Testing__ClockFile"] = ClockFile,
        ["Privacy__KeysFolder"] = KeysFolder,
        ["Gateway__PublicBaseUrl"] = PublicBaseUrl,
    };
}
