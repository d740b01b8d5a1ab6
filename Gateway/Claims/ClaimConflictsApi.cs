using System.Collections.Immutable;
using TourPlanner.Gateway.Infrastructure;
using TourPlanner.Grains;
using TourPlanner.Grains.Domain;

namespace TourPlanner.Gateway.Claims;

public sealed record ClaimConflictsDto(string ClaimId, IReadOnlyList<ConflictDto> Conflicts);

/// <summary>
/// What confirming a held claim would run into today, so a page can keep the warnings on the claim's card until they
/// are resolved, and the organizer sees every held claim that could not be confirmed now and why.
/// </summary>
public static class ClaimConflictsApi
{
    /// <summary>The organizer's panel checks at most this many held claims (the oldest first); a tour is capped far below anyway.</summary>
    public const int MaxChecked = 200;

    public static RouteGroupBuilder MapClaimConflictsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/tours/{id}/claims").WithTags("Claims");
        api.MapGet("/pending-conflicts", PendingAsync).WithName("PendingClaimConflicts")
            .WithSummary("Every held claim whose confirm would be refused today, with the conflicts (organizer).").RequireRole(Role.Organizer);
        api.MapGet("/{claimId}/conflicts", OneAsync).WithName("ClaimConflicts")
            .WithSummary("What confirming this held claim would run into today (organizer, or the group that holds it).").RequireRole(Role.Organizer, Role.Host);
        return api;
    }

    private static async Task<IResult> OneAsync(string claimId, Caller caller, HttpContext http)
    {
        var claim = (await caller.Tour.GetClaimsAsync()).FirstOrDefault(c => c.ClaimId == claimId);
        if (claim is null) return Outcomes.Problem(404, Text.Of(Codes.ClaimNotFound, Arg.Plain("id", claimId)));
        if (!caller.IsOrganizer && !caller.IsHost(claim.HostId)) return Outcomes.Problem(403, Text.Of(RequestCodes.AccessDenied));
        var conflicts = claim.Status == ClaimStatus.Held ? await WouldRunIntoAsync(caller.Tour, claimId) : [];
        return TypedResults.Ok(new ClaimConflictsDto(claimId, [.. Wording.Of(http).Conflicts(conflicts)]));
    }

    private static async Task<IResult> PendingAsync(Caller caller, HttpContext http)
    {
        var held = (await caller.Tour.GetClaimsAsync()).Where(c => c.Status == ClaimStatus.Held).OrderBy(c => c.CreatedAt).Take(MaxChecked);
        var found = new List<ClaimConflictsDto>();
        foreach (var c in held)
        {
            var conflicts = await WouldRunIntoAsync(caller.Tour, c.ClaimId);
            if (!conflicts.IsDefaultOrEmpty) found.Add(new ClaimConflictsDto(c.ClaimId, [.. Wording.Of(http).Conflicts(conflicts)]));
        }
        return TypedResults.Ok(new { claims = found });
    }

    /// <summary>
    /// Confirm's schedule rules for the claim's stop against the confirmed route, with the travel the tour already knows
    /// (routed legs it kept, else the built-in model). Venue calendars are read only on confirm itself, so a busy venue
    /// shows up then. One entry per conflict even when several speakers share it.
    /// </summary>
    public static async Task<ImmutableArray<Conflict>> WouldRunIntoAsync(ITourGrain tour, string claimId)
    {
        var route = await tour.GetRouteAsync(claimId);
        if (route?.Candidate is not { } stop) return [];
        var stops = route.Confirmed.Where(s => s.StopId != stop.StopId).Append(stop).ToList();
        var travel = TravelTable.From([], route.KnownLegs);
        var focus = stop.Events.Select(e => e.EventId).ToHashSet(StringComparer.Ordinal);
        var found = new List<Conflict>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var speakerId in stop.Events.SelectMany(e => e.SpeakerIds).Distinct())
        {
            var timeline = ScheduleAnalyzer.Timeline(speakerId, stops);
            foreach (var c in ScheduleAnalyzer.Check(speakerId, route.Rules, timeline, ScheduleAnalyzer.Legs(timeline, travel)))
                if (c.EventIds.Any(focus.Contains) && seen.Add($"{c.Code}|{c.SpeakerId}|{string.Join(",", c.EventIds.Order())}")) found.Add(c);
        }
        return [.. found];
    }
}
