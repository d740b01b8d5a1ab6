using System.Net;
using System.Text.Json;
using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Travel;

/// <summary>The grains use the routed estimator: a speaker's itinerary shows OSRM's drive, or the estimate when OSRM is down.</summary>
[Collection(TravelCollection.Name)]
public sealed class ItineraryTravelSourceTests : IDisposable
{
    private readonly TravelFixture _f;

    public ItineraryTravelSourceTests(TravelFixture fixture)
    {
        _f = fixture;
        _f.Fake.Reset();
    }

    public void Dispose() => _f.Fake.Reset();

    /// <summary>A tour with confirmed stops in two cities on consecutive days; returns the drive between them.</summary>
    private async Task<JsonElement> DriveBetweenAsync(double fromLat, double fromLon, double toLat, double toLon)
    {
        var client = _f.Gateway.CreateClient();
        var tour = await ApiScenario.Ok(await client.SendAsync(HttpMethod.Post, "/api/tours", body: ApiScenario.TourBody()), HttpStatusCode.Created);
        var (id, organizer) = (tour.Str("id"), tour.Str("organizerToken"));
        var speakerId = tour.GetProperty("speakers")[0].Str("id");
        var host = await ApiScenario.Ok(await client.SendAsync(HttpMethod.Post, $"/api/tours/{id}/hosts", organizer,
            new { name = "Midwest Defense Committee", city = "Chicago", contactName = "Ana", contactEmail = "ana@example.org" }), HttpStatusCode.Created);
        foreach (var (date, city, lat, lon) in new[] { ("2026-10-28", "Chicago", fromLat, fromLon), ("2026-10-29", "Milwaukee", toLat, toLon) })
        {
            var claim = await ApiScenario.Ok(await client.SendAsync(HttpMethod.Post, $"/api/tours/{id}/claims", host.Str("inviteToken"),
                ApiScenario.ClaimBody(date, city, "America/Chicago", lat, lon)), HttpStatusCode.Created);
            await ApiScenario.Ok(await client.SendAsync(HttpMethod.Post, $"/api/tours/{id}/claims/{claim.Str("claimId")}/confirm", organizer), HttpStatusCode.OK);
        }
        var itinerary = await ApiScenario.Ok(await client.SendAsync(HttpMethod.Get, $"/api/tours/{id}/itinerary?speakerId={speakerId}", organizer), HttpStatusCode.OK);
        return itinerary.GetProperty("items").EnumerateArray()
            .Single(i => i.Str("kind") == "travel" && i.TryGetProperty("mode", out var m) && m.GetString() == "drive");
    }

    [Fact]
    public async Task Itinerary_WhenOsrmAnswers_ShowsTheRoutedDriveMarkedOsrmOrCache()
    {
        var origin = Places.FreshChicago();
        var drive = await DriveBetweenAsync(origin.Latitude, origin.Longitude, Places.Milwaukee.Latitude, Places.Milwaukee.Longitude);

        Assert.Equal(Samples.OsrmMinutes, drive.GetProperty("minutes").GetInt32());
        // Confirm already asked OSRM; the itinerary then reads the stored route.
        Assert.Contains(drive.Str("source"), new[] { "osrm", "cache" });
        Assert.Equal(1, _f.Fake.Osrm.Count);
    }

    [Fact]
    public async Task Itinerary_WhenOsrmIsDown_ShowsTheBuiltInEstimateMarkedEstimate()
    {
        _f.Fake.Osrm.Reset(Replies.Json(500, "Internal Server Error"));
        var origin = Places.FreshChicago();

        var drive = await DriveBetweenAsync(origin.Latitude, origin.Longitude, Places.Milwaukee.Latitude, Places.Milwaukee.Longitude);

        Assert.Equal("estimate", drive.Str("source"));
        Assert.NotEqual(Samples.OsrmMinutes, drive.GetProperty("minutes").GetInt32());
        Assert.True(_f.Fake.Osrm.Count > 0);
    }
}
