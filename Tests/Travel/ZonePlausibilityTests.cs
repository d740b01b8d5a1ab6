using System.Net;
using TourPlanner.Grains;
using TourPlanner.Grains.Domain;
using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Travel;

/// <summary>The pure check.</summary>
public sealed class ZonePlausibilityTests
{
    private static readonly GeoPoint London = new(51.5, -0.1);

    [Fact]
    public void Check_ChicagoZoneForLondon_NamesTheZoneThePlaceAndSuggestsEuropeLondon() =>
        Assert.Equal("America/Chicago is not plausible for 51.5, -0.1 (London, GB); did you mean Europe/London?",
            ZonePlausibility.Check("America/Chicago", London, "London", "GB")?.ToString());

    [Theory]
    [InlineData("America/Chicago", 41.8781, -87.6298, "US")]   // its own city
    [InlineData("America/Chicago", 44.9537, -93.09, "USA")]    // 570 km away, country written out
    [InlineData("America/Anchorage", 41.8781, -87.6298, "US")] // 4500 km away, same country
    [InlineData("US/Central", 41.8781, -87.6298, "")]          // a link, judged by its zone
    [InlineData("Europe/Zurich", 47.14, 9.52, "LI")]           // a zone that serves two countries
    [InlineData("UTC", 51.5, -0.1, "GB")]                       // no place to compare with
    public void Check_APlausibleOrUnjudgeableZone_PassesSilently(string zone, double lat, double lon, string country) =>
        Assert.Null(ZonePlausibility.Check(zone, new GeoPoint(lat, lon), "Somewhere", country));

    [Fact]
    public void Check_AFarZoneOfAnotherCountry_IsRefused() =>
        Assert.NotNull(ZonePlausibility.Check("Asia/Tokyo", new GeoPoint(41.8781, -87.6298), "Chicago", "US"));
}

/// <summary>The check as claim validation applies it over HTTP.</summary>
[Collection(TravelCollection.Name)]
public sealed class ClaimZonePlausibilityTests(TravelFixture f)
{
    private async Task<HttpResponseMessage> ClaimAsync(object claim)
    {
        var client = f.Gateway.CreateClient();
        var tour = await ApiScenario.Ok(await client.SendAsync(HttpMethod.Post, "/api/tours", body: ApiScenario.TourBody()), HttpStatusCode.Created);
        var id = tour.Str("id");
        var host = await ApiScenario.Ok(await client.SendAsync(HttpMethod.Post, $"/api/tours/{id}/hosts", tour.Str("organizerToken"),
            new { name = "Local 705", city = "Chicago", contactName = "Ana", contactEmail = "ana@example.org" }), HttpStatusCode.Created);
        return await client.SendAsync(HttpMethod.Post, $"/api/tours/{id}/claims", host.Str("inviteToken"), claim);
    }

    [Fact]
    public async Task Claim_WithLondonCoordinatesAndChicagoZone_Returns400OnTimeZoneWithASuggestion()
    {
        var london = new
        {
            city = "London", country = "GB", timeZone = "America/Chicago", latitude = 51.5, longitude = -0.1, dates = new[] { "2026-10-28" },
            events = new[] { new { title = "Public meeting", start = "2026-10-28T19:00", durationMinutes = 120, @public = true } },
        };
        var body = await ApiScenario.Ok(await ClaimAsync(london), HttpStatusCode.BadRequest);

        var message = Assert.Single(body.GetProperty("errors").GetProperty("timeZone").EnumerateArray()).GetString();
        Assert.Contains("America/Chicago is not plausible for 51.5, -0.1 (London, GB)", message);
        Assert.Contains("did you mean Europe/London?", message);
    }

    [Fact]
    public async Task Claim_WithChicagoCoordinatesAndChicagoZone_IsAccepted() =>
        await ApiScenario.Ok(await ClaimAsync(ApiScenario.ClaimBody()), HttpStatusCode.Created);

    [Fact]
    public async Task Claim_WithAFarZoneOfTheSameCountry_IsAccepted() =>
        await ApiScenario.Ok(await ClaimAsync(ApiScenario.ClaimBody(zone: "America/Anchorage")), HttpStatusCode.Created);
}
