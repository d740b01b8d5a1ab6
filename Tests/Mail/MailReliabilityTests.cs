using System.Net;
using System.Text.Json;
using NodaTime;
using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Mail;

/// <summary>Nothing lost, nothing sent twice: a mail server that is down during a storm, and the 24-hour hold reminder.</summary>
[Collection(MailCollection.Name)]
public sealed class MailReliabilityTests(MailFixture fixture)
{
    private const int Groups = 12;

    [Fact]
    public async Task SmtpDownDuringAStormOfConfirms_NeverFailsThem_ShowsWhy_AndOnceBackDeliversEveryMessageOnce()
    {
        var tour = await fixture.TourAsync("en", 7, [.. Enumerable.Range(0, Groups).Select(i => ($"Group {i}", $"group{i}@example.org", i % 2 == 0 ? "en" : "es"))]);
        fixture.Sink.Stop();
        try
        {
            var claims = await Task.WhenAll(tour.Hosts.Select((h, i) => tour.ClaimAsync(h, new LocalDate(2026, 10, 22).PlusDays(i).ToString("yyyy-MM-dd", null))));
            // Every confirm is answered, whatever the mail server does.
            await Task.WhenAll(claims.Select(c => tour.ConfirmAsync(c.Str("claimId"))));

            // The organizer's view says which messages wait and why.
            var status = await Eventually.ValueAsync(tour.MailStatusAsync, s => s.GetProperty("undelivered").GetArrayLength() >= Groups);
            Assert.True(status.GetProperty("enabled").GetBoolean());
            var first = status.GetProperty("undelivered")[0];
            Assert.Equal("pending", first.Str("status"));
            Assert.Contains("ConnectionRefused", first.Str("reason"));
            Assert.Equal("mail.fail.network", first.Str("reasonCode"));
            var spanish = await ApiScenario.Ok(await fixture.Client.SendAsync(HttpMethod.Get, $"/api/tours/{tour.Id}/mail?lang=es", tour.Organizer), HttpStatusCode.OK);
            Assert.StartsWith("No se pudo conectar con el servidor de correo", spanish.GetProperty("undelivered")[0].Str("reason"));
            Assert.True(first.GetProperty("attempts").GetInt32() >= 1);
        }
        finally
        {
            await fixture.Sink.StartAsync();
        }

        // Back up; past the retry delays every message goes, the organizer's second digest a digest period after the first.
        fixture.Clock.Advance(Duration.FromHours(2));
        var hostsAndSpeaker = await fixture.Sink.WaitForAsync(tour.Id, m =>
            tour.Hosts.All(h => m.Count(x => x.IsTo(h.Email)) >= 2) && m.Count(x => x.IsTo("roger@example.org")) >= Groups
            && m.Any(x => x.IsTo("organizer@example.org")));
        fixture.Clock.Advance(Duration.FromMinutes(16));
        var mail = await fixture.Sink.WaitForAsync(tour.Id, m => DigestItems(m) >= Groups);

        Assert.Equal(mail.Count, mail.Select(m => m.MessageId).Distinct().Count());
        Assert.All(tour.Hosts, h => Assert.Equal(2, mail.Count(m => m.IsTo(h.Email))));
        Assert.Equal(Groups, mail.Count(m => m.IsTo("roger@example.org")));
        Assert.Equal(Groups, DigestItems(mail));
        Assert.True(mail.Count(m => m.IsTo("organizer@example.org")) <= 2);

        // Everything is marked sent: nothing waits, so nothing can go out again.
        var after = await Eventually.ValueAsync(tour.MailStatusAsync, s => s.GetProperty("queued").GetInt32() == 0);
        Assert.Equal(0, after.GetProperty("queued").GetInt32());
        Assert.Equal(0, after.GetProperty("undelivered").GetArrayLength());
        Assert.Equal(mail.Count, after.GetProperty("sent").GetInt32());
    }

