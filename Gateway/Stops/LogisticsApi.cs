using NodaTime;
using TourPlanner.Gateway.Infrastructure;
using TourPlanner.Grains;

namespace TourPlanner.Gateway.Stops;

/// <summary>Body of <c>PATCH …/stops/{stopId}/logistics</c>: null leaves a field as it is, an empty string clears it.</summary>
public sealed record LogisticsRequest(string? Lodging, string? Parking, string? Entrance, string? Interpreter, string? Notes);

/// <summary>A stop's lodging and practical notes.</summary>
public sealed record LogisticsDto(string StopId, string? Lodging, string? Parking, string? Entrance, string? Interpreter, string? Notes,
    int Version, Instant? UpdatedAt)
{
    public static LogisticsDto From(string stopId, StopLogistics l) => new(stopId, l.Lodging, l.Parking, l.Entrance, l.Interpreter, l.Notes, l.Version, l.UpdatedAt);
}

/// <summary>
/// A stop's logistics: written by the stop's own host group or the organizer, read by them and by the speakers of
/// that stop's events. Another host group of the same tour gets a 403: lodging is where a speaker sleeps.
/// </summary>
public static class LogisticsApi
{
    public static RouteGroupBuilder MapLogisticsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/tours/{id}/stops/{stopId}/logistics").WithTags("Stops");
        api.MapGet("/", GetAsync).WithName("GetStopLogistics")
            .WithSummary("A stop's lodging and practical notes (organizer, the stop's host group, or a speaker of its events).")
            .RequireRole(Role.Organizer, Role.Host, Role.Speaker).Produces<LogisticsDto>().ProducesProblem(403).ProducesProblem(404);
        api.MapPatch("/", UpdateAsync).WithName("UpdateStopLogistics")
            .WithSummary("Change a stop's lodging, parking, entrance, interpreter and notes (the stop's host group or the organizer).")
            .RequireRole(Role.Organizer, Role.Host).Produces<LogisticsDto>().ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404);
        return api;
    }

    private static async Task<IResult> GetAsync(string stopId, Caller caller, IGrainFactory grains)
    {
        if (await StopOfAsync(caller, stopId) is not { } stop) return NoStop();
        var mayRead = caller.IsOrganizer || caller.IsHost(stop.HostId)
            || caller.Principal.Role == Role.Speaker && stop.Events.Any(e => e.SpeakerIds.Contains(caller.Principal.SpeakerId!));
        if (!mayRead) return Forbidden();
        return TypedResults.Ok(LogisticsDto.From(stopId, await grains.GetGrain<ITourStopGrain>(stopId).GetLogisticsAsync()));
    }

    private static async Task<IResult> UpdateAsync(string stopId, LogisticsRequest? body, Caller caller, IGrainFactory grains)
    {
        if (body is null) return Outcomes.Invalid("body", Text.Of(Codes.BodyRequired));
        if (await StopOfAsync(caller, stopId) is not { } stop) return NoStop();
        if (!caller.IsOrganizer && !caller.IsHost(stop.HostId)) return Forbidden();
        var patch = new LogisticsPatch { Lodging = body.Lodging, Parking = body.Parking, Entrance = body.Entrance, Interpreter = body.Interpreter, Notes = body.Notes };
        var outcome = await grains.GetGrain<ITourStopGrain>(stopId).SetLogisticsAsync(caller.TourId, patch, caller.Principal);
        return outcome.ToHttp(l => TypedResults.Ok(LogisticsDto.From(stopId, l)));
    }

    /// <summary>The stop as the tour stores it: who hosts it and whose events it has are the tour's word, never the request's.</summary>
    private static async Task<StopSnapshot?> StopOfAsync(Caller caller, string stopId) =>
        (await caller.Tour.GetStopsAsync(publishedOnly: false)).FirstOrDefault(s => s.StopId == stopId);

    private static IResult NoStop() => Outcomes.Problem(404, Text.Of(RequestCodes.NoSuchStop));

    private static IResult Forbidden() => Outcomes.Problem(403, Text.Of(RequestCodes.LogisticsNotYours));
}
