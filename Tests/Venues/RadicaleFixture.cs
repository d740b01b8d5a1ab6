using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Venues;

/// <summary>
/// A real Radicale CalDAV server (Debian's <c>radicale</c> package) on 127.0.0.1 with a throwaway storage folder
/// and one htpasswd user, started once for the venue tests and killed by its process id afterwards.
/// </summary>
public sealed class RadicaleFixture : IAsyncLifetime
{
    public const string User = "venue", Password = "s3cret-venue-pass";
    private readonly string _root = Path.Combine(Path.GetTempPath(), "tourplanner-radicale", Guid.NewGuid().ToString("N"));
    private Process? _process;

    public int Port { get; private set; }
    public Uri BaseUrl => new($"http://127.0.0.1:{Port}/");
    public HttpClient Client { get; } = new() { Timeout = TimeSpan.FromSeconds(10) };

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(_root, "collections"));
        // Plain htpasswd keeps the fixture free of hashing libraries; the file lives and dies with the test run.
        await File.WriteAllTextAsync(Path.Combine(_root, "users"), $"{User}:{Password}\n");
        Port = GatewayFactory.FreePort();
        var config = Path.Combine(_root, "config");
        await File.WriteAllTextAsync(config, $"""
            [server]
            hosts = 127.0.0.1:{Port}
            [auth]
            type = htpasswd
            htpasswd_filename = {Path.Combine(_root, "users")}
            htpasswd_encryption = plain
            [rights]
            type = owner_only
            [storage]
            filesystem_folder = {Path.Combine(_root, "collections")}
            [logging]
            level = warning
            """);
        var exe = new[] { "/usr/bin/radicale", "/usr/local/bin/radicale" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("Radicale is not installed: apt-get install -y radicale");
        _process = Process.Start(new ProcessStartInfo(exe, ["-C", config])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        })!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        // Radicale's WSGI server drops idle keep-alive connections; a fresh connection per request avoids reusing a dead one.
        Client.DefaultRequestHeaders.ConnectionClose = true;
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}")));

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException($"Radicale exited with code {_process.ExitCode}.");
            try
            {
                using var response = await Client.GetAsync(BaseUrl);
                return; // any HTTP answer means it listens
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }

    /// <summary>A new calendar collection of the venue user (MKCALENDAR), holding the given events.</summary>
    public async Task<Uri> CreateCalendarAsync(params (string Uid, string Ics)[] events)
    {
        var url = new Uri(BaseUrl, $"{User}/{Guid.NewGuid():N}/");
        var made = await SendAsync(() => new HttpRequestMessage(new HttpMethod("MKCALENDAR"), url));
        // 405 on a retry: the first attempt made it before the connection dropped.
        Assert.True(made is HttpStatusCode.Created or HttpStatusCode.MethodNotAllowed, $"MKCALENDAR: {(int)made}");
        foreach (var (uid, ics) in events)
        {
            var put = await SendAsync(() => new HttpRequestMessage(HttpMethod.Put, new Uri(url, uid + ".ics"))
            {
                Content = new StringContent(ics, Encoding.UTF8, "text/calendar"),
            });
            Assert.True((int)put is >= 200 and < 300, $"PUT {uid}: {(int)put}");
        }
        return url;
    }

    /// <summary>
    /// Radicale's threaded WSGI server now and then drops a connection on a busy machine ("response ended
    /// prematurely"); setting up the venue's calendar retries rather than failing a test that is about something else.
    /// </summary>
    private async Task<HttpStatusCode> SendAsync(Func<HttpRequestMessage> request)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var message = request();
                using var response = await Client.SendAsync(message);
                return response.StatusCode;
            }
            catch (HttpRequestException) when (attempt < 4)
            {
                await Task.Delay(100 * attempt);
            }
        }
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false }) _process.Kill(entireProcessTree: true);
        _process?.WaitForExit(5000);
        _process?.Dispose();
        Client.Dispose();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
        return Task.CompletedTask;
    }
}

/// <summary>The Gateway configured for venue calendars: Radicale's credentials by host and a short read timeout.</summary>
public sealed class VenueGatewayFactory : Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program>
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);
    public NodaTime.Testing.FakeClock Clock { get; } = new(ClusterFixture.Epoch);
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "tourplanner-tests", Guid.NewGuid().ToString("N"));

    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        GatewayFactory.Configure(builder, Clock, DataDirectory);
        builder.UseSetting("Venues:Credentials:127.0.0.1", $"{RadicaleFixture.User}:{RadicaleFixture.Password}");
        builder.UseSetting("Venues:Timeout", Timeout.ToString());
        builder.UseSetting("Venues:AllowPrivateAddresses", "true"); // Radicale listens on loopback
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
    }
}

[CollectionDefinition(Name)]
public sealed class VenueCollection : ICollectionFixture<RadicaleFixture>, ICollectionFixture<VenueGatewayFactory>
{
    public const string Name = "venues";
}
