using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using TourPlanner.Gateway.Pages;
using TourPlanner.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace TourPlanner.Tests.Pages;

/// <summary>
/// Issue 13 on the organizer's page, in headless Debian Chromium at phone width: co-organizers with their own links
/// (invite, open, revoke), who did what, when private data is purged (a refused date by its field, in Spanish), both
/// exports downloaded and read back, and deleting the tour by typing its name. axe-core checks each new panel.
/// Screenshots land in /tmp/pages/orgpriv-*.png (docs/organizer-privacy*.png are picked from them).
/// </summary>
[Collection(PagesCollection.Name)]
public sealed class OrganizerPrivacyPageTests(PagesFixture fixture)
{
    private const string Shots = "/tmp/pages";
    private const string LeadName = "Dana Lead";
    private const string ContactEmail = "ana@example.org";

    private sealed record Tour(string Id, string Slug, string Name, string Organizer, string HostId);

    /// <summary>A tour with a named first organizer and one host group (whose contact the exports must hold).</summary>
    private async Task<Tour> CreateAsync(string name = "Fight Like Calero — Fight to Win")
    {
        var created = await ApiScenario.Ok(await fixture.Api.SendAsync(HttpMethod.Post, "/api/tours", body: new
        {
            name, description = "A tour.", timeZone = "America/New_York", startDate = "2026-10-22", endDate = "2026-11-15",
            organizerName = LeadName, language = "en",
            speakers = new[] { new { name = "Róger Calero", homeCity = "Newark", homeTimeZone = "America/New_York", homeLatitude = 40.7357, homeLongitude = -74.1724 } },
        }), HttpStatusCode.Created);
        var id = created.Str("id");
        var organizer = created.Str("organizerToken");
        var host = await ApiScenario.Ok(await fixture.Api.SendAsync(HttpMethod.Post, $"/api/tours/{id}/hosts", organizer,
            new { name = "Teamsters Local 705", city = "Chicago", contactName = "Ana", contactEmail = ContactEmail, contactPhone = "+1 312 555 0100" }), HttpStatusCode.Created);
        return new Tour(id, created.Str("slug"), name, organizer, host.Str("hostId"));
    }

