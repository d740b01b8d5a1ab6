using System.Net;
using System.Text.RegularExpressions;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using TourPlanner.Tests.Calendar;
using TourPlanner.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace TourPlanner.Tests.Pages;

/// <summary>
/// The speaker's page (legs from home and back, today's day sheet, their calendar link), the day sheets of the
/// organizer and the speaker (one day alone, printed to PDF on A4 and Letter), and a host group's lodging and notes,
/// in headless Chromium with axe-core. Screenshots land in /tmp/pages-speak-*.png and /tmp/pages-days-*.png.
/// </summary>
[Collection(PagesCollection.Name)]
public sealed partial class SpeakerPagesTests(PagesFixture fixture)
{
    /// <summary>Lodging with a long unbroken word (a link), which must wrap on paper instead of running off the page.</summary>
    private const string Lodging = "Casa de Rosa, 1842 W Cermak Rd, Chicago. Keys with the neighbour. Map: https://maps.example.org/?q=1842-West-Cermak-Road-Chicago-Illinois-60608-United-States-of-America";

    /// <summary>
    /// Chicago for two days (a public meeting on the 28th, a private one with the union local on the 29th), then St. Paul
    /// on the 30th; host A wrote the Chicago lodging. The speaker lives in Newark.
    /// </summary>
    private async Task<(PagesTour Tour, string ChicagoStop, string StPaulStop)> TourAsync()
    {
        var tour = await PagesTour.CreateAsync(fixture.Api);
        var chicago = await ApiScenario.Ok(await fixture.Api.SendAsync(HttpMethod.Post, $"/api/tours/{tour.TourId}/claims", tour.HostA, new
        {
            city = "Chicago", country = "US", timeZone = "America/Chicago", latitude = 41.8781, longitude = -87.6298, dates = new[] { "2026-10-28", "2026-10-29" },
            venue = new { name = "Teamsters Hall", address = "300 S Ashland Ave, Chicago, IL" },
            events = new object[]
            {
                new { title = "Public meeting: Defend immigrant workers", start = "2026-10-28T19:00", durationMinutes = 120, @public = true },
                new { title = "Meeting with Local 705 stewards", start = "2026-10-29T12:00", durationMinutes = 90, @public = false },
            },
        }), HttpStatusCode.Created);
        await tour.ConfirmAsync(chicago.Str("claimId"));
        var stPaul = await ApiScenario.Ok(await fixture.Api.SendAsync(HttpMethod.Post, $"/api/tours/{tour.TourId}/claims", tour.HostB,
            ApiScenario.ClaimBody("2026-10-30", "St. Paul", "America/Chicago", 44.9537, -93.09, title: "Public meeting in St. Paul")), HttpStatusCode.Created);
        await tour.ConfirmAsync(stPaul.Str("claimId"));
        await ApiScenario.Ok(await fixture.Api.SendAsync(HttpMethod.Patch, $"/api/tours/{tour.TourId}/stops/{chicago.Str("stopId")}/logistics", tour.HostA,
            new { lodging = Lodging, entrance = "Side door on Ashland; ask for Rosa.", interpreter = "María López (Spanish ↔ English)" }), HttpStatusCode.OK);
        return (tour, chicago.Str("stopId"), stPaul.Str("stopId"));
    }

    private static string SpeakerPage(PagesTour t) => $"/speak/{t.TourId}/{t.SpeakerId}#token={t.Speaker}";

