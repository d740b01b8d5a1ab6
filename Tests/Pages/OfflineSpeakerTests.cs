using System.Net;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using NodaTime;
using NodaTime.Text;
using TourPlanner.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace TourPlanner.Tests.Pages;

/// <summary>
/// The speaker's pages with no network: a speaker loads their page, the Gateway process is stopped, and the page
/// reloads from what the phone kept (service worker and local copy), marked with when it last synced; it refreshes
/// when the Gateway is back; "forget this device" leaves nothing behind. Debian's Chromium, the Gateway as its own
/// process on the real clock (the tour is set a few weeks from today; the browser's clock is set to a tour day).
/// </summary>
public sealed class OfflineSpeakerTests : IAsyncLifetime
{
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private readonly GatewayProcess _gateway = new();

    public async Task InitializeAsync()
    {
        await _gateway.StartAsync();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = PagesFixture.ChromiumPath, Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.CloseAsync();
        _playwright?.Dispose();
        await _gateway.DisposeAsync();
    }

    private sealed record Tour(string Id, string SpeakerId, string Speaker, string HostA, string ChicagoStop, LocalDate ChicagoDay, LocalDate StPaulDay);

    private static string Iso(LocalDate d) => LocalDatePattern.Iso.Format(d);

    private async Task<Tour> TourAsync(HttpClient api)
    {
        var start = LocalDate.FromDateTime(DateTime.UtcNow).PlusDays(14);
        var (chicago, stPaul) = (start.PlusDays(5), start.PlusDays(7));
        var created = await ApiScenario.Ok(await api.SendAsync(HttpMethod.Post, "/api/tours", body: new
        {
            name = "Fight Like Calero — Fight to Win", timeZone = "America/New_York", startDate = Iso(start), endDate = Iso(start.PlusDays(20)),
            speakers = new[] { new { name = "Róger Calero", homeCity = "Newark", homeTimeZone = "America/New_York", homeLatitude = 40.7357, homeLongitude = -74.1724 } },
        }), HttpStatusCode.Created);
        var (id, organizer) = (created.Str("id"), created.Str("organizerToken"));
        async Task<string> Invite(string name) => (await ApiScenario.Ok(await api.SendAsync(HttpMethod.Post, $"/api/tours/{id}/hosts", organizer,
            new { name, contactName = "Rosa", contactPhone = "+1 312 555 0100" }), HttpStatusCode.Created)).Str("inviteToken");
        var (hostA, hostB) = (await Invite("Teamsters Local 705"), await Invite("Comité de Defensa"));
        async Task<string> Confirmed(string host, object claim)
        {
            var made = await ApiScenario.Ok(await api.SendAsync(HttpMethod.Post, $"/api/tours/{id}/claims", host, claim), HttpStatusCode.Created);
            await ApiScenario.Ok(await api.SendAsync(HttpMethod.Post, $"/api/tours/{id}/claims/{made.Str("claimId")}/confirm", organizer), HttpStatusCode.OK);
            return made.Str("stopId");
        }
        var chicagoStop = await Confirmed(hostA, ApiScenario.ClaimBody(Iso(chicago)));
        await Confirmed(hostB, ApiScenario.ClaimBody(Iso(stPaul), "St. Paul", "America/Chicago", 44.9537, -93.09, title: "Public meeting in St. Paul"));
        await ApiScenario.Ok(await api.SendAsync(HttpMethod.Patch, $"/api/tours/{id}/stops/{chicagoStop}/logistics", hostA,
            new { lodging = "Casa de Rosa, 1842 W Cermak Rd" }), HttpStatusCode.OK);
        var speaker = created.GetProperty("speakers")[0];
        return new Tour(id, speaker.Str("id"), speaker.Str("token"), hostA, chicagoStop, chicago, stPaul);
    }

