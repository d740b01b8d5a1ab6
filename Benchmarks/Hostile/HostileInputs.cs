using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace TourPlanner.Benchmarks.Hostile;

/// <summary>
/// What one hostile input costs a running Gateway (see hostile.sh, which starts a fresh one per case): a confirm whose
/// venue calendar misbehaves (served from this process on loopback), or a plan at the iteration cap with 25 held
/// claims. Prints the request's wall time, the Gateway's CPU time until the answer and over the two seconds after it
/// (work that outlives its request shows there, against two idle seconds measured just before), and the Gateway's
/// peak working set (VmHWM).
/// </summary>
public static class HostileInputs
{
    public const string Usage = "--url U --pid P <case>  (cases: " +
        "venue-reference recurrence-bomb tarpit endless-body huge-body slow-drip dense-events nesting-bomb plan-reference plan-capped; see Benchmarks/hostile.sh)";

    public static async Task<int> RunAsync(string[] args)
    {
        var url = Arg(args, "--url", "http://127.0.0.1:5082");
        var pid = int.Parse(Arg(args, "--pid", "0"), CultureInfo.InvariantCulture);
        var name = args.Last();
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(60) };
        await using var server = new Server();
        var tour = await TourAsync(http);

        Func<Task<HttpResponseMessage>> request;
        if (name.StartsWith("plan-", StringComparison.Ordinal))
        {
            for (var i = 0; i < 24; i++) await ClaimAsync(http, tour, i, calendarUrl: null);
            var body = name == "plan-capped" ? new { seed = 3L, maxIterations = 100_000L } : new { seed = 3L, maxIterations = 200L };
            request = () => Send(http, HttpMethod.Post, $"/api/tours/{tour.Id}/plan", tour.Organizer, body);
        }
        else
        {
            var claimId = await ClaimAsync(http, tour, 6, server.Url(name));
            request = () => Send(http, HttpMethod.Post, $"/api/tours/{tour.Id}/claims/{claimId}/confirm", tour.Organizer, null);
        }

