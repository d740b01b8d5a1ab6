using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TourPlanner.Tests.Venues;

/// <summary>What a hostile venue calendar server does with a request.</summary>
public enum Hostility
{
    /// <summary>A small, valid calendar whose one event repeats every second since 1900.</summary>
    RecurrenceBomb,
    /// <summary>The same bomb inside a CalDAV multistatus answer to the REPORT.</summary>
    RecurrenceBombReport,
    /// <summary>Accepts the connection, reads the request, never answers.</summary>
    Tarpit,
    /// <summary>Headers, then calendar-looking lines as fast as the client takes them, forever.</summary>
    EndlessBody,
    /// <summary>Announces 10 GB in Content-Length, then sends like <see cref="EndlessBody"/>.</summary>
    HugeBody,
    /// <summary>Headers, then one byte every 50 ms, forever.</summary>
    SlowDrip,
    /// <summary>Just under 4 MB of events, all inside the range: a parse that costs seconds of CPU.</summary>
    DenseEvents,
    /// <summary>200 000 nested BEGIN:VEVENT lines.</summary>
    NestingBomb,
    /// <summary>404.</summary>
    NotFound,
    /// <summary>200 with an HTML page.</summary>
    NotACalendar,
}

/// <summary>
/// A venue calendar server on 127.0.0.1 that misbehaves on purpose, written on raw sockets so it can do what a
/// well-behaved HTTP server never would (hold a connection without answering, announce 10 GB, drip). REPORT gets 405
/// (so the reader falls back to GET) except for <see cref="Hostility.RecurrenceBombReport"/>. It records, per mode,
/// how many connections it still holds open and when a client went away.
/// </summary>
public sealed class HostileVenueServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Hostility, int> _holding = new();
    private readonly ConcurrentDictionary<Hostility, long> _sent = new();
    private readonly ConcurrentDictionary<Hostility, TaskCompletionSource> _clientLeft = new();
    private readonly ConcurrentBag<Task> _connections = [];
    private readonly Task _accepting;

    public HostileVenueServer()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string Url(Hostility mode) => $"http://127.0.0.1:{Port}/{mode}/calendar.ics";

    /// <summary>Connections of this mode the server has not closed and the client has not left.</summary>
    public int Holding(Hostility mode) => _holding.GetValueOrDefault(mode);

    /// <summary>Body bytes written for this mode so far.</summary>
    public long Sent(Hostility mode) => _sent.GetValueOrDefault(mode);

    /// <summary>Completes when a client of this mode closed its connection while the server still held it.</summary>
    public Task ClientLeft(Hostility mode) => _clientLeft.GetOrAdd(mode, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try { socket = await _listener.AcceptSocketAsync(_stop.Token); }
            catch (Exception) { return; }
            _connections.Add(Task.Run(() => ServeAsync(socket)));
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using var _ = socket;
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        Hostility? mode = null;
        try
        {
            var (method, path) = await ReadRequestAsync(stream);
            mode = Enum.TryParse<Hostility>(path.Split('/', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(), out var m) ? m : Hostility.NotFound;
            _holding.AddOrUpdate(mode.Value, 1, (_, n) => n + 1);
            if (method == "REPORT" && mode != Hostility.RecurrenceBombReport && mode != Hostility.Tarpit)
            {
                await WriteAsync(stream, "HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                return;
            }
            await AnswerAsync(mode.Value, stream);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The client went away (or the server stopped) in the middle of the answer.
            if (mode is { } left && !_stop.IsCancellationRequested) ClientLeftNow(left);
        }
        finally
        {
            if (mode is { } done) _holding.AddOrUpdate(done, 0, (_, n) => n - 1);
        }
    }

    private void ClientLeftNow(Hostility mode) => _clientLeft.GetOrAdd(mode, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    private async Task AnswerAsync(Hostility mode, NetworkStream stream)
    {
        var ct = _stop.Token;
        switch (mode)
        {
            case Hostility.RecurrenceBomb:
                await OkAsync(stream, "text/calendar", Bomb);
                break;
            case Hostility.RecurrenceBombReport:
                await OkAsync(stream, "application/xml", $"""
                    <?xml version="1.0" encoding="utf-8"?>
                    <D:multistatus xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:response><D:href>/cal/bomb.ics</D:href>
                    <D:propstat><D:prop><C:calendar-data>{System.Security.SecurityElement.Escape(Bomb)}</C:calendar-data></D:prop>
                    <D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response></D:multistatus>
                    """, status: "207 Multi-Status");
                break;
            case Hostility.Tarpit:
                // Wait for the client to give up: a read returns 0 (or fails) when it closes its end.
                var sink = new byte[1024];
                while (await stream.ReadAsync(sink, ct) > 0) { }
                ClientLeftNow(mode);
                break;
            case Hostility.EndlessBody or Hostility.HugeBody:
                await WriteAsync(stream, "HTTP/1.1 200 OK\r\nContent-Type: text/calendar\r\n" +
                    (mode == Hostility.HugeBody ? "Content-Length: 10737418240\r\n" : "") + "Connection: close\r\n\r\nBEGIN:VCALENDAR\r\n");
                var filler = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("X-FILL:" + new string('a', 120) + "\r\n", 128)));
                while (true)
                {
                    await stream.WriteAsync(filler, ct);
                    _sent.AddOrUpdate(mode, filler.Length, (_, n) => n + filler.Length);
                }
            case Hostility.SlowDrip:
                await WriteAsync(stream, "HTTP/1.1 200 OK\r\nContent-Type: text/calendar\r\nConnection: close\r\n\r\nBEGIN:VCALENDAR\r\nX-DRIP:");
                while (true)
                {
                    await stream.WriteAsync("a"u8.ToArray(), ct);
                    await stream.FlushAsync(ct);
                    _sent.AddOrUpdate(mode, 1, (_, n) => n + 1);
                    await Task.Delay(50, ct);
                }
            case Hostility.DenseEvents:
                await OkAsync(stream, "text/calendar", Dense);
                break;
            case Hostility.NestingBomb:
                await OkAsync(stream, "text/calendar", Nesting);
                break;
            case Hostility.NotACalendar:
                await OkAsync(stream, "text/html", "<!doctype html><title>Hall</title><p>Welcome to our hall.</p>");
                break;
            default:
                await WriteAsync(stream, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                break;
        }
    }

    /// <summary>FREQ=SECONDLY from 1900: four billion increments to 2026 for a reader that enumerates from DTSTART.</summary>
    public static readonly string Bomb = string.Join("\r\n", "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//hostile//EN", "BEGIN:VEVENT", "UID:bomb",
        "DTSTAMP:20260101T000000Z", "DTSTART:19000101T000000Z", "DTEND:19000101T000001Z", "RRULE:FREQ=SECONDLY", "SUMMARY:x", "END:VEVENT", "END:VCALENDAR", "");

    private static readonly Lazy<string> DenseText = new(() =>
    {
        var b = new StringBuilder("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//hostile//EN\r\n");
        for (var i = 0; b.Length < 3_900_000; i++)
            b.Append($"BEGIN:VEVENT\r\nUID:e{i}\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20261029T{i % 24:00}{i / 24 % 60:00}00Z\r\nDURATION:PT1M\r\nSUMMARY:booking {i}\r\nEND:VEVENT\r\n");
        return b.Append("END:VCALENDAR\r\n").ToString();
    });
    private static string Dense => DenseText.Value;

    private static readonly string Nesting = "BEGIN:VCALENDAR\r\n" + string.Concat(Enumerable.Repeat("BEGIN:VEVENT\r\n", 200_000));

    private async Task OkAsync(NetworkStream stream, string type, string body, string status = "200 OK")
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        await WriteAsync(stream, $"HTTP/1.1 {status}\r\nContent-Type: {type}; charset=utf-8\r\nContent-Length: {bytes.Length}\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(bytes, _stop.Token);
    }

    private Task WriteAsync(NetworkStream stream, string text) => stream.WriteAsync(Encoding.ASCII.GetBytes(text), _stop.Token).AsTask();

    /// <summary>The request line, the headers, and a Content-Length body, read and discarded.</summary>
    private async Task<(string Method, string Path)> ReadRequestAsync(NetworkStream stream)
    {
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one, _stop.Token) == 0) throw new IOException("closed before the request ended");
            head.Append((char)one[0]);
            if (head.Length > 64 * 1024) throw new IOException("request head too long");
        }
        var lines = head.ToString().Split("\r\n");
        var length = lines.Select(l => l.Split(':', 2)).Where(p => p.Length == 2 && p[0].Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            .Select(p => int.Parse(p[1].Trim())).FirstOrDefault();
        var body = new byte[length];
        await stream.ReadExactlyAsync(body, _stop.Token);
        var request = lines[0].Split(' ');
        return (request[0], request[1]);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        await Task.WhenAll(_connections);
        _stop.Dispose();
    }
}
