namespace TourPlanner.Grains.Domain;

/// <summary>Estimates how long it takes to get from one place to another. Real routing plugs in behind this.</summary>
public interface ITravelTimeEstimator
{
    /// <summary>The travel estimate between two points.</summary>
    ValueTask<TravelEstimate> EstimateAsync(GeoPoint from, GeoPoint to, CancellationToken cancellationToken = default);
}

/// <summary>Great-circle distance (stands in for GeoCoordinate.NetCore, which does not restore here).</summary>
public static class GreatCircle
{
    public const double EarthRadiusKm = 6371.0088; // IUGG mean radius

    /// <summary>Haversine distance in kilometres.</summary>
    public static double DistanceKm(GeoPoint a, GeoPoint b)
    {
        static double Rad(double deg) => deg * Math.PI / 180.0;
        var dLat = Rad(b.Latitude - a.Latitude);
        var dLon = Rad(b.Longitude - a.Longitude);
        var h = Math.Sin(dLat / 2) * Math.Sin(dLat / 2) +
                Math.Cos(Rad(a.Latitude)) * Math.Cos(Rad(b.Latitude)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2);
        return 2 * EarthRadiusKm * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }
}

/// <summary>Parameters of the built-in travel model.</summary>
public sealed record TravelModelOptions
{
    /// <summary>Roads are longer than the great circle; 1.3 is a common average detour factor.</summary>
    public double RoadFactor { get; init; } = 1.3;
    /// <summary>Average door-to-door driving speed including stops.</summary>
    public double DrivingSpeedKmh { get; init; } = 80;
    /// <summary>Up to this road distance the speaker always drives; above it, whichever is faster.</summary>
    public double DriveThresholdKm { get; init; } = 500;
    public double CruiseSpeedKmh { get; init; } = 800;
    /// <summary>Getting to the airport, check-in, security, boarding, taxi, baggage, and into town.</summary>
    public int AirportOverheadMinutes { get; init; } = 180;
    /// <summary>Places closer than this are the same place: no travel leg.</summary>
    public double SamePlaceKm { get; init; } = 2;
}

/// <summary>
/// The documented built-in model: haversine distance; drive (distance × road factor at an average speed) up to
/// the threshold; beyond it, the faster of driving and flying (great circle at cruise speed plus airport overheads).
/// </summary>
public sealed class GreatCircleTravelEstimator(TravelModelOptions options) : ITravelTimeEstimator
{
    public GreatCircleTravelEstimator() : this(new TravelModelOptions()) { }

    public ValueTask<TravelEstimate> EstimateAsync(GeoPoint from, GeoPoint to, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Estimate(from, to));

    public TravelEstimate Estimate(GeoPoint from, GeoPoint to)
    {
        var km = GreatCircle.DistanceKm(from, to);
        if (km < options.SamePlaceKm)
            return new TravelEstimate { Mode = "none", DistanceKm = Math.Round(km, 1), Minutes = 0, Source = "estimate" };
        var roadKm = km * options.RoadFactor;
        var drive = new TravelEstimate
        {
            Mode = "drive", DistanceKm = Math.Round(roadKm, 1),
            Minutes = (int)Math.Ceiling(roadKm / options.DrivingSpeedKmh * 60), Source = "estimate",
        };
        if (roadKm <= options.DriveThresholdKm) return drive;
        var fly = new TravelEstimate
        {
            Mode = "fly", DistanceKm = Math.Round(km, 1),
            Minutes = (int)Math.Ceiling(km / options.CruiseSpeedKmh * 60) + options.AirportOverheadMinutes, Source = "estimate",
        };
        return fly.Minutes < drive.Minutes ? fly : drive;
    }
}

/// <summary>Travel legs known without asking anyone: what a grain may use inside its turn.</summary>
public interface ITravelTable
{
    /// <summary>The leg between two points.</summary>
    TravelEstimate Leg(GeoPoint from, GeoPoint to);
}

/// <summary>
/// Legs the Gateway looked up (and routed legs the tour kept from earlier confirms), falling back to the built-in
/// model for any pair not among them. No I/O: this is how a grain's rules see travel.
/// </summary>
public sealed class TravelTable(IReadOnlyDictionary<string, TravelEstimate> legs, GreatCircleTravelEstimator builtIn) : ITravelTable, ITravelTimeEstimator
{
    public static readonly TravelTable BuiltIn = new(new Dictionary<string, TravelEstimate>(), new GreatCircleTravelEstimator());

    /// <summary>Handed-in legs win over remembered ones.</summary>
    public static TravelTable From(IEnumerable<LegFact> facts, IEnumerable<LegFact>? known = null, GreatCircleTravelEstimator? builtIn = null)
    {
        var table = new Dictionary<string, TravelEstimate>();
        foreach (var f in (known ?? []).Concat(facts)) table[TravelCacheKey.For(f.From, f.To)] = f.Estimate;
        return new TravelTable(table, builtIn ?? new GreatCircleTravelEstimator());
    }

    public TravelEstimate Leg(GeoPoint from, GeoPoint to)
    {
        var estimate = builtIn.Estimate(from, to);
        // Places that are the same place stay so, whatever a router says about a 50 m drive.
        if (estimate.Mode == "none") return estimate;
        return legs.TryGetValue(TravelCacheKey.For(from, to), out var known) ? known : estimate;
    }

    public ValueTask<TravelEstimate> EstimateAsync(GeoPoint from, GeoPoint to, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Leg(from, to));
}
