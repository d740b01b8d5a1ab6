using System.Diagnostics;
using System.Globalization;
using NodaTime;
using TourPlanner.Grains;
using TourPlanner.Grains.Domain;

namespace TourPlanner.Gateway.Travel;

/// <summary>Settings of <see cref="RoutedTravelEstimator"/> beyond the HTTP client's.</summary>
public sealed record RoutedTravelOptions
{
    /// <summary>Bounds every estimate, cache look-up included; past it the built-in model answers.</summary>
    public TimeSpan Deadline { get; init; } = TimeSpan.FromSeconds(3);
    /// <summary>Roads rarely change; a week keeps closures and new bypasses from living on for long.</summary>
    public Duration CacheTimeToLive { get; init; } = Duration.FromDays(7);
}

/// <summary>
/// Driving legs from OSRM, everything else from the built-in model. The rule: a leg whose built-in road distance is
/// within <see cref="TravelModelOptions.DriveThresholdKm"/> is one the speaker always drives, so OSRM's route replaces
/// the guess; beyond it flights compete and, as flights have no open API, the built-in model decides alone.
/// Routed answers are cached per rounded pair in <see cref="ITravelCacheGrain"/> (source <c>cache</c>); any failure —
/// timeout, 5xx after retries, an open circuit, an OSRM error code or garbage — falls back to the built-in model with
/// source <c>estimate</c>, so nobody mistakes an estimate for a route. Fallbacks are not cached: the next call tries
/// OSRM again, and the circuit breaker keeps that cheap while OSRM is down.
/// </summary>
public sealed class RoutedTravelEstimator(
    IOsrmApi osrm, IGrainFactory grains, GreatCircleTravelEstimator builtIn, TravelModelOptions model,
    RoutedTravelOptions options, ILogger<RoutedTravelEstimator> logger) : ITravelTimeEstimator
{
    public async ValueTask<TravelEstimate> EstimateAsync(GeoPoint from, GeoPoint to, CancellationToken cancellationToken = default)
    {
        var estimate = builtIn.Estimate(from, to);
        if (estimate.Mode == "none" || GreatCircle.DistanceKm(from, to) * model.RoadFactor > model.DriveThresholdKm) return estimate;

        var cache = grains.GetGrain<ITravelCacheGrain>(TravelCacheKey.For(from, to));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // Our own deadline, not only Polly's: Polly's total timeout ends when the response headers arrive, while a
        // slow drip of the body would keep Refit's deserializer waiting. This token reaches the body read as well.
        deadline.CancelAfter(options.Deadline);
        var watch = Stopwatch.StartNew();
        try
        {
            if (await cache.GetAsync().WaitAsync(deadline.Token) is { } cached) return cached with { Source = "cache" };

            var route = await osrm.RouteAsync(Coordinate(from.Longitude), Coordinate(from.Latitude),
                Coordinate(to.Longitude), Coordinate(to.Latitude), deadline.Token);
            if (route.Code != "Ok" || route.Routes is not [var best, ..] || !double.IsFinite(best.Duration) || !double.IsFinite(best.Distance)
                || best.Duration < 0 || best.Distance < 0)
            {
                logger.LogWarning("OSRM answered {Code} ({Message}) for {From} → {To}; using the built-in estimate",
                    route.Code, route.Message, from, to);
                return estimate;
            }
            var routed = new TravelEstimate
            {
                Mode = "drive", DistanceKm = Math.Round(best.Distance / 1000, 1),
                Minutes = (int)Math.Ceiling(best.Duration / 60), Source = "osrm",
            };
            try { await cache.PutAsync(routed, options.CacheTimeToLive).WaitAsync(deadline.Token); }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning("Could not cache the route {From} → {To}: {Message}", from, to, ex.Message);
            }
            return routed;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Timeouts, HTTP errors after retries, an open circuit (BrokenCircuitException), bad JSON, a cut connection.
            logger.LogWarning("OSRM failed after {Elapsed} ms for {From} → {To} ({Error}: {Message}); using the built-in estimate",
                watch.ElapsedMilliseconds, from, to, ex.GetType().Name, ex.Message);
            return estimate;
        }
    }

    private static string Coordinate(double degrees) => degrees.ToString("0.######", CultureInfo.InvariantCulture);
}
