using NodaTime;
using TourPlanner.Gateway.Claims;
using TourPlanner.Gateway.Gathering;
using TourPlanner.Gateway.Infrastructure;
using TourPlanner.Gateway.Tours;
using TourPlanner.Grains;

namespace TourPlanner.Gateway.Stops;

public sealed record EventPatchRequest(string? Title, LocalDateTime? Start, int? DurationMinutes, string? Description, bool? Public);

public sealed record EventChangedDto(EventDto Event, IReadOnlyList<string> Notes, IReadOnlyList<ConflictDto>? Warnings = null,
    IReadOnlyList<FieldMessageDto>? NoteDetails = null);

/// <summary>Changing a stop's events and venue, and cancelling a stop.</summary>
public static class StopsApi
{
    public static RouteGroupBuilder MapStopsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/tours/{id}/stops/{stopId}").WithTags("Stops").RequireRole(Role.Organizer, Role.Host).CheckIdempotencyKey();
        api.MapGet("/", GetAsync).WithName("GetStop").WithSummary("One stop with all its events (organizer or its host group).");
        api.MapPost("/events", AddEventAsync).WithName("AddEvent").WithSummary("Add an event (its host group or the organizer).")
            .Produces<EventChangedDto>(201).ProducesValidationProblem().ProducesProblem(409);
        api.MapPatch("/events/{eventId}", UpdateEventAsync).WithName("UpdateEvent")
            .WithSummary("Change an event; a confirmed stop's change is re-checked for conflicts.").ProducesValidationProblem().ProducesProblem(409);
        api.MapDelete("/events/{eventId}", RemoveEventAsync).WithName("RemoveEvent")
            .WithSummary("Remove an event (a confirmed stop keeps at least one).").ProducesProblem(409);
        api.MapPatch("/venue", ChangeVenueAsync).WithName("ChangeVenue")
            .WithSummary("Change the venue; a confirmed stop is re-checked against the venue's calendar.").ProducesValidationProblem().ProducesProblem(409);
        api.MapPost("/cancel", CancelAsync).WithName("CancelStop").WithSummary("Cancel a stop (organizer); its events stay in feeds as cancelled.")
            .RequireRole(Role.Organizer);
        return api;
    }

    private static async Task<IResult> GetAsync(string stopId, Caller caller)
    {
        var stop = (await caller.Tour.GetStopsAsync(publishedOnly: false)).FirstOrDefault(s => s.StopId == stopId);
        if (stop is null) return Outcomes.Problem(404, Text.Of(RequestCodes.NoSuchStop));
        if (!caller.IsOrganizer && !caller.IsHost(stop.HostId)) return Outcomes.Problem(403, Text.Of(RequestCodes.StopOfAnotherGroup));
        return TypedResults.Ok(StopDto.From(stop));
    }

    private static async Task<IResult> AddEventAsync(string stopId, EventRequest? body, Caller caller, HttpContext http, FactGatherer facts)
    {
        if (body is null) return Outcomes.Invalid("body", Text.Of(Codes.BodyRequired));
        var e = new ValidationErrors();
        if (body.ToInput(e, "") is not { } input) return Outcomes.Invalid(e);
        var context = caller.Command(http, body);
        var outcome = await WithFactsAsync(caller, stopId, facts, http,
            stop => stop with { Events = stop.Events.Add(new StopEvent
            {
                EventId = "new", Title = input.Title, Start = input.Start, DurationMinutes = Math.Clamp(input.DurationMinutes, 1, 1440),
                SpeakerIds = input.SpeakerIds ?? [.. stop.Events.SelectMany(x => x.SpeakerIds).Distinct()],
            }) },
            f => caller.Tour.AddEventAsync(context, stopId, input, f));
        return outcome.ToHttp(r => TypedResults.Created($"/api/tours/{caller.TourId}/stops/{stopId}/events/{r.Event.EventId}",
            Changed(http, r, outcome.Conflicts)));
    }

    private static async Task<IResult> UpdateEventAsync(string stopId, string eventId, EventPatchRequest? body, Caller caller, HttpContext http, FactGatherer facts)
    {
        if (body is null) return Outcomes.Invalid("body", Text.Of(Codes.BodyRequired));
        var patch = new EventPatch { Title = body.Title, Start = body.Start, DurationMinutes = body.DurationMinutes, Description = body.Description, Public = body.Public };
        var context = caller.Command(http);
        var outcome = await WithFactsAsync(caller, stopId, facts, http,
            stop => stop with { Events = [.. stop.Events.Select(x => x.EventId != eventId ? x : x with
            {
                Start = patch.Start ?? x.Start, DurationMinutes = Math.Clamp(patch.DurationMinutes ?? x.DurationMinutes, 1, 1440),
            })] },
            f => caller.Tour.UpdateEventAsync(context, stopId, eventId, patch, f));
        return outcome.ToHttp(r => TypedResults.Ok(Changed(http, r, outcome.Conflicts)));
    }

    private static async Task<IResult> RemoveEventAsync(string stopId, string eventId, Caller caller, HttpContext http) =>
        (await caller.Tour.RemoveEventAsync(caller.Command(http), stopId, eventId)).ToHttp(r => TypedResults.Ok(Changed(http, r, null)));

    /// <summary>The changed event with its notes and the warnings that did not block it, worded for the caller.</summary>
    private static EventChangedDto Changed(HttpContext http, EventChanged r, System.Collections.Immutable.ImmutableArray<Conflict>? warnings)
    {
        var words = Wording.Of(http);
        return new EventChangedDto(EventDto.From(r.Event), words.Notes(r.Notes), warnings is { } w ? words.Conflicts(w) : null, words.Details(r.Notes));
    }

    private static async Task<IResult> ChangeVenueAsync(string stopId, VenueRequest? body, Caller caller, HttpContext http, FactGatherer facts)
    {
        if (body is null) return Outcomes.Invalid("body", Text.Of(Codes.BodyRequired));
        var e = new ValidationErrors();
        var visibility = Privacy.AddressVisibilities.Parse(e, "addressVisibility", body.AddressVisibility);
        if (e.Any) return Outcomes.Invalid(e);
        var patch = new VenuePatch { Name = body.Name, Address = body.Address, CalendarUrl = body.CalendarUrl, AddressVisibility = visibility };
        var context = caller.Command(http);
        var outcome = await WithFactsAsync(caller, stopId, facts, http,
            stop => stop with { Venue = new Venue
            {
                Name = patch.Name ?? stop.Venue.Name, Address = patch.Address ?? stop.Venue.Address,
                CalendarUrl = patch.CalendarUrl is null ? stop.Venue.CalendarUrl : patch.CalendarUrl.Length == 0 ? null : patch.CalendarUrl,
                AddressVisibility = patch.AddressVisibility ?? stop.Venue.AddressVisibility,
            } },
            f => caller.Tour.ChangeVenueAsync(context, stopId, patch, f));
        return outcome.ToHttp(s => TypedResults.Ok(StopDto.From(s)));
    }

    private static async Task<IResult> CancelAsync(string stopId, Caller caller, HttpContext http) =>
        (await caller.Tour.CancelStopAsync(caller.Command(http), stopId)).ToHttp(c => TypedResults.Ok(new { stopId, claimId = c.ClaimId, status = "cancelled" }));

    /// <summary>
    /// A confirmed stop's change is checked like a confirm, so the facts are gathered for the stop as it would be
    /// after the change; a held stop's change needs none.
    /// </summary>
    private static Task<Outcome<T>> WithFactsAsync<T>(Caller caller, string stopId, FactGatherer facts, HttpContext http,
        Func<StopSnapshot, StopSnapshot> changed, Func<Grains.Facts, Task<Outcome<T>>> command) =>
        facts.RunAsync(caller.Tour, stopId,
            route => route.Candidate is { Status: ClaimStatus.Confirmed } stop
                ? facts.ForStopAsync(route, changed(stop), http.RequestAborted)
                : Task.FromResult(Grains.Facts.None),
            command);
}
