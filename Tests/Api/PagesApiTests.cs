using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TourPlanner.Gateway.Cities;
using TourPlanner.Gateway.Live;
using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Api;

/// <summary>The endpoints the pages need: city search, the host's month grid, held claims' conflicts, live changes and the version poll.</summary>
[Collection(GatewayCollection.Name)]
public sealed class PagesApiTests(GatewayFactory factory)
{
    public enum Caller { Anonymous, UnknownToken, Organizer, Speaker, OwningHost, OtherHost }

    private sealed record Endpoint(Func<ApiScenario, string> Url, int[] Expected);

    // Expected status per caller, in the order of the Caller enum.
    private static readonly Dictionary<string, Endpoint> Endpoints = new()
    {
        ["HostCalendar"] = new(s => $"/api/tours/{s.TourId}/hosts/{s.HostAId}/calendar", [401, 401, 200, 403, 200, 403]),
        ["ClaimConflicts"] = new(s => $"/api/tours/{s.TourId}/claims/{s.ClaimA}/conflicts", [401, 401, 200, 403, 200, 403]),
        ["PendingClaimConflicts"] = new(s => $"/api/tours/{s.TourId}/claims/pending-conflicts", [401, 401, 200, 403, 403, 403]),
        ["TourVersion"] = new(s => $"/api/tours/{s.TourId}/version", [401, 401, 200, 200, 200, 200]),
        ["TourChanges"] = new(s => $"/api/tours/{s.TourId}/changes", [401, 401, 200, 200, 200, 200]),
        ["SearchCities"] = new(_ => "/api/cities?q=chic", [200, 200, 200, 200, 200, 200]),
    };

    public static IEnumerable<object[]> Cases() => from e in Endpoints.Keys from c in Enum.GetValues<Caller>() select new object[] { e, c };

    private static string? TokenOf(ApiScenario s, Caller caller) => caller switch
    {
        Caller.UnknownToken => "not-a-token-of-this-tour-0123456789abcdefghijklmnop",
        Caller.Organizer => s.Organizer,
        Caller.Speaker => s.Speaker,
        Caller.OwningHost => s.HostA,
        Caller.OtherHost => s.HostB,
        _ => null,
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Endpoint_AnswersEachCallerAsDesigned(string endpoint, Caller caller)
    {
        var s = await ApiScenario.CreateAsync(factory.CreateClient());
        using var request = new HttpRequestMessage(HttpMethod.Get, Endpoints[endpoint].Url(s));
        if (TokenOf(s, caller) is { } token) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        // The event stream stays open: read the status and headers only, then hang up.
        using var response = await s.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var expected = Endpoints[endpoint].Expected[(int)caller];
        Assert.True((int)response.StatusCode == expected, $"{endpoint} as {caller}: expected {expected}, got {(int)response.StatusCode}");
        if ((int)response.StatusCode >= 400) Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    // ---- the host's month grid ----------------------------------------------------------------------------------

    private static async Task<Dictionary<string, JsonElement>> GridAsync(ApiScenario s, string hostId, string token)
    {
        var grid = await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Get, $"/api/tours/{s.TourId}/hosts/{hostId}/calendar", token), HttpStatusCode.OK);
        return grid.GetProperty("days").EnumerateArray().ToDictionary(d => d.Str("date"));
    }

    [Fact]
    public async Task HostCalendar_ShowsAnotherGroupsHoldAsAQueueLength_NeverItsNameOrIds()
    {
        var s = await ApiScenario.CreateAsync(factory.CreateClient());
        var response = await s.Client.SendAsync(HttpMethod.Get, $"/api/tours/{s.TourId}/hosts/{s.HostBId}/calendar", s.HostB);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("Teamsters", text);
        Assert.DoesNotContain(s.HostAId, text);
        Assert.DoesNotContain(s.ClaimA, text);
        Assert.DoesNotContain(s.StopA, text);
        var days = await GridAsync(s, s.HostBId, s.HostB);
        Assert.Equal(25, days.Count); // 22 Oct to 15 Nov
        Assert.Equal("held", days["2026-10-28"].Str("state"));
        Assert.Equal(1, days["2026-10-28"].GetProperty("queue").GetInt32());
        Assert.Equal("open", days["2026-10-29"].Str("state"));
        // The speaker's blackout date, without the reason.
        Assert.Equal("unavailable", days["2026-11-03"].Str("state"));

        var own = await GridAsync(s, s.HostAId, s.HostA);
        Assert.Equal("mine", own["2026-10-28"].Str("state"));
        Assert.Equal(1, own["2026-10-28"].GetProperty("rank").GetInt32());
        Assert.Equal(s.ClaimA, own["2026-10-28"].Str("claimId"));
    }

