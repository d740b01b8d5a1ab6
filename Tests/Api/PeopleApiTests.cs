using System.Net;
using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Api;

/// <summary>The organizer runs the tour's people and links through the API the pages use.</summary>
[Collection(GatewayCollection.Name)]
public class PeopleApiTests(GatewayFactory factory)
{
    [Fact]
    public async Task SettingsAndRules_ChangeAfterCreation()
    {
        var s = await ApiScenario.CreateAsync(factory.CreateClient());
        var changed = await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Patch, $"/api/tours/{s.TourId}", s.Organizer,
            new { name = "Renamed tour", language = "es", rules = new { holdDays = 3, maxEventsPerDay = 2 } }), HttpStatusCode.OK);
        Assert.Equal(("Renamed tour", "es", 3, 2), (changed.Str("name"), changed.Str("language"),
            changed.GetProperty("rules").GetProperty("holdDays").GetInt32(), changed.GetProperty("rules").GetProperty("maxEventsPerDay").GetInt32()));

        var bad = await s.Client.SendAsync(HttpMethod.Patch, $"/api/tours/{s.TourId}", s.Organizer, new { endDate = "2026-10-25", language = "fr" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.JsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("endDate", out _)); // Chicago's claim on 28 Oct would fall outside
        Assert.True(errors.TryGetProperty("language", out _));
        var tour = await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Get, $"/api/tours/{s.TourId}", s.Organizer), HttpStatusCode.OK);
        Assert.Equal("2026-11-15", tour.Str("endDate"));
    }

    [Fact]
    public async Task SpeakersAreAdded_Renamed_GivenBlackouts_AndRemovedUnlessConfirmed()
    {
        var s = await ApiScenario.CreateAsync(factory.CreateClient());
        var added = await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/speakers", s.Organizer,
            new { name = "Ana", homeCity = "Chicago", homeTimeZone = "America/Chicago", homeLatitude = 41.88, homeLongitude = -87.63, email = "ana@example.org", blackoutDates = new[] { "2026-11-01" } }),
            HttpStatusCode.Created);
        var id = added.Str("id");
        Assert.Equal(HttpStatusCode.OK, (await s.Client.SendAsync(HttpMethod.Get, $"/api/tours/{s.TourId}/itinerary?speakerId={id}", added.Str("token"))).StatusCode);
        await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Patch, $"/api/tours/{s.TourId}/speakers/{id}", s.Organizer,
            new { name = "Ana María", blackoutDates = new[] { "2026-11-01", "2026-11-02" } }), HttpStatusCode.OK);
        var tour = await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Get, $"/api/tours/{s.TourId}", s.Organizer), HttpStatusCode.OK);
        Assert.Contains(tour.GetProperty("speakers").EnumerateArray(), x => x.Str("id") == id && x.Str("name") == "Ana María");
        Assert.Equal(2, tour.GetProperty("rules").GetProperty("blackoutDates").GetProperty(id).GetArrayLength());

        // The first speaker has a confirmed event: the refusal names it.
        await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/claims/{s.ClaimA}/confirm", s.Organizer), HttpStatusCode.OK);
        var refused = await s.Client.SendAsync(HttpMethod.Delete, $"/api/tours/{s.TourId}/speakers/{s.SpeakerId}", s.Organizer);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("Defend immigrant workers", (await refused.JsonAsync()).Str("detail"));

        await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Delete, $"/api/tours/{s.TourId}/speakers/{id}", s.Organizer), HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.Unauthorized, (await s.Client.SendAsync(HttpMethod.Get, $"/api/tours/{s.TourId}/itinerary?speakerId={id}", added.Str("token"))).StatusCode);
    }

    [Fact]
    public async Task CopyingAGroupsLink_KeepsItsOtherLinks_AndRevokeEndsThemAllButOne()
    {
        var s = await ApiScenario.CreateAsync(factory.CreateClient());
        var copy = await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/hosts/{s.HostAId}/links", s.Organizer), HttpStatusCode.OK);
        Assert.StartsWith($"/host/{s.TourId}/{s.HostAId}#token=", copy.Str("url"));
        foreach (var token in new[] { s.HostA, copy.Str("token") })
            Assert.Equal(HttpStatusCode.OK, (await s.Client.SendAsync(HttpMethod.Get, $"/api/tours/{s.TourId}/claims", token)).StatusCode);

        var links = await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Get, $"/api/tours/{s.TourId}/links", s.Organizer), HttpStatusCode.OK);
        Assert.Equal(2, links.GetProperty("links").EnumerateArray().Count(l => l.Str("personId") == s.HostAId));
        Assert.DoesNotContain(s.HostA, links.ToString());

        await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Delete, $"/api/tours/{s.TourId}/links/{copy.Str("tokenId")}", s.Organizer), HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.Unauthorized, (await s.Client.SendAsync(HttpMethod.Get, $"/api/tours/{s.TourId}/claims", copy.Str("token"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await s.Client.SendAsync(HttpMethod.Get, $"/api/tours/{s.TourId}/claims", s.HostA)).StatusCode);

        var fresh = await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/hosts/{s.HostAId}/token", s.Organizer), HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.Unauthorized, (await s.Client.SendAsync(HttpMethod.Get, $"/api/tours/{s.TourId}/claims", s.HostA)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await s.Client.SendAsync(HttpMethod.Get, $"/api/tours/{s.TourId}/claims", fresh.Str("inviteToken"))).StatusCode);
    }

    [Fact]
    public async Task CoOrganizers_HaveTheirOwnLinks_AndTheHistorySaysWhoDidWhat()
    {
        var s = await ApiScenario.CreateAsync(factory.CreateClient());
        var co = await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/organizers", s.Organizer,
            new { name = "Marta", email = "marta@example.org", language = "es" }), HttpStatusCode.Created);
        await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/claims/{s.ClaimA}/confirm", co.Str("token")), HttpStatusCode.OK);

        // Marta revokes her own links: the first organizer's link keeps working.
        var rotated = await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/tokens/organizer", co.Str("token")), HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.Unauthorized, (await s.Client.SendAsync(HttpMethod.Get, $"/api/tours/{s.TourId}/history", co.Str("token"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await s.Client.SendAsync(HttpMethod.Get, $"/api/tours/{s.TourId}/history", rotated.Str("token"))).StatusCode);

        var history = await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Get, $"/api/tours/{s.TourId}/history", s.Organizer), HttpStatusCode.OK);
        var lines = history.GetProperty("history").EnumerateArray().ToList();
        var confirmed = Assert.Single(lines, l => l.Str("action") == "claim-confirmed");
        Assert.Equal((co.Str("id"), "organizer", s.ClaimA), (confirmed.Str("actorId"), confirmed.Str("actorRole"), confirmed.Str("subject")));
        Assert.Contains(lines, l => l.Str("action") == "claim-submitted" && l.Str("actorId") == s.HostAId);
        Assert.Contains(lines, l => l.Str("action") == "organizer-added" && l.Str("actorId") == s.OrganizerId);
        Assert.DoesNotContain("ana@example.org", history.ToString());
        Assert.DoesNotContain("marta@example.org", history.ToString());
        Assert.True(lines.Select(l => l.GetProperty("position").GetInt64()).SequenceEqual(lines.Select(l => l.GetProperty("position").GetInt64()).OrderDescending()));
    }

    [Fact]
    public async Task AHostGroup_ChangesItsOwnDetails_ButNotAnotherGroups()
    {
        var s = await ApiScenario.CreateAsync(factory.CreateClient());
        var mine = await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Patch, $"/api/tours/{s.TourId}/hosts/{s.HostAId}", s.HostA,
            new { contactPhone = "+1 312 555 0199", language = "es" }), HttpStatusCode.OK);
        Assert.Equal(("+1 312 555 0199", "es"), (mine.Str("contactPhone"), mine.Str("language")));
        Assert.Equal(HttpStatusCode.Forbidden, (await s.Client.SendAsync(HttpMethod.Patch, $"/api/tours/{s.TourId}/hosts/{s.HostBId}", s.HostA, new { name = "Mine now" })).StatusCode);
        var bad = await s.Client.SendAsync(HttpMethod.Patch, $"/api/tours/{s.TourId}/hosts/{s.HostAId}", s.HostA, new { contactEmail = "not an address" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await bad.JsonAsync()).GetProperty("errors").TryGetProperty("contactEmail", out _));
    }

    [Fact]
    public async Task AStopsVenueAndEvents_Change_AndAConfirmedStopKeepsOneEvent()
    {
        var s = await ApiScenario.CreateAsync(factory.CreateClient());
        var venue = await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Patch, $"/api/tours/{s.TourId}/stops/{s.StopA}/venue", s.HostA,
            new { name = "Union Hall", address = "1 Main St" }), HttpStatusCode.OK);
        Assert.Equal("Union Hall", venue.GetProperty("venue").Str("name"));
        await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/claims/{s.ClaimA}/confirm", s.Organizer), HttpStatusCode.OK);
        var refused = await s.Client.SendAsync(HttpMethod.Delete, $"/api/tours/{s.TourId}/stops/{s.StopA}/events/{s.EventA}", s.HostA);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var added = await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/stops/{s.StopA}/events", s.HostA,
            new { title = "Press", start = "2026-10-28T11:00", durationMinutes = 30 }), HttpStatusCode.Created);
        await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Delete, $"/api/tours/{s.TourId}/stops/{s.StopA}/events/{s.EventA}", s.HostA), HttpStatusCode.OK);
        var stop = await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Get, $"/api/tours/{s.TourId}/stops/{s.StopA}", s.Organizer), HttpStatusCode.OK);
        Assert.Equal(added.GetProperty("event").Str("eventId"), Assert.Single(stop.GetProperty("events").EnumerateArray()).Str("eventId"));
    }
}
