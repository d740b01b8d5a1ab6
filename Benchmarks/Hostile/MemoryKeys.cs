using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace TourPlanner.Benchmarks.Hostile;

/// <summary>
/// Whether attacker-chosen keys grow a running Gateway's memory (see hostile.sh memory): many <c>Host</c> values on one
/// large public feed, then many GETs of random tour ids and slugs, each phase beside a reference phase of the same
/// number of requests on one known key. Prints the Gateway's resident set (VmRSS) after every phase and after an idle
/// pause, so a cache or activation that keeps what each key brought shows as growth over the reference.
/// </summary>
public static class MemoryKeys
{
    private static Task<HttpResponseMessage> Send(HttpClient http, HttpMethod method, string path, string? token, object? body) => HostileInputs.Send(http, method, path, token, body);
    private static Task<JsonElement> Json(HttpResponseMessage response) => HostileInputs.Json(response);
    private static string Arg(string[] args, string name, string fallback) => HostileInputs.Arg(args, name, fallback);

    public const string Usage = "--url U --pid P [--requests 40000] [--hosts 200]  (see Benchmarks/hostile.sh memory)";

    public static async Task<int> RunAsync(string[] args)
    {
        var url = Arg(args, "--url", "http://127.0.0.1:5082");
        var pid = int.Parse(Arg(args, "--pid", "0"), CultureInfo.InvariantCulture);
        var requests = int.Parse(Arg(args, "--requests", "40000"), CultureInfo.InvariantCulture);
        var hosts = int.Parse(Arg(args, "--hosts", "200"), CultureInfo.InvariantCulture);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 32 }) { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(60) };

        var (slug, feedBytes) = await LargeTourAsync(http);
        Report(pid, "start", 0, $"feed_bytes={feedBytes}");
        var failures = 0;

        // Host values: a cache keyed on the request's Host would keep one rendering per value.
        failures += await PhaseAsync(http, pid, "feed-one-host", hosts, _ => Get($"/tours/{slug}/calendar.ics", host: null));
        failures += await PhaseAsync(http, pid, "feed-many-hosts", hosts, i => Get($"/tours/{slug}/calendar.ics", host: $"h{i}.attacker.example"));

        // Ids and slugs: an activation or cache entry per unknown key would grow with the number of keys tried.
        var known = await http.GetFromJsonAsync<JsonElement>($"/api/slugs/{slug}");
        var tourId = known.GetProperty("id").GetString()!;
        failures += await PhaseAsync(http, pid, "known-tour", requests, i => (i % 3) switch
        {
            0 => Get($"/api/tours/{tourId}", null),
            1 => Get($"/t/{slug}", null),
            _ => Get($"/api/slugs/{slug}", null),
        });
        failures += await PhaseAsync(http, pid, "random-ids", requests, i => (i % 3) switch
        {
            0 => Get($"/api/tours/{Guid.NewGuid():N}", null),
            1 => Get($"/t/x{Guid.NewGuid():N}", null),
            _ => Get($"/tours/x{Guid.NewGuid():N}/calendar.ics", null),
        });

        await Task.Delay(TimeSpan.FromSeconds(10));
        Report(pid, "after-10s-idle", 0, "");
        return failures == 0 ? 0 : 1;

        Func<HttpRequestMessage> Get(string path, string? host) => () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (host is not null) request.Headers.Host = host;
            return request;
        };
    }

    private static async Task<int> PhaseAsync(HttpClient http, int pid, string name, int count, Func<int, Func<HttpRequestMessage>> make)
    {
        var serverErrors = 0;
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 32).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                using var request = make(i)();
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead);
                if ((int)response.StatusCode >= 500) Interlocked.Increment(ref serverErrors);
            }
        }));
        Report(pid, name, count, string.Create(CultureInfo.InvariantCulture, $"per_s={count / clock.Elapsed.TotalSeconds:F0} server_errors={serverErrors}"));
        return serverErrors;
    }

    private static void Report(int pid, string phase, int requests, string extra) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"phase={phase} requests={requests} rss_mb={Status(pid, "VmRSS:"):F0} peak_mb={Status(pid, "VmHWM:"):F0} {extra}"));

    /// <summary>A tour whose public feed is near the feed size cap: 28 confirmed stops of three public events with descriptions at the length limit.</summary>
    private static async Task<(string Slug, long FeedBytes)> LargeTourAsync(HttpClient http)
    {
        var created = await Json(await Send(http, HttpMethod.Post, "/api/tours", null, new
        {
            name = "Memory keys", timeZone = "America/Chicago", startDate = "2027-03-01", endDate = "2027-03-31",
            speakers = new[] { new { name = "Speaker", homeTimeZone = "America/Chicago", homeLatitude = 41.88, homeLongitude = -87.63 } },
        }));
        var organizer = created.GetProperty("organizerToken").GetString()!;
        var id = created.GetProperty("id").GetString()!;
        var slug = created.GetProperty("slug").GetString()!;
        var description = string.Concat(Enumerable.Repeat("A long public description of the meeting, its speakers and its cause. ", 68));
        for (var day = 0; day < 28; day++)
        {
            var host = await Json(await Send(http, HttpMethod.Post, $"/api/tours/{id}/hosts", organizer, new { name = $"Host {day}" }));
            var date = new DateOnly(2027, 3, 1).AddDays(day).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var claim = await Json(await Send(http, HttpMethod.Post, $"/api/tours/{id}/claims", host.GetProperty("inviteToken").GetString(), new
            {
                city = "Chicago", country = "US", timeZone = "America/Chicago", latitude = 41.88, longitude = -87.63, dates = new[] { date },
                venue = new { name = "Hall", address = "1 Main St" },
                events = Enumerable.Range(0, 3).Select(k => new
                {
                    title = $"Meeting {day}-{k}", start = $"{date}T{10 + 4 * k:D2}:00", durationMinutes = 60, @public = true, description,
                }).ToArray(),
            }));
            await Json(await Send(http, HttpMethod.Post, $"/api/tours/{id}/claims/{claim.GetProperty("claimId").GetString()}/confirm", organizer, null));
        }
        var feed = await http.GetByteArrayAsync($"/tours/{slug}/calendar.ics");
        return (slug, feed.LongLength);
    }

    private static double Status(int pid, string field) =>
        File.ReadLines($"/proc/{pid}/status").Where(l => l.StartsWith(field, StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0).Single();
}
