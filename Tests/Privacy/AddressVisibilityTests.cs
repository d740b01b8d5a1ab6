using System.Net;
using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Privacy;

/// <summary>
/// A stop's venue address reaches the public (tour JSON, page, iCalendar and Atom feeds) only when its host group
/// publishes it in full; city only is the default, and on request keeps it for supporters who sign up.
/// </summary>
public sealed class AddressVisibilityTests
{
    [Theory]
    [InlineData("city", false)]
    [InlineData("on-request", false)]
    [InlineData("full", true)]
    public async Task PublicViews_ShowTheAddress_OnlyWhenPublishedInFull(string visibility, bool shown)
    {
        using var gateway = new ConfiguredGateway(new Dictionary<string, string>());
        var client = gateway.CreateClient();
        var tour = await PrivateTour.CreateAsync(client, visibility, signUp: false);
        foreach (var url in new[]
        {
            $"/api/tours/{tour.TourId}", $"/api/slugs/{tour.Slug}", $"/t/{tour.Slug}", $"/t/{tour.Slug}?lang=es", $"/tours/{tour.Slug}/calendar.ics",
            $"/tours/{tour.Slug}/calendar.ics?city=Chicago", $"/tours/{tour.Slug}/atom.xml", $"/tours/{tour.Slug}/speakers/{tour.SpeakerId}/calendar.ics",
        })
        {
            var response = await client.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await response.Content.ReadAsStringAsync();
            Assert.Contains("Union Hall", body); // the venue's name and city are public either way
            Assert.True(body.Contains(PrivateTour.Address) == shown, $"{url} with {visibility}");
        }
        // The organizer, the host group and the speaker's private feed read it whatever the choice.
        Assert.Contains(PrivateTour.Address, await tour.OrganizerViewAsync());
        Assert.Contains(PrivateTour.Address, await (await client.GetAsync($"/tours/{tour.Slug}/private.ics?token={tour.Speaker}")).Content.ReadAsStringAsync());
        var json = await (await client.GetAsync($"/api/tours/{tour.TourId}")).JsonAsync();
        Assert.Equal(visibility, json.GetProperty("stops")[0].GetProperty("venue").Str("addressVisibility"));
    }

    [Fact]
    public async Task NewStop_WithoutAChoice_ShowsCityOnly_AndTheHostCanPublishItLater()
    {
        using var gateway = new ConfiguredGateway(new Dictionary<string, string>());
        var client = gateway.CreateClient();
        var scenario = await ApiScenario.CreateAsync(client); // its claim names no addressVisibility
        await ApiScenario.Ok(await client.SendAsync(HttpMethod.Post, $"/api/tours/{scenario.TourId}/claims/{scenario.ClaimA}/confirm", scenario.Organizer), HttpStatusCode.OK);
        Assert.DoesNotContain("Ashland", await client.GetStringAsync($"/t/{scenario.Slug}"));
        Assert.DoesNotContain("Ashland", await client.GetStringAsync($"/tours/{scenario.Slug}/calendar.ics"));

        var changed = await client.SendAsync(HttpMethod.Patch, $"/api/tours/{scenario.TourId}/stops/{scenario.StopA}/venue", scenario.HostA, new { addressVisibility = "full" });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Contains("300 S Ashland Ave", await client.GetStringAsync($"/t/{scenario.Slug}"));
        Assert.Contains("300 S Ashland Ave", await client.GetStringAsync($"/tours/{scenario.Slug}/calendar.ics"));
        var history = await (await client.SendAsync(HttpMethod.Get, $"/api/tours/{scenario.TourId}/history", scenario.Organizer)).JsonAsync();
        Assert.Equal("venue-changed", history.GetProperty("history")[0].Str("action"));
    }

    [Theory]
    [InlineData("en", "venue.addressVisibility must be full, city or on-request.")]
    [InlineData("es", "venue.addressVisibility debe ser full, city u on-request.")]
    public async Task UnknownChoice_Is400NamingTheField_InTheCallersLanguage(string lang, string message)
    {
        using var gateway = new ConfiguredGateway(new Dictionary<string, string>());
        var client = gateway.CreateClient();
        var scenario = await ApiScenario.CreateAsync(client);
        var before = await (await client.SendAsync(HttpMethod.Get, $"/api/tours/{scenario.TourId}/claims", scenario.Organizer)).Content.ReadAsStringAsync();
        var response = await client.SendAsync(HttpMethod.Post, $"/api/tours/{scenario.TourId}/claims?lang={lang}", scenario.HostA, new
        {
            city = "Denver", country = "US", timeZone = "America/Denver", latitude = 39.7392, longitude = -104.9903, dates = new[] { "2026-11-04" },
            venue = new { name = "Hall", address = "1 Main St", addressVisibility = "street-view" },
            events = new[] { new { title = "Meeting", start = "2026-11-04T19:00", durationMinutes = 60, @public = true } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await response.JsonAsync();
        Assert.Equal(message, problem.GetProperty("errors").GetProperty("venue.addressVisibility")[0].GetString());
        Assert.Equal(before, await (await client.SendAsync(HttpMethod.Get, $"/api/tours/{scenario.TourId}/claims", scenario.Organizer)).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SignUp_ForAnOnRequestStop_IsCounted_AndTheHostSeesOnlySharedEmails()
    {
        using var gateway = new ConfiguredGateway(new Dictionary<string, string>());
        var client = gateway.CreateClient();
        var tour = await PrivateTour.CreateAsync(client); // one supporter who agreed to share
        var signup = await client.SendAsync(HttpMethod.Post, $"/api/tours/{tour.TourId}/stops/{tour.StopId}/signups", body: new { email = "quiet@example.org" });
        Assert.Equal(HttpStatusCode.Accepted, signup.StatusCode);
        Assert.DoesNotContain(PrivateTour.Address, await signup.Content.ReadAsStringAsync()); // the address goes by mail, never in the answer

        var forHost = await (await client.SendAsync(HttpMethod.Get, $"/api/tours/{tour.TourId}/stops/{tour.StopId}/signups", tour.Host)).JsonAsync();
        Assert.Equal(2, forHost.GetProperty("count").GetInt32());
        Assert.Equal([PrivateTour.SupporterEmail], forHost.GetProperty("signups").EnumerateArray().Select(s => s.Str("email")));
        var forOrganizer = await (await client.SendAsync(HttpMethod.Get, $"/api/tours/{tour.TourId}/stops/{tour.StopId}/signups", tour.Organizer)).JsonAsync();
        Assert.Equal(2, forOrganizer.GetProperty("signups").GetArrayLength());
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync($"/api/tours/{tour.TourId}/stops/{tour.StopId}/signups")).StatusCode);

        var bad = await client.SendAsync(HttpMethod.Post, $"/api/tours/{tour.TourId}/stops/{tour.StopId}/signups", body: new { email = "not an address" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await bad.JsonAsync()).GetProperty("errors").TryGetProperty("email", out _));

        var cityOnly = await PrivateTour.CreateAsync(client, "city", signUp: false);
        var refused = await client.SendAsync(HttpMethod.Post, $"/api/tours/{cityOnly.TourId}/stops/{cityOnly.StopId}/signups", body: new { email = "a@example.org" });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("signup.not-on-request", (await refused.JsonAsync()).Str("code"));
    }
}
