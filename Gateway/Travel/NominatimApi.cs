using System.Text.Json.Serialization;
using Refit;

namespace TourPlanner.Gateway.Travel;

/// <summary>Nominatim's search API (https://nominatim.org/release-docs/latest/api/Search/), self-hostable.</summary>
public interface INominatimApi
{
    /// <summary>Free-form search for an address or a city, in the <c>jsonv2</c> format.</summary>
    [Get("/search?format=jsonv2")]
    Task<IReadOnlyList<NominatimPlace>> SearchAsync([AliasAs("q")] string query, [AliasAs("limit")] int limit, CancellationToken cancellationToken);
}

/// <summary>One place of a jsonv2 answer. Nominatim sends <c>lat</c> and <c>lon</c> as strings.</summary>
public sealed record NominatimPlace(
    [property: JsonPropertyName("place_id")] long PlaceId,
    [property: JsonPropertyName("lat")] string? Lat,
    [property: JsonPropertyName("lon")] string? Lon,
    [property: JsonPropertyName("display_name")] string? DisplayName,
    [property: JsonPropertyName("category")] string? Category,
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("importance")] double? Importance);
