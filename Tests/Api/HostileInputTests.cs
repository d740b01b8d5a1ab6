using System.Net;
using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Api;

/// <summary>Inputs a hostile review found that gave 5xx or left a slug reserved for no tour.</summary>
[Collection(GatewayCollection.Name)]
public class HostileInputTests(GatewayFactory factory)
{
    [Theory]
    [InlineData("{\"0\":null}", "rules.blackoutDates.0")]
    [InlineData("{\"00\":[\"2026-11-03\"]}", "rules.blackoutDates.00")]
    [InlineData("{\"0\":[\"2026-11-03\"],\"00\":[\"2026-11-04\"]}", "rules.blackoutDates.00")]
    [InlineData("{\"+1\":[]}", "rules.blackoutDates.+1")]
    public async Task BadBlackoutKeys_AreFieldErrors_AndReserveNoSlug(string blackouts, string field)
    {
        var client = factory.CreateClient();
        var name = "Blackout test " + Guid.NewGuid().ToString("N")[..8];
        var body = $$$"""
            {"name":"{{{name}}}","timeZone":"America/New_York","startDate":"2026-10-22","endDate":"2026-11-15",
             "speakers":[{"name":"A","homeTimeZone":"America/New_York"}],"rules":{"blackoutDates":{{{blackouts}}}}}
            """;
        var response = await client.SendAsync(HttpMethod.Post, "/api/tours", body: body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty(field, out _), await response.Content.ReadAsStringAsync());
        var slug = TourPlanner.Gateway.Tours.ToursApi.Slugify(name);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/slugs/{slug}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/t/{slug}")).StatusCode);
    }

    [Theory]
    [InlineData("/api/tours/%20")]
    [InlineData("/api/tours/%20%20/claims")]
    [InlineData("/api/slugs/%20")]
    [InlineData("/tours/%20/calendar.ics")]
    [InlineData("/api/tours/t_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task IdsMadeOfWhitespaceOrJunk_Answer404(string path)
    {
        var response = await factory.CreateClient().GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task APublicPageForAWhitespaceSlug_IsANotFoundPage()
    {
        var response = await factory.CreateClient().GetAsync("/t/%20");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task AClaimWithoutCoordinates_IsRefusedNamingBoth()
    {
        var s = await ApiScenario.CreateAsync(factory.CreateClient());
        var response = await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/claims", s.HostA, new
        {
            city = "Chicago", country = "US", timeZone = "Europe/Madrid", dates = new[] { "2026-11-09" },
            events = new[] { new { title = "Meeting", start = "2026-11-09T19:00", durationMinutes = 60 } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.JsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("latitude", out _));
        Assert.True(errors.TryGetProperty("longitude", out _));
    }
}
