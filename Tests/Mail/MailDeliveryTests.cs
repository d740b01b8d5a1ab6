using System.Net;
using System.Text.Json;
using NodaTime;
using NodaTime.Text;
using TourPlanner.Gateway.Calendar;
using TourPlanner.Tests.Calendar;
using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Mail;

/// <summary>
/// What people are told, end to end: the Gateway sends to a real SMTP server on loopback, the messages are read with
/// Python's email package, and every invitation is read with Python's icalendar and Mozilla's ical.js.
/// </summary>
[Collection(MailCollection.Name)]
public sealed class MailDeliveryTests(MailFixture fixture)
{
    [Fact]
    public async Task ConfirmAndCancel_SendInvitationsInTheRecipientsLanguage_WithTheFeedsUidsAndNodaTimesInstants()
    {
        var tour = await fixture.TourAsync("en", 7, ("Teamsters Local 705", "ana@example.org", "es"), ("UFCW Local 789", "bo@example.org", "en"));
        var (a, b) = (tour.Hosts[0], tour.Hosts[1]);
        var claimA = await tour.ClaimAsync(a, "2026-10-28");
        var claimB = await tour.ClaimAsync(b, "2026-10-24", "Milwaukee", isPublic: false, title: "Secret strategy meeting");
        await tour.ConfirmAsync(claimA.Str("claimId"));
        await tour.ConfirmAsync(claimB.Str("claimId"));
        var eventA = claimA.GetProperty("events")[0];

        var mail = await fixture.Sink.WaitForAsync(tour.Id, m =>
            m.Count(x => x.IsTo(a.Email)) >= 2 && m.Count(x => x.IsTo("roger@example.org")) >= 2 && m.Any(x => x.IsTo("organizer@example.org")));

        // The host group wrote in Spanish: its messages are in Spanish, and hold only its own stop.
        var received = Assert.Single(mail, m => m.IsTo(a.Email) && m.Subject.Contains("recibimos su solicitud", StringComparison.Ordinal));
        Assert.Contains("Ocupa el puesto 1", received.Text);
        var confirmed = Assert.Single(mail, m => m.IsTo(a.Email) && m.Subject.Contains("está confirmada", StringComparison.Ordinal));
        Assert.Equal("es", confirmed.Header("Content-Language"));
        Assert.Contains("Teamsters Local 705 contact", confirmed.To);
        foreach (var m in mail.Where(m => m.IsTo(a.Email)))
        {
            Assert.DoesNotContain("Secret strategy", m.Text + m.Html);
            Assert.DoesNotContain("Milwaukee", m.Text + m.Html);
        }
        Assert.StartsWith($"<{MailFixture.BaseUrl}/mail/unsubscribe/{tour.Id}?u=", confirmed.Header("List-Unsubscribe"));
        Assert.Equal("List-Unsubscribe=One-Click", confirmed.Header("List-Unsubscribe-Post"));
        Assert.Equal("auto-generated", confirmed.Header("Auto-Submitted"));
        Assert.Contains(MailFixture.From, confirmed.Header("From"));
        Assert.Contains($"{MailFixture.BaseUrl}/signin/{tour.Id}#token=", confirmed.Html);
        Assert.DoesNotContain(a.Token, confirmed.Text + confirmed.Html); // a message never carries a standing link

        // One REQUEST per event, with the feeds' UID, the instant NodaTime computed, ORGANIZER = Mail:From and the group as ATTENDEE.
        var request = Assert.Single(confirmed.Calendars);
        Assert.Equal("REQUEST", request.GetProperty("methodParameter").GetString());
        var start = InstantPattern.General.Parse(eventA.Str("start")).Value.ToUnixTimeSeconds();
        var uid = TourFeeds.Uid(eventA.Str("eventId"));
        var byIcalendar = request.GetProperty("parsed");
        Assert.Equal("REQUEST", byIcalendar.Str("method"));
        var e = Assert.Single(byIcalendar.GetProperty("events").EnumerateArray());
        Assert.Equal(uid, e.Str("uid"));
        Assert.Equal(start, e.GetProperty("start").GetInt64());
        Assert.Equal($"mailto:{MailFixture.From}", e.Str("organizer"));
        Assert.Contains($"mailto:{a.Email}", e.GetProperty("attendees").EnumerateArray().Select(x => x.GetString()));
        Assert.Equal(["America/Chicago"], byIcalendar.GetProperty("timezones").EnumerateArray().Select(x => x.GetString()!).ToArray());
        var byIcalJs = await IcalJsAsync(request.Str("ics"));
        Assert.Equal("REQUEST", byIcalJs.Str("method"));
        var j = Assert.Single(byIcalJs.GetProperty("events").EnumerateArray());
        Assert.Equal(uid, j.Str("uid"));
        Assert.Equal(start, j.GetProperty("start").GetInt64());
        Assert.Equal(e.GetProperty("sequence").GetInt32(), j.GetProperty("sequence").GetInt32());
        Assert.Equal($"mailto:{MailFixture.From}", j.Str("organizer"));
        Assert.Equal([$"mailto:{a.Email}"], j.GetProperty("attendees").EnumerateArray().Select(x => x.GetString()!).ToArray());

        // The feed has the same event under the same UID.
        var slug = (await ApiScenario.Ok(await fixture.Client.SendAsync(HttpMethod.Get, $"/api/tours/{tour.Id}"), HttpStatusCode.OK)).Str("slug");
        var feed = await fixture.Client.GetStringAsync($"/tours/{slug}/calendar.ics");
        Assert.Contains($"UID:{uid}", feed);

        // The speaker hears of both stops in the tour's language (English), each with the events they attend, private ones too.
        var speakerMail = mail.Where(m => m.IsTo("roger@example.org")).ToList();
        Assert.All(speakerMail, m => Assert.Equal("en", m.Header("Content-Language")));
        var speakerB = Assert.Single(speakerMail, m => m.Subject.Contains("Milwaukee", StringComparison.Ordinal));
        Assert.Contains("Secret strategy meeting", speakerB.Text);
        Assert.DoesNotContain("Public meeting", speakerB.Text);

        // The organizer gets new claims in a digest, in the tour's language.
        var digest = Assert.Single(mail, m => m.IsTo("organizer@example.org"));
        Assert.Contains("Teamsters Local 705 claimed Chicago", digest.Text);

        // Cancelling sends CANCEL with the same UID and a higher SEQUENCE.
        await ApiScenario.Ok(await fixture.Client.SendAsync(HttpMethod.Post, $"/api/tours/{tour.Id}/stops/{claimA.Str("stopId")}/cancel", tour.Organizer), HttpStatusCode.OK);
        mail = await fixture.Sink.WaitForAsync(tour.Id, m => m.Any(x => x.IsTo(a.Email) && x.Subject.Contains("cancelada", StringComparison.Ordinal)));
        var cancel = Assert.Single(Assert.Single(mail, m => m.IsTo(a.Email) && m.Subject.Contains("cancelada", StringComparison.Ordinal)).Calendars);
        Assert.Equal("CANCEL", cancel.GetProperty("methodParameter").GetString());
        var c = Assert.Single(cancel.GetProperty("parsed").GetProperty("events").EnumerateArray());
        Assert.Equal(uid, c.Str("uid"));
        Assert.Equal("CANCELLED", c.Str("status"));
        Assert.True(c.GetProperty("sequence").GetInt32() > e.GetProperty("sequence").GetInt32());
        var cj = Assert.Single((await IcalJsAsync(cancel.Str("ics"))).GetProperty("events").EnumerateArray());
        Assert.Equal(c.GetProperty("sequence").GetInt32(), cj.GetProperty("sequence").GetInt32());
        Assert.Equal(start, cj.GetProperty("start").GetInt64());
    }