    [Fact]
    public async Task HostCalendar_AfterAConfirm_ShowsTheDateTakenWithTheCityOnly_AndTheGroupBehindItKnowsItsClaimIsThere()
    {
        var s = await ApiScenario.CreateAsync(factory.CreateClient());
        var behind = await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/claims", s.HostB,
            ApiScenario.ClaimBody("2026-10-28", "Milwaukee", "America/Chicago", 43.0389, -87.9065)), HttpStatusCode.Created);
        await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/claims/{s.ClaimA}/confirm", s.Organizer), HttpStatusCode.OK);

        var days = await GridAsync(s, s.HostBId, s.HostB);
        Assert.Equal("confirmed", days["2026-10-28"].Str("state"));
        Assert.Equal("Chicago", days["2026-10-28"].Str("city"));
        Assert.False(days["2026-10-28"].GetProperty("mine").GetBoolean());
        Assert.Equal(behind.Str("claimId"), days["2026-10-28"].Str("claimId"));
        var own = await GridAsync(s, s.HostAId, s.HostA);
        Assert.True(own["2026-10-28"].GetProperty("mine").GetBoolean());
    }

    [Fact]
    public async Task HostCalendar_DatesBeforeTodayInTheToursZone_ArePast()
    {
        var s = await ApiScenario.CreateAsync(factory.CreateClient());
        // The fake clock reads 2026-10-01; a tour that started in September has past days.
        var created = await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, "/api/tours", body: ApiScenario.TourBody(start: "2026-09-28", end: "2026-10-05")), HttpStatusCode.Created);
        var host = await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{created.Str("id")}/hosts", created.Str("organizerToken"), new { name = "G" }), HttpStatusCode.Created);
        var grid = await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Get, $"/api/tours/{created.Str("id")}/hosts/{host.Str("hostId")}/calendar", host.Str("inviteToken")), HttpStatusCode.OK);
        var states = grid.GetProperty("days").EnumerateArray().ToDictionary(d => d.Str("date"), d => d.Str("state"));
        Assert.Equal("past", states["2026-09-30"]);
        Assert.Equal("open", states["2026-10-01"]);
    }

    // ---- what a held claim would run into -----------------------------------------------------------------------

    [Fact]
    public async Task ClaimConflicts_NameTheBlackoutDate_ForTheGroupAndInTheOrganizersPendingList()
    {
        var s = await ApiScenario.CreateAsync(factory.CreateClient());
        var blackout = await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/claims", s.HostB,
            ApiScenario.ClaimBody("2026-11-03", "St. Paul", "America/Chicago", 44.9537, -93.09)), HttpStatusCode.Created);
        var mine = await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Get, $"/api/tours/{s.TourId}/claims/{blackout.Str("claimId")}/conflicts", s.HostB), HttpStatusCode.OK);
        Assert.Contains(mine.GetProperty("conflicts").EnumerateArray(), c => c.Str("code") == "blackout-date");
        var clean = await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Get, $"/api/tours/{s.TourId}/claims/{s.ClaimA}/conflicts", s.HostA), HttpStatusCode.OK);
        Assert.Equal(0, clean.GetProperty("conflicts").GetArrayLength());

        var pending = await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Get, $"/api/tours/{s.TourId}/claims/pending-conflicts", s.Organizer), HttpStatusCode.OK);
        var claims = pending.GetProperty("claims").EnumerateArray().ToList();
        Assert.Single(claims);
        Assert.Equal(blackout.Str("claimId"), claims[0].Str("claimId"));
    }

    // ---- city search --------------------------------------------------------------------------------------------

    [Fact]
    public async Task Cities_FindByPrefixWithoutRegardToCaseOrAccents_WithCoordinatesAndZone()
    {
        var client = factory.CreateClient();
        var chicago = (await ApiScenario.Ok(await client.GetAsync("/api/cities?q=CHICAG"), HttpStatusCode.OK)).GetProperty("cities")[0];
        Assert.Equal("Chicago", chicago.Str("name"));
        Assert.Equal("America/Chicago", chicago.Str("timeZone"));
        Assert.Equal("US", chicago.Str("country"));
        Assert.InRange(chicago.GetProperty("latitude").GetDouble(), 41.5, 42.2);
        // The list spells it "Sao Paulo"; a person types the accent.
        var saoPaulo = (await ApiScenario.Ok(await client.GetAsync("/api/cities?q=S%C3%A3o%20paul"), HttpStatusCode.OK)).GetProperty("cities")[0];
        Assert.Equal("Sao Paulo", saoPaulo.Str("name"));
        Assert.Equal("America/Sao_Paulo", saoPaulo.Str("timeZone"));
        // A region or country after a comma narrows the search.
        var list = (await ApiScenario.Ok(await client.GetAsync("/api/cities?q=san%20jose,%20cr&limit=5"), HttpStatusCode.OK)).GetProperty("cities");
        Assert.All(list.EnumerateArray(), c => Assert.Equal("CR", c.Str("country")));
        Assert.Equal("America/Costa_Rica", list[0].Str("timeZone"));
    }

    [Theory]
    [InlineData("", "q")]
    [InlineData("q=%20%2C", "q")]
    [InlineData("q=chi&limit=0", "limit")]
    [InlineData("q=chi&limit=21", "limit")]
    public async Task Cities_BadQueries_Are400sNamingTheField(string query, string field)
    {
        var response = await factory.CreateClient().GetAsync("/api/cities?" + query);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task Cities_AHugeQueryIsRefused_AndAnswersAreBounded()
    {
        var client = factory.CreateClient();
        var huge = await client.GetAsync("/api/cities?q=" + new string('a', 5000));
        Assert.Equal(HttpStatusCode.BadRequest, huge.StatusCode);
        var many = await ApiScenario.Ok(await client.GetAsync("/api/cities?q=a&limit=20"), HttpStatusCode.OK);
        Assert.Equal(20, many.GetProperty("cities").GetArrayLength());
    }

    [Fact]
    public void BuiltinCities_AreThousands_AndEveryZoneIsOneNodaTimeKnows()
    {
        var index = CityIndex.Builtin;
        Assert.True(index.Count > 7000, $"{index.Count} cities");
        var zones = index.Search("a", CityIndex.MaxResults).Select(c => c.TimeZone).ToList();
        Assert.All(zones, z => Assert.NotNull(NodaTime.DateTimeZoneProviders.Tzdb.GetZoneOrNull(z)));
        var all = typeof(CityIndex).Assembly.GetManifestResourceStream("cities/cities.json")!;
        using var doc = JsonDocument.Parse(all);
        var unknown = doc.RootElement.GetProperty("zones").EnumerateArray().Select(z => z.GetString()!)
            .Where(z => NodaTime.DateTimeZoneProviders.Tzdb.GetZoneOrNull(z) is null).ToList();
        Assert.Empty(unknown);
        Assert.Equal("Chicago", index.Nearest(41.82, -87.76).Name);
    }

    // ---- live changes -------------------------------------------------------------------------------------------

    /// <summary>Reads server-sent events until one of <paramref name="type"/> arrives; its data as JSON.</summary>
    private static async Task<JsonElement> NextEventAsync(StreamReader reader, string type, CancellationToken ct)
    {
        string? eventType = null;
        var data = "";
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.StartsWith("event:", StringComparison.Ordinal)) eventType = line[6..].Trim();
            else if (line.StartsWith("data:", StringComparison.Ordinal)) data += line[5..].Trim();
            else if (line.Length == 0)
            {
                if (eventType == type) return JsonDocument.Parse(data).RootElement.Clone();
                eventType = null;
                data = "";
            }
        }
        throw new EndOfStreamException($"The stream ended before a '{type}' event.");
    }

    private static async Task<(HttpResponseMessage Response, StreamReader Reader)> OpenStreamAsync(HttpClient client, string tourId, string token, CancellationToken ct)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/tours/{tourId}/changes");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        return (response, new StreamReader(await response.Content.ReadAsStreamAsync(ct)));
    }

    [Fact]
    public async Task Changes_StartWithTheStoredVersion_ThenTellOfAClaimAsItIsStored()
    {
        var s = await ApiScenario.CreateAsync(factory.CreateClient());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var (response, reader) = await OpenStreamAsync(s.Client, s.TourId, s.Organizer, timeout.Token);
        using (response)
        {
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
            var hello = await NextEventAsync(reader, "hello", timeout.Token);
            var start = hello.GetProperty("version").GetInt64();
            await s.FreshClaimAsync("2026-11-05");
            var change = await NextEventAsync(reader, "change", timeout.Token);
            Assert.True(change.GetProperty("version").GetInt64() > start);
            Assert.Equal("claim-submitted", change.Str("action"));
            Assert.DoesNotContain("St. Paul", change.GetRawText());
        }
    }

    [Fact]
    public async Task Changes_ToARevokedLink_SayRevokedAndEnd()
    {
        var s = await ApiScenario.CreateAsync(factory.CreateClient());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var (response, reader) = await OpenStreamAsync(s.Client, s.TourId, s.HostB, timeout.Token);
        using (response)
        {
            await NextEventAsync(reader, "hello", timeout.Token);
            await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/hosts/{s.HostBId}/token", s.Organizer), HttpStatusCode.OK);
            await NextEventAsync(reader, "revoked", timeout.Token);
            // The server ends the stream: reading to the end finishes before the timeout.
            Assert.DoesNotContain("event: change", await reader.ReadToEndAsync(timeout.Token));
        }
    }

    [Fact]
    public async Task Changes_WhenTheTourHasAllTheStreamsItMay_Are503_AndThePagePollsTheVersionWithItsETag()
    {
        var s = await ApiScenario.CreateAsync(factory.CreateClient());
        var hub = factory.Services.GetRequiredService<TourChangeHub>();
        var held = new List<TourChangeHub.Subscription>();
        try
        {
            for (var i = 0; i < hub.Options.MaxStreamsPerTour; i++) held.Add((await hub.SubscribeAsync(s.TourId))!);
            using var full = await s.Client.SendAsync(HttpMethod.Get, $"/api/tours/{s.TourId}/changes", s.Organizer);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, full.StatusCode);
            Assert.Equal("application/problem+json", full.Content.Headers.ContentType?.MediaType);
            Assert.NotNull(full.Headers.RetryAfter);
        }
        finally
        {
            foreach (var h in held) await h.DisposeAsync();
        }

        var first = await s.Client.SendAsync(HttpMethod.Get, $"/api/tours/{s.TourId}/version", s.HostA);
        var etag = first.Headers.ETag!;
        using var again = new HttpRequestMessage(HttpMethod.Get, $"/api/tours/{s.TourId}/version");
        again.Headers.Authorization = new AuthenticationHeaderValue("Bearer", s.HostA);
        again.Headers.IfNoneMatch.Add(etag);
        Assert.Equal(HttpStatusCode.NotModified, (await s.Client.SendAsync(again)).StatusCode);
        await s.FreshClaimAsync("2026-11-06");
        using var after = new HttpRequestMessage(HttpMethod.Get, $"/api/tours/{s.TourId}/version");
        after.Headers.Authorization = new AuthenticationHeaderValue("Bearer", s.HostA);
        after.Headers.IfNoneMatch.Add(etag);
        var changed = await s.Client.SendAsync(after);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.NotEqual(etag, changed.Headers.ETag);
    }

    private TourChangeHub NewHub(LiveOptions options, IHostApplicationLifetime lifetime) =>
        new(factory.Services.GetRequiredService<IGrainFactory>(), Options.Create(options), lifetime, NullLogger<TourChangeHub>.Instance);

    [Fact]
    public async Task Hub_SharesOneWatchPerTour_BoundsStreamsPerTourAndPerProcess_AndLetsGoWithTheLastStream()
    {
        var s = await ApiScenario.CreateAsync(factory.CreateClient());
        var other = await ApiScenario.CreateAsync(s.Client);
        var lifetime = new Microsoft.Extensions.Hosting.Internal.ApplicationLifetime(NullLogger<Microsoft.Extensions.Hosting.Internal.ApplicationLifetime>.Instance);
        await using var hub = NewHub(new LiveOptions { MaxStreams = 3, MaxStreamsPerTour = 2 }, lifetime);
        var a = await hub.SubscribeAsync(s.TourId);
        var b = await hub.SubscribeAsync(s.TourId);
        Assert.NotNull(a);
        Assert.NotNull(b);
        Assert.Null(await hub.SubscribeAsync(s.TourId)); // the tour's bound
        Assert.Equal(1, hub.WatchedTours);
        var c = await hub.SubscribeAsync(other.TourId);
        Assert.NotNull(c);
        Assert.Null(await hub.SubscribeAsync(other.TourId)); // the process's bound
        Assert.Equal(2, hub.WatchedTours);

        await s.FreshClaimAsync("2026-11-09");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        Assert.Equal("claim-submitted", (await a!.Changes.ReadAsync(timeout.Token)).Action);
        Assert.Equal("claim-submitted", (await b!.Changes.ReadAsync(timeout.Token)).Action);
        Assert.False(c!.Changes.TryRead(out _)); // another tour's change is not this stream's

        await a.DisposeAsync();
        Assert.Equal(2, hub.WatchedTours);
        await b.DisposeAsync();
        Assert.Equal(1, hub.WatchedTours);
        Assert.Equal(1, hub.OpenStreams);
        await c.DisposeAsync();
        Assert.Equal(0, hub.WatchedTours);
    }

    [Fact]
    public async Task Hub_WhenTheProcessStops_EndsEveryStream_AndTakesNoNewOnes()
    {
        var s = await ApiScenario.CreateAsync(factory.CreateClient());
        var lifetime = new Microsoft.Extensions.Hosting.Internal.ApplicationLifetime(NullLogger<Microsoft.Extensions.Hosting.Internal.ApplicationLifetime>.Instance);
        await using var hub = NewHub(new LiveOptions(), lifetime);
        var stream = (await hub.SubscribeAsync(s.TourId))!;
        lifetime.StopApplication();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await stream.Changes.Completion.WaitAsync(timeout.Token);
        Assert.True(hub.Stopping.IsCancellationRequested);
        Assert.Null(await hub.SubscribeAsync(s.TourId));
        await stream.DisposeAsync();
    }
}
