using System.Net;
using System.Text.Json;
using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Api;

/// <summary>Bad input gets a clear 4xx problem naming the field, never a stack trace, and stored state is unchanged.</summary>
[Collection(GatewayCollection.Name)]
public class BadInputTests(GatewayFactory factory)
{
    private static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string field, string? messagePart = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("   at ", text); // no stack frames
        Assert.DoesNotContain("Exception", text);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.True(problem.TryGetProperty("title", out _));
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), $"errors should name '{field}': {text}");
        if (messagePart is not null) Assert.Contains(messagePart, messages[0].GetString());
        return problem;
    }

    private async Task<(ApiScenario S, string Before)> ScenarioAsync()
    {
        var s = await ApiScenario.CreateAsync(factory.CreateClient());
        return (s, (await s.ClaimsAsync()).GetRawText());
    }

    private static async Task AssertUnchangedAsync(ApiScenario s, string before) => Assert.Equal(before, (await s.ClaimsAsync()).GetRawText());

    [Fact]
    public async Task UnknownTimeZone_OnATour_NamesTimeZone()
    {
        var client = factory.CreateClient();
        var body = ApiScenario.TourBody(zone: "America/Atlantis");
        await AssertProblemAsync(await client.SendAsync(HttpMethod.Post, "/api/tours", body: body), HttpStatusCode.BadRequest, "timeZone", "America/Atlantis");
    }

    [Fact]
    public async Task UnknownTimeZone_OnAClaim_NamesTimeZone_AndStoresNothing()
    {
        var (s, before) = await ScenarioAsync();
        var body = ApiScenario.ClaimBody("2026-10-30", zone: "Chicago");
        await AssertProblemAsync(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/claims", s.HostA, body), HttpStatusCode.BadRequest, "timeZone");
        await AssertUnchangedAsync(s, before);
    }

    [Fact]
    public async Task EndBeforeStart_NamesEndDate()
    {
        var client = factory.CreateClient();
        var body = ApiScenario.TourBody(start: "2026-11-15", end: "2026-10-22");
        await AssertProblemAsync(await client.SendAsync(HttpMethod.Post, "/api/tours", body: body), HttpStatusCode.BadRequest, "endDate", "before startDate");
    }

    [Fact]
    public async Task DatesOutsideTheTour_NameTheDate_AndStoreNothing()
    {
        var (s, before) = await ScenarioAsync();
        await AssertProblemAsync(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/claims", s.HostA, ApiScenario.ClaimBody("2026-12-01")),
            HttpStatusCode.BadRequest, "dates[0]", "outside the tour");
        await AssertUnchangedAsync(s, before);
    }

    [Fact]
    public async Task Latitude91_NamesLatitude_AndStoresNothing()
    {
        var (s, before) = await ScenarioAsync();
        await AssertProblemAsync(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/claims", s.HostA, ApiScenario.ClaimBody("2026-10-30", lat: 91)),
            HttpStatusCode.BadRequest, "latitude", "between -90 and 90");
        await AssertUnchangedAsync(s, before);
    }

    [Fact]
    public async Task TenMegabyteBody_Gets413_AndStoresNothing()
    {
        var (s, before) = await ScenarioAsync();
        var huge = "{\"city\":\"" + new string('x', 10 * 1024 * 1024) + "\"}";
        await AssertProblemAsync(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/claims", s.HostA, huge), HttpStatusCode.RequestEntityTooLarge, "body");
        await AssertUnchangedAsync(s, before);
    }

    [Fact]
    public async Task MalformedJson_NamesWhereItBroke_AndStoresNothing()
    {
        var (s, before) = await ScenarioAsync();
        await AssertProblemAsync(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/claims", s.HostA, "{\"city\": \"Chicago\", \"dates\": [\"2026-10-30\""),
            HttpStatusCode.BadRequest, "dates[1]", "not closed");
        await AssertUnchangedAsync(s, before);
    }

    [Fact]
    public async Task WrongJsonType_NamesTheField()
    {
        var (s, before) = await ScenarioAsync();
        var body = "{\"city\":\"Chicago\",\"country\":\"US\",\"timeZone\":\"America/Chicago\",\"dates\":[\"2026-10-30\"],\"events\":[{\"title\":\"x\",\"start\":\"2026-10-30T19:00\",\"durationMinutes\":\"two hours\"}]}";
        await AssertProblemAsync(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/claims", s.HostA, body), HttpStatusCode.BadRequest, "events[0].durationMinutes");
        await AssertUnchangedAsync(s, before);
    }

    [Fact]
    public async Task ChangingAnotherGroupsStop_IsForbidden_AndTheEventIsUnchanged()
    {
        var (s, before) = await ScenarioAsync();
        var stopBefore = await (await s.Client.SendAsync(HttpMethod.Get, $"/api/tours/{s.TourId}/stops/{s.StopA}", s.Organizer)).Content.ReadAsStringAsync();
        var response = await s.Client.SendAsync(HttpMethod.Patch, $"/api/tours/{s.TourId}/stops/{s.StopA}/events/{s.EventA}", s.HostB, new { title = "Hijacked" });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var release = await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/claims/{s.ClaimA}/release", s.HostB);
        Assert.Equal(HttpStatusCode.Forbidden, release.StatusCode);
        Assert.Equal(stopBefore, await (await s.Client.SendAsync(HttpMethod.Get, $"/api/tours/{s.TourId}/stops/{s.StopA}", s.Organizer)).Content.ReadAsStringAsync());
        await AssertUnchangedAsync(s, before);
    }

    [Fact]
    public async Task StartInADaylightSavingGap_IsRefused_NamingTheGap()
    {
        var (s, before) = await ScenarioAsync();
        var client = factory.CreateClient();
        var tour = await ApiScenario.Ok(await client.SendAsync(HttpMethod.Post, "/api/tours", body: ApiScenario.TourBody("Spring tour", start: "2027-03-01", end: "2027-03-31")), HttpStatusCode.Created);
        var host = await ApiScenario.Ok(await client.SendAsync(HttpMethod.Post, $"/api/tours/{tour.Str("id")}/hosts", tour.Str("organizerToken"), new { name = "G" }), HttpStatusCode.Created);
        var response = await client.SendAsync(HttpMethod.Post, $"/api/tours/{tour.Str("id")}/claims", host.Str("inviteToken"), ApiScenario.ClaimBody("2027-03-14", time: "02:30"));
        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "events[0].start", "clocks jump from 02:00 to 03:00");
        await AssertUnchangedAsync(s, before);
    }

    [Fact]
    public async Task StartInTheRepeatedHour_ResolvesToTheEarlierInstant_AndSaysSoInNotes()
    {
        var (s, _) = await ScenarioAsync();
        var claim = await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/claims", s.HostA, ApiScenario.ClaimBody("2026-11-01", time: "01:30")), HttpStatusCode.Created);
        Assert.Equal("2026-11-01T06:30:00Z", claim.GetProperty("events")[0].Str("start"));
        Assert.Contains("earlier", claim.GetProperty("notes")[0].GetString());
    }

    [Fact]
    public async Task UnknownSpeakerOnAnEvent_NamesSpeakerIds()
    {
        var (s, before) = await ScenarioAsync();
        var body = "{\"city\":\"Chicago\",\"country\":\"US\",\"timeZone\":\"America/Chicago\",\"dates\":[\"2026-10-30\"],\"events\":[{\"title\":\"x\",\"start\":\"2026-10-30T19:00\",\"durationMinutes\":60,\"speakerIds\":[\"sp_nobody\"]}]}";
        await AssertProblemAsync(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/claims", s.HostA, body), HttpStatusCode.BadRequest, "events[0].speakerIds");
        await AssertUnchangedAsync(s, before);
    }

    [Fact]
    public async Task MissingBody_NamesTheBody()
    {
        var (s, before) = await ScenarioAsync();
        var response = await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/claims", s.HostA, "");
        Assert.True((int)response.StatusCode is 400 or 415, $"got {(int)response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        await AssertUnchangedAsync(s, before);
    }
}
