using System.Net;
using NodaTime;
using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Privacy;

/// <summary>
/// Private data goes <c>Privacy:RetentionDays</c> after the tour's last date, by the tour's reminder reading the
/// controlled clock; the public record stays. The organizer sees the date and can bring it forward.
/// </summary>
public sealed class RetentionTests
{
    [Fact]
    public async Task RetentionReminder_PurgesPrivateData_AfterTheLastDatePlusRetention_AndKeepsThePublicRecord()
    {
        using var gateway = new ConfiguredGateway(new Dictionary<string, string> { ["Privacy:SweepPeriod"] = "00:00:01", ["Privacy:RetentionDays"] = "10" });
        var client = gateway.CreateClient();
        var tour = await PrivateTour.CreateAsync(client);
        var privacy = await (await client.SendAsync(HttpMethod.Get, $"/api/tours/{tour.TourId}/privacy", tour.Organizer)).JsonAsync();
        Assert.Equal("2026-11-25", privacy.Str("purgeOn")); // the end date, 15 Nov, plus 10 days
        Assert.Equal("2026-11-25T06:00:00Z", privacy.Str("purgeAt")); // midnight in Chicago

        // The hour before, nothing goes (the boundary itself is checked without a cluster in PrivacyRulesTests).
        gateway.Clock.Reset(Instant.FromUtc(2026, 11, 25, 5, 0));
        Assert.Contains(PrivateTour.ContactEmail, await tour.OrganizerViewAsync());

        gateway.Clock.Reset(Instant.FromUtc(2026, 11, 25, 6, 0));
        await Eventually.ValueAsync(async () => await (await client.SendAsync(HttpMethod.Get, $"/api/tours/{tour.TourId}/privacy", tour.Organizer)).JsonAsync(),
            p => p.TryGetProperty("purgedAt", out _));
        var view = await tour.OrganizerViewAsync();
        Assert.Empty(PrivateTour.MarkersIn(view));
        Assert.Contains(PrivateTour.PublicTitle, view);
        var page = await client.GetStringAsync($"/t/{tour.Slug}");
        Assert.Contains(PrivateTour.PublicTitle, page);
        Assert.Contains("Chicago", page);
        Assert.Empty(PrivateTour.MarkersIn(await client.GetStringAsync($"/tours/{tour.Slug}/private.ics?token={tour.Speaker}")));
        var history = await (await client.SendAsync(HttpMethod.Get, $"/api/tours/{tour.TourId}/history", tour.Organizer)).JsonAsync();
        Assert.Equal("private-data-purged", history.GetProperty("history")[0].Str("action"));
    }

    [Fact]
    public async Task Organizer_BringsThePurgeForward_ToToday_AndItHappensAtOnce_ButNeverLater()
    {
        using var gateway = new ConfiguredGateway(new Dictionary<string, string>());
        var client = gateway.CreateClient();
        var tour = await PrivateTour.CreateAsync(client);
        var later = await client.SendAsync(HttpMethod.Patch, $"/api/tours/{tour.TourId}/privacy?lang=es", tour.Organizer, new { purgeOn = "2027-01-01" });
        Assert.Equal(HttpStatusCode.BadRequest, later.StatusCode);
        var problem = await later.JsonAsync();
        Assert.StartsWith("La fecha de borrado puede ser como máximo", problem.GetProperty("errors").GetProperty("purgeOn")[0].GetString());
        Assert.Contains(PrivateTour.ContactEmail, await tour.OrganizerViewAsync());

        var moved = await (await client.SendAsync(HttpMethod.Patch, $"/api/tours/{tour.TourId}/privacy", tour.Organizer, new { purgeOn = "2026-12-01" })).JsonAsync();
        Assert.Equal("2026-12-01", moved.Str("purgeOn"));
        Assert.Contains(PrivateTour.ContactEmail, await tour.OrganizerViewAsync());

        var today = gateway.Clock.GetCurrentInstant().InZone(DateTimeZoneProviders.Tzdb["America/Chicago"]).Date;
        var purged = await (await client.SendAsync(HttpMethod.Patch, $"/api/tours/{tour.TourId}/privacy", tour.Organizer, new { purgeOn = today.ToString("yyyy-MM-dd", null) })).JsonAsync();
        Assert.True(purged.TryGetProperty("purgedAt", out _));
        Assert.Empty(PrivateTour.MarkersIn(await tour.OrganizerViewAsync()));
        var actions = (await (await client.SendAsync(HttpMethod.Get, $"/api/tours/{tour.TourId}/history", tour.Organizer)).JsonAsync())
            .GetProperty("history").EnumerateArray().Select(h => h.Str("action")).Take(3).ToList();
        Assert.Equal(["private-data-purged", "retention-changed", "retention-changed"], actions);
    }

    [Fact]
    public async Task Withdraw_RemovesOneHostGroupsContacts_EndsItsClaimsAndLinks_AndLeavesTheRest()
    {
        using var gateway = new ConfiguredGateway(new Dictionary<string, string>());
        var client = gateway.CreateClient();
        var tour = await PrivateTour.CreateAsync(client);
        var other = await ApiScenario.Ok(await client.SendAsync(HttpMethod.Post, $"/api/tours/{tour.TourId}/hosts", tour.Organizer,
            new { name = "Other group", contactEmail = "stays@example.org" }), HttpStatusCode.Created);

        var withdrawn = await client.SendAsync(HttpMethod.Post, $"/api/tours/{tour.TourId}/hosts/{tour.HostId}/withdraw", tour.Host);
        Assert.Equal(HttpStatusCode.OK, withdrawn.StatusCode);
        var view = await tour.OrganizerViewAsync();
        Assert.DoesNotContain(PrivateTour.ContactEmail, view);
        Assert.DoesNotContain(PrivateTour.ContactName, view);
        Assert.DoesNotContain(PrivateTour.ContactPhone, view);
        Assert.Contains("stays@example.org", view);
        Assert.Contains(PrivateTour.SpeakerEmail, view); // the tour's own private data is not the group's
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(HttpMethod.Get, $"/api/tours/{tour.TourId}/claims", tour.Host)).StatusCode);
        var claims = await (await client.SendAsync(HttpMethod.Get, $"/api/tours/{tour.TourId}/claims", tour.Organizer)).JsonAsync();
        Assert.Equal("cancelled", claims.GetProperty("claims").EnumerateArray().First(c => c.Str("claimId") == tour.ClaimId).Str("status"));
        var history = (await (await client.SendAsync(HttpMethod.Get, $"/api/tours/{tour.TourId}/history", tour.Organizer)).JsonAsync()).GetProperty("history");
        Assert.Equal("host-withdrew", history[0].Str("action"));
        Assert.Equal("host", history[0].Str("actorRole"));
        // Only the group itself or an organizer may withdraw it.
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(HttpMethod.Post, $"/api/tours/{tour.TourId}/hosts/{tour.HostId}/withdraw", tour.Speaker)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await client.SendAsync(HttpMethod.Post, $"/api/tours/{tour.TourId}/hosts/{tour.HostId}/links", tour.Organizer)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(HttpMethod.Get, $"/api/tours/{tour.TourId}/hosts", tour.Organizer)).StatusCode);
        Assert.Contains(other.Str("hostId"), view);
    }
}
