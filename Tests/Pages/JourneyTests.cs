using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace TourPlanner.Tests.Pages;

/// <summary>
/// Issue 9's journeys in headless Debian Chromium, at 360 and 1280 px, in English and Spanish: a tour created from
/// <c>/</c>, a second speaker, two host groups claiming the same date, a confirm that leaves the other group a taken date
/// and suggestions, a revoked link, the planner, a cancelled stop and its repair. axe-core checks every page state;
/// screenshots land in /tmp/pages/journey-*.png.
/// </summary>
[Collection(PagesCollection.Name)]
public sealed class JourneyTests(PagesFixture fixture)
{
    private const string Shots = "/tmp/pages";

    public static IEnumerable<object[]> Viewports() =>
        from width in new[] { 360, 1280 } from lang in new[] { "en", "es" } select new object[] { width, lang };

    private static async Task AxeAsync(IPage page, string state)
    {
        var results = await page.RunAxe();
        var serious = results.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, $"{state}: " + string.Join("\n", serious.Select(v =>
            $"{v.Impact} {v.Id}: {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}")));
    }

    private static async Task ShotAsync(IPage page, string name, int width, string lang)
    {
        Directory.CreateDirectory(Shots);
        await page.ScreenshotAsync(new() { Path = $"{Shots}/journey-{width}-{lang}-{name}.png", FullPage = true });
    }

    /// <summary>A phone-screen view from <paramref name="top"/> down, for the README (docs/*.png are picked from these).</summary>
    private static async Task ReadmeShotAsync(IPage page, ILocator top, string name, int width, string lang)
    {
        if (width != 360) return;
        await top.EvaluateAsync("e => e.scrollIntoView({ block: 'start' })");
        await page.ScreenshotAsync(new() { Path = $"{Shots}/readme-{lang}-{name}.png" });
    }

    /// <summary>Types into a place picker and picks the first listed city whose label contains <paramref name="pick"/>.</summary>
    private static async Task PickCityAsync(IPage page, ILocator scope, string fieldName, string typed, string pick)
    {
        var input = scope.Locator($"input[name='{fieldName}']");
        await input.FillAsync("");
        await input.PressSequentiallyAsync(typed);
        var option = scope.Locator(".city-option", new() { HasText = pick }).First;
        await option.ClickAsync();
        await Expect(input).ToHaveValueAsync(pick);
    }

    [Theory]
    [MemberData(nameof(Viewports))]
    public async Task AnOrganizerAndTwoGroupsRunATourFromTheirBrowsers(int width, string lang)
    {
        var locale = lang == "es" ? "es-MX" : "en-US";
        var organizer = await fixture.NewPageAsync(width, 900, locale, mobile: width < 600);
        string L(string en, string es) => lang == "es" ? es : en;

        // ---- Start a tour from "/": every missing field at once, then the real thing.
        await organizer.GotoAsync("/");
        await Expect(organizer.Locator("html")).ToHaveAttributeAsync("lang", lang);
        await Expect(organizer.Locator("form.create-tour")).ToBeVisibleAsync();
        await AxeAsync(organizer, "start page");
        await ReadmeShotAsync(organizer, organizer.Locator("header.bar"), "start", width, lang);
        await organizer.Locator("form.create-tour button[type=submit]").ClickAsync();
        await Expect(organizer.Locator("input[name='name']")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(organizer.Locator("input[name='startDate']")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(organizer.Locator("input[name='endDate']")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(organizer.Locator("input[name='speakers[0].name']")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(organizer.Locator("input[name='name']")).ToBeFocusedAsync();
        await Expect(organizer.Locator(".field:has(input[name='name']) .field-error")).ToHaveTextAsync(L("Fill this in.", "Complete este dato."));
        await AxeAsync(organizer, "start page with errors");
        await ShotAsync(organizer, "1-start-errors", width, lang);

        await organizer.Locator("input[name='name']").FillAsync("Fight Like Calero — Fight to Win");
        await organizer.Locator("textarea[name='description']").FillAsync(L("A speaking tour.", "Una gira de charlas."));
        await organizer.Locator("input[name='startDate']").FillAsync("2026-10-22");
        await organizer.Locator("input[name='endDate']").FillAsync("2026-11-15");
        await organizer.Locator("input[name='timeZone']").FillAsync("America/New_York");
        await organizer.Locator("input[name='speakers[0].name']").FillAsync("Róger Calero");
        await PickCityAsync(organizer, organizer.Locator(".speaker-row").First, "speakers[0].homeCity", "newar", "Newark");
        Assert.NotEqual("", await organizer.Locator("input[name='speakers[0].homeLatitude']").InputValueAsync());
        Assert.Equal("America/New_York", await organizer.Locator("input[name='speakers[0].homeTimeZone']").InputValueAsync());
        await organizer.Locator("input[name='rules.blackoutDates.0']").FillAsync("2026-11-03");
        await organizer.Locator(".field:has(input[name='rules.blackoutDates.0']) button.secondary").ClickAsync();
        await Expect(organizer.Locator(".dates-chips li")).ToHaveCountAsync(1);
        await organizer.Locator("form.create-tour button[type=submit]").ClickAsync();
        var organizerUrl = organizer.Locator("#organizer-url");
        await Expect(organizerUrl).ToBeVisibleAsync();
        await Expect(organizer.Locator(".created .notice.warn")).ToContainTextAsync(L("shown only this once", "Se muestra solo esta vez"));
        await AxeAsync(organizer, "tour created");
        await ShotAsync(organizer, "2-created", width, lang);
        var organizerLink = await organizerUrl.InputValueAsync();
        Assert.Matches("/organize/t_[^#]+#token=.+$", organizerLink);

        // ---- The organizer page: a second speaker, two host groups.
        await organizer.GotoAsync(organizerLink);
        await Expect(organizer.GetByRole(AriaRole.Heading, new() { Name = "Fight Like Calero — Fight to Win", Level = 1 })).ToBeVisibleAsync();
        var addSpeaker = organizer.Locator("form.speaker-add");
        await addSpeaker.Locator("input[name='name']").FillAsync("Ana Ruiz");
        await PickCityAsync(organizer, addSpeaker, "homeCity", "chicag", "Chicago");
        await addSpeaker.Locator("button[type=submit]").ClickAsync();
        await Expect(organizer.Locator("#new-speaker-url")).ToBeVisibleAsync();
        await Expect(organizer.Locator(".card.speaker")).ToHaveCountAsync(2);

        async Task<string> InviteAsync(string name, string city)
        {
            var invite = organizer.Locator("form.invite");
            await invite.Locator("input[name='name']").FillAsync(name);
            await invite.Locator("input[name='city']").FillAsync(city);
            await invite.Locator("input[name='contactEmail']").FillAsync("contact@example.org");
            await invite.Locator("button[type=submit]").ClickAsync();
            await Expect(organizer.Locator(".card.host", new() { HasText = name })).ToBeVisibleAsync();
            return await organizer.Locator("#invite-url").InputValueAsync();
        }
        var linkA = await InviteAsync("Teamsters Local 705", "Chicago");
        var linkB = await InviteAsync("Comité de Defensa", "Milwaukee");
        Assert.NotEqual(linkA, linkB);
        await AxeAsync(organizer, "organizer page with groups");
        await ShotAsync(organizer, "3-organizer", width, lang);

        // ---- Both groups claim Wed 28 Oct from their links, starting from the month grid.
        var hostA = await fixture.NewPageAsync(width, 900, locale, mobile: width < 600);
        await hostA.GotoAsync(linkA);
        await Expect(hostA.GetByRole(AriaRole.Heading, new() { Name = "Teamsters Local 705", Level = 1 })).ToBeVisibleAsync();
        await AxeAsync(hostA, "host page, empty");
        await hostA.Locator("td.day[data-date='2026-10-28'] button").ClickAsync();
        await Expect(hostA.Locator("input[name='dates']")).ToHaveValueAsync("2026-10-28");
        await Expect(hostA.Locator("input[name='dates']")).ToBeFocusedAsync();
        await PickCityAsync(hostA, hostA.Locator("form.claim-form"), "city", "chicag", "Chicago");
        await Expect(hostA.Locator("input[name='country']")).ToHaveValueAsync("US");
        await hostA.Locator("input[name='venue.name']").FillAsync("Teamsters Hall");
        await hostA.Locator("input[name='events[0].title']").FillAsync(L("Public meeting", "Asamblea pública"));
        await Expect(hostA.Locator("input[name='events[0].start']")).ToHaveValueAsync("2026-10-28T19:00");
        await hostA.Locator("form.claim-form button[type=submit]").ClickAsync();
        await Expect(hostA.Locator(".claim .standing.rank-1")).ToHaveTextAsync(L("You are first in line", "Está primero en la fila"));
        await Expect(hostA.Locator("td.day-mine[data-date='2026-10-28']")).ToBeVisibleAsync();
        await AxeAsync(hostA, "host A after claiming");
        await ShotAsync(hostA, "4-host-a", width, lang);

        var hostB = await fixture.NewPageAsync(width, 900, locale, mobile: width < 600);
        await hostB.GotoAsync(linkB);
        await Expect(hostB.Locator("td.day-held[data-date='2026-10-28']")).ToBeVisibleAsync();
        await hostB.Locator("td.day[data-date='2026-10-28'] button").ClickAsync();
        await PickCityAsync(hostB, hostB.Locator("form.claim-form"), "city", "milwauk", "Milwaukee");
        await hostB.Locator("input[name='events[0].title']").FillAsync(L("Rally", "Mitin"));
        // Only the first speaker comes to Milwaukee.
        await hostB.Locator(".speakers-pick input[type=checkbox]").Nth(1).UncheckAsync();
        await hostB.Locator("form.claim-form button[type=submit]").ClickAsync();
        await Expect(hostB.Locator(".claim .standing.rank-2")).ToBeVisibleAsync();

        // ---- The organizer page shows both claims without a reload, and confirms group A.
        var cardA = organizer.Locator(".claim", new() { HasText = "Teamsters Local 705" });
        await Expect(organizer.Locator(".claim[data-status='held']")).ToHaveCountAsync(2);
        await cardA.Locator("button.primary").ClickAsync();
        await Expect(cardA.Locator(".badge.confirmed")).ToBeVisibleAsync();
        await AxeAsync(organizer, "organizer after confirming");
        await ReadmeShotAsync(organizer, organizer.Locator("#claims"), "organizer", width, lang);

        // ---- Group B sees the date as taken, and takes a suggested one instead.
        var taken = hostB.Locator(".claim .taken");
        await Expect(taken).ToBeVisibleAsync();
        await Expect(hostB.Locator(".claim .standing").First).ToHaveTextAsync(L("This date is taken", "Esta fecha ya está ocupada"));
        await Expect(hostB.Locator("td.day-confirmed[data-date='2026-10-28']")).ToBeVisibleAsync();
        await AxeAsync(hostB, "host B, date taken");
        await ReadmeShotAsync(hostB, hostB.Locator("h1"), "host", width, lang);
        await ShotAsync(hostB, "5-host-b-taken", width, lang);
        await taken.Locator(".suggestion-list button").First.ClickAsync();
        await Expect(hostB.Locator(".claim[data-status='held'] .standing.rank-1")).ToBeVisibleAsync();
        await Expect(hostB.Locator(".claim[data-status='released']")).ToHaveCountAsync(1);

        // ---- Revoke group B's links: its open page stops working; the one new link works.
        var cardB = organizer.Locator(".card.host", new() { HasText = "Comité de Defensa" });
        await cardB.Locator(".actions button.secondary").Nth(1).ClickAsync();
        await cardB.Locator(".actions button.danger").ClickAsync();
        var newLinkB = cardB.Locator("input.url");
        await Expect(newLinkB).ToBeVisibleAsync();
        await Expect(hostB.GetByRole(AriaRole.Alert)).ToContainTextAsync(L("This link is not valid", "Este enlace no es válido"));
        await hostB.GotoAsync("about:blank");
        await hostB.GotoAsync(linkB);
        await Expect(hostB.GetByRole(AriaRole.Alert)).ToContainTextAsync(L("This link is not valid", "Este enlace no es válido"));
        await hostB.GotoAsync(await newLinkB.InputValueAsync());
        await Expect(hostB.GetByRole(AriaRole.Heading, new() { Name = "Comité de Defensa", Level = 1 })).ToBeVisibleAsync();

        // ---- Run the planner and apply it: group B's new date is confirmed.
        await organizer.Locator("#plan .actions button.primary").ClickAsync();
        var proposal = organizer.Locator(".proposal");
        await Expect(proposal.Locator(".plan-changes li", new() { HasText = "Milwaukee" })).ToBeVisibleAsync();
        await Expect(proposal.Locator(".timeline li").First).ToBeVisibleAsync();
        await AxeAsync(organizer, "plan proposal");
        await ShotAsync(organizer, "6-plan", width, lang);
        await proposal.Locator(".actions button.primary").ClickAsync();
        await Expect(organizer.Locator("#plan .notice.ok")).ToBeVisibleAsync();
        await Expect(organizer.Locator(".claim[data-status='confirmed']", new() { HasText = "Comité de Defensa" })).ToBeVisibleAsync();

        // ---- Cancel group A's stop, then repair.
        await cardA.Locator(".actions button.secondary").First.ClickAsync();
        await cardA.Locator(".actions button.danger").ClickAsync();
        var cancelled = organizer.Locator(".claim[data-status='cancelled']", new() { HasText = "Teamsters Local 705" });
        await Expect(cancelled).ToBeVisibleAsync();
        await cancelled.Locator(".actions button.primary").ClickAsync();
        await Expect(organizer.Locator(".proposal .repair-note")).ToContainTextAsync("Chicago");
        await AxeAsync(organizer, "repair proposal");
        await ShotAsync(organizer, "7-repair", width, lang);
        await organizer.Locator(".proposal .actions button.secondary").ClickAsync();
        await Expect(organizer.Locator(".proposal")).ToHaveCountAsync(0);

        // The host sees its cancelled stop, with when.
        await hostA.ReloadAsync();
        await Expect(hostA.Locator(".claim[data-status='cancelled'] .notice.warn")).ToContainTextAsync(L("cancelled on", "cancelada el"));
        await AxeAsync(hostA, "host A, stop cancelled");
        await ShotAsync(hostA, "8-host-a-cancelled", width, lang);

        foreach (var p in new[] { organizer, hostA, hostB }) await p.Context.CloseAsync();
    }
}
