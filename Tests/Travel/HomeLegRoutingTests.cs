using System.Net;
using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Travel;

/// <summary>The Gateway looks up the way from and back home too, so those legs are routed like any other.</summary>
[Collection(TravelCollection.Name)]
public sealed class HomeLegRoutingTests : IDisposable
{
    private readonly TravelFixture _f;

    public HomeLegRoutingTests(TravelFixture fixture)
    {
        _f = fixture;
        _f.Fake.Reset();
    }

    public void Dispose() => _f.Fake.Reset();

    [Fact]
    public async Task Itinerary_RoutesTheLegFromHomeAndTheWayHome_WhenOsrmAnswers()
    {
        var client = _f.Gateway.CreateClient();
        // A speaker from near Milwaukee, a stop in Chicago: both home legs are drives short enough for OSRM.
        var home = Places.Milwaukee with { Latitude = Places.FreshChicago().Latitude - Places.Chicago.Latitude + Places.Milwaukee.Latitude };
        var stop = Places.FreshChicago();
        var tour = await ApiScenario.Ok(await client.SendAsync(HttpMethod.Post, "/api/tours", body: new
        {
            name = "Home legs", timeZone = "America/Chicago", startDate = "2026-10-22", endDate = "2026-11-15",
            speakers = new[] { new { name = "Voces", homeCity = "Milwaukee", homeTimeZone = "America/Chicago", homeLatitude = home.Latitude, homeLongitude = home.Longitude } },
        }), HttpStatusCode.Created);
        var (id, organizer) = (tour.Str("id"), tour.Str("organizerToken"));
        var host = await ApiScenario.Ok(await client.SendAsync(HttpMethod.Post, $"/api/tours/{id}/hosts", organizer, new { name = "Chicago committee" }), HttpStatusCode.Created);
        var claim = await ApiScenario.Ok(await client.SendAsync(HttpMethod.Post, $"/api/tours/{id}/claims", host.Str("inviteToken"),
            ApiScenario.ClaimBody("2026-10-28", "Chicago", "America/Chicago", stop.Latitude, stop.Longitude)), HttpStatusCode.Created);
        await ApiScenario.Ok(await client.SendAsync(HttpMethod.Post, $"/api/tours/{id}/claims/{claim.Str("claimId")}/confirm", organizer), HttpStatusCode.OK);

        var itinerary = await ApiScenario.Ok(await client.SendAsync(HttpMethod.Get, $"/api/tours/{id}/itinerary?speakerId={tour.GetProperty("speakers")[0].Str("id")}", organizer), HttpStatusCode.OK);
        var legs = itinerary.GetProperty("items").EnumerateArray().Where(i => i.Str("kind") == "travel").ToList();

        Assert.Equal(["outbound", "return"], legs.Select(l => l.Str("leg")));
        Assert.All(legs, l => Assert.Equal((Samples.OsrmMinutes, "drive"), (l.GetProperty("minutes").GetInt32(), l.Str("mode"))));
        Assert.All(legs, l => Assert.Contains(l.Str("source"), new[] { "osrm", "cache" }));
    }
}
