using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace TourPlanner.Benchmarks.Claims;

/// <summary>
/// Claims per second from concurrent HTTP clients against a running Gateway (see claims.sh, which starts one on
/// loopback with a fresh SQLite file). Each claim is a full request: token check, validation, stop grain write,
/// tour ledger write, host grain write — three durable SQLite commits.
/// </summary>
public static class ClaimsLoad
{
    public static async Task<int> RunAsync(string[] args)
    {
        // Several Gateways (comma-separated): clients take turns, so load spreads across them as behind a load balancer.
        var urls = Arg(args, "--url", "http://127.0.0.1:5081").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var clients = int.Parse(Arg(args, "--clients", "50"));
        var total = int.Parse(Arg(args, "--claims", "5000"));
        var tours = int.Parse(Arg(args, "--tours", "50"));
        var gateways = urls.Select(u => new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients }) { BaseAddress = new Uri(u) }).ToArray();
        var http = gateways[0];

        var targets = new List<(string TourId, string HostToken)>();
        for (var t = 0; t < tours; t++) targets.Add(await CreateTourAsync(http, t));

        // Warm up each path once so JIT and grain activation are not measured.
        foreach (var gateway in gateways)
            for (var t = 0; t < tours; t++) await ClaimAsync(gateway, targets[t], 0);

        var latencies = new double[total];
        var next = -1;
        var failures = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async client =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < total)
            {
                var started = Stopwatch.GetTimestamp();
                var ok = await ClaimAsync(gateways[client % gateways.Length], targets[i % tours], i + 1);
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (!ok) Interlocked.Increment(ref failures);
            }
        }));
        clock.Stop();
        Array.Sort(latencies);
        foreach (var gateway in gateways) gateway.Dispose();
        Console.WriteLine($"claims={total} clients={clients} gateways={gateways.Length} tours={tours} failures={failures} seconds={clock.Elapsed.TotalSeconds:F2} " +
                          $"claims_per_second={total / clock.Elapsed.TotalSeconds:F0} p50_ms={latencies[total / 2]:F1} " +
                          $"p95_ms={latencies[(int)(total * 0.95)]:F1} p99_ms={latencies[(int)(total * 0.99)]:F1}");
        return failures == 0 ? 0 : 1;
    }

    private static async Task<(string, string)> CreateTourAsync(HttpClient http, int n)
    {
        var created = await Post(http, "/api/tours", null, new
        {
            name = $"Load tour {n}", timeZone = "America/New_York", startDate = "2027-01-01", endDate = "2027-12-31",
            speakers = new[] { new { name = "Speaker", homeTimeZone = "America/New_York" } },
        });
        var id = created.GetProperty("id").GetString()!;
        var host = await Post(http, $"/api/tours/{id}/hosts", created.GetProperty("organizerToken").GetString(), new { name = "Host" });
        return (id, host.GetProperty("inviteToken").GetString()!);
    }

    private static async Task<bool> ClaimAsync(HttpClient http, (string TourId, string HostToken) target, int i)
    {
        // Spread claims over the year so queues stay short, as on a real tour.
        var date = new DateOnly(2027, 1, 1).AddDays(i % 365).ToString("yyyy-MM-dd");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/tours/{target.TourId}/claims")
        {
            Content = JsonContent.Create(new
            {
                city = "Chicago", country = "US", timeZone = "America/Chicago", latitude = 41.8781, longitude = -87.6298, dates = new[] { date },
                events = new[] { new { title = "Public meeting", start = $"{date}T19:00", durationMinutes = 120 } },
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", target.HostToken);
        using var response = await http.SendAsync(request);
        return (int)response.StatusCode == 201;
    }

    private static async Task<JsonElement> Post(HttpClient http, string path, string? token, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private static string Arg(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
