using System.Net;
using System.Text.Json;
using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Api;

/// <summary>The shapes ../shared/API.md promises, and what each view may and may not show.</summary>
[Collection(GatewayCollection.Name)]
public class ContractTests(GatewayFactory factory)
{
    private static string[] Names(JsonElement e) => [.. e.EnumerateObject().Select(p => p.Name)];

    [Fact]
    public async Task CreatingATour_ReturnsIdsTokensAndLinks()
    {
        var client = factory.CreateClient();
        var response = await client.SendAsync(HttpMethod.Post, "/api/tours", body: ApiScenario.TourBody());
        var created = await ApiScenario.Ok(response, HttpStatusCode.Created);
        Assert.Equal($"/api/tours/{created.Str("id")}", response.Headers.Location?.OriginalString);
        Assert.Subset(Names(created).ToHashSet(), new HashSet<string> { "id", "slug", "organizerToken", "organizerUrl", "publicUrl", "speakers" });
        Assert.StartsWith("fight-like-calero", created.Str("slug"));
        var speaker = created.GetProperty("speakers")[0];
        Assert.Subset(Names(speaker).ToHashSet(), new HashSet<string> { "id", "name", "token", "url" });
        Assert.Equal("Róger Calero", speaker.Str("name"));
        Assert.True(created.Str("organizerToken").Length >= 22); // ≥ 128 bits in base64url
        Assert.DoesNotContain(created.Str("organizerToken"), created.Str("publicUrl"));
    }

