using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using TourPlanner.Gateway.Calendar;
using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Feeds;

/// <summary>
/// The public feeds against hostile clients (issue "Hostile users and hostile servers"): Host headers and ?city= text are
/// never reflected and never widen the cache, odd ids are 404s, and big tours stay within the byte limits.
/// </summary>
[Collection(PublicFeedsCollection.Name)]
public sealed class HostileFeedTests(PublicFeedsServer server)
{
    private static readonly SemaphoreSlim Once = new(1, 1);
    private static LargeTour? first, second;

    /// <summary>Two large tours, built once for the class (each confirm is a full API round trip).</summary>
    private async Task<(LargeTour First, LargeTour Second)> ToursAsync()
    {
        await Once.WaitAsync();
        try
        {
            first ??= await LargeTour.CreateAsync(server.Api, 12, "Large tour one");
            second ??= await LargeTour.CreateAsync(server.Api, 12, "Large tour two",
                ("San José", "America/Los_Angeles", 37.3382, -121.8863), ("Oakland", "America/Los_Angeles", 37.8044, -122.2711));
            return (first, second);
        }
        finally { Once.Release(); }
    }

    private async Task<HttpResponseMessage> GetAsync(string path, string? host = null, string? acceptEncoding = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (host is not null) Assert.True(request.Headers.TryAddWithoutValidation("Host", host));
        if (acceptEncoding is not null) request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        return await server.Api.SendAsync(request);
    }

    private static string RandomText(Random random, int length, string alphabet) =>
        new(Enumerable.Range(0, length).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());

    [Fact]
    public async Task ManyHostHeaders_RandomSlugsCitiesAndIds_NeverGet5xx_AndTheCacheStaysWithinItsByteBudget()
    {
        var (a, b) = await ToursAsync();
        var cache = server.Services.GetRequiredService<FeedCache>();
        var random = new Random(4242); // the same requests every run
        const string hostChars = "abcdefghijklmnopqrstuvwxyz0123456789-.";
        string[] legit =
        [
            $"/tours/{a.Slug}/calendar.ics", $"/tours/{b.Slug}/calendar.ics", $"/tours/{a.Slug}/calendar.ics?city=chicago",
            $"/tours/{b.Slug}/calendar.ics?city=SAN%20JOSE", $"/tours/{b.Slug}/calendar.ics?city=san%20jos%C3%A9", $"/tours/{a.Slug}/atom.xml",
            $"/tours/{b.Slug}/atom.xml?lang=es&city=oakland",
        ];
        var etags = new Dictionary<string, HashSet<string>>();
        var hosts = new List<string>();
        for (var i = 0; i < 120; i++)
        {
            var host = (i % 3) switch
            {
                0 => RandomText(random, 300 + random.Next(200), hostChars), // the review's 300-character Host
                1 => $"evil-{i}.example:{random.Next(1, 65535)}",
                _ => RandomText(random, 1 + random.Next(40), hostChars) + ".test",
            };
            hosts.Add(host);
            var path = random.Next(6) switch
            {
                0 or 1 => legit[random.Next(legit.Length)],
                2 => $"/tours/{RandomText(random, 1 + random.Next(80), "abcdefghijklmnopqrstuvwxyz-_%20")}/calendar.ics",
                3 => $"/tours/{a.Slug}/calendar.ics?city={Uri.EscapeDataString(RandomText(random, 1 + random.Next(300), "Call +1-555-0100 to confirm é"))}",
                4 => $"/tours/{b.Slug}/speakers/{RandomText(random, 1 + random.Next(100), "abcXYZ_-09%20")}/calendar.ics",
                _ => $"/tours/{a.Slug}/events/{RandomText(random, 1 + random.Next(100), "abcXYZ_-09")}.ics",
            };
            var response = await GetAsync(path, host, random.Next(2) == 0 ? "gzip, br" : null);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True((int)response.StatusCode < 500, $"{path} with Host {host}: {(int)response.StatusCode} {body}");
            Assert.InRange(cache.Bytes, 0, PublicFeedsServer.CacheBytes);
            if (response.StatusCode == HttpStatusCode.OK && legit.Contains(path))
            {
                var encoding = string.Join(",", response.Content.Headers.ContentEncoding);
                (etags.TryGetValue(path + encoding, out var set) ? set : etags[path + encoding] = []).Add(response.Headers.ETag!.Tag);
            }
        }
        // Whatever the Host, one variant has one rendition: the same bytes and the same ETag for every client.
        Assert.NotEmpty(etags);
        Assert.All(etags.Values, set => Assert.Single(set));
        // Every legitimate variant of both tours (7 at most) would exceed 300 KB; the budget held regardless.
        Assert.InRange(cache.Entries, 1, legit.Length);

        foreach (var path in legit)
        {
            var text = await (await GetAsync(path, hosts[^1])).Content.ReadAsStringAsync();
            Assert.DoesNotContain(hosts[^1], text);
            Assert.Contains(PublicFeedsServer.PublicBase + "/t/", text);
        }
    }

