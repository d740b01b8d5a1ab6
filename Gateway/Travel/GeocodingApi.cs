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

    private static async Task<Results<Ok<GeocodeResponse>, ProblemResult>> SearchAsync(
        string? q, Geocoder geocoder, CancellationToken cancellationToken)
    {
        var e = new ValidationErrors();
        Grains.Domain.Validation.RequireText(e, "q", q);
        if (e.Any) return new ProblemResult(400, RequestCodes.TitleInvalid, Text.Of(Codes.InvalidFields)) { Errors = e.ToImmutable() };
        var answer = await geocoder.SearchAsync(q!.Trim(), cancellationToken);
        if (answer.Unavailable is { } why) return new ProblemResult(503, RequestCodes.TitleGeocodingUnavailable, why);
        return TypedResults.Ok(new GeocodeResponse(
            answer.Results.Select(r => new GeocodeResultDto(r.Latitude, r.Longitude, r.DisplayName, r.TimeZone, r.TimeZoneSource)).ToArray(),
            answer.Source));
    }
}
