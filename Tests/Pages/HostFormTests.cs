using System.Net;
using Microsoft.Playwright;
using TourPlanner.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace TourPlanner.Tests.Pages;

/// <summary>The host's request form checks what it can before sending: every problem at once, each by its field.</summary>
[Collection(PagesCollection.Name)]
public sealed class HostFormTests(PagesFixture fixture)
{
    [Fact]
    public async Task AnEmptyRequest_MarksEveryMissingFieldAtOnce_FocusesTheFirst_AndSendsNothing()
    {
        var tour = await PagesTour.CreateAsync(fixture.Api);
        var page = await fixture.NewPageAsync(360, 800, "es-MX");
        await page.GotoAsync(tour.HostPage(tour.HostAId, tour.HostA));
        await page.Locator("form.claim-form button[type=submit]").ClickAsync();

        // The invite gave the city; the country, zone, coordinates, date and event are missing. No browser zone is guessed.
        foreach (var name in new[] { "country", "timeZone", "latitude", "longitude", "dates", "events[0].title" })
            await Expect(page.Locator($"form.claim-form [name='{name}']")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("form.claim-form [name='city']")).Not.ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("form.claim-form [name='country']")).ToBeFocusedAsync();
        await Expect(page.Locator(".field:has([name='latitude']) .field-error")).ToHaveTextAsync("Elija su ciudad de la lista o escriba sus coordenadas.");
        var claims = await ApiScenario.Ok(await fixture.Api.SendAsync(HttpMethod.Get, $"/api/tours/{tour.TourId}/claims", tour.Organizer), HttpStatusCode.OK);
        Assert.Equal(0, claims.GetProperty("claims").GetArrayLength());
    }

    [Fact]
    public async Task ADateThatHasPassedInTheStopsZone_IsRefusedByThePage()
    {
        // The fake clock reads 2026-10-01 12:00 UTC: 30 September has passed in Chicago.
        var created = await ApiScenario.Ok(await fixture.Api.SendAsync(HttpMethod.Post, "/api/tours", body: ApiScenario.TourBody(start: "2026-09-25", end: "2026-10-20")), HttpStatusCode.Created);
        var id = created.Str("id");
        var host = await ApiScenario.Ok(await fixture.Api.SendAsync(HttpMethod.Post, $"/api/tours/{id}/hosts", created.Str("organizerToken"), new { name = "Teamsters Local 705", city = "Chicago" }), HttpStatusCode.Created);
        var page = await fixture.NewPageAsync(1280, 900);
        await page.GotoAsync($"/host/{id}/{host.Str("hostId")}#token={host.Str("inviteToken")}");
        // Past days in the grid cannot be tapped.
        await Expect(page.Locator("td.day-past[data-date='2026-09-30'] button")).ToHaveCountAsync(0);
        var form = page.Locator("form.claim-form");
        await form.Locator("[name='city']").FillAsync("");
        await form.Locator("[name='city']").PressSequentiallyAsync("chicag");
        await form.Locator(".city-option", new() { HasText = "Chicago" }).First.ClickAsync();
        await form.Locator("[name='dates']").FillAsync("2026-09-30");
        await form.Locator("[name='events[0].title']").FillAsync("Rally");
        await form.Locator("[name='events[0].start']").FillAsync("2026-09-30T19:00");
        await form.Locator("button[type=submit]").ClickAsync();
        await Expect(page.Locator(".field:has([name='dates']) .field-error")).ToContainTextAsync("has already passed there");
        await Expect(form.Locator("[name='dates']")).ToBeFocusedAsync();
    }
}
