using System.Net;
using Microsoft.Playwright;
using TourPlanner.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace TourPlanner.Tests.Pages;

/// <summary>The pages in a real browser: headless Debian Chromium against the Gateway on Kestrel, at phone size.</summary>
[Collection(PagesCollection.Name)]
public sealed class PagesTests(PagesFixture fixture)
{
    private static async Task FillClaimFormAsync(IPage page, string date, string city = "Chicago", string zone = "America/Chicago", string eventStart = "")
    {
        await page.GetByLabel("City", new() { Exact = true }).FillAsync(city);
        await page.GetByLabel("Country", new() { Exact = true }).FillAsync("US");
        await page.GetByLabel("Time zone", new() { Exact = true }).FillAsync(zone);
        await page.GetByLabel("Latitude").FillAsync("41.8781");
        await page.GetByLabel("Longitude").FillAsync("-87.6298");
        await page.GetByLabel("First date").FillAsync(date);
        await page.GetByLabel("Venue name").FillAsync("Teamsters Hall");
        await page.GetByLabel("Address").FillAsync("300 S Ashland Ave, Chicago, IL");
        await page.GetByLabel("Title").FillAsync("Public meeting: Defend immigrant workers");
        await page.GetByLabel("Starts (local time)").FillAsync(eventStart.Length > 0 ? eventStart : $"{date}T19:00");
    }

    [Fact]
    public async Task Host_ClaimsADateOnAPhone_SeesRankOneAndExpiry_AndASecondHostSeesSecondInLine()
    {
        var tour = await PagesTour.CreateAsync(fixture.Api);
        var page = await fixture.NewPhonePageAsync();
        await page.GotoAsync(tour.HostPage(tour.HostAId, tour.HostA));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Teamsters Local 705" })).ToBeVisibleAsync();

        await FillClaimFormAsync(page, "2026-10-28");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send request" }).ClickAsync();

        var claim = page.Locator(".claim").First;
        await Expect(claim).ToContainTextAsync("Chicago");
        await Expect(claim.Locator(".standing")).ToHaveTextAsync("You are first in line");
        // Hold period 7 days from the fake clock (2026-10-01 12:00 UTC), shown in words and as the viewer's time.
        await Expect(claim.Locator(".expiry")).ToContainTextAsync("in 7 days");
        await Expect(claim.Locator(".expiry")).ToContainTextAsync("Thu 8 Oct 08:00");
        await page.ScreenshotAsync(new() { Path = "/tmp/pages-host.png", FullPage = true });

        var second = await fixture.NewPhonePageAsync();
        await second.GotoAsync(tour.HostPage(tour.HostBId, tour.HostB));
        await FillClaimFormAsync(second, "2026-10-28", city: "Evanston");
        await second.GetByRole(AriaRole.Button, new() { Name = "Send request" }).ClickAsync();
        await Expect(second.Locator(".claim .standing")).ToHaveTextAsync("2nd in line");
        await Expect(second.Locator(".notice[role=status]")).ToContainTextAsync("2nd in line");
        await second.ScreenshotAsync(new() { Path = "/tmp/pages-host-second.png", FullPage = true });
    }

    [Fact]
    public async Task Host_AsksWhichDatesWork_SeesTheConfirmedDateRuledOut_AndUsesASuggestedDate()
    {
        var tour = await PagesTour.CreateAsync(fixture.Api);
        var chicago = await tour.ClaimAsync(tour.HostA, new
        {
            city = "Chicago", country = "US", timeZone = "America/Chicago", latitude = 41.8781, longitude = -87.6298, dates = new[] { "2026-10-28" },
            events = new[] { new { title = "Rally", start = "2026-10-28T19:00", durationMinutes = 120, @public = true } },
        });
        await tour.ConfirmAsync(chicago);

        var page = await fixture.NewPhonePageAsync();
        await page.GotoAsync(tour.HostPage(tour.HostBId, tour.HostB));
        await FillClaimFormAsync(page, "2026-10-28", city: "St. Paul");
        await page.GetByRole(AriaRole.Button, new() { Name = "Which dates work?" }).ClickAsync();
        var list = page.Locator(".suggestion-list li");
        await Expect(list.First).ToBeVisibleAsync();
        Assert.DoesNotContain(await list.AllInnerTextsAsync(), x => x.Contains("28 Oct"));
        await page.GetByText("Dates that do not work, and why").ClickAsync();
        await Expect(page.Locator(".suggestions details")).ToContainTextAsync("Already confirmed for Chicago");

        await list.First.GetByRole(AriaRole.Button, new() { Name = "Use this date" }).ClickAsync();
        var chosen = await page.GetByLabel("First date").InputValueAsync();
        Assert.NotEqual("2026-10-28", chosen);
        Assert.StartsWith(chosen + "T19:00", await page.GetByLabel("Starts (local time)").InputValueAsync());
        await page.GetByRole(AriaRole.Button, new() { Name = "Send request" }).ClickAsync();
        await Expect(page.Locator(".claim .standing")).ToHaveTextAsync("You are first in line");
    }

