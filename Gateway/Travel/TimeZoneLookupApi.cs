using System.Text.Json.Serialization;
using Refit;

namespace TourPlanner.Gateway.Travel;

/// <summary>A GeoNames-style time-zone lookup (https://www.geonames.org/export/web-services.html#timezone).</summary>
public interface ITimeZoneLookupApi
{
    /// <summary>The IANA zone at the coordinates. GeoNames answers errors with 200 and a <c>status</c> object.</summary>
    [Get("/timezoneJSON")]
    Task<TimeZoneLookupResponse> LookupAsync([AliasAs("lat")] string latitude, [AliasAs("lng")] string longitude,
        [AliasAs("username")] string? username, CancellationToken cancellationToken);
}

/// <summary>A <c>timezoneJSON</c> answer: <c>timezoneId</c> and <c>countryCode</c>, or <c>status</c> on error.</summary>
public sealed record TimeZoneLookupResponse(
    [property: JsonPropertyName("timezoneId")] string? TimezoneId,
    [property: JsonPropertyName("countryCode")] string? CountryCode,
    [property: JsonPropertyName("countryName")] string? CountryName,
    [property: JsonPropertyName("status")] TimeZoneLookupStatus? Status);

/// <summary>A GeoNames error, e.g. <c>{ "message": "user account not enabled…", "value": 10 }</c>.</summary>
public sealed record TimeZoneLookupStatus(
    [property: JsonPropertyName("message")] string? Message,
    [property: JsonPropertyName("value")] int Value);
