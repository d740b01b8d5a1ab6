using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using NodaTime.Testing;
using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Feeds;

/// <summary>
/// The Gateway on real Kestrel (so Host headers arrive as a client sends them) with a configured public address and
/// small feed limits: a 300 KB cache and 60 KB per feed, so a few large tours are enough to press on both bounds.
/// </summary>
public sealed class PublicFeedsServer : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string PublicBase = "https://tours.example.org";
    public const long CacheBytes = 300_000;
    public const long MaxFeedBytes = 60_000;

    public FakeClock Clock { get; } = new(ClusterFixture.Epoch);
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "tourplanner-tests", "public-feeds-" + Guid.NewGuid().ToString("N"));
    public HttpClient Api { get; private set; } = null!;

    public PublicFeedsServer() => UseKestrel(GatewayFactory.FreePort());

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        GatewayFactory.Configure(builder, Clock, DataDirectory);
        builder.UseSetting("Gateway:PublicBaseUrl", PublicBase + "/");
        builder.UseSetting("Feeds:CacheBytes", CacheBytes.ToString());
        builder.UseSetting("Feeds:MaxFeedBytes", MaxFeedBytes.ToString());
    }

    public Task InitializeAsync()
    {
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Api = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None })
        {
            BaseAddress = new Uri(address.Replace("localhost", "127.0.0.1")),
        };
        return Task.CompletedTask;
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        Api?.Dispose();
        await DisposeAsync();
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
    }
}

[CollectionDefinition(Name)]
public sealed class PublicFeedsCollection : ICollectionFixture<PublicFeedsServer>
{
    public const string Name = "public-feeds";
}

/// <summary>A confirmed tour whose public feed is large: <paramref name="days"/> stops of ten public events with long descriptions.</summary>
public sealed record LargeTour(string TourId, string Slug, string Organizer, IReadOnlyList<string> Cities)
{
    public static async Task<LargeTour> CreateAsync(HttpClient api, int days, string name = "Large tour", params (string City, string Zone, double Lat, double Lon)[] places)
    {
        var created = await ApiScenario.Ok(await api.SendAsync(HttpMethod.Post, "/api/tours", body: new
        {
            name, description = "A long tour.", timeZone = "America/Chicago", startDate = "2026-10-02", endDate = "2026-12-20",
            speakers = new[] { new { name = "Speaker", homeCity = "Chicago", homeTimeZone = "America/Chicago", homeLatitude = 41.88, homeLongitude = -87.63 } },
            rules = new { maxEventsPerDay = 20, minRestMinutes = 0, travelBufferMinutes = 0 },
        }), HttpStatusCode.Created);
        var id = created.Str("id");
        var organizer = created.Str("organizerToken");
        var host = await ApiScenario.Ok(await api.SendAsync(HttpMethod.Post, $"/api/tours/{id}/hosts", organizer, new { name = "Host group", city = "Chicago" }), HttpStatusCode.Created);
        var token = host.Str("inviteToken");
        places = places.Length > 0 ? places : [("Chicago", "America/Chicago", 41.8781, -87.6298), ("Evanston", "America/Chicago", 42.0451, -87.6877)];
        for (var day = 0; day < days; day++)
        {
            var (city, zone, lat, lon) = places[day % places.Length];
            var date = new DateOnly(2026, 10, 2).AddDays(day * 2).ToString("yyyy-MM-dd");
            var claim = await ApiScenario.Ok(await api.SendAsync(HttpMethod.Post, $"/api/tours/{id}/claims", token, new
            {
                city, country = "US", timeZone = zone, latitude = lat, longitude = lon, dates = new[] { date },
                venue = new { name = $"Union hall, {city}", address = "1 Main St" },
                events = Enumerable.Range(0, 10).Select(k => new
                {
                    title = $"Meeting {k + 1} in {city} on {date}", start = $"{date}T{8 + k:00}:00", durationMinutes = 45, @public = true,
                    description = string.Concat(Enumerable.Repeat($"Meeting {k + 1} of the day in {city}. Bring friends, banners and flags. ", 6)),
                }).ToArray(),
            }), HttpStatusCode.Created);
            await ApiScenario.Ok(await api.SendAsync(HttpMethod.Post, $"/api/tours/{id}/claims/{claim.Str("claimId")}/confirm", organizer), HttpStatusCode.OK);
        }
        return new LargeTour(id, created.Str("slug"), organizer, [.. places.Take(days).Select(p => p.City).Distinct()]);
    }
}
