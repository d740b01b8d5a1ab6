using System.Net;
using System.Text.Json;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using TourPlanner.Tests.Feeds;
using TourPlanner.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace TourPlanner.Tests.Pages;

/// <summary>
/// The public tour page in headless Debian Chromium: the route map, the city filter and its subscribe links, earlier and
/// cancelled stops, both languages at 360 and 1280 px with axe-core, and its weight over the wire.
/// Screenshots land in /tmp/pages-public-*.png.
/// </summary>
[Collection(PagesCollection.Name)]
public sealed class PublicPageTests(PagesFixture fixture, ITestOutputHelper output)
{
    private sealed record Place(string City, string Country, string Zone, double Lat, double Lon);

    private static readonly Place Chicago = new("Chicago", "US", "America/Chicago", 41.8781, -87.6298);
    private static readonly Place StPaul = new("St. Paul", "US", "America/Chicago", 44.9537, -93.09);
    private static readonly Place Milwaukee = new("Milwaukee", "US", "America/Chicago", 43.0389, -87.9065);
    private static readonly Place Madison = new("Madison", "US", "America/Chicago", 43.0731, -89.4012);

    /// <summary>A tour of confirmed stops (one per place, two days apart from <paramref name="firstDate"/>); returns the stop ids in order.</summary>
    private async Task<(string Slug, string TourId, string Organizer, List<string> Stops)> TourAsync(string start, string end, string firstDate, params Place[] places)
    {
        var api = fixture.Api;
        var created = await ApiScenario.Ok(await api.SendAsync(HttpMethod.Post, "/api/tours", body: new
        {
            name = "Fight Like Calero — Fight to Win", description = "A tour.", timeZone = "America/New_York", startDate = start, endDate = end,
            speakers = new[] { new { name = "Róger Calero", homeCity = "Newark", homeTimeZone = "America/New_York", homeLatitude = 40.7357, homeLongitude = -74.1724 } },
        }), HttpStatusCode.Created);
        var id = created.Str("id");
        var organizer = created.Str("organizerToken");
        var host = await ApiScenario.Ok(await api.SendAsync(HttpMethod.Post, $"/api/tours/{id}/hosts", organizer,
            new { name = "Host group", city = "Chicago", contactEmail = "ana@example.org", contactPhone = "+1 312 555 0100" }), HttpStatusCode.Created);
        var stops = new List<string>();
        var day = NodaTime.Text.LocalDatePattern.Iso.Parse(firstDate).Value;
        foreach (var p in places)
        {
            var date = NodaTime.Text.LocalDatePattern.Iso.Format(day);
            var claim = await ApiScenario.Ok(await api.SendAsync(HttpMethod.Post, $"/api/tours/{id}/claims", host.Str("inviteToken"), new
            {
                city = p.City, country = p.Country, timeZone = p.Zone, latitude = p.Lat, longitude = p.Lon, dates = new[] { date },
                venue = new { name = $"Union hall", address = $"1 Main St, {p.City}" },
                events = new[] { new { title = $"Public meeting in {p.City}", start = $"{date}T19:00", durationMinutes = 120, @public = true, description = "All welcome." } },
            }), HttpStatusCode.Created);
            await ApiScenario.Ok(await api.SendAsync(HttpMethod.Post, $"/api/tours/{id}/claims/{claim.Str("claimId")}/confirm", organizer), HttpStatusCode.OK);
            stops.Add(claim.Str("stopId"));
            day = day.PlusDays(2);
        }
        return (created.Str("slug"), id, organizer, stops);
    }