    [Fact]
    public async Task AClaimThatWouldConflict_IsExplainedInItsGroupsLanguage_WithTheOtherStopOnlyAsItsCity()
    {
        var tour = await fixture.TourAsync("en", 7, ("Teamsters Local 705", "fay@example.org", "en"), ("Comité de Los Ángeles", "gil@example.org", "es"));
        var (a, c) = (tour.Hosts[0], tour.Hosts[1]);
        await tour.ConfirmAsync((await tour.ClaimAsync(a, "2026-10-28", time: "22:00", isPublic: false, title: "Late strategy meeting")).Str("claimId"));
        // The same speaker in Los Angeles at dawn: confirming it would break the travel and rest rules.
        await ApiScenario.Ok(await fixture.Client.SendAsync(HttpMethod.Post, $"/api/tours/{tour.Id}/claims", c.Token,
            ApiScenario.ClaimBody("2026-10-29", "Los Angeles", "America/Los_Angeles", 34.0522, -118.2437, time: "06:00", title: "Mitin")), HttpStatusCode.Created);

        var mail = await fixture.Sink.WaitForAsync(tour.Id, m => m.Any(x => x.IsTo(c.Email)));
        var received = Assert.Single(mail, m => m.IsTo(c.Email));
        Assert.Contains("Si se confirmara hoy", received.Text);
        Assert.Contains("otro evento en Chicago", received.Text); // the catalogue's words, as the API gives them to this group
        Assert.DoesNotContain("Late strategy", received.Text + received.Html);
        Assert.DoesNotContain("Teamsters Local", received.Text + received.Html);
    }