    [Fact]
    public async Task AClaim_ReturnsRankStatusExpiryAndEventTimes()
    {
        var s = await ApiScenario.CreateAsync(factory.CreateClient());
        var claim = await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/claims", s.HostB, ApiScenario.ClaimBody()), HttpStatusCode.Created);
        Assert.Equal(2, claim.GetProperty("rank").GetInt32()); // host A holds 2026-10-28 already
        Assert.Equal("held", claim.Str("status"));
        var ev = claim.GetProperty("events")[0];
        Assert.Equal("2026-10-29T00:00:00Z", ev.Str("start"));
        Assert.Equal("2026-10-29T02:00:00Z", ev.Str("end"));
        Assert.Equal("2026-10-28T19:00", ev.Str("localStart"));
        Assert.Equal("America/Chicago", ev.Str("timeZone"));
        Assert.Equal(JsonValueKind.Array, claim.GetProperty("notes").ValueKind);

        var list = (await s.ClaimsAsync()).GetProperty("claims");
        var first = list.EnumerateArray().Single(c => c.Str("claimId") == s.ClaimA);
        Assert.Subset(Names(first).ToHashSet(), new HashSet<string> { "claimId", "stopId", "hostId", "city", "dates", "rank", "status", "expiresAt" });
        var expected = factory.Clock.GetCurrentInstant() + NodaTime.Duration.FromDays(7); // the clock stands still within a test
        Assert.Equal(NodaTime.Text.InstantPattern.ExtendedIso.Format(expected), first.Str("expiresAt"));

        var hostView = await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Get, $"/api/tours/{s.TourId}/claims", s.HostB), HttpStatusCode.OK);
        Assert.All(hostView.GetProperty("claims").EnumerateArray(), c => Assert.Equal(s.HostBId, c.Str("hostId")));
    }

    [Fact]
    public async Task ConfirmingAnImpossibleLeg_Is409WithExplainedConflicts()
    {
        var s = await ApiScenario.CreateAsync(factory.CreateClient());
        await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/claims/{s.ClaimA}/confirm", s.Organizer), HttpStatusCode.OK);
        // Chicago ends 21:00 CDT on the 28th; Los Angeles at 08:00 PDT on the 29th leaves no rest (and barely the flight).
        var la = await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/claims", s.HostB,
            ApiScenario.ClaimBody("2026-10-29", "Los Angeles", "America/Los_Angeles", 34.0522, -118.2437, time: "00:30")), HttpStatusCode.Created);
        var response = await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/claims/{la.Str("claimId")}/confirm", s.Organizer);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync();
        var conflicts = problem.GetProperty("conflicts").EnumerateArray().ToList();
        var travel = Assert.Single(conflicts, c => c.Str("code") == "travel-impossible");
        Assert.Equal("error", travel.Str("severity"));
        Assert.Contains("Chicago", travel.Str("message"));
        Assert.Contains("Los Angeles", travel.Str("messageEs"));
        Assert.Equal(2, travel.GetProperty("eventIds").GetArrayLength());
        Assert.Equal("Wed 28 Oct 21:00 CDT", travel.GetProperty("details").Str("leavesAt"));
        var claims = (await s.ClaimsAsync()).GetProperty("claims");
        Assert.Equal("held", claims.EnumerateArray().Single(c => c.Str("claimId") == la.Str("claimId")).Str("status"));
    }

    [Fact]
    public async Task ConfirmingARankTwoClaim_Is409()
    {
        var s = await ApiScenario.CreateAsync(factory.CreateClient());
        var second = await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/claims", s.HostB, ApiScenario.ClaimBody()), HttpStatusCode.Created);
        var response = await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/claims/{second.Str("claimId")}/confirm", s.Organizer);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("rank 2", (await response.JsonAsync()).Str("detail"));
    }

    [Fact]
    public async Task ThePublicView_ShowsConfirmedPublicEventsOnly_AndNeverContactsOrPrivateEvents()
    {
        var s = await ApiScenario.CreateAsync(factory.CreateClient());
        // A private meeting at the confirmed stop, and a held stop that is not public yet.
        await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/stops/{s.StopA}/events", s.HostA,
            new { title = "Lodging: Hotel Secret, room 12", start = "2026-10-28T12:00", durationMinutes = 30, @public = false }), HttpStatusCode.Created);
        await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/claims/{s.ClaimA}/confirm", s.Organizer), HttpStatusCode.OK);
        await s.FreshClaimAsync("2026-11-02");

        foreach (var token in new[] { null, s.Speaker, s.HostB })
        {
            var response = await s.Client.SendAsync(HttpMethod.Get, $"/api/tours/{s.TourId}", token);
            var text = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.DoesNotContain("Hotel Secret", text);
            Assert.DoesNotContain("ana@example.org", text);
            Assert.DoesNotContain("555", text);
            Assert.DoesNotContain("St. Paul", text); // held, not confirmed
            Assert.DoesNotContain(s.Organizer, text);
            var view = JsonDocument.Parse(text).RootElement;
            Assert.Subset(Names(view).ToHashSet(), new HashSet<string> { "id", "slug", "name", "description", "startDate", "endDate", "timeZone", "speakers", "stops" });
            var stop = Assert.Single(view.GetProperty("stops").EnumerateArray());
            Assert.Subset(Names(stop).ToHashSet(), new HashSet<string> { "stopId", "city", "country", "timeZone", "dates", "venue", "events" });
            Assert.Single(stop.GetProperty("events").EnumerateArray());
        }

        var organizer = await (await s.Client.SendAsync(HttpMethod.Get, $"/api/tours/{s.TourId}", s.Organizer)).Content.ReadAsStringAsync();
        Assert.Contains("Hotel Secret", organizer);
        Assert.Contains("ana@example.org", organizer);
        Assert.Contains("St. Paul", organizer);
    }

    [Fact]
    public async Task RotatingTokens_RevokesTheOldOnes()
    {
        var s = await ApiScenario.CreateAsync(factory.CreateClient());
        var rotated = await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/tokens/organizer", s.Organizer), HttpStatusCode.OK);
        var fresh = rotated.Str("token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await s.Client.SendAsync(HttpMethod.Get, $"/api/tours/{s.TourId}/hosts", s.Organizer)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await s.Client.SendAsync(HttpMethod.Get, $"/api/tours/{s.TourId}/hosts", fresh)).StatusCode);

        var host = await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/hosts/{s.HostAId}/token", fresh), HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.Unauthorized, (await s.Client.SendAsync(HttpMethod.Get, $"/api/tours/{s.TourId}/claims", s.HostA)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await s.Client.SendAsync(HttpMethod.Get, $"/api/tours/{s.TourId}/claims", host.Str("inviteToken"))).StatusCode);

        var speaker = await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/speakers/{s.SpeakerId}/token", fresh), HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.Unauthorized, (await s.Client.SendAsync(HttpMethod.Get, $"/api/tours/{s.TourId}/itinerary", s.Speaker)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await s.Client.SendAsync(HttpMethod.Get, $"/api/tours/{s.TourId}/itinerary", speaker.Str("token"))).StatusCode);
    }

    [Fact]
    public async Task TheItinerary_ListsConfirmedEventsAndTravelLegsForTheSpeaker()
    {
        var s = await ApiScenario.CreateAsync(factory.CreateClient());
        await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/claims/{s.ClaimA}/confirm", s.Organizer), HttpStatusCode.OK);
        var (claim, _) = await s.FreshClaimAsync("2026-10-30");
        await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/claims/{claim}/confirm", s.Organizer), HttpStatusCode.OK);
        var itinerary = await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Get, $"/api/tours/{s.TourId}/itinerary", s.Speaker), HttpStatusCode.OK);
        Assert.Equal(s.SpeakerId, itinerary.Str("speakerId"));
        var items = itinerary.GetProperty("items").EnumerateArray().ToList();
        // The trip starts with the leg from the speaker's home (Newark) and ends with the way home (issue 10).
        Assert.Equal(["travel", "event", "travel", "event", "travel"], items.Select(i => i.Str("kind")));
        Assert.Equal(["outbound", "between", "return"], items.Where(i => i.Str("kind") == "travel").Select(i => i.Str("leg")));
        Assert.Equal("estimate", items[2].Str("source"));
        foreach (var leg in items.Where(i => i.Str("kind") == "travel"))
            Assert.Subset(Names(leg).ToHashSet(), new HashSet<string> { "kind", "title", "city", "start", "end", "timeZone", "localStart", "localEnd", "mode", "distanceKm", "minutes", "source" });
        Assert.Empty(itinerary.GetProperty("conflicts").EnumerateArray());
    }

    [Fact]
    public async Task OpenApiAndHealth_Answer()
    {
        var client = factory.CreateClient();
        var openapi = await client.GetStringAsync("/openapi/v1.json");
        Assert.Contains("/api/tours/{id}/claims", openapi);
        var health = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }
}
