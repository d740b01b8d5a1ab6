using System.Collections.Immutable;
using NodaTime;
using TourPlanner.Gateway.Infrastructure;
using TourPlanner.Gateway.Travel;
using TourPlanner.Grains;
using TourPlanner.Grains.Domain;

namespace TourPlanner.Gateway.Planning;

public sealed record PinnedClaimRequest(string? ClaimId, LocalDate? Date);

/// <summary>Body of <c>POST /plan</c>; every field is optional.</summary>
public sealed record PlanRequestDto(int? TimeBudgetMs, long? Seed, long? MaxIterations, List<PinnedClaimRequest?>? Pinned);

/// <summary>Body of <c>POST /repair</c>.</summary>
public sealed record RepairRequestDto(string? StopId, int? TimeBudgetMs, long? Seed, long? MaxIterations, int? MaxMoves);

/// <summary>Planning proposals over the claim ledger: plan, read, apply, repair (organizer only).</summary>
public static class PlanningApi
{
    public static RouteGroupBuilder MapPlanningApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/tours/{id}").WithTags("Planning");
        api.MapPost("/plan", PlanAsync).WithName("ProposePlan")
            .WithSummary("Plan the pending claims around the confirmed stops and store the proposal (organizer); 409 while one is being computed, 503 when the planner is busy.")
            .Produces<PlanProposal>(201).ProducesValidationProblem().ProducesProblem(409).ProducesProblem(503);
        api.MapGet("/plan/{proposalId}", GetAsync).WithName("GetPlan").WithSummary("A stored proposal (organizer).")
            .Produces<PlanProposal>().ProducesProblem(404);
        api.MapPost("/plan/{proposalId}/apply", ApplyAsync).WithName("ApplyPlan")
            .WithSummary("Turn a proposal into confirmations in one step; 409 when anything it relied on changed (organizer).")
            .Produces<PlanApplied>().ProducesProblem(409);
        api.MapPost("/repair", RepairAsync).WithName("RepairPlan")
            .WithSummary("Propose the plan that moves the fewest other confirmed stops when a confirmed stop's date falls through (organizer).")
            .Produces<PlanProposal>(201).ProducesValidationProblem().ProducesProblem(409).ProducesProblem(503);
        return api;
    }

    private static PlanSearch Search(ValidationErrors e, int? timeBudgetMs, long? seed, long? maxIterations)
    {
        if (seed is < 0) e.Add("seed", Text.Of(Codes.FieldNotNegative, Arg.Plain("field", "seed")));
        var search = new PlanSearch { TimeBudgetMs = timeBudgetMs, Seed = (ulong)Math.Max(0, seed ?? 1), MaxIterations = maxIterations };
        // The upper bounds are the silo's settings (Planning:*): the plan grain checks them and names the field too.
        PlanLimits.CheckShape(e, search);
        return search;
    }

    /// <summary>
    /// The travel table for the tour's current places, gathered here (OSRM or the built-in model, bounded by the
    /// travel deadline) because the planner grain makes no outside calls; null when there is no such tour.
    /// </summary>
    private static async Task<PlanTravel?> TravelAsync(IGrainFactory grains, string id, PlanTravelBuilder travel, CancellationToken ct) =>
        await grains.GetGrain<ITourGrain>(id).GetPlanningInputAsync() is { } input ? await travel.BuildAsync(input, ct) : null;

    /// <summary>Like <see cref="Outcomes.ToHttp{T}"/>, plus 503 with Retry-After when the planner is busy or had to give a run up.</summary>
    private static IResult ToHttp(Outcome<PlanProposal> outcome, string id)
    {
        if (outcome is { Kind: OutcomeKind.Conflict, Conflicts: [{ Code: PlanLimits.PlannerBusyCode or PlanLimits.PlanAbandonedCode } refusal, ..] })
        {
            var retry = refusal.Details.GetValueOrDefault("retryAfterSeconds") ?? "5";
            return new Refused(refusal, outcome.Reason, retry);
        }
        return outcome.ToHttp(p => TypedResults.Created($"/api/tours/{id}/plan/{p.ProposalId}", p));
    }

    /// <summary>
    /// 503 with Retry-After for a run the planner could not take or finish: the refusal's stable code stays the
    /// problem's <c>code</c>; <c>detail</c> and <c>message</c> are in the caller's language, <c>messageEs</c> in Spanish.
    /// </summary>
    private sealed class Refused(Conflict refusal, Text? reason, string retryAfterSeconds) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            var words = Wording.Of(context);
            return new ProblemResult(503, RequestCodes.TitleUnavailable, reason)
            {
                Headers = new Dictionary<string, string> { ["Retry-After"] = retryAfterSeconds },
                Extras = new Dictionary<string, object?>
                {
                    ["code"] = refusal.Code, ["message"] = refusal.Text is { } t ? words.Say(t) : refusal.Message, ["messageEs"] = refusal.MessageEs,
                },
            }.ExecuteAsync(context);
        }
    }

    private static async Task<IResult> PlanAsync(string id, PlanRequestDto? body, HttpRequest request, IGrainFactory grains, PlanTravelBuilder travel, CancellationToken ct)
    {
        var caller = await Access.ResolveAsync(grains, request, id);
        if (Access.Deny(caller, c => c.IsOrganizer) is { } denied) return denied;
        body ??= new PlanRequestDto(null, null, null, null);
        var e = new ValidationErrors();
        var search = Search(e, body.TimeBudgetMs, body.Seed, body.MaxIterations);
        var pinned = ImmutableArray.CreateBuilder<PinnedClaim>();
        for (var i = 0; i < (body.Pinned?.Count ?? 0); i++)
        {
            var p = body.Pinned![i];
            if (p is null) { e.Add($"pinned[{i}]", Text.Of(Codes.ItemRequired)); continue; }
            if (string.IsNullOrWhiteSpace(p.ClaimId)) e.Add($"pinned[{i}].claimId", Text.Of(Codes.FieldRequired, Arg.Plain("field", "claimId")));
            if (p.Date is null)
                e.Add($"pinned[{i}].date", Text.Of(Codes.FieldRequiredAs, Arg.Plain("field", "date"), Arg.Of("format", Text.Of(Codes.FormatDate))));
            if (!string.IsNullOrWhiteSpace(p.ClaimId) && p.Date is { } d) pinned.Add(new PinnedClaim(p.ClaimId, d));
        }
        if (e.Any) return Outcomes.Invalid(e);
        if (await TravelAsync(grains, id, travel, ct) is not { } table) return Outcomes.Problem(404, Text.Of(Codes.TourNotFound));
        var outcome = await grains.GetGrain<ITourPlanGrain>(id).ProposeAsync(new PlanRequest { Search = search, Pinned = pinned.ToImmutable(), Travel = table });
        return ToHttp(outcome, id);
    }

    private static async Task<IResult> GetAsync(string id, string proposalId, HttpRequest request, IGrainFactory grains)
    {
        var caller = await Access.ResolveAsync(grains, request, id);
        if (Access.Deny(caller, c => c.IsOrganizer) is { } denied) return denied;
        return await grains.GetGrain<ITourPlanGrain>(id).GetAsync(proposalId) is { } proposal
            ? TypedResults.Ok(proposal)
            : Outcomes.Problem(404, PlanLimits.ProposalNotFound(proposalId));
    }

    private static async Task<IResult> ApplyAsync(string id, string proposalId, HttpRequest request, IGrainFactory grains)
    {
        var caller = await Access.ResolveAsync(grains, request, id);
        if (Access.Deny(caller, c => c.IsOrganizer) is { } denied) return denied;
        return (await grains.GetGrain<ITourPlanGrain>(id).ApplyAsync(proposalId)).ToHttp(a => TypedResults.Ok(a));
    }

    private static async Task<IResult> RepairAsync(string id, RepairRequestDto? body, HttpRequest request, IGrainFactory grains, PlanTravelBuilder travel, CancellationToken ct)
    {
        var caller = await Access.ResolveAsync(grains, request, id);
        if (Access.Deny(caller, c => c.IsOrganizer) is { } denied) return denied;
        if (body is null) return Outcomes.Invalid("stopId", Text.Of(Codes.PlanRepairBodyRequired));
        var e = new ValidationErrors();
        var search = Search(e, body.TimeBudgetMs, body.Seed, body.MaxIterations);
        if (string.IsNullOrWhiteSpace(body.StopId)) e.Add("stopId", Text.Of(Codes.FieldRequired, Arg.Plain("field", "stopId")));
        if (e.Any) return Outcomes.Invalid(e);
        if (await TravelAsync(grains, id, travel, ct) is not { } table) return Outcomes.Problem(404, Text.Of(Codes.TourNotFound));
        var outcome = await grains.GetGrain<ITourPlanGrain>(id).RepairAsync(new RepairRequest { StopId = body.StopId!, Search = search, MaxMoves = body.MaxMoves ?? 3, Travel = table });
        return ToHttp(outcome, id);
    }
}
