using System.Diagnostics;
using System.Text.Json;
using TourPlanner.Tests.Calendar;
using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Mail;

/// <summary>
/// A real SMTP server on 127.0.0.1: Debian's <c>python3-aiosmtpd</c> (Tests/Mail/smtp/sink.py), keeping every message
/// it accepts as a file. It can be stopped (killed by its process id) and started again on the same port, as a mail
/// server that goes down and comes back. Messages are read back with Python's own <c>email</c> package.
/// </summary>
public sealed class SmtpSink(string? refuse = null) : IAsyncDisposable
{
    public const string Python = "/usr/bin/python3";
    private Process? _process;

    public int Port { get; } = GatewayFactory.FreePort();
    public string Folder { get; } = Directory.CreateTempSubdirectory("tourplanner-smtp-").FullName;

    public static string Script(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "Tests", "Mail", "smtp", name);
            if (File.Exists(candidate)) return candidate;
        }
        throw new InvalidOperationException($"Tests/Mail/smtp/{name} not found above {AppContext.BaseDirectory}.");
    }

    public async Task StartAsync()
    {
        Assert.True(File.Exists(Python), $"{Python} is missing: apt-get install -y python3 python3-aiosmtpd");
        // With a refusal, recipients whose address contains it get a 550 that repeats their address.
        var info = new ProcessStartInfo(Python, refuse is null ? [Script("sink.py"), Port.ToString(), Folder] : [Script("sink.py"), Port.ToString(), Folder, refuse])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        info.Environment["PYTHONUNBUFFERED"] = "1";
        _process = Process.Start(info)!;
        var errors = _process.StandardError.ReadToEndAsync();
        var ready = _process.StandardOutput.ReadLineAsync();
        if (await Task.WhenAny(ready, Task.Delay(TimeSpan.FromSeconds(30))) != ready || await ready != "ready")
        {
            Stop();
            Assert.Fail($"The SMTP server did not start: {await errors}");
        }
        _ = _process.StandardOutput.ReadToEndAsync();
    }

    /// <summary>Kills the server; connections are refused until it starts again.</summary>
    public void Stop()
    {
        if (_process is { HasExited: false }) _process.Kill(entireProcessTree: true);
        _process?.WaitForExit(10_000);
        _process?.Dispose();
        _process = null;
    }

    public int Count => Directory.GetFiles(Folder, "*.eml").Length;

    /// <summary>Every kept message as Python's email package reads it (see read_mail.py).</summary>
    public async Task<IReadOnlyList<ReadMessage>> ReadAsync()
    {
        var result = (await ExternalTool.RunAsync(Python, [Script("read_mail.py"), Folder])).EnsureSuccess("read_mail.py");
        return [.. JsonDocument.Parse(result.StdOut).RootElement.EnumerateArray().Select(e => new ReadMessage(e.Clone()))];
    }

    /// <summary>Waits (bounded) until the messages of one tour satisfy <paramref name="done"/>; returns them.</summary>
    public async Task<IReadOnlyList<ReadMessage>> WaitForAsync(string tourId, Func<IReadOnlyList<ReadMessage>, bool> done, int timeoutSeconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        var seen = -1;
        while (true)
        {
            // Parse only when something new arrived: the parser is a process of its own.
            var count = Count;
            if (count != seen)
            {
                seen = count;
                var mine = (await ReadAsync()).Where(m => m.MessageId.Contains(tourId, StringComparison.Ordinal)).ToList();
                if (done(mine)) return mine;
            }
            if (DateTime.UtcNow > deadline)
            {
                var mine = (await ReadAsync()).Where(m => m.MessageId.Contains(tourId, StringComparison.Ordinal)).ToList();
                Assert.Fail($"Timed out waiting for mail of {tourId}; got {mine.Count}: " +
                            string.Join(" | ", mine.Select(m => $"{m.To}: {m.Subject}")));
            }
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Stop();
        await Task.CompletedTask;
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}

/// <summary>One message as Python's email package read it.</summary>
public sealed record ReadMessage(JsonElement Json)
{
    public string Header(string name) => Json.GetProperty("headers").TryGetProperty(name, out var v) ? v.GetString()!.Trim() : "";
    public string Subject => Header("Subject");
    public string To => Header("To");
    public string MessageId => Header("Message-ID");
    public string Text => Json.GetProperty("text").GetString() ?? "";
    public string Html => Json.GetProperty("html").GetString() ?? "";
    public IReadOnlyList<string> EnvelopeTo => [.. Json.GetProperty("envelope").GetProperty("rcptTos").EnumerateArray().Select(x => x.GetString()!)];
    public IReadOnlyList<JsonElement> Calendars => [.. Json.GetProperty("calendars").EnumerateArray()];
    public bool IsTo(string address) => EnvelopeTo.Contains(address);

    /// <summary>The single-use sign-in token of the message's link to the recipient's page.</summary>
    public string SignInToken(string baseUrl, string tourId)
    {
        var prefix = $"{baseUrl}/signin/{tourId}#token=";
        var at = Text.IndexOf(prefix, StringComparison.Ordinal);
        Assert.True(at >= 0, $"No sign-in link {prefix}… in:\n{Text}");
        return new string(Text[(at + prefix.Length)..].TakeWhile(c => char.IsLetterOrDigit(c) || c is '-' or '_').ToArray());
    }
}
