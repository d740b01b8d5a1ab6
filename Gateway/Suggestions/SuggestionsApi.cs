using NodaTime;
using TourPlanner.Gateway.Gathering;
using TourPlanner.Gateway.Infrastructure;
using TourPlanner.Gateway.Tours;
using TourPlanner.Grains;

namespace TourPlanner.Gateway.Suggestions;

/// <summary>A date that fits: <c>reason</c> in the request's language, <c>reasonEs</c> in Spanish, <c>code</c> stable.</summary>
public sealed record SuggestionDto(LocalDate Date, int AddedTravelMinutes, string Reason, string ReasonEs, int QueuePosition, string Code)
{
    public static SuggestionDto From(DateSuggestion s, Wording words) =>
        new(s.Date, s.AddedTravelMinutes, words.Say(s.Reason), words.Spanish(s.Reason), s.QueuePosition, s.Reason.Code);

    [Obsolete("Word suggestions for the caller: SuggestionDto.From(s, Wording.Of(http)).", error: true)]
    public static SuggestionDto From(DateSuggestion s) => throw new NotSupportedException();
}

/// <summary>A date that does not fit, and why; a host group reads other stops only as city and times.</summary>
public sealed record RejectedDateDto(LocalDate Date, string Reason, string ReasonEs, string? Code)
{
    public static RejectedDateDto From(RejectedDate r, Wording words) => new(r.Date, words.Say(r.Reason), words.Spanish(r.Reason), r.Code);

    [Obsolete("Word reasons for the caller: RejectedDateDto.From(r, Wording.Of(http)); a host group must not read other stops' details.", error: true)]
    public static RejectedDateDto From(RejectedDate r) => throw new NotSupportedException();
}

public sealed record SuggestionsDto(IReadOnlyList<SuggestionDto> Suggestions, IReadOnlyList<RejectedDateDto> Rejected)
{
    public static SuggestionsDto From(DateSuggestions s, Wording words) =>
        new([.. s.Suggestions.Select(x => SuggestionDto.From(x, words))], [.. s.Rejected.Select(x => RejectedDateDto.From(x, words))]);
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
        if (!caller.IsOrganizer && !caller.IsHost(hostId)) return Access.Forbidden();
        var e = new ValidationErrors();
        if (hostId is null) e.Add("hostId", RequestText.Required("hostId"));
        var location = Geo.Point(e, "", latitude, longitude);
        var fromDate = Parse(e, "from", from, NodaTime.Text.LocalDatePattern.Iso, Codes.FormatDate);
        var toDate = Parse(e, "to", to, NodaTime.Text.LocalDatePattern.Iso, Codes.FormatDate);
        var startTime = Parse(e, "start", start, NodaTime.Text.LocalTimePattern.CreateWithInvariantCulture("HH':'mm"), Codes.FormatTime);
        if (e.Any) return Outcomes.Invalid(e);
        var request = new SuggestionRequest
        {
            HostId = hostId!, From = fromDate, To = toDate, TemplateClaimId = claimId, TimeZone = timeZone, Location = location,
            StartTime = startTime, DurationMinutes = durationMinutes,
        };
        var outcome = await SuggestAsync(caller.Tour, request, facts, http.RequestAborted);
        return outcome.ToHttp(s => TypedResults.Ok(SuggestionsDto.From(s, Wording.Of(http))));
    }

    /// <summary>Suggestions with routed travel to and from the place when routing is configured.</summary>
    private static async Task<Outcome<DateSuggestions>> SuggestAsync(ITourGrain tour, SuggestionRequest request, FactGatherer facts, CancellationToken ct)
    {
        var route = facts.RoutesTravel ? await tour.GetRouteAsync(request.TemplateClaimId) : null;
        var place = request.Location ?? route?.Candidate?.Location;
        var gathered = route is not null && place is { } p ? await facts.AroundAsync(route, p, ct) : Grains.Facts.None;
        return await tour.SuggestDatesAsync(request, gathered);
    }

    private static T? Parse<T>(ValidationErrors e, string field, string? text, NodaTime.Text.IPattern<T> pattern, MessageCode format) where T : struct
    {
        if (string.IsNullOrEmpty(text)) return null;
        var result = pattern.Parse(text);
        if (result.Success) return result.Value;
        e.Add(field, Text.Of(Codes.FieldUnparsable, Arg.Plain("value", Grains.Domain.Validation.Clip(text)), Arg.Plain("field", field), Arg.Of("format", Text.Of(format))));
        return null;
    }

    /// <summary>The best few dates for a refused claim, for the 409 on confirm.</summary>
    public static async Task<IReadOnlyList<SuggestionDto>> ForRefusedClaimAsync(ITourGrain tour, string claimId, FactGatherer facts, Wording words, CancellationToken ct, int count = 3)
    {
        var claim = (await tour.GetClaimsAsync()).FirstOrDefault(c => c.ClaimId == claimId);
        if (claim is null) return [];
        var outcome = await SuggestAsync(tour, new SuggestionRequest { HostId = claim.HostId, TemplateClaimId = claimId }, facts, ct);
        return outcome.IsOk ? [.. outcome.Value!.Suggestions.Take(count).Select(s => SuggestionDto.From(s, words))] : [];
    }
}