    private async Task AssertNoSeriousAxeViolationsAsync(IPage page, string what)
    {
        var results = await page.RunAxe();
        var serious = results.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, $"{what}: " + string.Join("\n", serious.Select(v =>
            $"{v.Impact} {v.Id}: {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}")));
    }

    [Fact]
    public async Task InSpanishAt360px_TheMapHasAMarkerPerConfirmedStop_TheCityFilterWorks_AndItsSubscribeLinkServesOnlyThatCity()
    {
        var tour = await TourAsync("2026-10-22", "2026-11-15", "2026-10-24", Chicago, StPaul, Milwaukee, Madison);
        // A cancelled stop stays on the page, marked, but is no longer a stop of the route.
        await ApiScenario.Ok(await fixture.Api.SendAsync(HttpMethod.Post, $"/api/tours/{tour.TourId}/stops/{tour.Stops[2]}/cancel", tour.Organizer), HttpStatusCode.OK);

        var page = await fixture.NewPageAsync(360, 780, "es-MX");
        await page.GotoAsync($"/t/{tour.Slug}");
        Assert.Equal("es", await page.Locator("html").GetAttributeAsync("lang"));
        var map = page.Locator("figure.route svg.route-map");
        await Expect(map).ToBeVisibleAsync();
        await Expect(map.Locator(".marker")).ToHaveCountAsync(3);
        await Expect(map).ToHaveAttributeAsync("role", "img");
        await Expect(page.Locator("#route-caption")).ToContainTextAsync("Mapa de la ruta: 3 paradas, de Chicago a Madison.");
        await Expect(page.Locator("#route-caption")).ToContainTextAsync("Próxima parada: Chicago, sáb 24 oct.");
        await Expect(map.Locator(".marker.next")).ToHaveCountAsync(1);
        var cancelled = page.Locator($"#stop-{tour.Stops[2]}");
        await Expect(cancelled.Locator(".badge.cancelled")).ToHaveTextAsync("Cancelada");
        var box = await map.BoundingBoxAsync();
        Assert.InRange(box!.Width, 300, 360); // the whole map fits a 360 px screen
        await AssertNoSeriousAxeViolationsAsync(page, "public page, es, 360 px");
        await page.ScreenshotAsync(new() { Path = "/tmp/pages-public-filter-before.png" });

        await page.GetByText("Filtrar por ciudad (4)").ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "St. Paul", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"\?city=St\.%20Paul$"));
        await Expect(page.Locator("li.stop")).ToHaveCountAsync(1);
        await Expect(page.Locator("li.stop h3")).ToContainTextAsync("St. Paul");
        await Expect(page.Locator(".filtering")).ToContainTextAsync("Solo se muestra St. Paul.");
        await Expect(map.Locator(".marker.selected")).ToHaveCountAsync(1);
        await AssertNoSeriousAxeViolationsAsync(page, "public page filtered, es, 360 px");
        await page.ScreenshotAsync(new() { Path = "/tmp/pages-public-filtered-es-360.png", FullPage = true });

        var feedLink = (await page.Locator("nav.subscribe a").Last.GetAttributeAsync("href"))!;
        Assert.EndsWith($"/tours/{tour.Slug}/calendar.ics?city=St.%20Paul", feedLink);
        var webcal = await page.Locator("nav.subscribe a").First.GetAttributeAsync("href");
        Assert.Equal("webcal://" + feedLink[(feedLink.IndexOf("://", StringComparison.Ordinal) + 3)..], webcal);
        var feed = await fixture.Api.GetStringAsync(feedLink);
        var events = Ics.Events(feed);
        Assert.Equal("Public meeting in St. Paul", Assert.Single(events)["SUMMARY"]);
        Assert.Contains("X-WR-CALNAME:Fight Like Calero — Fight to Win — St. Paul\r\n", Ics.Unfold(feed));
        var atom = await page.Locator("link[rel=alternate][type='application/atom+xml']").GetAttributeAsync("href");
        Assert.EndsWith($"/tours/{tour.Slug}/atom.xml?lang=es&city=St.%20Paul", atom);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Api.GetAsync(atom)).StatusCode);
    }

    [Fact]
    public async Task PastStops_AreUnderEarlier_TheStopOfToday_IsMarked_AndEachUpcomingEventCanBeAddedToACalendar()
    {
        // The fake clock reads 2026-10-01 12:00 UTC, 07:00 in Chicago: 27 and 29 Sep are past, 1 Oct is today.
        // Dates in the past cannot be claimed, so the stops are claimed while the clock still reads September.
        var now = fixture.Server.Clock.GetCurrentInstant();
        fixture.Server.Clock.Reset(now - NodaTime.Duration.FromDays(10));
        (string Slug, string TourId, string Organizer, List<string> Stops) tour;
        try { tour = await TourAsync("2026-09-20", "2026-10-20", "2026-09-27", Chicago, Milwaukee, StPaul, Madison); }
        finally { fixture.Server.Clock.Reset(now); }
        var page = await fixture.NewPageAsync(360, 780);
        await page.GotoAsync($"/t/{tour.Slug}");
        var earlier = page.Locator("details.earlier");
        await Expect(earlier.Locator("summary")).ToHaveTextAsync("Earlier (2)");
        Assert.Null(await earlier.GetAttributeAsync("open"));
        await Expect(earlier.Locator("li.stop h3").First).Not.ToBeVisibleAsync();
        var today = page.Locator($"#stop-{tour.Stops[2]}");
        await Expect(today.Locator(".badge.now")).ToHaveTextAsync("Here now");
        await Expect(page.Locator("#route-caption")).ToContainTextAsync("Now in St. Paul.");
        await Expect(page.Locator("svg .marker.past")).ToHaveCountAsync(2);

        var add = today.Locator(".event .add");
        var ics = await add.GetByRole(AriaRole.Link, new() { Name = ".ics file" }).GetAttributeAsync("href");
        var single = await fixture.Api.GetStringAsync(ics);
        Assert.Equal("Public meeting in St. Paul", Assert.Single(Ics.Events(single))["SUMMARY"]);
        var google = new Uri((await add.GetByRole(AriaRole.Link, new() { Name = "Google" }).GetAttributeAsync("href"))!);
        Assert.Equal("calendar.google.com", google.Host);
        var query = System.Web.HttpUtility.ParseQueryString(google.Query);
        Assert.Equal("TEMPLATE", query["action"]);
        Assert.Equal("20261002T000000Z/20261002T020000Z", query["dates"]); // 19:00–21:00 CDT
        Assert.Equal("America/Chicago", query["ctz"]);

        await earlier.Locator("summary").ClickAsync();
        await Expect(earlier.Locator("li.stop")).ToHaveCountAsync(2);
        Assert.Equal(0, await earlier.Locator(".add").CountAsync()); // nothing to add once it is over
        await page.ScreenshotAsync(new() { Path = "/tmp/pages-public-earlier.png", FullPage = true });
    }

    public static TheoryData<int, string> Sizes => new() { { 360, "en" }, { 360, "es" }, { 1280, "en" }, { 1280, "es" } };

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task TheWholeRoute_InBothLanguagesAtPhoneAndLaptopSize_HasNoSeriousAxeViolation(int width, string lang)
    {
        var tour = await TourAsync("2026-10-22", "2026-11-15", "2026-10-24", Chicago, StPaul, Madison, Milwaukee);
        var page = await fixture.NewPageAsync(width, width < 600 ? 780 : 900, lang == "es" ? "es-ES" : "en-US", mobile: width < 600);
        await page.GotoAsync($"/t/{tour.Slug}");
        await Expect(page.Locator("h2").First).ToHaveTextAsync(lang == "es" ? "Dónde y cuándo" : "Where and when");
        await Expect(page.Locator("li.event time").First).ToHaveTextAsync(lang == "es" ? "sáb 24 oct 19:00 CDT" : "Sat 24 Oct 19:00 CDT");
        await AssertNoSeriousAxeViolationsAsync(page, $"public page, {lang}, {width} px");
        await page.ScreenshotAsync(new() { Path = $"/tmp/pages-public-{lang}-{width}.png", FullPage = width < 600 });
    }

    [Fact]
    public async Task TheLanguageButtons_ReloadThePageInTheOtherLanguage_WithoutLosingTheCity()
    {
        var tour = await TourAsync("2026-10-22", "2026-11-15", "2026-10-24", Chicago, StPaul);
        var page = await fixture.NewPageAsync(360, 780);
        await page.GotoAsync($"/t/{tour.Slug}?city=chicago");
        await page.GetByRole(AriaRole.Button, new() { Name = "ES", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"city=chicago&lang=es$"));
        await Expect(page.Locator(".filtering")).ToContainTextAsync("Solo se muestra Chicago.");
        await Expect(page.Locator("li.event time")).ToHaveTextAsync("sáb 24 oct 19:00 CDT");
    }

    private static readonly Place[] World =
    [
        new("Vancouver", "CA", "America/Vancouver", 49.2827, -123.1207), new("Seattle", "US", "America/Los_Angeles", 47.6062, -122.3321),
        new("Portland", "US", "America/Los_Angeles", 45.5152, -122.6784), new("San Francisco", "US", "America/Los_Angeles", 37.7749, -122.4194),
        new("Los Angeles", "US", "America/Los_Angeles", 34.0522, -118.2437), new("Phoenix", "US", "America/Phoenix", 33.4484, -112.074),
        new("Denver", "US", "America/Denver", 39.7392, -104.9903), new("Dallas", "US", "America/Chicago", 32.7767, -96.797),
        new("Houston", "US", "America/Chicago", 29.7604, -95.3698), new("Chicago", "US", "America/Chicago", 41.8781, -87.6298),
        new("Detroit", "US", "America/Detroit", 42.3314, -83.0458), new("Toronto", "CA", "America/Toronto", 43.6532, -79.3832),
        new("New York", "US", "America/New_York", 40.7128, -74.006), new("Boston", "US", "America/New_York", 42.3601, -71.0589),
        new("Miami", "US", "America/New_York", 25.7617, -80.1918), new("Ciudad de México", "MX", "America/Mexico_City", 19.4326, -99.1332),
        new("Ciudad de Guatemala", "GT", "America/Guatemala", 14.6349, -90.5069), new("San Salvador", "SV", "America/El_Salvador", 13.6929, -89.2182),
        new("Managua", "NI", "America/Managua", 12.114, -86.2362), new("Bogotá", "CO", "America/Bogota", 4.711, -74.0721),
        new("Lima", "PE", "America/Lima", -12.0464, -77.0428), new("Santiago", "CL", "America/Santiago", -33.4489, -70.6693),
        new("Buenos Aires", "AR", "America/Argentina/Buenos_Aires", -34.6037, -58.3816), new("Montevideo", "UY", "America/Montevideo", -34.9011, -56.1645),
        new("São Paulo", "BR", "America/Sao_Paulo", -23.5505, -46.6333), new("Dakar", "SN", "Africa/Dakar", 14.7167, -17.4677),
        new("Lisboa", "PT", "Europe/Lisbon", 38.7223, -9.1393), new("Madrid", "ES", "Europe/Madrid", 40.4168, -3.7038),
        new("Barcelona", "ES", "Europe/Madrid", 41.3874, 2.1686), new("Paris", "FR", "Europe/Paris", 48.8566, 2.3522),
        new("London", "GB", "Europe/London", 51.5074, -0.1278), new("Dublin", "IE", "Europe/Dublin", 53.3498, -6.2603),
        new("Amsterdam", "NL", "Europe/Amsterdam", 52.3676, 4.9041), new("Berlin", "DE", "Europe/Berlin", 52.52, 13.405),
        new("Roma", "IT", "Europe/Rome", 41.9028, 12.4964), new("Athína", "GR", "Europe/Athens", 37.9838, 23.7275),
        new("Istanbul", "TR", "Europe/Istanbul", 41.0082, 28.9784), new("Cairo", "EG", "Africa/Cairo", 30.0444, 31.2357),
        new("Nairobi", "KE", "Africa/Nairobi", -1.2921, 36.8219), new("Johannesburg", "ZA", "Africa/Johannesburg", -26.2041, 28.0473),
    ];

    [Fact]
    public async Task AFortyStopTourAcrossContinents_WithEverythingItLoads_IsUnder50KBOverTheWire()
    {
        var tour = await TourAsync("2026-10-02", "2026-12-31", "2026-10-02", World);
        var page = await fixture.NewPageAsync(360, 780);
        var loaded = new List<string>();
        page.RequestFinished += (_, request) => loaded.Add(request.Url);
        await page.GotoAsync($"/t/{tour.Slug}", new() { WaitUntil = WaitUntilState.NetworkIdle });
        await Expect(page.Locator("svg.route-map .marker")).ToHaveCountAsync(40);
        await AssertNoSeriousAxeViolationsAsync(page, "40-stop tour, en, 360 px");
        await page.ScreenshotAsync(new() { Path = "/tmp/pages-public-world-360.png" });
        var wide = await fixture.NewPageAsync(1280, 900, mobile: false);
        await wide.GotoAsync($"/t/{tour.Slug}");
        await wide.Locator("figure.route").ScreenshotAsync(new() { Path = "/tmp/pages-public-world-map.png" });

        Assert.Contains(loaded, u => u.EndsWith($"/t/{tour.Slug}", StringComparison.Ordinal));
        Assert.Contains(loaded, u => u.EndsWith("/assets/app.css", StringComparison.Ordinal));
        Assert.True(loaded.Count >= 3, string.Join(", ", loaded));
        using var raw = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None });
        foreach (var encoding in new[] { "br", "gzip" })
        {
            long total = 0;
            foreach (var url in loaded.Distinct())
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                request.Headers.TryAddWithoutValidation("Accept-Encoding", encoding);
                using var response = await raw.SendAsync(request);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal(encoding, Assert.Single(response.Content.Headers.ContentEncoding));
                var bytes = (await response.Content.ReadAsByteArrayAsync()).Length;
                output.WriteLine($"{encoding} {bytes,7} {url}");
                total += bytes;
            }
            output.WriteLine($"{encoding} total {total} bytes");
            Assert.InRange(total, 1, 50 * 1024);
        }
    }

    [Fact]
    public async Task ThePageAndItsAssets_Revalidate_With304_PerEncoding()
    {
        var tour = await TourAsync("2026-10-22", "2026-11-15", "2026-10-24", Chicago);
        using var raw = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = fixture.BaseAddress };
        foreach (var path in new[] { $"/t/{tour.Slug}", "/assets/app.css", "/assets/public.js" })
        {
            using var first = new HttpRequestMessage(HttpMethod.Get, path);
            first.Headers.TryAddWithoutValidation("Accept-Encoding", "br");
            using var response = await raw.SendAsync(first);
            Assert.Equal("br", Assert.Single(response.Content.Headers.ContentEncoding));
            Assert.Contains("Accept-Encoding", response.Headers.Vary);
            using var again = new HttpRequestMessage(HttpMethod.Get, path);
            again.Headers.TryAddWithoutValidation("Accept-Encoding", "br");
            again.Headers.IfNoneMatch.Add(response.Headers.ETag!);
            Assert.Equal(HttpStatusCode.NotModified, (await raw.SendAsync(again)).StatusCode);
            using var gzip = new HttpRequestMessage(HttpMethod.Get, path);
            gzip.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip");
            gzip.Headers.IfNoneMatch.Add(response.Headers.ETag!); // the Brotli tag does not match the gzip bytes
            Assert.Equal(HttpStatusCode.OK, (await raw.SendAsync(gzip)).StatusCode);
        }
    }
}
