using NodaTime;

namespace TourPlanner.Grains;

/// <summary>
/// One routed travel estimate for one directed pair of rounded coordinates (the grain key, see
/// <see cref="TravelCacheKey"/>), kept in the store so a confirm never waits on the network for a pair it has seen.
/// </summary>
public interface ITravelCacheGrain : IGrainWithStringKey
{
    /// <summary>The stored estimate while it is fresh by the injected clock; null when missing or expired.</summary>
    Task<TravelEstimate?> GetAsync();
    /// <summary>Stores an estimate that stays fresh for the given time to live.</summary>
    Task PutAsync(TravelEstimate estimate, Duration timeToLive);
}

/// <summary>Keys of <see cref="ITravelCacheGrain"/>.</summary>
public static class TravelCacheKey
{
    /// <summary>
    /// Three decimals is about 110 m of latitude: two venues in the same block share a route, and a route does not
    /// change within a block. Road legs can differ by direction (one-way streets, ramps), so the key is directed.
    /// </summary>
    public static string For(GeoPoint from, GeoPoint to) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{from.Latitude:F3},{from.Longitude:F3};{to.Latitude:F3},{to.Longitude:F3}");
}
