using Microsoft.AspNetCore.Http.HttpResults;
using TourPlanner.Gateway.Infrastructure;
using TourPlanner.Grains;

namespace TourPlanner.Gateway.Travel;

public sealed record GeocodeResultDto(double Latitude, double Longitude, string DisplayName, string? TimeZone, string TimeZoneSource);

public sealed record GeocodeResponse(IReadOnlyList<GeocodeResultDto> Results, string Source);

/// <summary>Address or city → coordinates (and a zone when a lookup is configured).</summary>
public static class GeocodingApi
{
    public static RouteGroupBuilder MapGeocodingApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/geocode").WithTags("Geocoding");
        api.MapGet("/", SearchAsync).WithName("Geocode")
            .WithSummary("Coordinates for an address or city, with a time zone when a lookup service is configured (anyone).")
            .ProducesValidationProblem().ProducesProblem(503);
        return api;
    }

    private static async Task<Results<Ok<GeocodeResponse>, ValidationProblem, ProblemHttpResult>> SearchAsync(
        string? q, Geocoder geocoder, CancellationToken cancellationToken)
    {
        var e = new ValidationErrors();
        Grains.Domain.Validation.RequireText(e, "q", q);
        if (e.Any)
            return TypedResults.ValidationProblem(e.ToImmutable().ToDictionary(p => p.Key, p => p.Value.ToArray()), "One or more fields are invalid.", title: "Invalid input");
        var answer = await geocoder.SearchAsync(q!.Trim(), cancellationToken);
        if (answer.Unavailable is { } why) return TypedResults.Problem(why, statusCode: 503, title: "Geocoding unavailable");
        return TypedResults.Ok(new GeocodeResponse(
            answer.Results.Select(r => new GeocodeResultDto(r.Latitude, r.Longitude, r.DisplayName, r.TimeZone, r.TimeZoneSource)).ToArray(),
            answer.Source));
    }
}