    private static async Task AssertNoSeriousAxeViolationsAsync(IPage page, string what)
    {
        var results = await page.RunAxe();
        var serious = results.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, $"{what}: " + string.Join("\n", serious.Select(v =>
            $"{v.Impact} {v.Id}: {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}")));
    }

    [Fact]
    public async Task SpeakerPage_ShowsEveryLegWithDepartureAndArrival_FromHomeAndBack_InEnglishAndSpanish()
    {
        var (tour, _, _) = await TourAsync();
        var page = await fixture.NewPageAsync(360, 800);
        await page.GotoAsync(SpeakerPage(tour));

        var outbound = page.Locator(".itinerary .travel[data-leg='outbound']");
        await Expect(outbound).ToContainTextAsync("From home: Newark → Chicago");
        await Expect(outbound).ToContainTextAsync(new Regex(@"Leaves Wed 28 Oct \d\d:\d\d EDT"));
        // Arrives the 90 min buffer before the 19:00 meeting.
        await Expect(outbound).ToContainTextAsync("Arrives Wed 28 Oct 17:30 CDT");
        await Expect(outbound).ToContainTextAsync("By air");
        var between = page.Locator(".itinerary .travel[data-leg='between']");
        // The private meeting ends 13:30 on the 29th; the leg leaves after the 90 min buffer.
        await Expect(between).ToContainTextAsync("Travel Chicago → St. Paul");
        await Expect(between).ToContainTextAsync("Leaves Thu 29 Oct 15:00 CDT");
        await Expect(between).ToContainTextAsync(new Regex(@"Arrives Thu 29 Oct \d\d:\d\d CDT"));
        await Expect(between).ToContainTextAsync("By air · "); // 558 km: flying beats the drive
        await Expect(between).ToContainTextAsync("estimated time");
        await Expect(page.Locator(".itinerary .travel[data-leg='return']")).ToContainTextAsync("Way home: St. Paul → Newark");
        await Expect(page.Locator(".itinerary .appointment").First).ToContainTextAsync("Wed 28 Oct 19:00–21:00 CDT");
        await AssertNoSeriousAxeViolationsAsync(page, "speaker page, en, 360 px");
        await page.ScreenshotAsync(new() { Path = "/tmp/pages-speak-en.png", FullPage = true });

        await page.GetByRole(AriaRole.Button, new() { Name = "ES", Exact = true }).ClickAsync();
        await Expect(outbound).ToContainTextAsync("Desde casa: Newark → Chicago");
        await Expect(between).ToContainTextAsync("Sale jue 29 oct 15:00 CDT");
        await Expect(between).ToContainTextAsync("En avión");
        await Expect(between).ToContainTextAsync("tiempo estimado");
        await Expect(page.Locator(".itinerary .travel[data-leg='return']")).ToContainTextAsync("Regreso a casa: St. Paul → Newark");
        var spanish = await page.Locator("main").InnerTextAsync();
        foreach (var english in new[] { "Travel", "estimate", "Leaves", "Arrives", "From home", "Way home", "By road", "By air", "source" })
            Assert.DoesNotContain(english, spanish);
        await AssertNoSeriousAxeViolationsAsync(page, "speaker page, es, 360 px");
        await page.ScreenshotAsync(new() { Path = "/tmp/pages-speak-es.png", FullPage = true });
    }

    [Fact]
    public async Task SpeakerPage_OnAStopDay_ShowsTodaysDaySheet_WithVenueHostLodgingTravelAndNextCity()
    {
        var (tour, _, _) = await TourAsync();
        var page = await fixture.NewPageAsync(390, 844);
        await page.Clock.SetFixedTimeAsync(new DateTime(2026, 10, 29, 14, 0, 0, DateTimeKind.Utc)); // 09:00 in Chicago
        await page.GotoAsync(SpeakerPage(tour));

        var today = page.Locator(".today .sheet");
        await Expect(today).ToHaveCountAsync(1);
        await Expect(today).ToHaveAttributeAsync("data-date", "2026-10-29");
        foreach (var text in new[]
                 {
                     "Thu 29 Oct 2026 — Chicago", "Day sheet · day 2 of 2", "Teamsters Hall", "300 S Ashland Ave, Chicago, IL",
                     "12:00–13:30 CDT", "Meeting with Local 705 stewards", "Teamsters Local 705", "+1 312 555 0100", "ana@example.org",
                     "Casa de Rosa", "Side door on Ashland", "María López", "Leaving:", "Travel Chicago → St. Paul", "St. Paul, Fri 30 Oct",
                 })
            await Expect(today).ToContainTextAsync(text);
        await AssertNoSeriousAxeViolationsAsync(page, "speaker page with today's sheet");
    }

    [Fact]
    public async Task SpeakerPage_GivesTheSpeakerTheirOwnPrivateCalendarLink_ForEveryApp()
    {
        var (tour, _, _) = await TourAsync();
        var page = await fixture.NewPhonePageAsync();
        await page.GotoAsync(SpeakerPage(tour));
        await page.GetByRole(AriaRole.Button, new() { Name = "Get my calendar link" }).ClickAsync();

        var links = page.Locator(".feed-links");
        Assert.StartsWith("webcal://", await links.GetByRole(AriaRole.Link, new() { Name = "Subscribe on this phone" }).GetAttributeAsync("href"));
        Assert.StartsWith("https://calendar.google.com/calendar/r?cid=webcal", await links.GetByRole(AriaRole.Link, new() { Name = "Add to Google Calendar" }).GetAttributeAsync("href"));
        Assert.StartsWith("https://outlook.live.com/calendar/0/addfromweb?url=", await links.GetByRole(AriaRole.Link, new() { Name = "Add to Outlook" }).GetAttributeAsync("href"));
        var ics = new Uri((await links.GetByRole(AriaRole.Link, new() { Name = "Download (.ics)" }).GetAttributeAsync("href"))!);
        Assert.Equal(ics.ToString(), await page.GetByLabel("Calendar link").InputValueAsync());
        await AssertNoSeriousAxeViolationsAsync(page, "speaker page with the feed link");

        var feed = await fixture.Api.GetAsync(ics.PathAndQuery);
        Assert.Equal("text/calendar", feed.Content.Headers.ContentType?.MediaType);
        var text = (await feed.Content.ReadAsStringAsync()).Replace("\r\n ", "");
        Assert.Contains("Meeting with Local 705 stewards", text);
        Assert.Contains("Lodging: Casa de Rosa", text);
        Assert.Contains("Travel Newark → Chicago", text);
    }

    [Fact]
    public async Task OrganizerDaySheets_ShowEveryDay_AndOneDayAloneByFragmentOrPath()
    {
        var (tour, chicago, _) = await TourAsync();
        var page = await fixture.NewPageAsync(1280, 900);
        await page.GotoAsync($"/organize/{tour.TourId}/days#token={tour.Organizer}");

        var sheets = page.Locator("article.sheet");
        await Expect(sheets).ToHaveCountAsync(3);
        Assert.Equal(["2026-10-28", "2026-10-29", "2026-10-30"], await sheets.EvaluateAllAsync<string[]>("s => s.map(x => x.dataset.date)"));
        await Expect(sheets.Nth(2)).ToContainTextAsync("Comité de Defensa");
        await Expect(sheets.Nth(0).GetByRole(AriaRole.Link, new() { Name = "Edit lodging and notes for Chicago" }))
            .ToHaveAttributeAsync("href", $"/logistics/{tour.TourId}/{chicago}#token={tour.Organizer}");
        await AssertNoSeriousAxeViolationsAsync(page, "organizer day sheets");

        await page.GetByRole(AriaRole.Link, new() { Name = "Thu 29 Oct · Chicago" }).ClickAsync();
        await Expect(sheets).ToHaveCountAsync(1);
        await Expect(sheets).ToHaveAttributeAsync("data-date", "2026-10-29");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Day sheet: Thu 29 Oct 2026");

        var alone = await fixture.NewPageAsync(390, 844);
        await alone.GotoAsync($"/organize/{tour.TourId}/days/2026-10-30#token={tour.Organizer}");
        await Expect(alone.Locator("article.sheet")).ToHaveCountAsync(1);
        await Expect(alone.Locator("article.sheet")).ToContainTextAsync("St. Paul");
        await AssertNoSeriousAxeViolationsAsync(alone, "organizer day sheet alone");
    }

    [Fact]
    public async Task SpeakerDaySheets_AreTheirOwn_InSpanishWithoutEnglish()
    {
        var (tour, _, _) = await TourAsync();
        var page = await fixture.NewPageAsync(390, 844, "es-MX");
        await page.GotoAsync($"/speak/{tour.TourId}/{tour.SpeakerId}/days/2026-10-28#token={tour.Speaker}");

        var sheet = page.Locator("article.sheet");
        await Expect(sheet).ToHaveCountAsync(1);
        foreach (var text in new[] { "mié 28 oct 2026 — Chicago", "Hoja del día · día 1 de 2", "Llegada:", "Desde casa: Newark → Chicago", "Alojamiento", "Casa de Rosa", "Interpretación", "St. Paul, vie 30 oct" })
            await Expect(sheet).ToContainTextAsync(text);
        var main = await page.Locator("main").InnerTextAsync();
        foreach (var english in new[] { "Travel", "estimate", "Leaves", "Arrives", "Lodging", "Venue", "Next" })
            Assert.DoesNotContain(english, main);
        await AssertNoSeriousAxeViolationsAsync(page, "speaker day sheet, es");
        await page.ScreenshotAsync(new() { Path = "/tmp/pages-days-speaker-es.png", FullPage = true });

        await page.GetByRole(AriaRole.Link, new() { Name = "Todas las hojas del día (3)" }).ClickAsync();
        await Expect(sheet).ToHaveCountAsync(3);
    }

    [Theory]
    [InlineData("A4")]
    [InlineData("Letter")]
    public async Task DaySheets_PrintOneSheetPerPage_OnA4AndLetter_WithNothingCutOffAndNoButtonsOrNavigation(string format)
    {
        var (tour, _, _) = await TourAsync();
        var page = await fixture.NewPageAsync(1280, 900, mobile: false);
        await page.GotoAsync($"/speak/{tour.TourId}/{tour.SpeakerId}/days#token={tour.Speaker}");
        await Expect(page.Locator("article.sheet")).ToHaveCountAsync(3);

        var pdf = Path.Combine(Path.GetTempPath(), $"tourplanner-days-{format}-{Guid.NewGuid():N}.pdf");
        try
        {
            await page.PdfAsync(new() { Path = pdf, Format = format });
            var info = (await ExternalTool.RunAsync("pdfinfo", [pdf])).EnsureSuccess("pdfinfo").StdOut;
            Assert.Equal("3", Regex.Match(info, @"Pages:\s+(\d+)").Groups[1].Value);
            Assert.Matches(format == "A4" ? @"Page size:.*\(A4\)" : @"Page size:\s+612 x 792 pts \(letter\)", info);

            var pages = new List<string>();
            for (var n = 1; n <= 3; n++)
                pages.Add((await ExternalTool.RunAsync("pdftotext", ["-f", $"{n}", "-l", $"{n}", "-layout", pdf, "-"])).EnsureSuccess("pdftotext").StdOut);
            Assert.Contains("Wed 28 Oct 2026 — Chicago", pages[0]);
            Assert.Contains("Thu 29 Oct 2026 — Chicago", pages[1]);
            Assert.Contains("Fri 30 Oct 2026 — St. Paul", pages[2]);
            Assert.Contains("From home: Newark → Chicago", pages[0]);
            Assert.Contains("Way home: St. Paul → Newark", pages[2]);
            // The long link wraps but is all there, on the page of each Chicago day.
            foreach (var chicagoDay in pages.Take(2))
                Assert.Contains(Squeeze(Lodging), Squeeze(chicagoDay));
            foreach (var text in pages)
                foreach (var chrome in new[] { "Print", "Back to the itinerary", "TourPlanner", "All day sheets" })
                    Assert.DoesNotContain(chrome, text);

            // Every word lies inside its page: nothing runs off the right edge or the bottom.
            var boxes = (await ExternalTool.RunAsync("pdftotext", ["-bbox", pdf, "-"])).EnsureSuccess("pdftotext -bbox").StdOut;
            foreach (Match p in PageBoxes().Matches(boxes))
            {
                var (width, height) = (double.Parse(p.Groups["w"].Value, System.Globalization.CultureInfo.InvariantCulture),
                    double.Parse(p.Groups["h"].Value, System.Globalization.CultureInfo.InvariantCulture));
                foreach (Match w in WordBoxes().Matches(p.Groups["words"].Value))
                {
                    var (xMax, yMax) = (double.Parse(w.Groups["x"].Value, System.Globalization.CultureInfo.InvariantCulture),
                        double.Parse(w.Groups["y"].Value, System.Globalization.CultureInfo.InvariantCulture));
                    Assert.True(xMax <= width && yMax <= height, $"'{w.Groups["t"].Value}' ends at ({xMax}, {yMax}) on a {width}×{height} page");
                }
            }
            if (format == "A4")
                (await ExternalTool.RunAsync("pdftoppm", ["-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", pdf, "/tmp/pages-days-print-a4"])).EnsureSuccess("pdftoppm");
        }
        finally
        {
            File.Delete(pdf);
        }
    }

    private static string Squeeze(string text) => Regex.Replace(text, @"\s+", "");

    [GeneratedRegex("""<page width="(?<w>[\d.]+)" height="(?<h>[\d.]+)">(?<words>.*?)</page>""", RegexOptions.Singleline)]
    private static partial Regex PageBoxes();

    [GeneratedRegex("""<word xMin="[\d.]+" yMin="[\d.]+" xMax="(?<x>[\d.]+)" yMax="(?<y>[\d.]+)">(?<t>[^<]*)</word>""")]
    private static partial Regex WordBoxes();

    [Fact]
    public async Task Host_WritesLodgingAndNotesForTheirStop_TheSpeakerSeesThem_AndAnotherHostGroupCannotOpenThem()
    {
        var tour = await PagesTour.CreateAsync(fixture.Api);
        var claim = await ApiScenario.Ok(await fixture.Api.SendAsync(HttpMethod.Post, $"/api/tours/{tour.TourId}/claims", tour.HostA, ApiScenario.ClaimBody("2026-10-28")), HttpStatusCode.Created);
        await tour.ConfirmAsync(claim.Str("claimId"));

        var host = await fixture.NewPhonePageAsync();
        await host.GotoAsync(tour.HostPage(tour.HostAId, tour.HostA));
        await host.GetByRole(AriaRole.Link, new() { Name = "Lodging and notes for the speaker" }).ClickAsync();
        await Expect(host.GetByRole(AriaRole.Heading, new() { Name = "Lodging and notes for Chicago" })).ToBeVisibleAsync();
        await host.GetByLabel("Lodging").FillAsync("Hotel Ambassador, room 12. Check-in after 17:00.");
        await host.GetByLabel("Interpreter").FillAsync("Luis (Spanish ↔ English)");
        await host.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(host.GetByRole(AriaRole.Status)).ToHaveTextAsync("Saved.");
        await AssertNoSeriousAxeViolationsAsync(host, "logistics page");
        await host.ScreenshotAsync(new() { Path = "/tmp/pages-logistics.png", FullPage = true });

        var speaker = await fixture.NewPhonePageAsync();
        await speaker.GotoAsync($"/speak/{tour.TourId}/{tour.SpeakerId}/days#token={tour.Speaker}");
        await Expect(speaker.Locator("article.sheet")).ToContainTextAsync("Hotel Ambassador, room 12");
        await Expect(speaker.Locator("article.sheet")).ToContainTextAsync("Luis (Spanish ↔ English)");

        var other = await fixture.NewPhonePageAsync();
        await other.GotoAsync($"/logistics/{tour.TourId}/{claim.Str("stopId")}#token={tour.HostB}");
        await Expect(other.GetByRole(AriaRole.Alert)).ToContainTextAsync("This link is not valid");
        Assert.DoesNotContain("Hotel Ambassador", await other.ContentAsync());
    }
}

