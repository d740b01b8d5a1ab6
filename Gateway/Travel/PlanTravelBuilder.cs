using System.Diagnostics;
using System.Globalization;
using TourPlanner.Grains;
using TourPlanner.Grains.Domain;
using TourPlanner.Grains.Planning;

namespace TourPlanner.Gateway.Travel;

/// <summary>
/// The travel legs between every pair of places a plan needs (the active stops and the speakers' homes), gathered here,
/// outside the cluster, and handed to the planner grain, which makes no outside call. One OSRM <c>table</c> request
/// when OSRM is configured (bounded by <c>Travel:Deadline</c>), the built-in model otherwise and for every pair OSRM
/// does not answer. The rule is <see cref="RoutedTravelEstimator"/>'s: a pair within the drive threshold is driven, so
/// OSRM's figure replaces the guess; beyond it flights compete and the built-in model decides alone.
/// </summary>
public sealed class PlanTravelBuilder(TravelModelOptions model, ILogger<PlanTravelBuilder> logger, IOsrmApi? osrm = null, RoutedTravelOptions? routed = null)
{
    private readonly GreatCircleTravelEstimator _builtIn = new(model);

    /// <summary>The places of a planning input, homes first, each once, at most <see cref="PlanTravelEstimator.MaxPlaces"/>.</summary>
    public static List<GeoPoint> Places(PlanningInput input) =>
        [.. input.Tour.Speakers.Select(s => s.Home).Concat(input.Stops.Select(s => s.Location))
            .OfType<GeoPoint>().Distinct().Take(PlanTravelEstimator.MaxPlaces)];

    public async Task<PlanTravel> BuildAsync(PlanningInput input, CancellationToken ct)
    {
        var places = Places(input);
        var n = places.Count;
        var legs = new TravelEstimate?[n * n];
        var routable = new List<(int I, int J)>();
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++)
            {
                var estimate = legs[i * n + j] = _builtIn.Estimate(places[i], places[j]);
                if (estimate.Mode != "none" && GreatCircle.DistanceKm(places[i], places[j]) * model.RoadFactor <= model.DriveThresholdKm) routable.Add((i, j));
            }
        if (osrm is not null && routable.Count > 0) await RouteAsync(osrm, places, legs, routable, ct);
        return new PlanTravel { Places = [.. places], Legs = [.. legs] };
    }

    private async Task RouteAsync(IOsrmApi api, List<GeoPoint> places, TravelEstimate?[] legs, List<(int I, int J)> routable, CancellationToken ct)
    {
        var n = places.Count;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter((routed ?? new RoutedTravelOptions()).Deadline);
        var watch = Stopwatch.StartNew();
        try
        {
            var coordinates = string.Join(';', places.Select(p => $"{Coordinate(p.Longitude)},{Coordinate(p.Latitude)}"));
            var table = await api.MatrixAsync(coordinates, deadline.Token);
            if (table.Code != "Ok" || table.Durations is not { } durations || durations.Count != n || durations.Any(r => r is null || r.Count != n))
            {
                logger.LogWarning("OSRM table answered {Code} ({Message}) for {Count} places; using the built-in estimates", table.Code, table.Message, n);
                return;
            }
            foreach (var (i, j) in routable)
            {
                if (durations[i][j] is not { } seconds || !double.IsFinite(seconds) || seconds < 0) continue;
                var metres = table.Distances is { } d && d.Count == n && d[i] is { } row && row.Count == n && row[j] is { } m && double.IsFinite(m) && m >= 0 ? m : (double?)null;
                legs[i * n + j] = new TravelEstimate
                {
                    Mode = "drive", DistanceKm = metres is { } km ? Math.Round(km / 1000, 1) : legs[i * n + j]!.DistanceKm,
                    Minutes = (int)Math.Ceiling(seconds / 60), Source = "osrm",
                };
            }
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            // Timeouts, HTTP errors after retries, an open circuit, bad JSON: the built-in estimates stand, marked as such.
            logger.LogWarning("OSRM table failed after {Elapsed} ms for {Count} places ({Error}: {Message}); using the built-in estimates",
                watch.ElapsedMilliseconds, n, ex.GetType().Name, ex.Message);
        }
    }

    private static string Coordinate(double degrees) => degrees.ToString("0.######", CultureInfo.InvariantCulture);
}