    [Fact]
    public async Task Host_ClaimingADateOutsideTheTour_SeesTheErrorNextToTheDateField_AndNothingIsStored()
    {
        var tour = await PagesTour.CreateAsync(fixture.Api);
        var page = await fixture.NewPhonePageAsync();
        await page.GotoAsync(tour.HostPage(tour.HostAId, tour.HostA));
        await FillClaimFormAsync(page, "2026-12-01");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send request" }).ClickAsync();

        var dateInput = page.GetByLabel("First date");
        await Expect(dateInput).ToHaveAttributeAsync("aria-invalid", "true");
        // The message sits in the date field's own error slot, which the input names in aria-describedby.
        var slot = page.Locator(".field:has(input[name='dates']) .field-error");
        await Expect(slot).ToBeVisibleAsync();
        await Expect(slot).ToContainTextAsync("outside the tour");
        Assert.Contains((await slot.GetAttributeAsync("id"))!, (await dateInput.GetAttributeAsync("aria-describedby"))!);
        await Expect(page.Locator(".field:has(input[name='city']) .field-error")).ToBeHiddenAsync();
        await Expect(page.Locator(".claim")).ToHaveCountAsync(0);
        await slot.ScrollIntoViewIfNeededAsync();
        await page.ScreenshotAsync(new() { Path = "/tmp/pages-host-error.png" });

        var claims = await ApiScenario.Ok(await fixture.Api.SendAsync(HttpMethod.Get, $"/api/tours/{tour.TourId}/claims", tour.Organizer), HttpStatusCode.OK);
        Assert.Equal(0, claims.GetProperty("claims").GetArrayLength());
    }

    [Fact]
    public async Task Organizer_ConfirmsAClaim_AndAConflictingConfirmExplainsTheConflict_InSpanishWhenSwitchedToEs()
    {
        var tour = await PagesTour.CreateAsync(fixture.Api);
        var chicago = await tour.ClaimAsync(tour.HostA, ApiScenario.ClaimBody("2026-10-28"));
        // 2026-11-03 is the speaker's blackout date in ApiScenario.TourBody: confirming it must explain why not.
        var blackout = await tour.ClaimAsync(tour.HostB, ApiScenario.ClaimBody("2026-11-03", "St. Paul", "America/Chicago", 44.9537, -93.09));

        var page = await fixture.NewPhonePageAsync();
        await page.GotoAsync(tour.OrganizerPage);
        var first = page.Locator($"[data-claim='{chicago}']");
        await Expect(first).ToContainTextAsync("Teamsters Local 705");
        await Expect(first).ToContainTextAsync("1st in line");
        await first.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
        await Expect(first.Locator(".badge.confirmed")).ToHaveTextAsync("Confirmed");

        var second = page.Locator($"[data-claim='{blackout}']");
        await second.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
        await Expect(second.GetByRole(AriaRole.Alert)).ToContainTextAsync("a date the speaker is not available");

        await page.GetByRole(AriaRole.Button, new() { Name = "ES", Exact = true }).ClickAsync();
        await Expect(second.GetByRole(AriaRole.Alert)).ToContainTextAsync("una fecha en que la persona oradora no está disponible");
        await Expect(second.GetByRole(AriaRole.Button, new() { Name = "Confirmar" })).ToBeVisibleAsync();
        Assert.Equal("es", await page.Locator("html").GetAttributeAsync("lang"));

        // Confirming again in Spanish shows the Spanish text straight away.
        await second.GetByRole(AriaRole.Button, new() { Name = "Confirmar" }).ClickAsync();
        await Expect(second.GetByRole(AriaRole.Alert)).ToContainTextAsync("no está disponible");
        await Expect(page.Locator($"[data-claim='{blackout}'] .badge.held")).ToHaveTextAsync("Reservada");
        await page.ScreenshotAsync(new() { Path = "/tmp/pages-organize.png", FullPage = true });
    }

