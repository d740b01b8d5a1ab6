using System.Text.Json.Serialization;
using Refit;

namespace TourPlanner.Gateway.Travel;

/// <summary>
/// OSRM's HTTP API (https://project-osrm.org/docs/v5.24.0/api/). Coordinates are <c>lon,lat</c> pairs joined by
/// <c>;</c>. Each coordinate is its own path parameter because Refit escapes the <c>,</c> and <c>;</c> inside one.
/// </summary>
public interface IOsrmApi
{
    /// <summary>The fastest driving route between two points; <c>overview=false</c> leaves out the geometry we do not draw.</summary>
    [Get("/route/v1/driving/{fromLon},{fromLat};{toLon},{toLat}?overview=false")]
    Task<OsrmRouteResponse> RouteAsync(string fromLon, string fromLat, string toLon, string toLat, CancellationToken cancellationToken);

    /// <summary>Durations (s) and distances (m) between two points as a 2×2 table.</summary>
    [Get("/table/v1/driving/{fromLon},{fromLat};{toLon},{toLat}?annotations=duration,distance")]
    Task<OsrmTableResponse> TableAsync(string fromLon, string fromLat, string toLon, string toLat, CancellationToken cancellationToken);

    /// <summary>
    /// Durations (s) and distances (m) between every pair of the points, as an n×n table; <paramref name="coordinates"/>
    /// is <c>lon,lat;lon,lat;…</c>. Refit escapes its <c>,</c> and <c>;</c>, and OSRM decodes the whole URL before it
    /// parses it, so the escaped form reads the same.
    /// </summary>
    [Get("/table/v1/driving/{coordinates}?annotations=duration,distance")]
    Task<OsrmTableResponse> MatrixAsync(string coordinates, CancellationToken cancellationToken);
}

/// <summary>A route answer: <c>code</c> is <c>Ok</c> or an error such as <c>NoRoute</c> or <c>InvalidQuery</c> (with <c>message</c>).</summary>
public sealed record OsrmRouteResponse(
    [property: JsonPropertyName("code")] string? Code,
    [property: JsonPropertyName("message")] string? Message,
    [property: JsonPropertyName("routes")] IReadOnlyList<OsrmRoute>? Routes);

/// <summary>One route: <c>duration</c> in seconds, <c>distance</c> in metres.</summary>
public sealed record OsrmRoute(
    [property: JsonPropertyName("duration")] double Duration,
    [property: JsonPropertyName("distance")] double Distance);

/// <summary>A table answer: <c>durations[i][j]</c> in seconds and <c>distances[i][j]</c> in metres, null where no route.</summary>
public sealed record OsrmTableResponse(
    [property: JsonPropertyName("code")] string? Code,
    [property: JsonPropertyName("message")] string? Message,
    [property: JsonPropertyName("durations")] IReadOnlyList<IReadOnlyList<double?>>? Durations,
    [property: JsonPropertyName("distances")] IReadOnlyList<IReadOnlyList<double?>>? Distances);
