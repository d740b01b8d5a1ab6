using System.Net;
using System.Text.Json;
using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Api;

/// <summary>
/// The speaker's endpoints: a stop's lodging and notes, day sheets, and a private feed link a speaker issues for
/// themselves. Who may do what, bad input, and lodging never reaching anything public or another host group.
/// </summary>
[Collection(GatewayCollection.Name)]
public class SpeakerEndpointsTests(GatewayFactory factory)
{
    public enum Caller { Anonymous, UnknownToken, Organizer, Speaker, OwningHost, OtherHost }

    private sealed record Endpoint(HttpMethod Method, Func<ApiScenario, string> Url, object? Body, int[] Expected);

    // Expected status per caller, in the order of the Caller enum. Host A owns stop A; host B owns nothing there.
    private static readonly Dictionary<string, Endpoint> Endpoints = new()
    {
        ["GetStopLogistics"] = new(HttpMethod.Get, s => $"/api/tours/{s.TourId}/stops/{s.StopA}/logistics", null, [401, 401, 200, 200, 200, 403]),
        ["UpdateStopLogistics"] = new(HttpMethod.Patch, s => $"/api/tours/{s.TourId}/stops/{s.StopA}/logistics", new { lodging = "Casa de Ana" }, [401, 401, 200, 403, 200, 403]),
        ["GetDaySheets"] = new(HttpMethod.Get, s => $"/api/tours/{s.TourId}/days", null, [401, 401, 200, 200, 403, 403]),
        ["IssueSpeakerFeedLink"] = new(HttpMethod.Post, s => $"/api/tours/{s.TourId}/speakers/{s.SpeakerId}/feed-link", null, [401, 401, 200, 200, 403, 403]),
    };