        // The Gateway's own background CPU (timers, reminders, JIT) over two idle seconds, to read the rest against.
        var idleStart = CpuMs(pid);
        await Task.Delay(TimeSpan.FromSeconds(2));
        var cpuIdle = CpuMs(pid) - idleStart;
        var cpuBefore = CpuMs(pid);
        var clock = Stopwatch.StartNew();
        using var response = await request();
        var wall = clock.Elapsed.TotalMilliseconds;
        var cpuAnswer = CpuMs(pid) - cpuBefore;
        var text = await response.Content.ReadAsStringAsync();
        // Two seconds of nothing: a Gateway still burning CPU for this request after answering shows it here.
        await Task.Delay(TimeSpan.FromSeconds(2));
        var cpuAfter = CpuMs(pid) - cpuBefore - cpuAnswer;
        var detail = name.StartsWith("plan-", StringComparison.Ordinal) && response.IsSuccessStatusCode
            ? "stoppedBy=" + JsonDocument.Parse(text).RootElement.GetProperty("stoppedBy").GetString()
            : text.Contains("venue-calendar-unavailable", StringComparison.Ordinal) ? "warning=unreadable" : "";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"case={name} status={(int)response.StatusCode} {detail} wall_ms={wall:F0} cpu_ms_to_answer={cpuAnswer:F0} cpu_ms_2s_after={cpuAfter:F0} cpu_ms_2s_idle={cpuIdle:F0} peak_working_set_mb={PeakMb(pid):F0}"));
        return (int)response.StatusCode >= 500 ? 1 : 0;
    }

    private sealed record Tour(string Id, string Organizer, string Host);

    private static async Task<Tour> TourAsync(HttpClient http)
    {
        var created = await Json(await Send(http, HttpMethod.Post, "/api/tours", null, new
        {
            name = "Hostile inputs", timeZone = "America/Chicago", startDate = "2026-10-22", endDate = "2026-11-15",
            speakers = new[] { new { name = "Speaker", homeTimeZone = "America/New_York", homeLatitude = 40.7357, homeLongitude = -74.1724 } },
        }));
        var organizer = created.GetProperty("organizerToken").GetString()!;
        var id = created.GetProperty("id").GetString()!;
        var host = await Json(await Send(http, HttpMethod.Post, $"/api/tours/{id}/hosts", organizer, new { name = "Host" }));
        return new Tour(id, organizer, host.GetProperty("inviteToken").GetString()!);
    }

    /// <summary>A claim on day <paramref name="i"/> of the tour with three other acceptable dates, somewhere around the Great Lakes.</summary>
    private static async Task<string> ClaimAsync(HttpClient http, Tour tour, int i, string? calendarUrl)
    {
        var rng = new Random(i);
        var start = new DateOnly(2026, 10, 22);
        var date = start.AddDays(i);
        var others = Enumerable.Range(1, 3).Select(k => start.AddDays((i + 5 * k) % 24).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).ToArray();
        var claim = await Json(await Send(http, HttpMethod.Post, $"/api/tours/{tour.Id}/claims", tour.Host, new
        {
            city = $"City {i}", country = "US", timeZone = "America/Chicago", latitude = 41 + rng.NextDouble() * 4, longitude = -93 + rng.NextDouble() * 10,
            dates = new[] { date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) }, acceptableDates = others, priority = 1 + i % 3,
            venue = new { name = "Hall", calendarUrl },
            events = new[] { new { title = $"Meeting {i}", start = $"{date:yyyy-MM-dd}T19:00", durationMinutes = 120 } },
        }));
        return claim.GetProperty("claimId").GetString()!;
    }

    internal static async Task<HttpResponseMessage> Send(HttpClient http, HttpMethod method, string path, string? token, object? body)
    {
        var request = new HttpRequestMessage(method, path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null) request.Content = JsonContent.Create(body);
        return await http.SendAsync(request);
    }

    internal static async Task<JsonElement> Json(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>User + system CPU of a process, from /proc (clock ticks of 10 ms on Linux).</summary>
    private static double CpuMs(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * 10.0;
    }

    private static double PeakMb(int pid) =>
        File.ReadLines($"/proc/{pid}/status").Where(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0).Single();

    internal static string Arg(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }

    /// <summary>
    /// The misbehaving venue calendar server, on raw sockets (as in the tests' HostileVenueServer): REPORT gets 405 so
    /// the reader falls back to GET, and GET gets the case's answer.
    /// </summary>
    private sealed class Server : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;

        public Server()
        {
            _listener.Start();
            _loop = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    try { var socket = await _listener.AcceptSocketAsync(_stop.Token); _ = Task.Run(() => ServeAsync(socket)); }
                    catch (Exception) { return; }
                }
            });
        }

        public string Url(string name) => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/{name}/calendar.ics";

        private async Task ServeAsync(Socket socket)
        {
            using var _ = socket;
            await using var stream = new NetworkStream(socket);
            var ct = _stop.Token;
            try
            {
                var head = new StringBuilder();
                var one = new byte[1];
                while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && await stream.ReadAsync(one, ct) == 1) head.Append((char)one[0]);
                var lines = head.ToString().Split("\r\n");
                var length = lines.Select(l => l.Split(':', 2)).Where(p => p.Length == 2 && p[0].Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                    .Select(p => int.Parse(p[1].Trim(), CultureInfo.InvariantCulture)).FirstOrDefault();
                await stream.ReadExactlyAsync(new byte[length], ct);
                var parts = lines[0].Split(' ');
                var name = parts[1].Split('/', StringSplitOptions.RemoveEmptyEntries)[0];
                if (name == "tarpit")
                {
                    while (await stream.ReadAsync(one, ct) > 0) { }
                    return;
                }
                if (parts[0] == "REPORT")
                {
                    await Write(stream, "HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", ct);
                    return;
                }
                switch (name)
                {
                    case "endless-body" or "huge-body":
                        await Write(stream, "HTTP/1.1 200 OK\r\nContent-Type: text/calendar\r\n" + (name == "huge-body" ? "Content-Length: 10737418240\r\n" : "")
                            + "Connection: close\r\n\r\nBEGIN:VCALENDAR\r\n", ct);
                        var filler = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("X-FILL:" + new string('a', 120) + "\r\n", 128)));
                        while (true) await stream.WriteAsync(filler, ct);
                    case "slow-drip":
                        await Write(stream, "HTTP/1.1 200 OK\r\nContent-Type: text/calendar\r\nConnection: close\r\n\r\nBEGIN:VCALENDAR\r\nX-DRIP:", ct);
                        while (true)
                        {
                            await Write(stream, "a", ct);
                            await Task.Delay(50, ct);
                        }
                    default:
                        var body = Encoding.UTF8.GetBytes(Calendar(name));
                        await Write(stream, $"HTTP/1.1 200 OK\r\nContent-Type: text/calendar\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n", ct);
                        await stream.WriteAsync(body, ct);
                        break;
                }
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException) { }
        }

        private static string Calendar(string name)
        {
            var b = new StringBuilder("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//hostile//EN\r\n");
            switch (name)
            {
                case "recurrence-bomb":
                    b.Append("BEGIN:VEVENT\r\nUID:bomb\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:19000101T000000Z\r\nDTEND:19000101T000001Z\r\nRRULE:FREQ=SECONDLY\r\nEND:VEVENT\r\n");
                    break;
                case "dense-events":
                    for (var i = 0; b.Length < 3_900_000; i++)
                        b.Append(CultureInfo.InvariantCulture, $"BEGIN:VEVENT\r\nUID:e{i}\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20261028T{i % 24:00}{i / 24 % 60:00}00Z\r\nDURATION:PT1M\r\nSUMMARY:booking {i}\r\nEND:VEVENT\r\n");
                    break;
                case "nesting-bomb":
                    return "BEGIN:VCALENDAR\r\n" + string.Concat(Enumerable.Repeat("BEGIN:VEVENT\r\n", 200_000));
                default: // venue-reference: a weekly class and one booking, nothing in the way
                    b.Append("BEGIN:VEVENT\r\nUID:weekly\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20250102T150000Z\r\nDTEND:20250102T170000Z\r\nRRULE:FREQ=WEEKLY;BYDAY=TH\r\nEND:VEVENT\r\n");
                    b.Append("BEGIN:VEVENT\r\nUID:once\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20261027T150000Z\r\nDTEND:20261027T170000Z\r\nEND:VEVENT\r\n");
                    break;
            }
            return b.Append("END:VCALENDAR\r\n").ToString();
        }

        private static Task Write(NetworkStream stream, string text, CancellationToken ct) => stream.WriteAsync(Encoding.ASCII.GetBytes(text), ct).AsTask();

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            await _loop;
        }
    }
}
