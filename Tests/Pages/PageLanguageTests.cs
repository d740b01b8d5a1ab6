using System.Collections.Concurrent;
using System.Net;
using Microsoft.Playwright;
using TourPlanner.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace TourPlanner.Tests.Pages;

/// <summary>
/// A page asks the API in its own language, whatever the browser's: a volunteer who chose Spanish on an English phone
/// reads the server's refusals in Spanish, next to the field they are about.
/// </summary>
[Collection(PagesCollection.Name)]
public sealed class PageLanguageTests(PagesFixture fixture)
{
    [Fact]
    public async Task ASpanishPage_OnAnEnglishBrowser_ShowsTheServersRefusalInSpanish_AndAsksEveryCallInSpanish()
    {
        var tour = await PagesTour.CreateAsync(fixture.Api);
        // The browser says English (its Accept-Language would be en-US); the page was switched to Spanish before.
        var page = await fixture.NewPageAsync(360, 800, "en-US");
        await page.Context.AddInitScriptAsync("try { localStorage.setItem('tourplanner.lang', 'es'); } catch {}");
        var calls = new ConcurrentQueue<Microsoft.Playwright.IRequest>();
        page.Request += (_, request) => { if (new Uri(request.Url).AbsolutePath.StartsWith("/api/", StringComparison.Ordinal)) calls.Enqueue(request); };
        var stream = page.WaitForRequestAsync(r => r.Url.EndsWith("/changes", StringComparison.Ordinal));

        await page.GotoAsync(tour.HostPage(tour.HostAId, tour.HostA));
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "es");
        await stream; // the live stream of changes is asked for too

        // Chicago's coordinates with Madrid's zone: the page cannot tell (the zone exists), the server can.
        var form = page.Locator("form.claim-form");
        await form.Locator("[name='country']").FillAsync("US");
        await form.Locator("[name='latitude']").FillAsync("41.8781");
        await form.Locator("[name='longitude']").FillAsync("-87.6298");
        await form.Locator("[name='timeZone']").FillAsync("Europe/Madrid");
        await form.Locator("[name='dates']").FillAsync("2026-10-28");
        await form.Locator("[name='events[0].title']").FillAsync("Mitin público");
        await form.Locator("[name='events[0].start']").FillAsync("2026-10-28T19:00");
        var sent = page.WaitForResponseAsync(r => r.Url.EndsWith("/claims", StringComparison.Ordinal) && r.Request.Method == "POST");
        await form.Locator("button[type=submit]").ClickAsync();
        Assert.Equal(400, (await sent).Status);

        var error = page.Locator(".field:has([name='timeZone']) .field-error");
        await Expect(error).ToContainTextAsync("Europe/Madrid no es verosímil para 41.878, -87.63");
        await Expect(error).ToContainTextAsync("¿quiso decir America/Chicago?");
        await Expect(error).Not.ToContainTextAsync("not plausible");
        await Expect(form.Locator("[name='timeZone']")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(form.Locator("[name='timeZone']")).ToBeFocusedAsync();

        // Every call the page made (the tour, the grid, the change stream, the refused claim) asked in the page's language.
        Assert.Contains(calls, r => r.Url.EndsWith("/changes", StringComparison.Ordinal));
        Assert.Contains(calls, r => r.Method == "POST");
        foreach (var call in calls)
            Assert.Equal("es", await call.HeaderValueAsync("accept-language"));

        var claims = await ApiScenario.Ok(await fixture.Api.SendAsync(HttpMethod.Get, $"/api/tours/{tour.TourId}/claims", tour.Organizer), HttpStatusCode.OK);
        Assert.Equal(0, claims.GetProperty("claims").GetArrayLength());
    }
}
