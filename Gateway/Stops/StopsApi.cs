using NodaTime;
using TourPlanner.Gateway.Claims;
using TourPlanner.Gateway.Infrastructure;
using TourPlanner.Gateway.Tours;
using TourPlanner.Grains;

namespace TourPlanner.Gateway.Stops;

public sealed record EventPatchRequest(string? Title, LocalDateTime? Start, int? DurationMinutes, string? Description, bool? Public);

public sealed record EventChangedDto(EventDto Event, IReadOnlyList<string> Notes);

/// <summary>Changing a stop's events, and cancelling a stop.</summary>
public static class StopsApi
{
    public static RouteGroupBuilder MapStopsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/tours/{id}/stops/{stopId}").WithTags("Stops");
        api.MapGet("/", GetAsync).WithName("GetStop").WithSummary("One stop with all its events (organizer or its host group).");
        api.MapPost("/events", AddEventAsync).WithName("AddEvent").WithSummary("Add an event (its host group or the organizer).")
            .Produces<EventChangedDto>(201).ProducesValidationProblem().ProducesProblem(409);
        api.MapPatch("/events/{eventId}", UpdateEventAsync).WithName("UpdateEvent")
            .WithSummary("Change an event; a confirmed stop's change is re-checked for conflicts.").ProducesValidationProblem().ProducesProblem(409);
        api.MapPost("/cancel", CancelAsync).WithName("CancelStop").WithSummary("Cancel a stop (organizer); its events stay in feeds as cancelled.");
        return api;
    }

    private static async Task<IResult> GetAsync(string id, string stopId, HttpRequest request, IGrainFactory grains)
    {
        var caller = await Access.ResolveAsync(grains, request, id);
        if (Access.Deny(caller, c => c.IsOrganizer || c.IsHost(null)) is { } denied) return denied;
        var stop = (await caller!.Tour.GetStopsAsync(publishedOnly: false)).FirstOrDefault(s => s.StopId == stopId);
        if (stop is null) return Outcomes.Problem(404, "Not found", $"No stop '{stopId}' in this tour.");
        if (!caller.IsOrganizer && !caller.IsHost(stop.HostId)) return Outcomes.Problem(403, "Forbidden", "This stop belongs to another host group.");
        return TypedResults.Ok(StopDto.From(stop));
    }

    private static async Task<IResult> AddEventAsync(string id, string stopId, EventRequest? body, HttpRequest request, IGrainFactory grains)
    {
        var caller = await Access.ResolveAsync(grains, request, id);
        if (Access.Deny(caller, c => c.IsOrganizer || c.IsHost(null)) is { } denied) return denied;
        if (body is null) return Outcomes.Invalid(new ValidationErrors().Add("body", "A JSON body is required."));
        var e = new ValidationErrors();
        if (body.ToInput(e, "") is not { } input) return Outcomes.Invalid(e);
        return (await caller!.Tour.AddEventAsync(caller.Principal, stopId, input)).ToHttp(r =>
            TypedResults.Created($"/api/tours/{id}/stops/{stopId}/events/{r.Event.EventId}", new EventChangedDto(EventDto.From(r.Event), r.Notes)));
    }

    private static async Task<IResult> UpdateEventAsync(string id, string stopId, string eventId, EventPatchRequest? body, HttpRequest request, IGrainFactory grains)
    {
        var caller = await Access.ResolveAsync(grains, request, id);
        if (Access.Deny(caller, c => c.IsOrganizer || c.IsHost(null)) is { } denied) return denied;
        if (body is null) return Outcomes.Invalid(new ValidationErrors().Add("body", "A JSON body is required."));
        var patch = new EventPatch { Title = body.Title, Start = body.Start, DurationMinutes = body.DurationMinutes, Description = body.Description, Public = body.Public };
        return (await caller!.Tour.UpdateEventAsync(caller.Principal, stopId, eventId, patch))
            .ToHttp(r => TypedResults.Ok(new EventChangedDto(EventDto.From(r.Event), r.Notes)));
    }

    private static async Task<IResult> CancelAsync(string id, string stopId, HttpRequest request, IGrainFactory grains)
    {
        var caller = await Access.ResolveAsync(grains, request, id);
        if (Access.Deny(caller, c => c.IsOrganizer) is { } denied) return denied;
        return (await caller!.Tour.CancelStopAsync(stopId)).ToHttp(c => TypedResults.Ok(new { stopId, claimId = c.ClaimId, status = "cancelled" }));
    }
}
