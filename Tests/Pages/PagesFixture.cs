using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using NodaTime;
using NodaTime.Testing;
using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Pages;

/// <summary>The Gateway on real Kestrel (a browser needs a socket), with GatewayFactory's settings: temp SQLite, free Orleans ports, a fake clock.</summary>
public sealed class PagesServer : WebApplicationFactory<Program>
{
    public FakeClock Clock { get; } = new(ClusterFixture.Epoch);
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "tourplanner-tests", "pages-" + Guid.NewGuid().ToString("N"));

    public PagesServer() => UseKestrel(GatewayFactory.FreePort());

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        Directory.CreateDirectory(DataDirectory);
        foreach (var (key, value) in ClusterFixture.Settings(DataDirectory)) builder.UseSetting(key, value);
        builder.UseSetting("Orleans:SiloPort", GatewayFactory.FreePort().ToString());
        builder.UseSetting("Orleans:GatewayPort", GatewayFactory.FreePort().ToString());
        builder.UseSetting("Orleans:ClusterId", "pages-" + Guid.NewGuid().ToString("N")[..8]);
        GatewayFactory.UseTestLimits(builder);
        builder.ConfigureServices(services => services.AddSingleton<NodaTime.IClock>(Clock));
    }

    /// <summary>Where Kestrel listens, e.g. http://127.0.0.1:41234.</summary>
    public Uri BaseAddress
    {
        get
        {
            var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new Uri(address.Replace("[::]", "127.0.0.1").Replace("0.0.0.0", "127.0.0.1").Replace("localhost", "127.0.0.1"));
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
    }
}

/// <summary>One Gateway and one headless Debian Chromium for the whole test run; each test opens its own browser context.</summary>
public sealed class PagesFixture : IAsyncLifetime
{
    /// <summary>Debian's chromium package; Playwright's own browser download is never used.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
    ];

    public PagesServer Server { get; } = new();
    public HttpClient Api { get; private set; } = null!;
    public Uri BaseAddress { get; private set; } = null!;
    private IPlaywright playwright = null!;
    private IBrowser browser = null!;

    public async Task InitializeAsync()
    {
        Server.StartServer();
        BaseAddress = Server.BaseAddress;
        Api = new HttpClient { BaseAddress = BaseAddress };
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"{ChromiumPath} is missing: run `apt-get install -y chromium` (see Tests/Pages/README.md).");
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath, Headless = true, Args = ChromiumArgs,
        });
    }

    /// <summary>A fresh phone-sized page whose clock reads the server's fake clock, so "runs out in 7 days" is stable.</summary>
    public Task<IPage> NewPhonePageAsync(string locale = "en-US") => NewPageAsync(390, 844, locale, mobile: true);

    /// <summary>A fresh page of the given viewport (360 for a small phone, 1280 for a laptop), clock pinned as above.</summary>
    public async Task<IPage> NewPageAsync(int width, int height, string locale = "en-US", bool mobile = true)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height }, DeviceScaleFactor = 1, IsMobile = mobile, HasTouch = mobile,
            Locale = locale, TimezoneId = "America/New_York", BaseURL = BaseAddress.ToString(),
        });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        await page.Clock.SetFixedTimeAsync(Server.Clock.GetCurrentInstant().ToDateTimeUtc());
        return page;
    }

    public async Task DisposeAsync()
    {
        if (browser is not null) await browser.CloseAsync();
        playwright?.Dispose();
        Api?.Dispose();
        await Server.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class PagesCollection : ICollectionFixture<PagesFixture>
{
    public const string Name = "pages";
}