/// <summary>What the speaker's page keeps on a device, and when it keeps nothing.</summary>
[Collection(PagesCollection.Name)]
public sealed class SpeakerDeviceTests(PagesFixture fixture)
{
    private const string KeptKeys = "() => Object.keys(localStorage).filter(k => k.startsWith('tourplanner.offline.')).length";

    private async Task<PagesTour> TourAsync()
    {
        var tour = await PagesTour.CreateAsync(fixture.Api);
        await tour.ConfirmAsync(await tour.ClaimAsync(tour.HostA, ApiScenario.ClaimBody("2026-10-28")));
        return tour;
    }

    [Fact]
    public async Task SpeakerPage_IsAnInstallableApp_ItsManifestLoadsUnderThePagesContentSecurityPolicy()
    {
        var tour = await TourAsync();
        var page = await fixture.NewPhonePageAsync("es-MX");
        await page.GotoAsync($"/speak/{tour.TourId}/{tour.SpeakerId}#token={tour.Speaker}");
        await Expect(page.Locator(".itinerary")).ToBeVisibleAsync();

        var cdp = await page.Context.NewCDPSessionAsync(page);
        var manifest = (await cdp.SendAsync("Page.getAppManifest"))!.Value;
        Assert.Equal(0, manifest.GetProperty("errors").GetArrayLength());
        var data = System.Text.Json.JsonDocument.Parse(manifest.GetProperty("data").GetString()!).RootElement;
        Assert.Equal(($"/speak/{tour.TourId}/{tour.SpeakerId}", "/speak/", "standalone", "Itinerario de TourPlanner"),
            (data.Str("start_url"), data.Str("scope"), data.Str("display"), data.Str("name")));
        Assert.Contains(data.GetProperty("icons").EnumerateArray(), i => i.Str("sizes") == "512x512");
        Assert.Equal(HttpStatusCode.OK, (await fixture.Api.GetAsync("/assets/icon-512.png")).StatusCode);
    }

