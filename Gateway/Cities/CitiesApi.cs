using Microsoft.AspNetCore.Http.HttpResults;
using TourPlanner.Gateway.Infrastructure;
using TourPlanner.Gateway.Travel;
using TourPlanner.Grains;

namespace TourPlanner.Gateway.Cities;

public sealed record CitiesResponse(IReadOnlyList<CityMatch> Cities);

/// <summary>City search for the pages' place pickers: the built-in list, and the geocoder's answers when one is configured.</summary>
public static class CitiesApi
{
    public const int DefaultResults = 8;

    public static RouteGroupBuilder MapCitiesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/cities").WithTags("Geocoding");
        api.MapGet("/", SearchAsync).WithName("SearchCities")
            .WithSummary("Cities whose name starts with q (accents and case ignored), with coordinates and IANA zone, largest first (anyone).")
            .ProducesValidationProblem();
        return api;
    }

    private static async Task<Results<Ok<CitiesResponse>, ProblemResult>> SearchAsync(string? q, int? limit, Geocoder geocoder, CancellationToken cancellationToken)
    {
        var e = new ValidationErrors();
        if (string.IsNullOrWhiteSpace(q) || CityIndex.Fold(q).Length == 0) e.Add("q", Text.Of(Codes.FieldRequired, Arg.Plain("field", "q")));
        else if (q.Length > CityIndex.MaxQueryLength) e.Add("q", Text.Of(Codes.FieldTooLong, Arg.Plain("field", "q"), Arg.Number("max", CityIndex.MaxQueryLength)));
        if (limit is < 1 or > CityIndex.MaxResults) e.Add("limit", Text.Of(Codes.FieldRange, Arg.Plain("field", "limit"), Arg.Number("min", 1), Arg.Number("max", CityIndex.MaxResults)));
        if (e.Any)
            return new ProblemResult(400, RequestCodes.TitleInvalid, Text.Of(Codes.InvalidFields)) { Errors = e.ToImmutable() };
        var wanted = limit ?? DefaultResults;
        var builtin = CityIndex.Builtin;
        var found = builtin.Search(q!, wanted).ToList();
        // A configured geocoder knows towns the list does not; its answers come after the list's, each with the zone the
        // lookup gave or, failing that, the zone of the nearest listed city (the person can still change it).
        if (found.Count < wanted && q!.Trim().Length >= 3)
        {
            var answer = await geocoder.SearchAsync(q.Trim(), cancellationToken);
            foreach (var r in answer.Results.Take(wanted - found.Count))
            {
                var zone = r.TimeZone ?? builtin.Nearest(r.Latitude, r.Longitude).TimeZone;
                var name = r.DisplayName.Split(',')[0].Trim();
                found.Add(new CityMatch(name, "", "", r.Latitude, r.Longitude, zone, r.DisplayName, answer.Source));
            }
        }
        return TypedResults.Ok(new CitiesResponse(found));
    }
}