    [Fact]
    public async Task TheHoldReminder_GoesADayBeforeTheHoldRunsOut_ThroughTheDurableReminder_ThenTheExpiryAndTheMoveUp()
    {
        var tour = await fixture.TourAsync("en", 2, ("First group", "first@example.org", "en"), ("Second group", "second@example.org", "es"));
        var (first, second) = (tour.Hosts[0], tour.Hosts[1]);
        await tour.ClaimAsync(first, "2026-11-10");
        await tour.ClaimAsync(second, "2026-11-10");
        await fixture.Sink.WaitForAsync(tour.Id, m => m.Any(x => x.IsTo(first.Email)) && m.Any(x => x.IsTo(second.Email)));

        // Within a day of the end: no request at all, only the tour's durable reminder, driven by Orleans's own clock.
        fixture.Clock.Advance(Duration.FromDays(1) + Duration.FromMinutes(1));
        var mail = await StepRemindersUntilAsync(tour.Id, m =>
            m.Any(x => x.IsTo(first.Email) && x.Subject.Contains("runs out in 24 hours", StringComparison.Ordinal))
            && m.Any(x => x.IsTo("organizer@example.org") && x.Subject.Contains("hold with a queue", StringComparison.Ordinal)));
        var reminder = Assert.Single(mail, m => m.IsTo(first.Email) && m.Subject.Contains("24 hours", StringComparison.Ordinal));
        Assert.Contains("(America/Chicago)", reminder.Text); // the hold's end, in the stop's zone
        Assert.DoesNotContain(mail, m => m.IsTo(second.Email) && m.Subject.Contains("24", StringComparison.Ordinal));

        // The hold runs out: the first group hears it, the second that it moved up (in Spanish).
        fixture.Clock.Advance(Duration.FromDays(1));
        mail = await StepRemindersUntilAsync(tour.Id, m =>
            m.Any(x => x.IsTo(first.Email) && x.Subject.Contains("ran out", StringComparison.Ordinal))
            && m.Any(x => x.IsTo(second.Email) && x.Subject.Contains("primer grupo", StringComparison.Ordinal)));
        Assert.Single(mail, m => m.IsTo(first.Email) && m.Subject.Contains("ran out", StringComparison.Ordinal));
        // However many ticks ran meanwhile, the reminder went once.
        Assert.Single(mail, m => m.IsTo(first.Email) && m.Subject.Contains("24 hours", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithoutAPublicBaseUrl_NothingIsSent_AndTheOrganizersViewSaysEmailIsOff()
    {
        await using var off = new OffServer(fixture);
        using var client = off.CreateClient();
        var created = await ApiScenario.Ok(await client.SendAsync(HttpMethod.Post, "/api/tours", body: new
        {
            name = "Quiet tour", timeZone = "America/New_York", startDate = "2026-10-22", endDate = "2026-11-15", organizerEmail = "quiet@example.org",
            speakers = new[] { new { name = "R", homeTimeZone = "America/New_York" } },
        }), HttpStatusCode.Created);
        var (id, organizer) = (created.Str("id"), created.Str("organizerToken"));
        var host = await ApiScenario.Ok(await client.SendAsync(HttpMethod.Post, $"/api/tours/{id}/hosts", organizer,
            new { name = "Group", contactEmail = "quiet-host@example.org" }), HttpStatusCode.Created);
        await ApiScenario.Ok(await client.SendAsync(HttpMethod.Post, $"/api/tours/{id}/claims", host.Str("inviteToken"), ApiScenario.ClaimBody()), HttpStatusCode.Created);

        var status = await ApiScenario.Ok(await client.SendAsync(HttpMethod.Get, $"/api/tours/{id}/mail", organizer), HttpStatusCode.OK);
        Assert.False(status.GetProperty("enabled").GetBoolean());
        Assert.Equal("public-base-url-unset", status.Str("offReason"));
        Assert.Contains("Gateway:PublicBaseUrl", status.Str("offDetail"));
        var spanish = await ApiScenario.Ok(await client.SendAsync(HttpMethod.Get, $"/api/tours/{id}/mail?lang=es", organizer), HttpStatusCode.OK);
        Assert.StartsWith("El correo está desactivado", spanish.Str("offDetail"));
        Assert.Equal(2, status.GetProperty("queued").GetInt32()); // the group's receipt and the organizer's digest wait
        var ask = await client.SendAsync(HttpMethod.Post, $"/api/tours/{id}/mail/link", body: new { email = "quiet-host@example.org" });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ask.StatusCode);
        Assert.Equal("mail.off.ask-organizer", (await ask.JsonAsync()).Str("code"));
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(HttpMethod.Get, $"/api/tours/{id}/mail", host.Str("inviteToken"))).StatusCode);
        Assert.Empty(await Mine(id));
    }

    /// <summary>The same Gateway and mail server, but no Gateway:PublicBaseUrl.</summary>
    private sealed class OffServer(MailFixture fixture) : Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program>
    {
        private readonly string _data = Path.Combine(Path.GetTempPath(), "tourplanner-tests", "mail-off-" + Guid.NewGuid().ToString("N"));

        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            GatewayFactory.Configure(builder, fixture.Clock, _data);
            MailFixture.Settings(builder, fixture.Sink.Port);
            builder.UseSetting("Gateway:PublicBaseUrl", "");
        }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
        }
    }

    private static int DigestItems(IReadOnlyList<ReadMessage> mail) =>
        mail.Where(m => m.IsTo("organizer@example.org")).Sum(m => m.Text.Split('\n').Count(l => l.StartsWith("- Group ", StringComparison.Ordinal)));

    private Task<List<ReadMessage>> Mine(MailTour tour) => Mine(tour.Id);

    private async Task<List<ReadMessage>> Mine(string tourId) =>
        [.. (await fixture.Sink.ReadAsync()).Where(m => m.MessageId.Contains(tourId, StringComparison.Ordinal))];

    /// <summary>
    /// Moves Orleans's reminder clock on by one sweep period at a time (the NodaTime clock stays where the test put it)
    /// until the tour's mail satisfies <paramref name="done"/>.
    /// </summary>
    private async Task<IReadOnlyList<ReadMessage>> StepRemindersUntilAsync(string tourId, Func<IReadOnlyList<ReadMessage>, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            var mine = await Mine(tourId);
            if (done(mine)) return mine;
            fixture.ReminderTime.Advance(MailFixture.SweepPeriod);
            await Task.Delay(200);
        }
        return await fixture.Sink.WaitForAsync(tourId, done, timeoutSeconds: 1);
    }
}
