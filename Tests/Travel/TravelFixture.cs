using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using NodaTime.Testing;
using TourPlanner.Grains;
using TourPlanner.Grains.Domain;
using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Travel;

/// <summary>The Gateway with the given settings on top of <see cref="GatewayFactory.Configure"/>.</summary>
public sealed class TravelGatewayFactory(IReadOnlyDictionary<string, string> settings) : WebApplicationFactory<Program>
{
    public FakeClock Clock { get; } = new(ClusterFixture.Epoch);
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "tourplanner-tests", Guid.NewGuid().ToString("N"));

    public ITravelTimeEstimator Estimator => Services.GetRequiredService<ITravelTimeEstimator>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        GatewayFactory.Configure(builder, Clock, DataDirectory);
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
    }
}

/// <summary>Fake OSRM, Nominatim and time-zone lookup, and a Gateway configured to use all three.</summary>
public sealed class TravelFixture : IAsyncLifetime
{
    /// <summary>Short enough that the fault tests run quickly, long enough for a 1 s Retry-After plus a retry.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(2);

    public FakeServices Fake { get; private set; } = null!;
    public TravelGatewayFactory Gateway { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Fake = await FakeServices.StartAsync();
        Gateway = new TravelGatewayFactory(Settings(Fake.BaseUrl, breakerMinimumThroughput: 1000, geocoding: true));
        _ = Gateway.Services; // start the Gateway and its silo now, not inside the first test's stopwatch
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Fake.DisposeAsync();
    }

    public static Dictionary<string, string> Settings(Uri fake, int breakerMinimumThroughput, bool geocoding)
    {
        var s = new Dictionary<string, string>
        {
            ["Travel:OsrmBaseUrl"] = fake.ToString(),
            ["Travel:Deadline"] = Deadline.ToString(),
            ["Travel:AttemptTimeout"] = "00:00:00.500",
            ["Travel:RetryDelay"] = "00:00:00.050",
            ["Travel:Retries"] = "2",
            ["Travel:BreakerMinimumThroughput"] = breakerMinimumThroughput.ToString(),
            ["Travel:BreakDuration"] = "00:01:00",
        };
        if (geocoding)
        {
            s["Geocoding:NominatimBaseUrl"] = fake.ToString();
            s["Geocoding:Deadline"] = Deadline.ToString();
            s["Geocoding:AttemptTimeout"] = "00:00:00.500";
            s["Geocoding:RetryDelay"] = "00:00:00.050";
            s["Geocoding:BreakerMinimumThroughput"] = "1000";
            s["TimeZones:LookupBaseUrl"] = fake.ToString();
            s["TimeZones:Username"] = "tourplanner-test";
            s["TimeZones:Deadline"] = Deadline.ToString();
            s["TimeZones:AttemptTimeout"] = "00:00:00.500";
            s["TimeZones:RetryDelay"] = "00:00:00.050";
            s["TimeZones:BreakerMinimumThroughput"] = "1000";
        }
        return s;
    }
}

[CollectionDefinition(Name)]
public sealed class TravelCollection : ICollectionFixture<TravelFixture>
{
    public const string Name = "travel";
}

/// <summary>Places for legs; each test takes its own origin so no test sees another's cached route.</summary>
public static class Places
{
    public static readonly GeoPoint Chicago = new(41.8781, -87.6298);
    public static readonly GeoPoint Milwaukee = new(43.0389, -87.9065);
    public static readonly GeoPoint LosAngeles = new(34.0522, -118.2437);

    private static int _next;

    /// <summary>A Chicago-area origin no other test uses (≈1 km apart, so rounded keys differ).</summary>
    public static GeoPoint FreshChicago() => Chicago with { Latitude = Chicago.Latitude + 0.01 * Interlocked.Increment(ref _next) };
}
