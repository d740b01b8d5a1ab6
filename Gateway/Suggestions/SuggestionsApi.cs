using NodaTime;
using TourPlanner.Gateway.Gathering;
using TourPlanner.Gateway.Infrastructure;
using TourPlanner.Gateway.Tours;
using TourPlanner.Grains;

namespace TourPlanner.Gateway.Suggestions;

public sealed record SuggestionDto(LocalDate Date, int AddedTravelMinutes, string Reason, string ReasonEs, int QueuePosition)
{
    public static SuggestionDto From(DateSuggestion s) => new(s.Date, s.AddedTravelMinutes, s.Reason, s.ReasonEs, s.QueuePosition);
}

public sealed record RejectedDateDto(LocalDate Date, string Reason, string ReasonEs, string? Code)
{
    public static RejectedDateDto From(RejectedDate r) => new(r.Date, r.Reason, r.ReasonEs, r.Code);
}

public sealed record SuggestionsDto(IReadOnlyList<SuggestionDto> Suggestions, IReadOnlyList<RejectedDateDto> Rejected)
{
    public static SuggestionsDto From(DateSuggestions s) => new([.. s.Suggestions.Select(SuggestionDto.From)], [.. s.Rejected.Select(RejectedDateDto.From)]);
}

/// <summary>Which dates would work for a host group's city, against the confirmed route.</summary>
public static class SuggestionsApi
{
    public static RouteGroupBuilder MapSuggestionsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/tours/{id}/suggestions").WithTags("Suggestions");
        api.MapGet("/", GetAsync).WithName("SuggestDates")
            .WithSummary("Dates on which a claim from the host group's city would fit, best first, and why the others do not (organizer, or that host group).")
            .RequireRole(Role.Organizer, Role.Host).Produces<SuggestionsDto>().ProducesValidationProblem();
        return api;
    }

    private static async Task<IResult> GetAsync(string? hostId, string? from, string? to, string? claimId, string? timeZone,
        double? latitude, double? longitude, string? start, int? durationMinutes, Caller caller, HttpContext http, FactGatherer facts)
    {
        hostId ??= caller.Principal.HostId;
        if (!caller.IsOrganizer && !caller.IsHost(hostId)) return Outcomes.Problem(403, "Forbidden", "Your link does not give access to this.");
        var e = new ValidationErrors();
        if (hostId is null) e.Add("hostId", "hostId is required.");
        var location = Geo.Point(e, "", latitude, longitude);
        var fromDate = Parse(e, "from", from, NodaTime.Text.LocalDatePattern.Iso, "YYYY-MM-DD");
        var toDate = Parse(e, "to", to, NodaTime.Text.LocalDatePattern.Iso, "YYYY-MM-DD");
        var startTime = Parse(e, "start", start, NodaTime.Text.LocalTimePattern.CreateWithInvariantCulture("HH':'mm"), "HH:mm");
        if (e.Any) return Outcomes.Invalid(e);
        var request = new SuggestionRequest
        {
            HostId = hostId!, From = fromDate, To = toDate, TemplateClaimId = claimId, TimeZone = timeZone, Location = location,
            StartTime = startTime, DurationMinutes = durationMinutes,
        };
        var outcome = await SuggestAsync(caller.Tour, request, facts, http.RequestAborted);
        return outcome.ToHttp(s => TypedResults.Ok(SuggestionsDto.From(s)));
    }

    /// <summary>Suggestions with routed travel to and from the place when routing is configured.</summary>
    private static async Task<Outcome<DateSuggestions>> SuggestAsync(ITourGrain tour, SuggestionRequest request, FactGatherer facts, CancellationToken ct)
    {
        var route = facts.RoutesTravel ? await tour.GetRouteAsync(request.TemplateClaimId) : null;
        var place = request.Location ?? route?.Candidate?.Location;
        var gathered = route is not null && place is { } p ? await facts.AroundAsync(route, p, ct) : Grains.Facts.None;
        return await tour.SuggestDatesAsync(request, gathered);
    }

    private static T? Parse<T>(ValidationErrors e, string field, string? text, NodaTime.Text.IPattern<T> pattern, string shape) where T : struct
    {
        if (string.IsNullOrEmpty(text)) return null;
        var result = pattern.Parse(text);
        if (result.Success) return result.Value;
        e.Add(field, $"'{Grains.Domain.Validation.Clip(text)}' is not a valid {field} ({shape}).");
        return null;
    }

    /// <summary>The best few dates for a refused claim, for the 409 on confirm.</summary>
    public static async Task<IReadOnlyList<SuggestionDto>> ForRefusedClaimAsync(ITourGrain tour, string claimId, FactGatherer facts, CancellationToken ct, int count = 3)
    {
        var claim = (await tour.GetClaimsAsync()).FirstOrDefault(c => c.ClaimId == claimId);
        if (claim is null) return [];
        var outcome = await SuggestAsync(tour, new SuggestionRequest { HostId = claim.HostId, TemplateClaimId = claimId }, facts, ct);
        return outcome.IsOk ? [.. outcome.Value!.Suggestions.Take(count).Select(SuggestionDto.From)] : [];
    }
}