    public static IEnumerable<object[]> Cases() =>
        from e in Endpoints.Keys from c in Enum.GetValues<Caller>() select new object[] { e, c };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Endpoint_AnswersEachCallerAsDesigned(string endpoint, Caller caller)
    {
        var s = await ApiScenario.CreateAsync(factory.CreateClient());
        var e = Endpoints[endpoint];
        var token = caller switch
        {
            Caller.UnknownToken => "not-a-token-of-this-tour-0123456789abcdefghijklmnop",
            Caller.Organizer => s.Organizer,
            Caller.Speaker => s.Speaker,
            Caller.OwningHost => s.HostA,
            Caller.OtherHost => s.HostB,
            _ => null,
        };
        var response = await s.Client.SendAsync(e.Method, e.Url(s), token, e.Body);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == e.Expected[(int)caller], $"{endpoint} as {caller}: expected {e.Expected[(int)caller]}, got {(int)response.StatusCode}: {body}");
        if ((int)response.StatusCode >= 400) Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static async Task<ApiScenario> ConfirmedAsync(HttpClient client)
    {
        var s = await ApiScenario.CreateAsync(client);
        await ApiScenario.Ok(await client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/claims/{s.ClaimA}/confirm", s.Organizer), HttpStatusCode.OK);
        return s;
    }

    private static async Task<string> AddSpeakerAsync(ApiScenario s, string name) =>
        (await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/speakers", s.Organizer,
            new { name, homeCity = "Managua", homeTimeZone = "America/Managua" }), HttpStatusCode.Created)).Str("id");

    private static Task<HttpResponseMessage> PatchLogisticsAsync(ApiScenario s, string? token, object body) =>
        s.Client.SendAsync(HttpMethod.Patch, $"/api/tours/{s.TourId}/stops/{s.StopA}/logistics", token, body);

    private static async Task<JsonElement> LogisticsAsync(ApiScenario s) =>
        await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Get, $"/api/tours/{s.TourId}/stops/{s.StopA}/logistics", s.Organizer), HttpStatusCode.OK);

    [Fact]
    public async Task Logistics_AreReadByTheStopsSpeakersOnly_NotByASpeakerWithNoEventThere()
    {
        var s = await ApiScenario.CreateAsync(factory.CreateClient());
        await ApiScenario.Ok(await PatchLogisticsAsync(s, s.HostA, new { lodging = "Casa de Ana", interpreter = "María" }), HttpStatusCode.OK);
        var other = await AddSpeakerAsync(s, "Ana Solórzano");
        var link = await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/speakers/{other}/links", s.Organizer), HttpStatusCode.OK);

        var mine = await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Get, $"/api/tours/{s.TourId}/stops/{s.StopA}/logistics", s.Speaker), HttpStatusCode.OK);
        Assert.Equal(("Casa de Ana", "María"), (mine.Str("lodging"), mine.Str("interpreter")));
        var notTheirs = await s.Client.SendAsync(HttpMethod.Get, $"/api/tours/{s.TourId}/stops/{s.StopA}/logistics", link.Str("token"));
        Assert.Equal(HttpStatusCode.Forbidden, notTheirs.StatusCode);
        Assert.DoesNotContain("Casa de Ana", await notTheirs.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await s.Client.SendAsync(HttpMethod.Get, $"/api/tours/{s.TourId}/stops/s_nosuchstop00000000/logistics", s.Organizer)).StatusCode);
    }

    [Fact]
    public async Task Logistics_WrittenByAnotherHostGroup_AreRefused_AndNothingChanges()
    {
        var s = await ApiScenario.CreateAsync(factory.CreateClient());
        await ApiScenario.Ok(await PatchLogisticsAsync(s, s.HostA, new { lodging = "Casa de Ana" }), HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.Forbidden, (await PatchLogisticsAsync(s, s.HostB, new { lodging = "Somewhere else" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PatchLogisticsAsync(s, s.Speaker, new { lodging = "Somewhere else" })).StatusCode);
        Assert.Equal("Casa de Ana", (await LogisticsAsync(s)).Str("lodging"));
    }

    [Theory]
    [InlineData("""{"lodging": "TOO_LONG"}""", "lodging", 400)]
    [InlineData("""{"parking": 12}""", "parking", 400)]
    [InlineData("""{"notes": "bell\u0007"}""", "notes", 400)]
    [InlineData("""{"lodging": [""", "lodging", 400)]
    [InlineData("null", "body", 400)]
    [InlineData("HUGE", "body", 413)]
    public async Task Logistics_BadInput_IsAProblemNamingTheField_AndNothingChanges(string json, string field, int status)
    {
        var s = await ApiScenario.CreateAsync(factory.CreateClient());
        await ApiScenario.Ok(await PatchLogisticsAsync(s, s.HostA, new { lodging = "Casa de Ana", notes = "Side door" }), HttpStatusCode.OK);
        var body = json switch
        {
            """{"lodging": "TOO_LONG"}""" => $$"""{"lodging": "{{new string('x', 1001)}}"}""",
            "HUGE" => $$"""{"notes": "{{new string('x', 300 * 1024)}}"}""",
            _ => json,
        };

        var response = await PatchLogisticsAsync(s, s.HostA, body);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.DoesNotContain("   at ", problem.ToString());
        var kept = await LogisticsAsync(s);
        Assert.Equal(("Casa de Ana", "Side door", 1), (kept.Str("lodging"), kept.Str("notes"), kept.GetProperty("version").GetInt32()));
    }

    [Fact]
    public async Task LodgingAndNotes_ReachTheDaySheetsAndThePrivateFeed_AndNothingPublicOrAnotherHostGroup()
    {
        var s = await ConfirmedAsync(factory.CreateClient());
        await ApiScenario.Ok(await PatchLogisticsAsync(s, s.HostA, new { lodging = "Hotel Secreto, room 404", entrance = "Puerta trasera" }), HttpStatusCode.OK);

        var anonymous = factory.CreateClient();
        var everythingPublic = new[]
        {
            await anonymous.GetStringAsync($"/api/tours/{s.TourId}"), await anonymous.GetStringAsync($"/api/slugs/{s.Slug}"),
            await anonymous.GetStringAsync($"/t/{s.Slug}"), await anonymous.GetStringAsync($"/tours/{s.Slug}/calendar.ics"),
            await anonymous.GetStringAsync($"/tours/{s.Slug}/atom.xml"), await anonymous.GetStringAsync($"/tours/{s.Slug}/speakers/{s.SpeakerId}/calendar.ics"),
            await anonymous.GetStringAsync($"/tours/{s.Slug}/events/{s.EventA}.ics"),
            await (await s.Client.SendAsync(HttpMethod.Get, $"/api/tours/{s.TourId}", s.HostB)).Content.ReadAsStringAsync(),
        };
        foreach (var text in everythingPublic)
        {
            Assert.DoesNotContain("Hotel Secreto", text);
            Assert.DoesNotContain("Puerta trasera", text);
        }
        foreach (var refused in new[] { $"/api/tours/{s.TourId}/days", $"/api/tours/{s.TourId}/stops/{s.StopA}/logistics" })
        {
            var response = await s.Client.SendAsync(HttpMethod.Get, refused, s.HostB);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.DoesNotContain("Hotel Secreto", await response.Content.ReadAsStringAsync());
        }
        Assert.Equal(HttpStatusCode.Forbidden, (await anonymous.GetAsync($"/tours/{s.Slug}/private.ics?token={s.HostB}")).StatusCode);

        var sheets = await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Get, $"/api/tours/{s.TourId}/days", s.Speaker), HttpStatusCode.OK);
        Assert.Equal("Hotel Secreto, room 404", sheets.GetProperty("days")[0].GetProperty("logistics").Str("lodging"));
        foreach (var token in new[] { s.Speaker, s.Organizer })
            Assert.Contains("Lodging: Hotel Secreto\\, room 404", Unfold(await anonymous.GetStringAsync($"/tours/{s.Slug}/private.ics?token={token}")));
        Assert.Contains("Alojamiento: Hotel Secreto\\, room 404", Unfold(await anonymous.GetStringAsync($"/tours/{s.Slug}/private.ics?token={s.Speaker}&lang=es")));

        // Logistics live beside the tour's log: a change must still reach a feed rendered (and cached) before it.
        await ApiScenario.Ok(await PatchLogisticsAsync(s, s.HostA, new { lodging = "Casa de Rosa" }), HttpStatusCode.OK);
        var after = Unfold(await anonymous.GetStringAsync($"/tours/{s.Slug}/private.ics?token={s.Speaker}"));
        Assert.Contains("Lodging: Casa de Rosa", after);
        Assert.DoesNotContain("Hotel Secreto", after);
    }

    private static string Unfold(string ics) => ics.Replace("\r\n ", "");

    [Fact]
    public async Task DaySheets_ASpeakerSeesOnlyTheirOwn_WithTheHostsContact()
    {
        var s = await ConfirmedAsync(factory.CreateClient());
        var other = await AddSpeakerAsync(s, "Ana Solórzano");

        var own = await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Get, $"/api/tours/{s.TourId}/days", s.Speaker), HttpStatusCode.OK);
        Assert.Equal((s.SpeakerId, "speaker"), (own.Str("speakerId"), own.Str("viewer")));
        var day = own.GetProperty("days")[0];
        Assert.Equal(("2026-10-28", "Chicago"), (day.Str("date"), day.Str("city")));
        Assert.Equal(("Teamsters Local 705", "ana@example.org"), (day.GetProperty("host").Str("name"), day.GetProperty("host").Str("contactEmail")));
        Assert.Equal(["in", "out"], day.GetProperty("travel").EnumerateArray().Select(t => t.Str("direction")));
        Assert.Equal("CDT", day.GetProperty("events")[0].Str("zoneAbbreviation"));

        Assert.Equal(HttpStatusCode.Forbidden, (await s.Client.SendAsync(HttpMethod.Get, $"/api/tours/{s.TourId}/days?speakerId={other}", s.Speaker)).StatusCode);
        var organizer = await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Get, $"/api/tours/{s.TourId}/days?speakerId={other}", s.Organizer), HttpStatusCode.OK);
        Assert.Equal(0, organizer.GetProperty("days").GetArrayLength()); // the new speaker has no events yet
        Assert.Equal(HttpStatusCode.NotFound, (await s.Client.SendAsync(HttpMethod.Get, $"/api/tours/{s.TourId}/days?speakerId=sp_nobody", s.Organizer)).StatusCode);
    }

    [Fact]
    public async Task FeedLink_ASpeakerIssuesTheirOwn_ItOpensThePrivateFeed_AndTheOrganizerCanRevokeItAlone()
    {
        var s = await ConfirmedAsync(factory.CreateClient());
        var other = await AddSpeakerAsync(s, "Ana Solórzano");

        var link = await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/speakers/{s.SpeakerId}/feed-link?lang=es", s.Speaker), HttpStatusCode.OK);
        var ics = new Uri(link.Str("ics"));
        Assert.Equal($"/tours/{s.Slug}/private.ics", ics.AbsolutePath);
        Assert.StartsWith("webcal://", link.Str("webcal"));
        Assert.Contains(Uri.EscapeDataString(link.Str("webcal")), link.Str("google"));
        Assert.Contains(Uri.EscapeDataString(link.Str("ics")), link.Str("outlook"));
        var feed = await s.Client.GetAsync(ics.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, feed.StatusCode);
        Assert.Contains("Viaje Newark → Chicago", Unfold(await feed.Content.ReadAsStringAsync()));

        var links = await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Get, $"/api/tours/{s.TourId}/links", s.Organizer), HttpStatusCode.OK);
        var issued = links.GetProperty("links").EnumerateArray().Single(l => l.Str("tokenId") == link.Str("tokenId"));
        Assert.Equal((s.SpeakerId, s.SpeakerId), (issued.Str("personId"), issued.Str("issuedBy")));

        Assert.Equal(HttpStatusCode.Forbidden, (await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/speakers/{other}/feed-link", s.Speaker)).StatusCode);
        var badLang = await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/speakers/{s.SpeakerId}/feed-link?lang=fr", s.Speaker);
        Assert.Equal(HttpStatusCode.BadRequest, badLang.StatusCode);
        Assert.True((await badLang.JsonAsync()).GetProperty("errors").TryGetProperty("lang", out _));

        await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Delete, $"/api/tours/{s.TourId}/links/{link.Str("tokenId")}", s.Organizer), HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.Unauthorized, (await s.Client.GetAsync(ics.PathAndQuery)).StatusCode);
        // The link the speaker's page was opened with still works.
        Assert.Equal(HttpStatusCode.OK, (await s.Client.SendAsync(HttpMethod.Get, $"/api/tours/{s.TourId}/itinerary", s.Speaker)).StatusCode);
    }

    [Fact]
    public async Task Itinerary_StartsFromHomeAndEndsAtHome_WithCodesAndAbbreviationsForThePage()
    {
        var s = await ConfirmedAsync(factory.CreateClient());
        var itinerary = await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Get, $"/api/tours/{s.TourId}/itinerary", s.Speaker), HttpStatusCode.OK);
        var items = itinerary.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["travel", "event", "travel"], items.Select(i => i.Str("kind")));
        Assert.Equal(("outbound", "Newark", "Chicago", "EDT", "CDT"),
            (items[0].Str("leg"), items[0].Str("fromCity"), items[0].Str("toCity"), items[0].Str("startAbbreviation"), items[0].Str("endAbbreviation")));
        Assert.Equal(("return", "Chicago", "Newark"), (items[2].Str("leg"), items[2].Str("fromCity"), items[2].Str("toCity")));
        // Leaves 90 minutes (the tour's buffer) after the 19:00–21:00 meeting.
        Assert.Equal("2026-10-28T22:30", items[2].Str("localStart")[..16]);
    }

    [Theory]
    [InlineData("en", "Travel Newark → Chicago (")]
    [InlineData("es", "Viaje Newark → Chicago (")]
    public async Task Itinerary_TravelTitles_AreInTheCallersLanguage(string lang, string expected)
    {
        var s = await ConfirmedAsync(factory.CreateClient());
        var itinerary = await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Get, $"/api/tours/{s.TourId}/itinerary?lang={lang}", s.Speaker), HttpStatusCode.OK);
        var outbound = itinerary.GetProperty("items").EnumerateArray().First(i => i.Str("kind") == "travel");
        Assert.StartsWith(expected, outbound.Str("title"));
        var back = itinerary.GetProperty("items").EnumerateArray().Last(i => i.Str("kind") == "travel");
        Assert.StartsWith(lang == "es" ? "Viaje Chicago → Newark" : "Travel Chicago → Newark", back.Str("title"));
    }
}
