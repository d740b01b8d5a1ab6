using System.Diagnostics;
using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Pages;

/// <summary>
/// The Gateway as its own operating-system process (the built Gateway.dll next to the tests), on a loopback port,
/// storing in a SQLite file: a test can stop it for real (a browser's offline switch does not stop a service worker's
/// own requests) and start it again on the same port and data. It runs on the real clock, like a deployment.
/// </summary>
public sealed class GatewayProcess : IAsyncDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "tourplanner-tests", "process-" + Guid.NewGuid().ToString("N"));
    private readonly Dictionary<string, string> _settings;
    private Process? _process;
    private readonly List<string> _log = [];

    public GatewayProcess()
    {
        Directory.CreateDirectory(_directory);
        Port = GatewayFactory.FreePort();
        _settings = new()
        {
            ["Urls"] = $"http://127.0.0.1:{Port}",
            ["Gateway__PublicBaseUrl"] = $"http://127.0.0.1:{Port}",
            ["Storage__Provider"] = "sqlite",
            ["Storage__ConnectionString"] = $"Data Source={Path.Combine(_directory, "tourplanner.db")}",
            ["Orleans__SiloPort"] = GatewayFactory.FreePort().ToString(),
            ["Orleans__GatewayPort"] = GatewayFactory.FreePort().ToString(),
            ["Orleans__ClusterId"] = "process-" + Guid.NewGuid().ToString("N")[..8],
            ["RateLimits__ToursPerHour"] = "1000000",
            ["RateLimits__FailedTokensPerMinute"] = "1000000",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Logging__LogLevel__Default"] = "Warning",
        };
    }

    public int Port { get; }
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Starts the process and waits until it is ready (<c>/readyz</c>: the silo is active and the store answers).</summary>
    public async Task StartAsync()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Gateway.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: build the solution first.");
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _directory };
        info.ArgumentList.Add(dll);
        foreach (var (key, value) in _settings) info.Environment[key] = value;
        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_log) _log.Add(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_log) _log.Add(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var healthy = await Eventually.ValueAsync(async () =>
        {
            if (_process.HasExited) return true; // reported below
            try { return (await client.GetAsync("readyz")).IsSuccessStatusCode; }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { return false; }
        }, ok => ok, timeoutSeconds: 90);
        Assert.True(healthy && !_process.HasExited, $"The Gateway process did not start on port {Port}:\n{Log}");
    }

    /// <summary>Kills the process (and anything it started) and waits until it is gone.</summary>
    public async Task StopAsync()
    {
        if (_process is null) return;
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

    public string Log { get { lock (_log) return string.Join('\n', _log.TakeLast(60)); } }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}