    [Fact]
    public async Task TheOrganizerOpeningASpeakersPage_LeavesNothingOnTheirDevice()
    {
        var tour = await TourAsync();
        var page = await fixture.NewPhonePageAsync();
        await page.GotoAsync($"/speak/{tour.TourId}/{tour.SpeakerId}#token={tour.Organizer}");
        await Expect(page.Locator(".itinerary .appointment")).ToHaveCountAsync(1);
        await Expect(page.Locator(".device")).ToHaveCountAsync(0);
        Assert.Equal(0, await page.EvaluateAsync<int>(KeptKeys));
        Assert.Equal(0, await page.EvaluateAsync<int>("async () => (await navigator.serviceWorker.getRegistrations()).length"));
    }

    [Fact]
    public async Task ARevokedSpeakerLink_MakesThePhoneForgetWhatItKept()
    {
        var tour = await TourAsync();
        var page = await fixture.NewPhonePageAsync();
        await page.GotoAsync($"/speak/{tour.TourId}/{tour.SpeakerId}#token={tour.Speaker}");
        await Expect(page.Locator(".itinerary .appointment")).ToHaveCountAsync(1);
        Assert.True(await page.EvaluateAsync<int>(KeptKeys) > 0);

        // The phone was lost: the organizer revokes the speaker's links and issues a new one.
        await ApiScenario.Ok(await fixture.Api.SendAsync(HttpMethod.Post, $"/api/tours/{tour.TourId}/speakers/{tour.SpeakerId}/token", tour.Organizer), HttpStatusCode.OK);
        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("This link is not valid");
        Assert.Equal(0, await page.EvaluateAsync<int>(KeptKeys));
    }
}
