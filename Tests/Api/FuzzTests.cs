using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using Microsoft.Extensions.DependencyInjection;
using TourPlanner.Tests.Calendar;
using TourPlanner.Tests.Infrastructure;
using Xunit.Abstractions;

namespace TourPlanner.Tests.Api;

/// <summary>
/// A seeded, bounded fuzz run against the write and read endpoints: malformed and extreme JSON, paths, query strings
/// and headers. Every answer is below 500, every 4xx is problem+json, a 4xx leaves the tour exactly as it was (its
/// version included), and afterwards the tour's feeds still parse in a reader no one here wrote.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>CsCheck seed (PCG stream and state): the same seed replays the same requests.</summary>
    private const string Seed = "10000000000C0FFEE";
    private const int Requests = 2000;

    private readonly ConfiguredGateway _gateway = new(new Dictionary<string, string> { ["RateLimits:FailedTokensPerMinute"] = "1000000" });

    public void Dispose() => _gateway.Dispose();

    private sealed record FuzzRequest(HttpMethod Method, string Path, string? Token, byte[]? Body, string? ContentType,
        IReadOnlyList<(string Name, string Value)> Headers)
    {
        public bool Writes => Method != HttpMethod.Get && Method != HttpMethod.Head;
        public override string ToString() =>
            $"{Method} {Path} token={(Token is null ? "none" : Token[..Math.Min(8, Token.Length)])} headers=[{string.Join(", ", Headers.Select(h => h.Name + ": " + Clip(h.Value)))}] body={(Body is null ? "none" : Clip(Encoding.UTF8.GetString(Body)))}";
        private static string Clip(string s) => s.Length <= 200 ? s : s[..200] + $"…({s.Length})";
    }

    [Fact]
    public async Task MalformedAndExtremeRequests_NeverGet5xx_Get4xxAsProblems_AndChangeNothingWhenRefused()
    {
        var s = await ApiScenario.CreateAsync(_gateway.CreateClient());
        await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/claims/{s.ClaimA}/confirm", s.Organizer), HttpStatusCode.OK);
        var statuses = new Dictionary<int, int>();

        await Gen.Int.Array[Requests].SampleAsync(async seeds =>
        {
            for (var i = 0; i < seeds.Length; i++)
            {
                var request = Build(new Random(seeds[i]), s);
                var before = request.Writes ? await StateAsync(s) : null;
                using var response = await SendAsync(s.Client, request);
                var status = (int)response.StatusCode;
                statuses[status] = statuses.GetValueOrDefault(status) + 1;
                var body = await response.Content.ReadAsStringAsync();
                Assert.True(status < 500, $"#{i} {request} → {status}: {body}");
                if (status >= 400)
                {
                    Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", $"#{i} {request} → {status} as {response.Content.Headers.ContentType}: {body}");
                    Assert.DoesNotContain("   at ", body); // never a stack trace
                    if (before is not null) Assert.True(before == await StateAsync(s), $"#{i} {request} → {status} changed the tour");
                }
            }
        }, seed: Seed, iter: 1, threads: 1);

        output.WriteLine(string.Join(", ", statuses.OrderBy(p => p.Key).Select(p => $"{p.Key}: {p.Value}")));
        Assert.True(statuses.Keys.Count(k => k is >= 200 and < 300) > 0 && statuses.Keys.Count(k => k >= 400) > 3, "the run should reach both successes and refusals");

        // Whatever got stored, every feed of the tour still reads in ical.js (strict) and Python's icalendar.
        foreach (var feed in new[] { $"/tours/{s.Slug}/calendar.ics", $"/tours/{s.Slug}/private.ics?token={s.Organizer}" })
        {
            var ics = await (await s.Client.GetAsync(feed)).Content.ReadAsByteArrayAsync();
            Assert.NotEmpty((await IcalJsClientTests.ReadAsync(ics)).Events);
            Assert.NotEmpty((await PythonIcalendarClientTests.ReadAsync(ics)).Events);
        }
    }

    /// <summary>The tour's log position and feed stamp: equal before and after means nothing was stored.</summary>
    private async Task<string> StateAsync(ApiScenario s)
    {
        var tour = _gateway.Services.GetRequiredService<IGrainFactory>().GetGrain<TourPlanner.Grains.ITourGrain>(s.TourId);
        return $"{(await tour.GetAsync())!.Version} {await tour.GetFeedStampAsync()}";
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, FuzzRequest r)
    {
        using var message = new HttpRequestMessage(r.Method, r.Path);
        if (r.Token is not null) message.Headers.TryAddWithoutValidation("Authorization", "Bearer " + r.Token);
        if (r.Body is not null)
        {
            message.Content = new ByteArrayContent(r.Body);
            if (r.ContentType is not null) message.Content.Headers.TryAddWithoutValidation("Content-Type", r.ContentType);
        }
        foreach (var (name, value) in r.Headers) message.Headers.TryAddWithoutValidation(name, value);
        return await client.SendAsync(message);
    }

    // A NUL in a path is refused by the HTTP server itself, before the application (no body to shape): it is left to
    // the query strings and bodies here.
    private static readonly string[] Junk =
    [
        "", " ", "%20", "%20%20", "t_", "t_AAAAAAAAAAAAAAAA", "../../etc/passwd", "%2F%2E%2E", "null", "undefined", "0", "-1", "🎉", "é", "%C3%A9",
        "%FF%FE", new string('x', 300), "s_' OR 1=1 --", "<script>", "c_" + new string('Z', 16), "{}", "[]",
    ];

    private static FuzzRequest Build(Random rng, ApiScenario s)
    {
        string Id(string real) => rng.Next(3) == 0 ? Pick(rng, Junk) : real;
        var templates = new (HttpMethod Method, Func<string> Path, Func<JsonNode?> Body)[]
        {
            (HttpMethod.Post, () => "/api/tours", () => JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(ApiScenario.TourBody(), Http.JsonOptions))),
            (HttpMethod.Patch, () => $"/api/tours/{Id(s.TourId)}", () => JsonNode.Parse("""{"name":"Renamed","rules":{"holdDays":5}}""")),
            (HttpMethod.Post, () => $"/api/tours/{Id(s.TourId)}/claims", () => JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(ApiScenario.ClaimBody("2026-11-0" + rng.Next(1, 10)), Http.JsonOptions))),
            (HttpMethod.Post, () => $"/api/tours/{Id(s.TourId)}/hosts", () => JsonNode.Parse("""{"name":"Group","contactEmail":"a@example.org","language":"es"}""")),
            (HttpMethod.Post, () => $"/api/tours/{Id(s.TourId)}/speakers", () => JsonNode.Parse("""{"name":"Ana","homeTimeZone":"America/Chicago","blackoutDates":["2026-11-01"]}""")),
            (HttpMethod.Patch, () => $"/api/tours/{Id(s.TourId)}/speakers/{Id(s.SpeakerId)}", () => JsonNode.Parse("""{"blackoutDates":["2026-11-02"]}""")),
            (HttpMethod.Post, () => $"/api/tours/{Id(s.TourId)}/stops/{Id(s.StopA)}/events", () => JsonNode.Parse("""{"title":"Press","start":"2026-10-28T11:00","durationMinutes":30}""")),
            (HttpMethod.Patch, () => $"/api/tours/{Id(s.TourId)}/stops/{Id(s.StopA)}/events/{Id(s.EventA)}", () => JsonNode.Parse("""{"title":"Renamed","start":"2026-10-28T18:00"}""")),
            (HttpMethod.Patch, () => $"/api/tours/{Id(s.TourId)}/stops/{Id(s.StopA)}/venue", () => JsonNode.Parse("""{"name":"Hall","calendarUrl":"https://example.org/c.ics"}""")),
            (HttpMethod.Post, () => $"/api/tours/{Id(s.TourId)}/claims/{Id(s.ClaimA)}/release", () => null),
            (HttpMethod.Post, () => $"/api/tours/{Id(s.TourId)}/organizers", () => JsonNode.Parse("""{"name":"Co","language":"en"}""")),
            (HttpMethod.Delete, () => $"/api/tours/{Id(s.TourId)}/links/{Pick(rng, Junk)}", () => null),
            (HttpMethod.Get, () => $"/api/tours/{Id(s.TourId)}/suggestions?hostId={Id(s.HostAId)}&from={Pick(rng, ["2026-10-27", "2026-13-45", "x", ""])}&to={Pick(rng, ["2026-11-02", "9999-12-31", "-1"])}&latitude={Pick(rng, ["41.8", "91", "NaN", "1e400"])}&longitude=-87.6&timeZone={Pick(rng, ["America/Chicago", "Nowhere/Else", "%00"])}", () => null),
            (HttpMethod.Get, () => $"/api/tours/{Id(s.TourId)}/itinerary?speakerId={Id(s.SpeakerId)}", () => null),
            (HttpMethod.Get, () => $"/api/tours/{Id(s.TourId)}/history?limit={Pick(rng, ["10", "0", "-5", "100000", "x"])}&before={Pick(rng, ["", "3", "-9", "99999999999999999999"])}", () => null),
            (HttpMethod.Get, () => $"/tours/{Id(s.Slug)}/calendar.ics?city={Uri.EscapeDataString(Pick(rng, ["Chicago", "chicago", "CHICAGO", "Call +1-555-0100", new string('c', 5000), "\r\nX-INJECT:1"]))}", () => null),
            (HttpMethod.Get, () => $"/tours/{Id(s.Slug)}/private.ics?token={Pick(rng, [s.Organizer, "x", ""])}", () => null),
            (HttpMethod.Get, () => $"/api/slugs/{Id(s.Slug)}", () => null),
        };
        var (method, path, body) = Pick(rng, templates);
        var node = body();
        byte[]? bytes = null;
        string? contentType = "application/json";
        switch (node is null ? -1 : rng.Next(10))
        {
            case -1: break;
            case 0: bytes = Encoding.UTF8.GetBytes(node!.ToJsonString()); break; // valid
            case 1: // truncated
                var text = node!.ToJsonString();
                bytes = Encoding.UTF8.GetBytes(text[..rng.Next(text.Length)]);
                break;
            case 2: bytes = [.. Enumerable.Range(0, rng.Next(1, 2000)).Select(_ => (byte)rng.Next(256))]; break; // noise
            case 3: bytes = Encoding.UTF8.GetBytes(new string('[', rng.Next(65, 5000)) + new string(']', rng.Next(0, 10))); break; // nesting bomb
            case 4: contentType = Pick(rng, ["text/plain", "application/xml", "multipart/form-data; boundary=x", null]); bytes = Encoding.UTF8.GetBytes(node!.ToJsonString()); break;
            default: // structural mutations of a valid body
                for (var k = rng.Next(1, 4); k > 0; k--) Mutate(node!, rng);
                bytes = Encoding.UTF8.GetBytes(node!.ToJsonString());
                break;
        }
        var token = rng.Next(6) switch
        {
            0 => null,
            1 => Pick(rng, Junk),
            2 => s.HostA,
            3 => s.HostB,
            4 => s.Speaker,
            _ => s.Organizer,
        };
        var headers = new List<(string, string)>();
        if (rng.Next(4) == 0) headers.Add(("Accept-Language", Pick(rng, ["es", "es-MX;q=0.9, en;q=0.1", "xx", "*", "es;q=abc", new string('e', 500)])));
        if (rng.Next(5) == 0) headers.Add(("Idempotency-Key", Pick(rng, [Guid.NewGuid().ToString(), "same-key", "", new string('k', 400), "ünï"])));
        if (rng.Next(8) == 0) headers.Add(("X-Forwarded-For", Pick(rng, ["1.2.3.4", "garbage", "::1, 10.0.0.1"])));
        return new FuzzRequest(method, path(), token, bytes, contentType, headers);
    }

    private static void Mutate(JsonNode node, Random rng)
    {
        // Walk to a random object inside the body and change one of its fields.
        var current = node;
        for (var depth = 0; depth < 4; depth++)
        {
            var children = current switch
            {
                JsonObject o => o.Select(p => p.Value).OfType<JsonNode>().Where(c => c is JsonObject or JsonArray).ToList(),
                JsonArray a => a.OfType<JsonNode>().Where(c => c is JsonObject or JsonArray).ToList(),
                _ => [],
            };
            if (children.Count == 0 || rng.Next(2) == 0) break;
            current = children[rng.Next(children.Count)];
        }
        if (current is JsonArray array) { array.Add(RandomValue(rng, 0)); return; }
        if (current is not JsonObject obj) return;
        var keys = obj.Select(p => p.Key).ToList();
        switch (rng.Next(4))
        {
            case 0 when keys.Count > 0: obj.Remove(Pick(rng, keys)); break;
            case 1: obj[Pick(rng, ["unknown", "__proto__", "$type", "Name", "NAME"])] = RandomValue(rng, 0); break;
            default:
                if (keys.Count > 0) obj[Pick(rng, keys)] = RandomValue(rng, 0);
                break;
        }
    }

    private static JsonNode? RandomValue(Random rng, int depth) => rng.Next(depth > 3 ? 9 : 12) switch
    {
        0 => null,
        1 => JsonValue.Create(rng.Next(2) == 0),
        2 => JsonValue.Create(Pick(rng, [0, -1, int.MaxValue, int.MinValue, 1441, 91])),
        3 => JsonValue.Create(Pick(rng, [1e308, -1e-308, 0.1, 3.5])),
        4 => JsonValue.Create(Pick(rng, ["", " ", "2026-02-30", "2026-10-28T25:00", "2026-03-08T02:30", "America/Chicago", "Nowhere/Else", "\u0000", "\r\nX:1", "é🎉"])),
        5 => JsonValue.Create(new string(Pick(rng, ['a', 'é', '\n', '\u2028']), Pick(rng, [1, 201, 5001, 60_000]))),
        6 => JsonValue.Create(Pick(rng, ["2026-10-28", "2026-11-03", "1900-01-01", "9999-12-31", "2026-10-28T19:00"])),
        7 => JsonValue.Create(Guid.NewGuid().ToString()),
        8 => JsonValue.Create(long.MaxValue),
        9 => new JsonArray([.. Enumerable.Range(0, Pick(rng, [0, 1, 3, 200])).Select(_ => RandomValue(rng, depth + 1))]),
        _ => new JsonObject(Enumerable.Range(0, rng.Next(0, 4)).Select(i => KeyValuePair.Create(Pick(rng, ["name", "start", "dates", "0", "00", "x" + i]), RandomValue(rng, depth + 1)))
            .GroupBy(p => p.Key).Select(g => g.First())),
    };

    private static T Pick<T>(Random rng, IReadOnlyList<T> items) => items[rng.Next(items.Count)];
}
