using System.Net;
using Deque.AxeCore.Playwright;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using NodaTime.Testing;
using TourPlanner.Tests.Infrastructure;
using TourPlanner.Tests.Pages;
using static Microsoft.Playwright.Assertions;

namespace TourPlanner.Tests.Mail;

/// <summary>
/// Mail's pages in Debian's Chromium, in Spanish, checked with axe-core: a sign-in link from a real message opens the
/// person's page with a link of its own, a spent one says so, "e-mail me my link" from the public page, and one-click
/// unsubscribe. The Gateway runs on Kestrel (a browser needs a socket) and sends to the mail tests' SMTP server.
/// </summary>
[Collection(MailCollection.Name)]
public sealed class MailPagesTests(MailFixture fixture) : IAsyncLifetime
{
    private KestrelServer _server = null!;
    private HttpClient _api = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        _server = new KestrelServer(fixture);
        _server.StartServer();
        _api = new HttpClient { BaseAddress = _server.BaseAddress };
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = PagesFixture.ChromiumPath, Headless = true, Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"],
        });
    }

    public async Task DisposeAsync()
    {
        await _browser.CloseAsync();
        _playwright.Dispose();
        _api.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task ASignInLink_OpensThePersonsPage_WithANewLink_ASpentOneSaysSo_AndTheOtherPagesWork()
    {
        var tour = await MailFixture.TourAsync(_api, "en", 7, ("Comité de Chicago", "hana@example.org", "es"));
        var host = tour.Hosts[0];
        await tour.ClaimAsync(host, "2026-10-29");
        var message = Assert.Single(await fixture.Sink.WaitForAsync(tour.Id, m => m.Any(x => x.IsTo(host.Email))), m => m.IsTo(host.Email));
        var token = message.SignInToken(MailFixture.BaseUrl, tour.Id);
        var page = await NewPageAsync();

        // The message's link, on this server: it spends the token and lands on the group's page with a standing link.
        await page.GotoAsync($"/signin/{tour.Id}#token={token}");
        // Arriving is enough (the group's page itself is the pages' tests' business); a loaded machine is given time.
        await page.WaitForURLAsync(url => url.Contains($"/host/{tour.Id}/{host.Id}#token=", StringComparison.Ordinal),
            new() { WaitUntil = WaitUntilState.Commit, Timeout = 60_000 });
        var standing = page.Url[(page.Url.IndexOf("#token=", StringComparison.Ordinal) + "#token=".Length)..];
        Assert.NotEqual(token, standing);
        Assert.Equal(HttpStatusCode.OK, (await _api.SendAsync(HttpMethod.Get, $"/api/tours/{tour.Id}/claims", standing)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _api.SendAsync(HttpMethod.Get, $"/api/tours/{tour.Id}/claims", host.Token)).StatusCode);

        // Opened again, it is spent: the page says so, in the browser's language, and the token leaves the address bar.
        await page.GotoAsync($"/signin/{tour.Id}#token={token}");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("ya se usó");
        Assert.DoesNotContain(token, page.Url);
        await AxeAsync(page, "spent sign-in link");

        // From the public page to "e-mail me my link": the same answer whoever asks.
        var slug = (await ApiScenario.Ok(await _api.SendAsync(HttpMethod.Get, $"/api/tours/{tour.Id}"), HttpStatusCode.OK)).Str("slug");
        await page.GotoAsync($"/t/{slug}");
        await page.GetByRole(AriaRole.Link, new() { Name = "perdió su enlace" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Envíenme mi enlace por correo");
        await AxeAsync(page, "e-mail me my link");
        await page.GetByLabel("Correo electrónico").FillAsync(host.Email);
        await page.GetByRole(AriaRole.Button, new() { Name = "Envíenme un enlace" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Si esta dirección pertenece a alguien de esta gira");
        await AxeAsync(page, "link requested");
        var mail = await fixture.Sink.WaitForAsync(tour.Id, m => m.Count(x => x.IsTo(host.Email)) >= 2);
        Assert.Single(mail, m => m.IsTo(host.Email) && m.Subject.Contains("su enlace", StringComparison.Ordinal));

        // One-click unsubscribe from the List-Unsubscribe address: a page with one button (a GET changes nothing).
        var unsubscribe = new Uri(message.Header("List-Unsubscribe").Trim('<', '>'));
        await page.GotoAsync(unsubscribe.PathAndQuery);
        await AxeAsync(page, "unsubscribe");
        await page.GetByRole(AriaRole.Button, new() { Name = "Dejar de recibirlos" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("no recibirá más recordatorios");
        var status = await ApiScenario.Ok(await _api.SendAsync(HttpMethod.Get, $"/api/tours/{tour.Id}/mail", tour.Organizer), HttpStatusCode.OK);
        Assert.Contains(host.Id, status.GetProperty("unsubscribed").EnumerateArray().Select(x => x.GetString()));
    }

    [Fact]
    public async Task TheOrganizersPage_ShowsWhetherEmailIsOn_InTheirLanguage()
    {
        var tour = await MailFixture.TourAsync(_api, "es", 7);
        var page = await NewPageAsync();
        await page.GotoAsync($"/organize/{tour.Id}#token={tour.Organizer}");
        var panel = page.Locator("section.mail-status");
        await Expect(panel.GetByRole(AriaRole.Heading, new() { Name = "Correo" })).ToBeVisibleAsync();
        await Expect(panel).ToContainTextAsync("El correo está activado");
        // Nothing undelivered: the panel shows nothing more (once, a missing list showed as the word "null").
        Assert.DoesNotContain("null", await panel.InnerTextAsync());
        await AxeAsync(page, "organizer page with the mail panel");
    }

    private async Task<IPage> NewPageAsync()
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 360, Height = 780 }, IsMobile = true, HasTouch = true, Locale = "es-US",
            BaseURL = _server.BaseAddress.ToString(),
        });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    private static async Task AxeAsync(IPage page, string state)
    {
        var results = await page.RunAxe();
        var serious = results.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, $"{state}: " + string.Join("\n", serious.Select(v =>
            $"{v.Impact} {v.Id}: {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}")));
    }

    /// <summary>The mail tests' Gateway settings on Kestrel, with a store and a clock of its own.</summary>
    private sealed class KestrelServer : WebApplicationFactory<Program>
    {
        private readonly MailFixture _fixture;
        private readonly string _data = Path.Combine(Path.GetTempPath(), "tourplanner-tests", "mail-pages-" + Guid.NewGuid().ToString("N"));

        public KestrelServer(MailFixture fixture)
        {
            _fixture = fixture;
            UseKestrel(GatewayFactory.FreePort());
        }

        public Uri BaseAddress
        {
            get
            {
                var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
                return new Uri(address.Replace("[::]", "127.0.0.1").Replace("0.0.0.0", "127.0.0.1").Replace("localhost", "127.0.0.1"));
            }
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            GatewayFactory.Configure(builder, new FakeClock(ClusterFixture.Epoch), _data);
            MailFixture.Settings(builder, _fixture.Sink.Port);
        }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
        }
    }
}
