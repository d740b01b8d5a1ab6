using System.Net;
using System.Text;
using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Privacy;

/// <summary>What the organizer page needs from the API beyond issue 13's endpoints: which link is the caller's own, and a CSV in the page's language.</summary>
public sealed class OrganizerPageApiTests
{
    [Fact]
    public async Task Links_NameTheCallersOwnLink_SoThePageCanWarnBeforeItIsRevoked()
    {
        using var gateway = new ConfiguredGateway(new Dictionary<string, string>());
        var client = gateway.CreateClient();
        var tour = await PrivateTour.CreateAsync(client);
        var co = await ApiScenario.Ok(await client.SendAsync(HttpMethod.Post, $"/api/tours/{tour.TourId}/organizers", tour.Organizer,
            new { name = "Second organizer", language = "es" }), HttpStatusCode.Created);

        var mine = await ApiScenario.Ok(await client.SendAsync(HttpMethod.Get, $"/api/tours/{tour.TourId}/links", co.Str("token")), HttpStatusCode.OK);
        Assert.Equal(co.Str("id"), mine.GetProperty("you").Str("personId"));
        Assert.Equal(co.Str("tokenId"), mine.GetProperty("you").Str("tokenId"));
        Assert.Contains(mine.GetProperty("links").EnumerateArray(), l => l.Str("tokenId") == co.Str("tokenId"));

        var first = await ApiScenario.Ok(await client.SendAsync(HttpMethod.Get, $"/api/tours/{tour.TourId}/links", tour.Organizer), HttpStatusCode.OK);
        Assert.NotEqual(co.Str("id"), first.GetProperty("you").Str("personId"));
        Assert.NotEqual(co.Str("tokenId"), first.GetProperty("you").Str("tokenId"));
    }

    [Theory]
    [InlineData("es", "Grupo anfitrión,")]
    [InlineData("en", "Host group,")]
    public async Task Csv_FollowsAnExplicitLang_OverTheOrganizersLanguage(string lang, string header)
    {
        using var gateway = new ConfiguredGateway(new Dictionary<string, string>());
        var client = gateway.CreateClient();
        // The organizer chose the other language: the page's explicit ?lang= wins.
        var tour = await PrivateTour.CreateAsync(client, language: lang == "es" ? "en" : "es");
        var csv = await client.SendAsync(HttpMethod.Get, $"/api/tours/{tour.TourId}/export.csv?lang={lang}", tour.Organizer);
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal(lang, csv.Content.Headers.ContentLanguage.Single());
        Assert.StartsWith(header, Encoding.UTF8.GetString(await csv.Content.ReadAsByteArrayAsync()).TrimStart('\uFEFF'));
    }
}