    [Theory]
    [InlineData("Call +1-555-0100 to confirm")]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("Chicago, or call 555-0100")]
    public async Task ACityTheTourDoesNotVisit_Is404ProblemNamingTheField_AndTheTextIsNeverEchoed(string typed)
    {
        var (a, _) = await ToursAsync();
        foreach (var feed in new[] { "calendar.ics", "atom.xml" })
        {
            var response = await GetAsync($"/tours/{a.Slug}/{feed}?city={Uri.EscapeDataString(typed)}");
            var body = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.True(JsonDocument.Parse(body).RootElement.GetProperty("errors").TryGetProperty("city", out _), body);
            Assert.DoesNotContain("555", body);
            Assert.DoesNotContain("script", body);
        }
        var page = await (await GetAsync($"/t/{a.Slug}?city={Uri.EscapeDataString(typed)}")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("555", page);
        Assert.DoesNotContain("alert(1)", page);
        Assert.Contains("The tour does not stop in that city.", page);
    }

    [Theory]
    [InlineData("chicago")]
    [InlineData("CHICAGO")]
    [InlineData("  Chicago ")]
    [InlineData("chicágo")]
    public async Task ACityFilter_MatchesTheToursOwnCityWithoutCaseOrAccents_AndNamesItInTheToursSpelling(string typed)
    {
        var (a, _) = await ToursAsync();
        var text = await (await GetAsync($"/tours/{a.Slug}/calendar.ics?city={Uri.EscapeDataString(typed)}")).Content.ReadAsStringAsync();
        Assert.Contains("X-WR-CALNAME:Large tour one — Chicago\r\n", Ics.Unfold(text));
        Assert.All(Ics.Events(text), e => Assert.Contains("Chicago", e["LOCATION"]));
    }

    [Theory]
    [InlineData("/t/%20")]
    [InlineData("/t/%09")]
    [InlineData("/tours/%20/calendar.ics")]
    [InlineData("/tours/%20%20/atom.xml")]
    [InlineData("/tours/%0A/private.ics?token=x")]
    [InlineData("/tours/{slug}/speakers/%20/calendar.ics")]
    [InlineData("/tours/{slug}/events/%20.ics")]
    [InlineData("/tours/{long}/calendar.ics")]
    [InlineData("/t/{long}")]
    [InlineData("/tours/{slug}/speakers/{long}/calendar.ics")]
    [InlineData("/tours/{slug}/events/{long}.ics")]
    public async Task WhitespaceControlOrOverlongIds_Answer404(string template)
    {
        var (a, _) = await ToursAsync();
        var path = template.Replace("{slug}", a.Slug).Replace("{long}", new string('a', 300));
        var response = await GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task LinksInFeedsAndOnThePage_ComeFromPublicBaseUrl_NeverFromTheHostHeader()
    {
        var (a, _) = await ToursAsync();
        var one = await GetAsync($"/tours/{a.Slug}/calendar.ics", "attacker.example");
        var two = await GetAsync($"/tours/{a.Slug}/calendar.ics", "other.example:8443");
        Assert.Equal(one.Headers.ETag, two.Headers.ETag);
        var feed = Ics.Unfold(await one.Content.ReadAsStringAsync());
        Assert.Contains($"URL:{PublicFeedsServer.PublicBase}/t/{a.Slug}\r\n", feed);
        Assert.DoesNotContain("attacker", feed);

        var page = await (await GetAsync($"/t/{a.Slug}", "attacker.example")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("attacker", page);
        Assert.Contains($"href=\"webcal://tours.example.org/tours/{a.Slug}/calendar.ics\"", page);
        Assert.Contains($"href=\"{PublicFeedsServer.PublicBase}/tours/{a.Slug}/atom.xml?lang=en\"", page);

        var atom = await (await GetAsync($"/tours/{a.Slug}/atom.xml", "attacker.example")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("attacker", atom);
        Assert.Contains($"href=\"{PublicFeedsServer.PublicBase}/t/{a.Slug}", atom);
    }

    [Fact]
    public async Task AFeedOverItsSizeCap_KeepsTheEventsNearestToNow_AndSaysHowManyItLeftOut()
    {
        var (a, _) = await ToursAsync();
        var response = await GetAsync($"/tours/{a.Slug}/calendar.ics");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.InRange(bytes.Length, 1, PublicFeedsServer.MaxFeedBytes);
        var text = Ics.Unfold(System.Text.Encoding.UTF8.GetString(bytes));
        var kept = Ics.Events(text).Select(e => e["UID"]).ToHashSet();
        var omitted = int.Parse(text.Split("\r\n").Single(l => l.StartsWith("X-TOURPLANNER-OMITTED:", StringComparison.Ordinal)).Split(':')[1]);
        Assert.Equal(120, kept.Count + omitted);
        Assert.Contains($"{kept.Count} events nearest to today\\; {omitted} more", text); // RFC 5545 escapes the semicolon

        // Expected: the events still to come, soonest first (the fake clock stands before the tour's first day).
        var tour = await ApiScenario.Ok(await server.Api.SendAsync(HttpMethod.Get, $"/api/tours/{a.TourId}", a.Organizer), HttpStatusCode.OK);
        var now = server.Clock.GetCurrentInstant();
        var expected = tour.GetProperty("stops").EnumerateArray().SelectMany(s => s.GetProperty("events").EnumerateArray())
            .Select(e => (Uid: TourFeeds.Uid(e.Str("eventId")), Start: NodaTime.Text.InstantPattern.ExtendedIso.Parse(e.Str("start")).Value))
            .OrderBy(e => e.Start - now).Take(kept.Count).Select(e => e.Uid).ToHashSet();
        Assert.True(expected.SetEquals(kept));

        var atom = await GetAsync($"/tours/{a.Slug}/atom.xml");
        Assert.InRange((await atom.Content.ReadAsByteArrayAsync()).Length, 1, PublicFeedsServer.MaxFeedBytes);
    }

    [Fact]
    public async Task AMalformedPublicBaseUrl_StopsStartUpWithAMessageNamingTheKey()
    {
        await using var factory = new GatewayFactory();
        await using var bad = factory.WithWebHostBuilder(b => b.UseSetting("Gateway:PublicBaseUrl", "not a url"));
        var error = Assert.ThrowsAny<Exception>(() => bad.CreateClient());
        Assert.Contains("Gateway:PublicBaseUrl", error.ToString());
    }
}
