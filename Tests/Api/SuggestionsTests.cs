using System.Net;
using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Api;

/// <summary>
/// Suggested dates, and the conflicts a claim and a refused confirm carry. Chicago is confirmed on Oct 28 (19:00–21:00
/// CDT); a London group meets at 12:00. London is 12.5 h away by the model (flight + airports + 90 min buffer).
/// </summary>
[Collection(GatewayCollection.Name)]
public class SuggestionsTests(GatewayFactory factory)
{
    private const string London = "&timeZone=Europe/London&latitude=51.5072&longitude=-0.1276&start=12:00";

    private async Task<ApiScenario> ChicagoConfirmedAsync()
    {
        var s = await ApiScenario.CreateAsync(factory.CreateClient());
        await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/claims/{s.ClaimA}/confirm", s.Organizer), HttpStatusCode.OK);
        return s;
    }

    [Fact]
    public async Task Suggestions_ListTheDatesThatFit_BestFirst_AndSayWhyTheOthersDoNot()
    {
        var s = await ChicagoConfirmedAsync();
        var result = await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Get,
            $"/api/tours/{s.TourId}/suggestions?hostId={s.HostBId}&from=2026-10-27&to=2026-10-31{London}", s.HostB), HttpStatusCode.OK);

        var good = result.GetProperty("suggestions").EnumerateArray().ToList();
        Assert.Equal(["2026-10-27", "2026-10-30", "2026-10-31"], good.Select(g => g.Str("date")).ToArray());
        Assert.All(good, g => Assert.True(g.GetProperty("addedTravelMinutes").GetInt32() > 600)); // a transatlantic flight
        Assert.All(good, g => Assert.False(string.IsNullOrEmpty(g.Str("reasonEs"))));
        var minutes = good.Select(g => g.GetProperty("addedTravelMinutes").GetInt32()).ToList();
        Assert.Equal(minutes.Order(), minutes); // best (least added travel) first

        var rejected = result.GetProperty("rejected").EnumerateArray().ToDictionary(r => r.Str("date"));
        Assert.Equal("date-confirmed", rejected["2026-10-28"].Str("code"));
        Assert.Contains("Chicago", rejected["2026-10-28"].Str("reason"));
        Assert.Equal("travel-impossible", rejected["2026-10-29"].Str("code"));
        Assert.Contains("cannot get from Chicago", rejected["2026-10-29"].Str("reason")); // the model stop carries the group's city name
    }

    [Fact]
    public async Task AClaimThatWouldConflict_IsTakenButCarriesTheConflict_AndConfirmsRefusalSuggestsDates()
    {
        var s = await ChicagoConfirmedAsync();
        var claim = await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/claims", s.HostB,
            ApiScenario.ClaimBody("2026-10-29", "London", "Europe/London", 51.5072, -0.1276, time: "12:00")), HttpStatusCode.Created);
        Assert.Equal("held", claim.Str("status"));
        Assert.Contains(claim.GetProperty("conflicts").EnumerateArray(), c => c.Str("code") == "travel-impossible");

        var refused = await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/claims/{claim.Str("claimId")}/confirm", s.Organizer);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var problem = await refused.JsonAsync();
        var dates = problem.GetProperty("suggestions").EnumerateArray().Select(x => x.Str("date")).ToList();
        Assert.NotEmpty(dates);
        Assert.DoesNotContain("2026-10-28", dates);
        Assert.DoesNotContain("2026-10-29", dates);
    }

    [Fact]
    public async Task AClaimThatFits_CarriesNoConflicts()
    {
        var s = await ChicagoConfirmedAsync();
        var claim = await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/claims", s.HostB,
            ApiScenario.ClaimBody("2026-10-31", "London", "Europe/London", 51.5072, -0.1276, time: "12:00")), HttpStatusCode.Created);
        Assert.Empty(claim.GetProperty("conflicts").EnumerateArray());
    }

    [Fact]
    public async Task WithoutAPlace_TheGroupsLatestClaimIsTheModel()
    {
        var s = await ChicagoConfirmedAsync();
        await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/claims", s.HostB,
            ApiScenario.ClaimBody("2026-10-31", "London", "Europe/London", 51.5072, -0.1276, time: "12:00")), HttpStatusCode.Created);
        var result = await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Get,
            $"/api/tours/{s.TourId}/suggestions?from=2026-10-27&to=2026-10-31", s.HostB), HttpStatusCode.OK);
        Assert.Equal("travel-impossible", result.GetProperty("rejected").EnumerateArray().Single(r => r.Str("date") == "2026-10-29").Str("code"));
    }

    [Theory]
    [InlineData("&from=2026-13-01", "from")]
    [InlineData("&from=2026-10-31&to=2026-10-27", "to")]
    [InlineData("&start=7pm&timeZone=Europe/London&latitude=51.5&longitude=0", "start")]
    [InlineData("&timeZone=Europe/Narnia&latitude=51.5&longitude=0", "timeZone")]
    public async Task BadQueries_NameTheField(string query, string field)
    {
        var s = await ApiScenario.CreateAsync(factory.CreateClient());
        var response = await s.Client.SendAsync(HttpMethod.Get, $"/api/tours/{s.TourId}/suggestions?hostId={s.HostCId}{query}", s.Organizer);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty(field, out _));
    }
}