    private static async Task AxeAsync(IPage page, ILocator scope, string state)
    {
        await scope.ScrollIntoViewIfNeededAsync();
        var results = await page.RunAxe();
        var serious = results.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, $"{state}: " + string.Join("\n", serious.Select(v =>
            $"{v.Impact} {v.Id}: {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}")));
    }

    private static async Task ShotAsync(IPage page, ILocator panel, string name)
    {
        Directory.CreateDirectory(Shots);
        await panel.ScreenshotAsync(new() { Path = $"{Shots}/orgpriv-{name}.png" });
    }

    private async Task<IPage> OpenAsync(Tour tour, string lang, int width = 360)
    {
        var page = await fixture.NewPageAsync(width, 800, lang == "es" ? "es-MX" : "en-US");
        await page.GotoAsync($"/organize/{tour.Id}#token={tour.Organizer}");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", lang);
        await Expect(page.Locator("#team .card.organizer")).ToHaveCountAsync(1);
        // The panels' fixed words, not their keys, in the page's language.
        foreach (var (id, key) in new[] { ("team-h", "team.title"), ("history-h", "hist.title"), ("privacy-h", "priv.title"), ("danger-h", "del.title") })
            await Expect(page.Locator($"#{id}")).ToHaveTextAsync(PageAssets.Text(lang, key));
        await Expect(page.Locator("#privacy button[data-export='csv']")).ToHaveTextAsync(PageAssets.Text(lang, "priv.exportCsv"));
        await Expect(page.Locator("form.organizer-invite button[type=submit]")).ToHaveTextAsync(PageAssets.Text(lang, "team.inviteButton"));
        return page;
    }

    [Fact]
    public async Task ACoOrganizer_IsInvitedWithTheirOwnLink_IsInTheHistory_AndRevokingTheirLinkLocksThemOut()
    {
        var tour = await CreateAsync();
        var page = await OpenAsync(tour, "en");
        var team = page.Locator("#team");
        await AxeAsync(page, team, "team panel");

        // Invite: the link is shown once, with the warning that it will not be shown again.
        var form = page.Locator("form.organizer-invite");
        await form.Locator("[name='name']").FillAsync("Bea Co-organizer");
        await form.Locator("[name='email']").FillAsync("bea@example.org");
        await form.Locator("[name='language']").SelectOptionAsync("es");
        await form.Locator("button[type=submit]").ClickAsync();
        var url = page.Locator("#coorg-url");
        await Expect(url).ToBeFocusedAsync();
        await Expect(team.GetByText("it is shown only this once and cannot be shown again")).ToBeVisibleAsync();
        var link = await url.InputValueAsync();
        Assert.Matches($"/organize/{Regex.Escape(tour.Id)}#token=", link);
        await Expect(team.Locator(".card.organizer")).ToHaveCountAsync(2);
        await AxeAsync(page, team, "team panel with a new link");

        // Their link opens the tour as organizer.
        var theirs = await fixture.NewPageAsync(360, 800, "es-MX");
        await theirs.GotoAsync(link);
        await Expect(theirs.Locator("#summary h1, main h1").First).ToHaveTextAsync(tour.Name);
        await Expect(theirs.Locator("#team")).ToBeVisibleAsync();

        // The history says who invited them: the first organizer, by name and role.
        var invited = page.Locator("#history .history-line[data-action='organizer-added']");
        await Expect(invited).ToContainTextAsync($"{LeadName} (organizer)");
        await Expect(invited).ToContainTextAsync("invited an organizer");
        await Expect(invited).ToContainTextAsync("Bea Co-organizer");
        await AxeAsync(page, page.Locator("#history"), "history");

        // Revoke their only link: the page says plainly it is their last, then it stops working.
        var card = team.Locator(".card.organizer", new() { HasText = "Bea Co-organizer" });
        await card.Locator("button", new() { HasText = "Revoke this link" }).ClickAsync();
        await Expect(card.Locator(".confirm")).ToContainTextAsync("This is the last link of Bea Co-organizer");
        await card.Locator("button.danger").ClickAsync();
        await Expect(card.Locator("ul.links")).ToHaveCountAsync(0);
        var token = link[(link.IndexOf("#token=", StringComparison.Ordinal) + 7)..];
        var refused = await fixture.Api.SendAsync(HttpMethod.Get, $"/api/tours/{tour.Id}/organizers", token);
        Assert.True(refused.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, refused.StatusCode.ToString());
        await theirs.ReloadAsync();
        await Expect(theirs.Locator("[role=alert] h1")).ToHaveTextAsync("Este enlace no es válido");
        await Expect(page.Locator("#history .history-line[data-action='link-revoked']")).ToContainTextAsync($"{LeadName} (organizer)");
        await ShotAsync(page, page.Locator("#history"), "history-en");
    }

    [Fact]
    public async Task TheHistory_ShowsTheNewestPage_ThenOlderChangesOnRequest_InThePagesLanguage()
    {
        var tour = await CreateAsync();
        for (var i = 0; i < 30; i++)
            await ApiScenario.Ok(await fixture.Api.SendAsync(HttpMethod.Post, $"/api/tours/{tour.Id}/hosts", tour.Organizer, new { name = $"Group {i:00}" }), HttpStatusCode.Created);
        var page = await OpenAsync(tour, "es");
        var lines = page.Locator("#history .history-line");
        await Expect(lines).ToHaveCountAsync(25);
        await Expect(lines.First).ToContainTextAsync($"{LeadName} (organización) invitó a un grupo anfitrión: Group 29");
        await Expect(page.Locator("#history .history-line[data-action='tour-created']")).ToHaveCountAsync(0);
        await page.Locator("#history button", new() { HasText = "Mostrar cambios anteriores" }).ClickAsync();
        // 1 tour created, 31 groups invited.
        await Expect(lines).ToHaveCountAsync(32);
        await Expect(page.Locator("#history .history-line[data-action='tour-created']")).ToContainTextAsync("creó la gira");
        await Expect(page.Locator("#history button", new() { HasText = "Mostrar cambios anteriores" })).ToBeHiddenAsync();
    }

    [Fact]
    public async Task RevokingTheLinkThisPageRunsOn_IsConfirmedPlainly_AsTheOnlyOrganizersLastLink()
    {
        var tour = await CreateAsync();
        var page = await OpenAsync(tour, "es");
        var card = page.Locator("#team .card.organizer");
        await Expect(card.Locator("h3")).ToContainTextAsync("(usted)");
        // A co-organizer is invited in the page's language unless told otherwise.
        await Expect(page.Locator("form.organizer-invite [name='language']")).ToHaveValueAsync("es");
        await Expect(card.Locator("ul.links")).ToContainTextAsync("el enlace que usa ahora");
        await card.Locator("button", new() { HasText = "Revocar este enlace" }).ClickAsync();
        await Expect(card.Locator(".confirm")).ToContainTextAsync("nadie podrá abrirla ni cambiarla como organización");
        // "Keep it" leaves the link alone.
        await card.Locator("button", new() { HasText = "Conservarlo" }).ClickAsync();
        Assert.Equal(HttpStatusCode.OK, (await fixture.Api.SendAsync(HttpMethod.Get, $"/api/tours/{tour.Id}/organizers", tour.Organizer)).StatusCode);
    }

    [Fact]
    public async Task ThePurgeDate_ALateDateIsRefusedByItsFieldInSpanish_AGoodOneIsShown_ThenPurgeNowSaysWhen()
    {
        var tour = await CreateAsync();
        var page = await OpenAsync(tour, "es");
        var panel = page.Locator("#privacy");
        // Latest: the last date (15 Nov) plus 30 days.
        await Expect(panel.Locator(".purge-when")).ToHaveAttributeAsync("data-purge-on", "2026-12-15");
        await Expect(panel.Locator(".purge-when")).ToContainTextAsync("15 dic 2026");
        await AxeAsync(page, panel, "privacy panel (es)");

        var form = panel.Locator("form.purge-date");
        await form.Locator("[name='purgeOn']").FillAsync("2027-01-10");
        await form.Locator("button[type=submit]").ClickAsync();
        var error = panel.Locator(".field:has([name='purgeOn']) .field-error");
        await Expect(error).ToContainTextAsync("La fecha de borrado puede ser como máximo");
        await Expect(form.Locator("[name='purgeOn']")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(form.Locator("[name='purgeOn']")).ToBeFocusedAsync();
        await AxeAsync(page, panel, "privacy panel with a field error (es)");
        Assert.Equal("2026-12-15", await PurgeOnAsync(tour));

        await form.Locator("[name='purgeOn']").FillAsync("2026-11-20");
        await form.Locator("button[type=submit]").ClickAsync();
        await Expect(panel.Locator(".purge-when")).ToHaveAttributeAsync("data-purge-on", "2026-11-20");
        await Expect(panel.Locator(".purge-when")).ToContainTextAsync("20 nov 2026");
        await Expect(panel.Locator(".field-error")).ToBeHiddenAsync();
        Assert.Equal("2026-11-20", await PurgeOnAsync(tour));

        // Purge now: a confirmation that says what goes and what stays, then the panel says it was purged.
        await panel.Locator("button", new() { HasText = "Borrar los datos privados ahora" }).ClickAsync();
        var confirm = panel.Locator(".purge-confirm");
        await Expect(confirm).ToContainTextAsync("Lo que se va: el contacto de cada grupo anfitrión");
        await Expect(confirm).ToContainTextAsync("Lo que queda:");
        await AxeAsync(page, panel, "purge confirmation (es)");
        await ShotAsync(page, panel, "privacy-es");
        await confirm.Locator("button.danger").ClickAsync();
        await Expect(panel.Locator("[data-purged]")).ToContainTextAsync("Los datos privados se borraron el");
        var privacy = await ApiScenario.Ok(await fixture.Api.SendAsync(HttpMethod.Get, $"/api/tours/{tour.Id}/privacy", tour.Organizer), HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.String, privacy.GetProperty("purgedAt").ValueKind);
        await Expect(panel.Locator("form.purge-date")).ToHaveCountAsync(0);
    }

    private async Task<string> PurgeOnAsync(Tour tour) =>
        (await ApiScenario.Ok(await fixture.Api.SendAsync(HttpMethod.Get, $"/api/tours/{tour.Id}/privacy", tour.Organizer), HttpStatusCode.OK)).Str("purgeOn");

    [Fact]
    public async Task BothExports_DownloadAsFilesNamedForTheTour_TheCsvInThePagesLanguage()
    {
        var tour = await CreateAsync();
        var page = await OpenAsync(tour, "es");
        var panel = page.Locator("#privacy");

        var json = await page.RunAndWaitForDownloadAsync(() => panel.Locator("button[data-export='json']").ClickAsync());
        Assert.Equal($"{tour.Slug}.json", json.SuggestedFilename);
        using (var document = JsonDocument.Parse(await ReadAsync(json)))
        {
            Assert.Equal("tourplanner-tour", document.RootElement.Str("format"));
            Assert.Contains(document.RootElement.GetProperty("hosts").EnumerateArray(), h => h.Str("contactEmail") == ContactEmail);
        }

        var csv = await page.RunAndWaitForDownloadAsync(() => panel.Locator("button[data-export='csv']").ClickAsync());
        Assert.Equal($"{tour.Slug}.csv", csv.SuggestedFilename);
        var text = Encoding.UTF8.GetString(await ReadAsync(csv)).TrimStart('\uFEFF');
        // The organizer chose English for the tour; the page is in Spanish, and so is the file it downloads.
        Assert.StartsWith("Grupo anfitrión,Nombre de contacto,Correo de contacto,", text);
        Assert.Contains(ContactEmail, text);
        await Expect(panel.Locator(".export-status .notice")).ToContainTextAsync($"{tour.Slug}.csv");
        await Expect(page.Locator("#history .history-line[data-action='tour-exported']")).ToHaveCountAsync(2);
    }

    private static async Task<byte[]> ReadAsync(IDownload download)
    {
        await using var stream = await download.CreateReadStreamAsync();
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    [Theory]
    [InlineData("en")]
    [InlineData("es")]
    public async Task DeletingTheTour_TakesItsName_ThenThePageSaysSo_AndThePublicPageAnswers410InWords(string lang)
    {
        var tour = await CreateAsync($"Tour to delete {lang}");
        var page = await OpenAsync(tour, lang);
        var zone = page.Locator("#danger");
        var button = zone.Locator("form.delete-tour button[type=submit]");
        await Expect(button).ToBeDisabledAsync();
        await AxeAsync(page, zone, "danger zone");
        if (lang == "en") await ShotAsync(page, zone, "danger-en");

        var input = zone.Locator("[name='confirmName']");
        await input.FillAsync("Tour to delete");
        await Expect(button).ToBeDisabledAsync();
        Assert.Equal(HttpStatusCode.OK, (await fixture.Api.GetAsync($"/t/{tour.Slug}")).StatusCode);
        await input.FillAsync(tour.Name);
        await Expect(button).ToBeEnabledAsync();
        await button.ClickAsync();

        var deleted = lang == "es" ? "Esta gira fue eliminada" : "This tour was deleted";
        await Expect(page.Locator("[role=alert] h1")).ToHaveTextAsync(deleted);
        await page.ReloadAsync();
        await Expect(page.Locator("[role=alert] h1")).ToHaveTextAsync(deleted);

        // The public page: 410, a page in the reader's language, not JSON.
        var reader = await fixture.NewPageAsync(360, 800, lang == "es" ? "es-MX" : "en-US");
        var response = await reader.GotoAsync($"/t/{tour.Slug}");
        Assert.Equal(410, response!.Status);
        Assert.StartsWith("text/html", response.Headers["content-type"]);
        await Expect(reader.Locator("html")).ToHaveAttributeAsync("lang", lang);
        await Expect(reader.Locator("main [role=alert]")).ToHaveTextAsync(PageAssets.Text(lang, "public.gone"));
        await AxeAsync(reader, reader.Locator("main"), "410 public page");
    }

    [Fact]
    public async Task ThePanelsAtPhoneWidth_HaveNoSideScroll_AndTouchSizedButtons()
    {
        var tour = await CreateAsync();
        foreach (var lang in new[] { "en", "es" })
        {
            var page = await OpenAsync(tour, lang, width: 360);
            await Expect(page.Locator("#privacy .purge-when")).ToBeVisibleAsync();
            await Expect(page.Locator("#history .history-line").First).ToBeVisibleAsync();
            Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= 360"), $"{lang}: the page scrolls sideways at 360 px");
            var small = await page.EvaluateAsync<string[]>("""
                () => [...document.querySelectorAll('#team button, #history button:not([hidden]), #privacy button, #danger button')]
                  .filter(b => b.offsetParent && b.getBoundingClientRect().height < 44).map(b => b.textContent)
                """);
            Assert.Empty(small);
            var shot = await fixture.NewPageAsync(390, 844, lang == "es" ? "es-MX" : "en-US");
            await shot.GotoAsync($"/organize/{tour.Id}#token={tour.Organizer}");
            await Expect(shot.Locator("#privacy .purge-when")).ToBeVisibleAsync();
            await ShotAsync(shot, shot.Locator("#team"), $"team-{lang}");
            await ShotAsync(shot, shot.Locator("#privacy"), $"privacy-390-{lang}");
        }
    }

    /// <summary>Every word the new panels show exists in English and Spanish, and every history action has its words.</summary>
    [Fact]
    public void EveryKeyTheNewPanelsUse_IsInBothLanguages()
    {
        var missing = new List<string>();
        foreach (var name in new[] { "team.js", "privacy.js" })
        {
            var script = Encoding.UTF8.GetString(PageAssets.All[name].Bytes);
            var keys = Regex.Matches(script, @"(?:\bt\(|i18n: |named\(|field\()'([\w.\-]+)'").Select(m => m.Groups[1].Value)
                .Concat(Regex.Matches(script, @"fatal\('([\w.]+)'\)").SelectMany(m => new[] { m.Groups[1].Value + ".title", m.Groups[1].Value + ".body" }))
                .Where(k => !k.EndsWith('.'));
            var actions = Regex.Match(script, @"const ACTIONS = new Set\(\[(.*?)\]\)", RegexOptions.Singleline);
            if (name == "team.js")
            {
                Assert.True(actions.Success);
                keys = keys.Concat(Regex.Matches(actions.Groups[1].Value, "'([a-z-]+)'").Select(m => "hist." + m.Groups[1].Value));
            }
            foreach (var key in keys.Distinct())
                foreach (var lang in new[] { "en", "es" })
                    if (!PageAssets.Strings[lang].ContainsKey(key)) missing.Add($"{name}: {lang} {key}");
        }
        Assert.Empty(missing);
    }
}
