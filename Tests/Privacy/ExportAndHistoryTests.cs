using System.Net;
using System.Text;
using TourPlanner.Gateway.Privacy;
using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Privacy;

/// <summary>
/// The organizer takes the whole tour out (JSON, CSV in their language); every change the privacy issue lists is in
/// the history with who and when, and the history holds no contact detail. The new endpoints refuse every other role.
/// </summary>
public sealed class ExportAndHistoryTests
{
    [Fact]
    public async Task Export_JsonHoldsEverything_CsvIsInTheOrganizersLanguage_AndBothAreInTheHistory()
    {
        using var gateway = new ConfiguredGateway(new Dictionary<string, string>());
        var client = gateway.CreateClient();
        var tour = await PrivateTour.CreateAsync(client, language: "es");

        var json = await client.SendAsync(HttpMethod.Get, $"/api/tours/{tour.TourId}/export.json", tour.Organizer);
        Assert.Equal(HttpStatusCode.OK, json.StatusCode);
        var document = await json.JsonAsync();
        Assert.Equal("tourplanner-tour", document.Str("format"));
        var text = document.ToString();
        foreach (var marker in new[] { PrivateTour.ContactEmail, PrivateTour.ContactPhone, PrivateTour.Address, PrivateTour.PrivateTitle, PrivateTour.SupporterEmail, PrivateTour.SpeakerEmail })
            Assert.Contains(marker, text);
        Assert.DoesNotContain(tour.Organizer, text); // links by id only, never a token
        Assert.DoesNotContain(tour.Host, text);

        var csv = await client.SendAsync(HttpMethod.Get, $"/api/tours/{tour.TourId}/export.csv", tour.Organizer);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var lines = Encoding.UTF8.GetString(await csv.Content.ReadAsByteArrayAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("Grupo anfitrión,Nombre de contacto,Correo de contacto,", lines[0]);
        Assert.Equal(3, lines.Length); // the header, then the stop's two events
        Assert.All(lines[1..], l => Assert.Contains(PrivateTour.ContactEmail, l));
        Assert.Contains(lines, l => l.Contains(PrivateTour.PrivateTitle) && l.Contains(",privado,"));
        Assert.Contains(lines, l => l.Contains("confirmada") || l.Contains("confirmado"));

        var actions = await ActionsAsync(client, tour);
        Assert.Equal(["tour-exported", "tour-exported"], actions.Take(2));
    }

    [Theory]
    [InlineData("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"")]
    [InlineData("+1 312", "'+1 312")]
    [InlineData("a, b", "\"a, b\"")]
    [InlineData("plain", "plain")]
    public void CsvCell_QuotesAndNeutralizesFormulas(string value, string cell) => Assert.Equal(cell, TourCsv.Cell(value));

    [Fact]
    public async Task History_RecordsEveryChange_WithWhoAndWhen_AndNoContactDetails()
    {
        using var gateway = new ConfiguredGateway(new Dictionary<string, string>());
        var client = gateway.CreateClient();
        var tour = await PrivateTour.CreateAsync(client);
        var co = await ApiScenario.Ok(await client.SendAsync(HttpMethod.Post, $"/api/tours/{tour.TourId}/organizers", tour.Organizer,
            new { name = "Co-organizer Mk7q", email = "co.mk7q@example.org", language = "es" }), HttpStatusCode.Created);
        var coToken = co.Str("token");
        var link = await ApiScenario.Ok(await client.SendAsync(HttpMethod.Post, $"/api/tours/{tour.TourId}/hosts/{tour.HostId}/links", coToken), HttpStatusCode.OK);
        await ApiScenario.Ok(await client.SendAsync(HttpMethod.Delete, $"/api/tours/{tour.TourId}/links/{link.Str("tokenId")}", coToken), HttpStatusCode.OK);
        var held = await ApiScenario.Ok(await client.SendAsync(HttpMethod.Post, $"/api/tours/{tour.TourId}/claims", tour.Host, ApiScenario.ClaimBody("2026-11-05")), HttpStatusCode.Created);
        await ApiScenario.Ok(await client.SendAsync(HttpMethod.Post, $"/api/tours/{tour.TourId}/claims/{held.Str("claimId")}/release", tour.Host), HttpStatusCode.OK);
        var events = (await (await client.SendAsync(HttpMethod.Get, $"/api/tours/{tour.TourId}", tour.Organizer)).JsonAsync())
            .GetProperty("stops")[0].GetProperty("events");
        await ApiScenario.Ok(await client.SendAsync(HttpMethod.Patch, $"/api/tours/{tour.TourId}/stops/{tour.StopId}/events/{events[0].Str("eventId")}", coToken,
            new { description = "New words" }), HttpStatusCode.OK);
        await ApiScenario.Ok(await client.SendAsync(HttpMethod.Post, $"/api/tours/{tour.TourId}/stops/{tour.StopId}/cancel", coToken), HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(HttpMethod.Get, $"/api/tours/{tour.TourId}/export.csv", coToken)).StatusCode);
        await ApiScenario.Ok(await client.SendAsync(HttpMethod.Post, $"/api/tours/{tour.TourId}/hosts/{tour.HostId}/withdraw", tour.Host), HttpStatusCode.OK);
        await ApiScenario.Ok(await client.SendAsync(HttpMethod.Post, $"/api/tours/{tour.TourId}/privacy/purge", coToken), HttpStatusCode.OK);

        var response = await client.SendAsync(HttpMethod.Get, $"/api/tours/{tour.TourId}/history?limit=500", tour.Organizer);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Empty(PrivateTour.MarkersIn(body));
        var history = (await response.JsonAsync()).GetProperty("history").EnumerateArray().ToList();
        var coId = co.Str("id");
        string? By(string action) => history.FirstOrDefault(h => h.Str("action") == action) is { ValueKind: not System.Text.Json.JsonValueKind.Undefined } h
            ? $"{h.Str("actorRole")}:{(h.TryGetProperty("actorId", out var a) ? a.GetString() : "")}" : null;
        Assert.Equal("organizer:" + coId, By("link-issued"));
        Assert.Equal("organizer:" + coId, By("link-revoked"));
        Assert.Equal("host:" + tour.HostId, By("claim-released"));
        Assert.Equal("organizer:" + coId, By("event-changed"));
        Assert.Equal("organizer:" + coId, By("stop-cancelled"));
        Assert.Equal("organizer:" + coId, By("tour-exported"));
        Assert.Equal("host:" + tour.HostId, By("host-withdrew"));
        Assert.Equal("organizer:" + coId, By("private-data-purged"));
        Assert.StartsWith("organizer:", By("claim-confirmed"));
        Assert.All(history, h => Assert.True(h.TryGetProperty("at", out _)));
    }

    [Fact]
    public async Task PrivacyEndpoints_RefuseEveryOtherRole()
    {
        using var gateway = new ConfiguredGateway(new Dictionary<string, string>());
        var client = gateway.CreateClient();
        var tour = await PrivateTour.CreateAsync(client);
        var organizerOnly = new (HttpMethod, string)[]
        {
            (HttpMethod.Get, "privacy"), (HttpMethod.Patch, "privacy"), (HttpMethod.Post, "privacy/purge"), (HttpMethod.Get, "export.json"),
            (HttpMethod.Get, "export.csv"), (HttpMethod.Delete, ""),
        };
        foreach (var (method, path) in organizerOnly)
        {
            var url = $"/api/tours/{tour.TourId}/{path}".TrimEnd('/');
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(method, url, body: new { purgeOn = "2026-11-01" })).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(method, url, "not-a-token", new { purgeOn = "2026-11-01" })).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(method, url, tour.Host, new { purgeOn = "2026-11-01" })).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(method, url, tour.Speaker, new { purgeOn = "2026-11-01" })).StatusCode);
        }
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(HttpMethod.Get, $"/api/tours/{tour.TourId}/stops/{tour.StopId}/signups", tour.Speaker)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(HttpMethod.Post, $"/api/tours/{tour.TourId}/hosts/{tour.HostId}/withdraw", tour.Speaker)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(HttpMethod.Get, "/api/tours/t_AAAAAAAAAAAAAAAA/privacy", tour.Organizer)).StatusCode);
        // Nothing changed: the contacts are all there and nothing was recorded.
        Assert.Contains(PrivateTour.ContactEmail, await tour.OrganizerViewAsync());
        Assert.DoesNotContain("tour-exported", await ActionsAsync(client, tour));
    }

    private static async Task<List<string>> ActionsAsync(HttpClient client, PrivateTour tour) =>
        [.. (await (await client.SendAsync(HttpMethod.Get, $"/api/tours/{tour.TourId}/history", tour.Organizer)).JsonAsync())
            .GetProperty("history").EnumerateArray().Select(h => h.Str("action"))];
}
