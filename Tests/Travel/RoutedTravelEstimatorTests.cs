using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using TourPlanner.Gateway.Travel;
using TourPlanner.Grains;

namespace TourPlanner.Tests.Travel;

/// <summary>OSRM through Refit and Polly against the loopback fake: routes, the cache, and every fault falling back in time.</summary>
[Collection(TravelCollection.Name)]
public sealed class RoutedTravelEstimatorTests : IDisposable
{
    /// <summary>Room for a loaded CI machine on top of the deadline; the bound is behaviour, not a benchmark.</summary>
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(1.5);

    private readonly TravelFixture _f;

    public RoutedTravelEstimatorTests(TravelFixture fixture)
    {
        _f = fixture;
        _f.Fake.Reset();
    }

    public void Dispose() => _f.Fake.Reset();

    private async Task<(TravelEstimate Estimate, TimeSpan Elapsed)> TimedAsync(GeoPoint from, GeoPoint to)
    {
        var watch = Stopwatch.StartNew();
        var estimate = await _f.Gateway.Estimator.EstimateAsync(from, to);
        return (estimate, watch.Elapsed);
    }

    [Fact]
    public async Task Estimate_WhenOsrmAnswers_UsesItsRouteWithSourceOsrm()
    {
        var origin = Places.FreshChicago();
        var (estimate, _) = await TimedAsync(origin, Places.Milwaukee);

        Assert.Equal(("drive", Samples.OsrmMinutes, Samples.OsrmKm, "osrm"), (estimate.Mode, estimate.Minutes, estimate.DistanceKm, estimate.Source));
        var (path, _) = Assert.Single(_f.Fake.Osrm.Requests);
        static string F(double d) => d.ToString("0.######", System.Globalization.CultureInfo.InvariantCulture);
        Assert.StartsWith($"/route/v1/driving/{F(origin.Longitude)},{F(origin.Latitude)};-87.9065,43.0389?overview=false", path);
    }

    [Fact]
    public async Task Estimate_ForAPairSeenBefore_AnswersFromTheCacheWithoutCallingOsrm()
    {
        var origin = Places.FreshChicago();
        await _f.Gateway.Estimator.EstimateAsync(origin, Places.Milwaukee);
        _f.Fake.Osrm.Reset(Replies.Hang); // a network call now would show as a slow estimate

        var (estimate, _) = await TimedAsync(origin with { Latitude = origin.Latitude + 0.0001 }, Places.Milwaukee);

        Assert.Equal(("cache", Samples.OsrmMinutes), (estimate.Source, estimate.Minutes));
        Assert.Equal(0, _f.Fake.Osrm.Count);
    }

    [Fact]
    public async Task Estimate_AfterTheCacheTimeToLive_AsksOsrmAgain()
    {
        var origin = Places.FreshChicago();
        await _f.Gateway.Estimator.EstimateAsync(origin, Places.Milwaukee);
        _f.Gateway.Clock.Advance(Duration.FromDays(8));

        var (estimate, _) = await TimedAsync(origin, Places.Milwaukee);

        Assert.Equal("osrm", estimate.Source);
        Assert.Equal(2, _f.Fake.Osrm.Count);
    }

    [Fact]
    public async Task Estimate_ForALegBeyondTheDrivingThreshold_UsesTheAirModelWithoutCallingOsrm()
    {
        var (estimate, _) = await TimedAsync(Places.FreshChicago(), Places.LosAngeles);

        Assert.Equal(("fly", "estimate"), (estimate.Mode, estimate.Source));
        Assert.Equal(0, _f.Fake.Osrm.Count);
    }

    public static TheoryData<string> Faults() => ["timeout", "500", "truncated", "malformed", "slow drip", "invalid query", "no route", "empty routes"];