    private async Task<IPage> PhoneOnAsync(LocalDate day)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true, Locale = "en-US",
            TimezoneId = "America/Chicago", BaseURL = _gateway.BaseAddress.ToString(), ServiceWorkers = ServiceWorkerPolicy.Allow,
        });
        context.SetDefaultTimeout(20_000);
        var page = await context.NewPageAsync();
        // Three in the afternoon in Chicago on that day: its day sheet is today's.
        await page.Clock.SetFixedTimeAsync(day.At(new LocalTime(20, 0)).InUtc().ToDateTimeUtc());
        return page;
    }

    [Fact]
    public async Task SpeakerPage_WithTheGatewayStopped_ReloadsWithTheItineraryAndTodaysDaySheet_ThenRefreshesWhenItIsBack()
    {
        using var api = new HttpClient { BaseAddress = _gateway.BaseAddress };
        var tour = await TourAsync(api);
        var page = await PhoneOnAsync(tour.ChicagoDay);
        var path = $"/speak/{tour.Id}/{tour.SpeakerId}";
        await page.GotoAsync($"{path}#token={tour.Speaker}");
        await Expect(page.Locator(".itinerary .travel")).ToHaveCountAsync(3);
        // The service worker holds the page and its day sheets, and the phone holds the data.
        await Expect(page.Locator("[data-offline='ready']")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        var manifest = await page.Locator("link[rel=manifest]").GetAttributeAsync("href");
        Assert.Equal($"{path}/manifest.webmanifest", manifest);

        await _gateway.StopAsync();
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => api.GetAsync("/healthz"));

        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Róger Calero", Level = 1 })).ToBeVisibleAsync();
        var offline = page.Locator("[data-offline='offline']");
        await Expect(offline).ToContainTextAsync("No connection: showing the copy kept on this phone.");
        await Expect(offline).ToContainTextAsync("Last synced");
        await Expect(page.Locator(".itinerary .travel")).ToHaveCountAsync(3);
        await Expect(page.Locator(".itinerary .travel[data-leg='outbound']")).ToContainTextAsync("From home: Newark → Chicago");
        var today = page.Locator(".today .sheet");
        await Expect(today).ToHaveAttributeAsync("data-date", Iso(tour.ChicagoDay));
        await Expect(today).ToContainTextAsync("Casa de Rosa, 1842 W Cermak Rd");
        await Expect(today).ToContainTextAsync("Teamsters Hall");
        Assert.True(await page.EvaluateAsync<bool>("() => !!navigator.serviceWorker.controller"));
        var axe = (await page.RunAxe()).Violations.Where(v => v.Impact is "serious" or "critical").Select(v => v.Id).ToList();
        Assert.Empty(axe);
        await page.ScreenshotAsync(new() { Path = "/tmp/pages-speak-offline.png", FullPage = true });

        // The day sheets open offline too, as the installed app opens them: without the link in the address.
        await page.GotoAsync($"{path}/days/{Iso(tour.StPaulDay)}");
        await Expect(page.Locator("article.sheet")).ToHaveCountAsync(1);
        await Expect(page.Locator("article.sheet")).ToContainTextAsync("St. Paul");
        await Expect(page.Locator("[data-offline='offline']")).ToContainTextAsync("Last synced");

        // Back on the network: the Gateway restarts on the same data, the host changes the lodging meanwhile, and
        // the page refreshes by itself when the browser says it is online again.
        await _gateway.StartAsync();
        await ApiScenario.Ok(await api.SendAsync(HttpMethod.Patch, $"/api/tours/{tour.Id}/stops/{tour.ChicagoStop}/logistics", tour.HostA,
            new { lodging = "Hotel Ambassador, room 12" }), HttpStatusCode.OK);
        await page.GotoAsync(path);
        // A Gateway just restarted activates the tour's grains from the store on the first requests: give it time.
        await Expect(page.Locator("[data-offline='offline']")).ToHaveCountAsync(0, new() { Timeout = 30_000 });
        await Expect(page.Locator(".today .sheet")).ToContainTextAsync("Hotel Ambassador, room 12");
        await _gateway.StopAsync();
        await page.ReloadAsync();
        await Expect(page.Locator("[data-offline='offline']")).ToBeVisibleAsync();
        await _gateway.StartAsync();
        await page.EvaluateAsync("() => window.dispatchEvent(new Event('online'))");
        await Expect(page.Locator("[data-offline='offline']")).ToHaveCountAsync(0, new() { Timeout = 30_000 });
        await Expect(page.Locator(".sync")).ToContainTextAsync("Last synced");
    }

    [Fact]
    public async Task ForgetThisDevice_RemovesTheCopiesTheLinkAndTheServiceWorker()
    {
        using var api = new HttpClient { BaseAddress = _gateway.BaseAddress };
        var tour = await TourAsync(api);
        var page = await PhoneOnAsync(tour.ChicagoDay);
        var path = $"/speak/{tour.Id}/{tour.SpeakerId}";
        await page.GotoAsync($"{path}#token={tour.Speaker}");
        await Expect(page.Locator("[data-offline='ready']")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        Assert.True(await page.EvaluateAsync<int>("() => Object.keys(localStorage).filter(k => k.startsWith('tourplanner.offline.')).length") > 0);

        await page.GetByRole(AriaRole.Button, new() { Name = "Forget this device" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Yes, remove the tour from this phone" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "This phone no longer keeps the tour" })).ToBeVisibleAsync();

        Assert.Equal(0, await page.EvaluateAsync<int>("() => Object.keys(localStorage).filter(k => k.startsWith('tourplanner.offline.')).length"));
        var left = await page.EvaluateAsync<string>("async () => { const out = []; for (const k of await caches.keys()) { out.push(k); for (const r of await (await caches.open(k)).keys()) out.push(r.url); } return out.join(' '); }");
        Assert.True(left == "", left);
        Assert.Equal(0, await page.EvaluateAsync<int>("async () => (await navigator.serviceWorker.getRegistrations()).length"));
        Assert.DoesNotContain("#token=", page.Url);

        // Without the link in the address, the page has nothing to open the tour with.
        await page.GotoAsync(path);
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("This link is not valid");
    }
}