    [Fact]
    public async Task PublicPage_ShowsAPublicEventAtTheStopsLocalTimeWithItsZone_HidesPrivateEventsAndContacts_AndEscapesHtml()
    {
        var tour = await PagesTour.CreateAsync(fixture.Api);
        const string hostile = "<script>alert(1)</script> Rally";
        var claim = await tour.ClaimAsync(tour.HostA, new
        {
            city = "Chicago", country = "US", timeZone = "America/Chicago", latitude = 41.8781, longitude = -87.6298, dates = new[] { "2026-10-28" },
            venue = new { name = "Teamsters Hall", address = "300 S Ashland Ave, Chicago, IL" },
            events = new object[]
            {
                new { title = hostile, start = "2026-10-28T19:00", durationMinutes = 120, @public = true, description = "All welcome." },
                new { title = "Strategy meeting with the host committee", start = "2026-10-28T13:00", durationMinutes = 60, @public = false, description = "Private." },
            },
        });
        await tour.ConfirmAsync(claim);

        // Without script: the server's HTML already has the local time, the zone, and the title escaped.
        var html = await fixture.Api.GetStringAsync($"/t/{tour.Slug}");
        Assert.Contains("Wed 28 Oct 19:00 CDT", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; Rally", html);
        Assert.DoesNotContain("<script>alert", html);
        Assert.Contains("<meta name=\"description\" content=\"A tour.\">", html);
        Assert.Matches($"href=\"webcal://[^\"]+/tours/{tour.Slug}/calendar.ics\"", html);
        Assert.Contains("https://calendar.google.com/calendar/r?cid=webcal", html);

        var page = await fixture.NewPhonePageAsync();
        var dialogs = 0;
        page.Dialog += async (_, dialog) => { dialogs++; await dialog.DismissAsync(); };
        await page.GotoAsync($"/t/{tour.Slug}");
        await Expect(page).ToHaveTitleAsync("Fight Like Calero — Fight to Win — TourPlanner");
        var ev = page.Locator(".event");
        await Expect(ev).ToHaveCountAsync(1);
        await Expect(ev.Locator("time")).ToHaveTextAsync("Wed 28 Oct 19:00 CDT");
        await Expect(ev.Locator(".title")).ToHaveTextAsync(hostile);
        var text = await page.Locator("body").InnerTextAsync();
        Assert.DoesNotContain("Strategy meeting", text);
        Assert.DoesNotContain("ana@example.org", await page.ContentAsync());
        Assert.DoesNotContain("+1 312", text);
        await page.ScreenshotAsync(new() { Path = "/tmp/pages-public.png", FullPage = true });
        var feedLink = await page.Locator("nav.subscribe a").Last.GetAttributeAsync("href");
        var feed = await fixture.Api.GetAsync(feedLink);
        Assert.Equal("text/calendar", feed.Content.Headers.ContentType?.MediaType);

        await page.GetByRole(AriaRole.Button, new() { Name = "ES", Exact = true }).ClickAsync();
        await Expect(ev.Locator("time")).ToHaveTextAsync("mié 28 oct 19:00 CDT");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dónde y cuándo" })).ToBeVisibleAsync();
        Assert.Equal(0, dialogs);
    }

    [Fact]
    public async Task Organizer_InvitesAHostGroup_AndGetsAFullLinkThatOpensThatGroupsPage()
    {
        var tour = await PagesTour.CreateAsync(fixture.Api);
        var page = await fixture.NewPhonePageAsync();
        await page.GotoAsync(tour.OrganizerPage);
        await page.GetByLabel("Group name").FillAsync("Defense Committee of Newark");
        await page.GetByLabel("Contact e-mail").FillAsync("dc@example.org");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create invite link" }).ClickAsync();
        var link = page.GetByLabel("Link for Defense Committee of Newark", new() { Exact = true });
        await Expect(link).ToHaveValueAsync(new System.Text.RegularExpressions.Regex(
            "^" + System.Text.RegularExpressions.Regex.Escape(new Uri(fixture.BaseAddress, $"/host/{tour.TourId}/").ToString()) + "h_[^#]+#token=.+$"));

        var invited = await fixture.NewPhonePageAsync();
        await invited.GotoAsync(await link.InputValueAsync());
        await Expect(invited.GetByRole(AriaRole.Heading, new() { Name = "Defense Committee of Newark" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Host_EditsAnEvent_AndThePageAndTheApiShowTheChange()
    {
        var tour = await PagesTour.CreateAsync(fixture.Api);
        await tour.ClaimAsync(tour.HostA, ApiScenario.ClaimBody("2026-10-28"));
        var page = await fixture.NewPhonePageAsync();
        await page.GotoAsync(tour.HostPage(tour.HostAId, tour.HostA));
        var ev = page.Locator(".claim .event").First;
        await ev.GetByRole(AriaRole.Button, new() { Name = "Edit" }).ClickAsync();
        await ev.GetByLabel("Title").FillAsync("Rally: Defend immigrant workers");
        await ev.GetByLabel("Starts (local time)").FillAsync("2026-10-28T18:30");
        await ev.GetByRole(AriaRole.Button, new() { Name = "Save event" }).ClickAsync();
        await Expect(page.Locator(".claim .event").First).ToContainTextAsync("Wed 28 Oct 18:30 CDT Rally: Defend immigrant workers");

        var claims = await ApiScenario.Ok(await fixture.Api.SendAsync(HttpMethod.Get, $"/api/tours/{tour.TourId}/claims", tour.HostA), HttpStatusCode.OK);
        var stopId = claims.GetProperty("claims")[0].Str("stopId");
        var stop = await ApiScenario.Ok(await fixture.Api.SendAsync(HttpMethod.Get, $"/api/tours/{tour.TourId}/stops/{stopId}", tour.HostA), HttpStatusCode.OK);
        Assert.Equal("Rally: Defend immigrant workers", stop.GetProperty("events")[0].Str("title"));
    }

    [Fact]
    public async Task Speaker_SeesTheItineraryWithTravelLegs_AndTheOrganizerCanCancelAStop()
    {
        var tour = await PagesTour.CreateAsync(fixture.Api);
        await tour.ConfirmAsync(await tour.ClaimAsync(tour.HostA, ApiScenario.ClaimBody("2026-10-28")));
        var stPaul = await tour.ClaimAsync(tour.HostB, ApiScenario.ClaimBody("2026-10-30", "St. Paul", "America/Chicago", 44.9537, -93.09, title: "Public meeting in St. Paul"));
        await tour.ConfirmAsync(stPaul);

        var page = await fixture.NewPhonePageAsync();
        await page.GotoAsync($"/speak/{tour.TourId}/{tour.SpeakerId}#token={tour.Speaker}");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Róger Calero" })).ToBeVisibleAsync();
        await Expect(page.Locator(".appointment").Filter(new() { HasText = "Public meeting in St. Paul" })).ToContainTextAsync("Fri 30 Oct 19:00");
        await Expect(page.Locator(".travel").First).ToContainTextAsync("estimated time");
        await page.ScreenshotAsync(new() { Path = "/tmp/pages-speak.png", FullPage = true });

        var organizer = await fixture.NewPhonePageAsync();
        await organizer.GotoAsync(tour.OrganizerPage);
        var card = organizer.Locator($"[data-claim='{stPaul}']");
        await card.GetByRole(AriaRole.Button, new() { Name = "Cancel stop" }).ClickAsync();
        await card.GetByRole(AriaRole.Button, new() { Name = "Yes, cancel this stop" }).ClickAsync();
        await Expect(organizer.Locator($"[data-claim='{stPaul}'] .badge.cancelled")).ToHaveTextAsync("Cancelled");
    }

    [Theory]
    [InlineData("host", "#token=not-the-right-token")]
    [InlineData("host", "")]
    [InlineData("organize", "#token=not-the-right-token")]
    [InlineData("speak", "#token=not-the-right-token")]
    public async Task AWrongOrMissingToken_ShowsThisLinkIsNotValid(string kind, string fragment)
    {
        var tour = await PagesTour.CreateAsync(fixture.Api);
        var path = kind switch
        {
            "host" => $"/host/{tour.TourId}/{tour.HostAId}",
            "organize" => $"/organize/{tour.TourId}",
            _ => $"/speak/{tour.TourId}/{tour.SpeakerId}",
        };
        var page = await fixture.NewPhonePageAsync();
        await page.GotoAsync(path + fragment);
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("This link is not valid");
        await Expect(page.Locator("form")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task AHostToken_OnTheOrganizerPage_ShowsThisLinkIsNotValid()
    {
        var tour = await PagesTour.CreateAsync(fixture.Api);
        var page = await fixture.NewPhonePageAsync("es-MX");
        await page.GotoAsync($"/organize/{tour.TourId}#token={tour.HostA}");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Este enlace no es válido");
    }
}