    [Fact]
    public async Task ASignInLinkFromAMessage_IssuesAStandingLinkOnce_AndTheOtherLinksKeepWorking()
    {
        var tour = await fixture.TourAsync("en", 7, ("Teamsters Local 705", "carla@example.org", "en"));
        var host = tour.Hosts[0];
        await tour.ClaimAsync(host, "2026-10-29");
        var message = Assert.Single(await fixture.Sink.WaitForAsync(tour.Id, m => m.Any(x => x.IsTo(host.Email))), m => m.IsTo(host.Email));
        var token = message.SignInToken(MailFixture.BaseUrl, tour.Id);

        // The single-use token is no link by itself.
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.Client.SendAsync(HttpMethod.Get, $"/api/tours/{tour.Id}/claims", token)).StatusCode);
        var signedIn = await ApiScenario.Ok(await fixture.Client.SendAsync(HttpMethod.Post, $"/api/tours/{tour.Id}/signin", body: new { token }), HttpStatusCode.OK);
        Assert.Equal("host", signedIn.Str("role"));
        Assert.Equal(host.Id, signedIn.Str("personId"));
        Assert.StartsWith($"/host/{tour.Id}/{host.Id}#token=", signedIn.Str("url"));
        var standing = signedIn.Str("token");
        Assert.Equal(HttpStatusCode.OK, (await fixture.Client.SendAsync(HttpMethod.Get, $"/api/tours/{tour.Id}/claims", standing)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Client.SendAsync(HttpMethod.Get, $"/api/tours/{tour.Id}/claims", host.Token)).StatusCode);

        var again = await fixture.Client.SendAsync(HttpMethod.Post, $"/api/tours/{tour.Id}/signin?lang=es", body: new { token });
        Assert.Equal(HttpStatusCode.Gone, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
        var spent = await again.JsonAsync();
        Assert.Equal("signin.spent", spent.Str("code"));
        Assert.Contains("ya se usó", spent.Str("detail"));

        // Bad input names the field; a huge or made-up token is simply not a link.
        var missing = await fixture.Client.SendAsync(HttpMethod.Post, $"/api/tours/{tour.Id}/signin", body: new { });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.True((await missing.JsonAsync()).GetProperty("errors").TryGetProperty("token", out _));
        Assert.Equal(HttpStatusCode.Gone, (await fixture.Client.SendAsync(HttpMethod.Post, $"/api/tours/{tour.Id}/signin",
            body: new { token = new string('x', 100_000) })).StatusCode);

        // The page that spends it is served, in the person's language.
        var page = await fixture.Client.GetAsync($"/signin/{tour.Id}?lang=es");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync());
        Assert.Contains("Iniciando la sesión", html);
        Assert.Contains("/assets/signin.js", html);
    }

    [Fact]
    public async Task EmailMeMyLink_AnswersTheSameForKnownAndUnknownAddresses_SendsOnlyToTheKnownOne_AndLimitsEach()
    {
        var tour = await fixture.TourAsync("en", 7, ("Teamsters Local 705", "dana@example.org", "es"));
        var known = await fixture.Client.SendAsync(HttpMethod.Post, $"/api/tours/{tour.Id}/mail/link", body: new { email = "Dana@Example.org" });
        var unknown = await fixture.Client.SendAsync(HttpMethod.Post, $"/api/tours/{tour.Id}/mail/link", body: new { email = "nobody@example.org" });
        Assert.Equal(HttpStatusCode.Accepted, known.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, unknown.StatusCode);
        Assert.Equal(await known.Content.ReadAsStringAsync(), await unknown.Content.ReadAsStringAsync());
        var accepted = await known.JsonAsync();
        Assert.Equal(("accepted", "mail.link-accepted"), (accepted.Str("status"), accepted.Str("code")));

        var mail = await fixture.Sink.WaitForAsync(tour.Id, m => m.Any(x => x.IsTo("dana@example.org")));
        var link = Assert.Single(mail);
        Assert.Contains("su enlace", link.Subject);
        var signedIn = await ApiScenario.Ok(await fixture.Client.SendAsync(HttpMethod.Post, $"/api/tours/{tour.Id}/signin",
            body: new { token = link.SignInToken(MailFixture.BaseUrl, tour.Id) }), HttpStatusCode.OK);
        Assert.Equal(tour.Hosts[0].Id, signedIn.Str("personId"));

        // Per address: the fourth request within the hour is refused, known address or not.
        foreach (var address in new[] { "dana@example.org", "nobody@example.org" })
        {
            var statuses = new List<HttpStatusCode>();
            for (var i = 0; i < 3; i++)
                statuses.Add((await fixture.Client.SendAsync(HttpMethod.Post, $"/api/tours/{tour.Id}/mail/link", body: new { email = address })).StatusCode);
            Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        }
        var limited = await fixture.Client.SendAsync(HttpMethod.Post, $"/api/tours/{tour.Id}/mail/link?lang=es", body: new { email = "dana@example.org" });
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("3600", limited.Headers.RetryAfter?.ToString());
        var why = await limited.JsonAsync();
        Assert.Equal("rate.link-requests", why.Str("code"));
        Assert.Contains("dentro de una hora", why.Str("detail"));
        var bad = await fixture.Client.SendAsync(HttpMethod.Post, $"/api/tours/{tour.Id}/mail/link", body: new { email = "not an address" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await bad.JsonAsync()).GetProperty("errors").TryGetProperty("email", out _));
    }

    [Fact]
    public async Task OneClickUnsubscribe_TurnsOffRemindersAndDigestsOnly()
    {
        var tour = await fixture.TourAsync("en", 7, ("Teamsters Local 705", "eve@example.org", "en"));
        var host = tour.Hosts[0];
        await tour.ClaimAsync(host, "2026-10-30");
        var received = Assert.Single(await fixture.Sink.WaitForAsync(tour.Id, m => m.Any(x => x.IsTo(host.Email))), m => m.IsTo(host.Email));
        var url = received.Header("List-Unsubscribe").Trim('<', '>').Replace(MailFixture.BaseUrl, "");

        // Opening the link changes nothing (mail scanners open links); the one-click POST does.
        Assert.Equal(HttpStatusCode.OK, (await fixture.Client.GetAsync(url)).StatusCode);
        Assert.Empty((await tour.MailStatusAsync()).GetProperty("unsubscribed").EnumerateArray());
        var post = await fixture.Client.PostAsync(url, new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));
        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        Assert.Equal([host.Id], (await tour.MailStatusAsync()).GetProperty("unsubscribed").EnumerateArray().Select(x => x.GetString()!).ToArray());
        var forged = await fixture.Client.PostAsync(url[..^3] + "AAA", null);
        Assert.Equal(HttpStatusCode.NotFound, forged.StatusCode);

        // A confirmation still comes.
        var claimId = (await ApiScenario.Ok(await fixture.Client.SendAsync(HttpMethod.Get, $"/api/tours/{tour.Id}/claims", tour.Organizer), HttpStatusCode.OK))
            .GetProperty("claims").EnumerateArray().First().Str("claimId");
        await tour.ConfirmAsync(claimId);
        await fixture.Sink.WaitForAsync(tour.Id, m => m.Any(x => x.IsTo(host.Email) && x.Subject.Contains("is confirmed", StringComparison.Ordinal)));
    }

    public static async Task<JsonElement> IcalJsAsync(string ics)
    {
        Assert.True(Directory.Exists(ClientsDirectory.File(Path.Combine("node_modules", "ical.js"))),
            "ical.js is not installed: run 'npm ci' in Tests/Calendar/clients (see INSTALL.md).");
        using var temp = new TempDirectory();
        var file = temp.Write("invitation.ics", System.Text.Encoding.UTF8.GetBytes(ics));
        var result = (await ExternalTool.RunAsync(ExternalTool.RequireOnPath("node"), [ClientsDirectory.File("read-itip-with-icaljs.mjs"), file],
            ClientsDirectory.Path)).EnsureSuccess("ical.js");
        return JsonDocument.Parse(result.StdOut).RootElement.Clone();
    }
}