    private static Reply Fault(string name) => name switch
    {
        "timeout" => Replies.Hang,
        "500" => Replies.Json(500, "<html><body><h1>500 Internal Server Error</h1></body></html>"),
        "truncated" => Replies.Truncated(Samples.OsrmRoute),
        "malformed" => Replies.Json(200, Samples.OsrmMalformed),
        "slow drip" => Replies.SlowDrip(Samples.OsrmRoute),
        "invalid query" => Replies.Json(400, Samples.OsrmInvalidQuery),
        "no route" => Replies.Json(400, Samples.OsrmNoRoute),
        "empty routes" => Replies.Json(200, """{"code":"Ok","routes":[],"waypoints":[]}"""),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task Estimate_WhenOsrmFails_FallsBackToTheBuiltInEstimateWithinTheDeadline(string fault)
    {
        _f.Fake.Osrm.Reset(Fault(fault));
        var origin = Places.FreshChicago();

        var (estimate, elapsed) = await TimedAsync(origin, Places.Milwaukee);

        Assert.Equal("estimate", estimate.Source);
        Assert.Equal("drive", estimate.Mode);
        Assert.NotEqual(Samples.OsrmMinutes, estimate.Minutes);
        Assert.True(elapsed < TravelFixture.Deadline + Margin, $"{fault}: answered after {elapsed.TotalMilliseconds:0} ms");
        Assert.True(_f.Fake.Osrm.Count >= 1, "the fake was never asked");
    }

    [Fact]
    public async Task Estimate_When500Persists_RetriesBeforeFallingBack()
    {
        _f.Fake.Osrm.Reset(Replies.Json(503, "Service Unavailable"));

        var (estimate, _) = await TimedAsync(Places.FreshChicago(), Places.Milwaukee);

        Assert.Equal("estimate", estimate.Source);
        Assert.Equal(3, _f.Fake.Osrm.Count); // the first try and two retries
    }

    [Fact]
    public async Task Estimate_WhenOsrmFailsOnce_SucceedsOnTheRetry()
    {
        _f.Fake.Osrm.Reset(Replies.Json(502, "Bad Gateway"), Replies.Json(200, Samples.OsrmRoute));

        var (estimate, _) = await TimedAsync(Places.FreshChicago(), Places.Milwaukee);

        Assert.Equal(("osrm", 2), (estimate.Source, _f.Fake.Osrm.Count));
    }

    [Fact]
    public async Task Estimate_When429WithRetryAfter_WaitsThatLongThenUsesTheRoute()
    {
        _f.Fake.Osrm.Reset(
            Replies.Json(429, """{"message":"Too Many Requests"}""", ("Retry-After", "1")),
            Replies.Json(200, Samples.OsrmRoute));

        var (estimate, elapsed) = await TimedAsync(Places.FreshChicago(), Places.Milwaukee);

        Assert.Equal("osrm", estimate.Source);
        var hits = _f.Fake.Osrm.Requests.ToArray();
        Assert.Equal(2, hits.Length);
        // The configured back-off is 50 ms; only the header explains a gap of about a second.
        Assert.True(hits[1].At - hits[0].At >= TimeSpan.FromMilliseconds(950), $"retried after {(hits[1].At - hits[0].At).TotalMilliseconds:0} ms");
        Assert.True(elapsed < TravelFixture.Deadline + Margin);
    }
}

/// <summary>The Refit client against the documented table shape (the planner's matrix will use it).</summary>
[Collection(TravelCollection.Name)]
public sealed class OsrmTableTests(TravelFixture f)
{
    [Fact]
    public async Task Table_ReadsDurationsAndDistancesOfTheDocumentedShape()
    {
        var osrm = f.Gateway.Services.GetRequiredService<IOsrmApi>();

        var table = await osrm.TableAsync("-87.6298", "41.8781", "-87.9065", "43.0389", CancellationToken.None);

        Assert.Equal("Ok", table.Code);
        Assert.Equal(5498.2, table.Durations![1][0]);
        Assert.Equal(147312.4, table.Distances![0][1]);
        Assert.EndsWith("/table/v1/driving/-87.6298,41.8781;-87.9065,43.0389?annotations=duration,distance",
            f.Fake.OsrmTable.Requests.Last().PathAndQuery);
    }
}

/// <summary>A Gateway whose circuit breaker opens after a few failures, and which has no geocoding configured.</summary>
public sealed class OsrmOnlyGateway : IAsyncLifetime
{
    public FakeServices Fake { get; private set; } = null!;
    public TravelGatewayFactory Gateway { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Fake = await FakeServices.StartAsync();
        Gateway = new TravelGatewayFactory(TravelFixture.Settings(Fake.BaseUrl, breakerMinimumThroughput: 4, geocoding: false));
        _ = Gateway.Services;
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Fake.DisposeAsync();
    }
}

public sealed class CircuitBreakerTests(OsrmOnlyGateway f) : IClassFixture<OsrmOnlyGateway>
{
    [Fact]
    public async Task Estimate_AfterRepeatedFailures_OpensTheCircuitSoNoMoreCallsReachOsrm()
    {
        f.Fake.Osrm.Reset(Replies.Json(500, "Internal Server Error"));
        for (var i = 0; i < 3; i++)
            Assert.Equal("estimate", (await f.Gateway.Estimator.EstimateAsync(Places.FreshChicago(), Places.Milwaukee)).Source);
        var seen = f.Fake.Osrm.Count;

        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 3; i++)
            Assert.Equal("estimate", (await f.Gateway.Estimator.EstimateAsync(Places.FreshChicago(), Places.Milwaukee)).Source);

        Assert.True(seen > 0);
        Assert.Equal(seen, f.Fake.Osrm.Count);
        Assert.True(watch.Elapsed < TravelFixture.Deadline, $"three estimates with the circuit open took {watch.ElapsedMilliseconds} ms");
    }
}
