using System.Net;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using TourPlanner.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace TourPlanner.Tests.Pages;

/// <summary>
/// Addresses on request in headless Debian Chromium: the host group chooses "sent to people who sign up" when it
/// claims, the public page (English and Spanish) says so and offers the sign-up form without ever showing the address,
/// the group sees how many signed up and only the e-mails shared with it, and it can withdraw from the tour.
/// </summary>
[Collection(PagesCollection.Name)]
public sealed class AddressOnRequestPageTests(PagesFixture fixture)
{
    private const string Shots = "/tmp/pages";
    private const string Address = "1815 S Secretaddress Ave";

    private static async Task AxeAsync(IPage page, string state)
    {
        var results = await page.RunAxe();
        var serious = results.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, $"{state}: " + string.Join("\n", serious.Select(v =>
            $"{v.Impact} {v.Id}: {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}")));
    }

    /// <summary>The host group claims Chicago through its page, choosing what the public sees of the address.</summary>
    private static async Task ClaimOnPageAsync(IPage page, string visibility)
    {
        var form = page.Locator("form.claim-form");
        await form.Locator("[name='city']").FillAsync("");
        await form.Locator("[name='city']").PressSequentiallyAsync("chicag");
        await form.Locator(".city-option", new() { HasText = "Chicago" }).First.ClickAsync();
        await form.Locator("[name='dates']").FillAsync("2026-10-28");
        await form.Locator("[name='venue.name']").FillAsync("Union Hall");
        await form.Locator("[name='venue.address']").FillAsync(Address);
        // City only unless the group chooses otherwise.
        await Expect(form.Locator("input[name='venue.addressVisibility'][value='city']")).ToBeCheckedAsync();
        await form.GetByLabel(visibility).CheckAsync();
        await form.Locator("[name='events[0].title']").FillAsync("Public meeting: defend our neighbours");
        await form.Locator("[name='events[0].start']").FillAsync("2026-10-28T19:00");
        await form.Locator("button[type=submit]").ClickAsync();
        await Expect(page.Locator(".claim[data-status='held']")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task OnRequestChosenWhenClaiming_ThePublicPageWithholdsTheAddressAndOffersTheForm_TheGroupSeesOnlySharedEmails_AndCanWithdraw()
    {
        var tour = await PagesTour.CreateAsync(fixture.Api);
        var host = await fixture.NewPhonePageAsync();
        await host.GotoAsync(tour.HostPage(tour.HostAId, tour.HostA));
        // Each choice is explained in one sentence, tied to its radio button.
        await Expect(host.Locator("form.claim-form input[value='on-request']")).ToHaveAttributeAsync("aria-describedby", "f-visibility-on-request-hint");
        await Expect(host.Locator("#f-visibility-on-request-hint")).ToHaveTextAsync("The public page offers a form, and each person who leaves an e-mail gets the address by e-mail.");
        await ClaimOnPageAsync(host, "Sent to people who sign up");

        var claims = await ApiScenario.Ok(await fixture.Api.SendAsync(HttpMethod.Get, $"/api/tours/{tour.TourId}/claims", tour.Organizer), HttpStatusCode.OK);
        var claim = claims.GetProperty("claims")[0];
        var stopId = claim.Str("stopId");
        var stop = await ApiScenario.Ok(await fixture.Api.SendAsync(HttpMethod.Get, $"/api/tours/{tour.TourId}/stops/{stopId}", tour.Organizer), HttpStatusCode.OK);
        Assert.Equal("on-request", stop.GetProperty("venue").Str("addressVisibility"));
        await tour.ConfirmAsync(claim.Str("claimId"));

        // The public page, English and Spanish: the stop says the address goes to people who sign up, and never shows it.
        foreach (var (lang, note, label) in new[]
        {
            ("en", "Address sent to people who sign up", "Share my e-mail with the host group"),
            ("es", "Dirección enviada a quienes se inscriban", "Compartir mi correo con el grupo anfitrión"),
        })
        {
            var pub = await fixture.NewPhonePageAsync(lang == "es" ? "es-MX" : "en-US");
            await pub.GotoAsync($"/t/{tour.Slug}?lang={lang}");
            var card = pub.Locator($"#stop-{stopId}");
            await Expect(card.Locator(".on-request")).ToHaveTextAsync(note);
            await Expect(card.Locator("form.signup-form input[type=email]")).ToBeVisibleAsync();
            await Expect(card.GetByLabel(label)).Not.ToBeCheckedAsync();
            Assert.DoesNotContain("Secretaddress", await pub.ContentAsync());
            await AxeAsync(pub, $"public page with a sign-up form ({lang})");
            if (lang == "en")
            {
                Directory.CreateDirectory(Shots);
                await card.EvaluateAsync("e => e.scrollIntoView({ block: 'start' })");
                await pub.ScreenshotAsync(new() { Path = $"{Shots}/readme-public-signup.png" });

                // With script: the sign-up goes by fetch and is answered in place.
                await card.Locator("input[type=email]").FillAsync("sam.shares@example.org");
                await card.GetByLabel(label).CheckAsync();
                await card.GetByRole(AriaRole.Button, new() { Name = "Send me the address" }).ClickAsync();
                await Expect(card.Locator(".signup-answer")).ToContainTextAsync("The address is on its way to your e-mail");
                await Expect(card.Locator("form.signup-form")).ToHaveCountAsync(0);
                Assert.Contains(pub.Url, new[] { $"{fixture.BaseAddress}t/{tour.Slug}?lang=en" }); // no page load: it stayed in place
                await AxeAsync(pub, "public page after signing up");
            }
            await pub.Context.CloseAsync();
        }
        await ApiScenario.Ok(await fixture.Api.SendAsync(HttpMethod.Post, $"/api/tours/{tour.TourId}/stops/{stopId}/signups",
            body: new { email = "quiet.one@example.org", shareWithHost = false }), HttpStatusCode.Accepted);

        // The group sees how many asked, and only the e-mail that was shared with it.
        await host.ReloadAsync();
        var stopCard = host.Locator(".claim[data-status='confirmed']");
        await Expect(stopCard.Locator(".visibility")).ToContainTextAsync("Sent to people who sign up");
        await Expect(stopCard.Locator(".signups")).ToContainTextAsync("2 people asked for the address.");
        await Expect(stopCard.Locator(".shared-emails li")).ToHaveTextAsync(["sam.shares@example.org"]);
        Assert.DoesNotContain("quiet.one@example.org", await host.ContentAsync());
        await AxeAsync(host, "host page with sign-ups");

        // Withdrawing: a confirmation that says what happens, then the page's final state.
        await host.GetByRole(AriaRole.Button, new() { Name = "Withdraw from this tour" }).ClickAsync();
        var question = host.Locator("[aria-labelledby='withdraw-q']");
        await Expect(question).ToContainTextAsync("Your confirmed stops are cancelled");
        await Expect(question).ToContainTextAsync("contact name, e-mail and phone are deleted");
        await Expect(host.GetByRole(AriaRole.Button, new() { Name = "No, keep taking part" })).ToBeFocusedAsync();
        await AxeAsync(host, "host page asking to confirm the withdrawal");
        await host.GetByRole(AriaRole.Button, new() { Name = "Yes, withdraw our group" }).ClickAsync();
        await Expect(host.GetByRole(AriaRole.Heading, new() { Name = "Your group has left the tour" })).ToBeVisibleAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.Api.SendAsync(HttpMethod.Get, $"/api/tours/{tour.TourId}/claims", tour.HostA)).StatusCode);
        var after = await ApiScenario.Ok(await fixture.Api.SendAsync(HttpMethod.Get, $"/api/tours/{tour.TourId}/stops/{stopId}", tour.Organizer), HttpStatusCode.OK);
        Assert.Equal("cancelled", after.Str("status"));
        // The cancelled stop offers no form any more.
        Assert.DoesNotContain("signup-form", await fixture.Api.GetStringAsync($"/t/{tour.Slug}"));
    }

    [Fact]
    public async Task EditingTheVenue_ChangesWhatThePublicSeesOfTheAddress()
    {
        var tour = await PagesTour.CreateAsync(fixture.Api);
        var host = await fixture.NewPhonePageAsync("es-MX");
        await host.GotoAsync(tour.HostPage(tour.HostBId, tour.HostB));
        await ClaimOnPageAsync(host, "Solo el barrio o la ciudad");
        var claims = await ApiScenario.Ok(await fixture.Api.SendAsync(HttpMethod.Get, $"/api/tours/{tour.TourId}/claims", tour.Organizer), HttpStatusCode.OK);
        await tour.ConfirmAsync(claims.GetProperty("claims")[0].Str("claimId"));
        Assert.DoesNotContain("Secretaddress", await fixture.Api.GetStringAsync($"/t/{tour.Slug}"));

        await host.ReloadAsync();
        var card = host.Locator(".claim[data-status='confirmed']");
        await card.GetByRole(AriaRole.Button, new() { Name = "Cambiar el lugar" }).ClickAsync();
        var venue = card.Locator("form.venue-form");
        await Expect(venue.Locator("input[value='city']")).ToBeCheckedAsync();
        await venue.GetByLabel("Todo, con calle y número").CheckAsync();
        await venue.Locator("button[type=submit]").ClickAsync();
        await Expect(card.Locator(".visibility")).ToContainTextAsync("Todo, con calle y número");
        Assert.Contains(Address, await fixture.Api.GetStringAsync($"/t/{tour.Slug}"));
    }
}
