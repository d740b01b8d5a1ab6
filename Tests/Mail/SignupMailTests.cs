using System.Net;
using NodaTime;
using TourPlanner.Tests.Infrastructure;
using TourPlanner.Tests.Privacy;

namespace TourPlanner.Tests.Mail;

/// <summary>
/// The address of an on-request stop goes out by mail to whoever signs up, through the real SMTP server on loopback:
/// read with Python's email package, its calendar files with Python's icalendar.
/// </summary>
[Collection(MailCollection.Name)]
public sealed class SignupMailTests(MailFixture fixture)
{
    private static readonly long PublicStart = Instant.FromUtc(2026, 10, 29, 0, 0).ToUnixTimeSeconds(); // 19:00 CDT on 28 October

    private static string Unfolded(string ics) => ics.Replace("\r\n ", "", StringComparison.Ordinal);

    [Fact]
    public async Task ASupporter_GetsTheFullAddressAndThePublicEvents_InTheirLanguage_WithACalendarFile_AndNoLinkOfTheTour()
    {
        var tour = await PrivateTour.CreateAsync(fixture.Client, "on-request", signUp: false);
        const string ana = "ana.supporter@example.org";
        await ApiScenario.Ok(await fixture.Client.SendAsync(HttpMethod.Post, $"/api/tours/{tour.TourId}/stops/{tour.StopId}/signups",
            body: new { email = ana, shareWithHost = false, language = "es" }), HttpStatusCode.Accepted);

        var mail = await fixture.Sink.WaitForAsync(tour.TourId, m => m.Any(x => x.IsTo(ana)));
        var message = Assert.Single(mail, m => m.IsTo(ana));
        Assert.Equal("es", message.Header("Content-Language"));
        Assert.Contains("la dirección en Chicago", message.Subject);
        Assert.Contains($"Dónde: Union Hall, {PrivateTour.Address}, Chicago, US", message.Text);
        Assert.Contains(PrivateTour.PublicTitle, message.Text);
        Assert.Contains("a las 19:00 (America/Chicago)", message.Text);
        // Only what the public may see besides the address: no private event, no contacts, no link into the tour.
        foreach (var hidden in new[] { PrivateTour.PrivateTitle, PrivateTour.PrivateDescription, PrivateTour.ContactEmail, PrivateTour.ContactName, "/signin/" })
            Assert.DoesNotContain(hidden, message.Text + message.Html);
        Assert.Equal("", message.Header("List-Unsubscribe"));

        var calendar = Assert.Single(message.Calendars);
        Assert.Equal("PUBLISH", calendar.GetProperty("methodParameter").GetString());
        var parsed = calendar.GetProperty("parsed");
        var e = Assert.Single(parsed.GetProperty("events").EnumerateArray());
        Assert.Equal(PrivateTour.PublicTitle, e.Str("summary"));
        Assert.Equal(PublicStart, e.GetProperty("start").GetInt64());
        Assert.Equal(["America/Chicago"], parsed.GetProperty("timezones").EnumerateArray().Select(x => x.GetString()!).ToArray());
        Assert.Contains($"LOCATION:Union Hall\\, {PrivateTour.Address}\\, Chicago\\, US", Unfolded(calendar.Str("ics")));

        // The feeds know the event by the same UID.
        var feed = await fixture.Client.GetStringAsync($"/tours/{tour.Slug}/calendar.ics");
        Assert.Contains($"UID:{e.Str("uid")}", Unfolded(feed));
        Assert.DoesNotContain(PrivateTour.Address, Unfolded(feed));
    }

    [Fact]
    public async Task TheSameAddressTwice_IsOneMessage_AndAChangedAddressGoesToEverySignup()
    {
        var tour = await PrivateTour.CreateAsync(fixture.Client, "on-request", signUp: false);
        const string bo = "bo.supporter@example.org", cy = "cy.supporter@example.org";
        foreach (var email in new[] { bo, bo.ToUpperInvariant(), cy })
            await ApiScenario.Ok(await fixture.Client.SendAsync(HttpMethod.Post, $"/api/tours/{tour.TourId}/stops/{tour.StopId}/signups",
                body: new { email, language = "en" }), HttpStatusCode.Accepted);
        var mail = await fixture.Sink.WaitForAsync(tour.TourId, m => m.Any(x => x.IsTo(bo)) && m.Any(x => x.IsTo(cy)));
        Assert.Single(mail, m => m.IsTo(bo) || m.IsTo(bo.ToUpperInvariant()));

        const string moved = "9 Newplace Street";
        await ApiScenario.Ok(await fixture.Client.SendAsync(HttpMethod.Patch, $"/api/tours/{tour.TourId}/stops/{tour.StopId}/venue", tour.Host,
            new { address = moved }), HttpStatusCode.OK);
        mail = await fixture.Sink.WaitForAsync(tour.TourId, m => m.Count(x => x.IsTo(bo)) == 2 && m.Count(x => x.IsTo(cy)) == 2);
        foreach (var who in new[] { bo, cy })
        {
            var changed = Assert.Single(mail, m => m.IsTo(who) && m.Subject.Contains("new address in Chicago", StringComparison.Ordinal));
            Assert.Contains(moved, changed.Text);
            Assert.DoesNotContain(PrivateTour.Address, changed.Text);
            Assert.Contains(moved, Unfolded(Assert.Single(changed.Calendars).Str("ics")));
        }
    }

    [Fact]
    public async Task OnceTheAddressIsNoLongerOnRequest_NothingMoreIsSentToSignups()
    {
        var tour = await PrivateTour.CreateAsync(fixture.Client, "on-request", signUp: false);
        const string dee = "dee.supporter@example.org";
        await ApiScenario.Ok(await fixture.Client.SendAsync(HttpMethod.Post, $"/api/tours/{tour.TourId}/stops/{tour.StopId}/signups",
            body: new { email = dee }), HttpStatusCode.Accepted);
        await fixture.Sink.WaitForAsync(tour.TourId, m => m.Any(x => x.IsTo(dee)));

        // City only now, then a new address: the sign-ups are not told (the address is not theirs to have any more).
        await ApiScenario.Ok(await fixture.Client.SendAsync(HttpMethod.Patch, $"/api/tours/{tour.TourId}/stops/{tour.StopId}/venue", tour.Host,
            new { addressVisibility = "city" }), HttpStatusCode.OK);
        await ApiScenario.Ok(await fixture.Client.SendAsync(HttpMethod.Patch, $"/api/tours/{tour.TourId}/stops/{tour.StopId}/venue", tour.Host,
            new { address = "10 Elsewhere Road" }), HttpStatusCode.OK);
        // The organizer's cancellation of the stop reaches the host group: once that is in, any message to the sign-up would be too.
        await ApiScenario.Ok(await fixture.Client.SendAsync(HttpMethod.Post, $"/api/tours/{tour.TourId}/stops/{tour.StopId}/cancel", tour.Organizer), HttpStatusCode.OK);
        var mail = await fixture.Sink.WaitForAsync(tour.TourId, m => m.Any(x => x.IsTo(PrivateTour.ContactEmail) && x.Subject.Contains("cancelled", StringComparison.Ordinal)));
        Assert.Single(mail, m => m.IsTo(dee));
        Assert.DoesNotContain(mail, m => m.Text.Contains("10 Elsewhere Road", StringComparison.Ordinal) && m.IsTo(dee));
    }
}
