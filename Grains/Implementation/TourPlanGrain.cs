using System.Collections.Immutable;
using NodaTime;
using TourPlanner.Grains.Domain;
using TourPlanner.Grains.Planning;

namespace TourPlanner.Grains.Implementation;

/// <summary>The last few proposals of a tour.</summary>
[GenerateSerializer, Immutable]
public sealed record TourPlanState
{
    [Id(0)] public ImmutableArray<PlanProposal> Proposals { get; init; } = [];
}

/// <summary>
/// Computes proposals and keeps the last <see cref="MaxProposals"/>. Planning runs here rather than in the tour grain
/// so a solver run of up to its time budget never holds up claims and confirms; the tour grain stays the only writer
/// of the ledger, and a proposal carries the ledger version it read, so applying a stale one is refused there.
/// </summary>
public sealed class TourPlanGrain(
    [PersistentState("plans")] IPersistentState<TourPlanState> state,
    IClock clock,
    ITravelTimeEstimator travel) : Grain, ITourPlanGrain
{
    public const int MaxProposals = PlanLimits.MaxProposals;
    // Bounds the repair's search over which confirmed stops may move: small tours are exhaustive, large ones stop early.
    private const int MaxRepairSolves = 400;

    private string TourId => this.GetPrimaryKeyString();
    private ITourGrain Tour => GrainFactory.GetGrain<ITourGrain>(TourId);

    private static ValidationErrors CheckSearch(ValidationErrors e, PlanSearch search) => PlanLimits.Check(e, search);
    private static SolverOptions Options(PlanSearch s) => PlanLimits.Options(s);

    async Task<Outcome<PlanProposal>> ITourPlanGrain.ProposeAsync(PlanRequest request)
    {
        var e = CheckSearch(new ValidationErrors(), request.Search);
        var input = await Tour.GetPlanningInputAsync();
        if (input is null) return Outcome<PlanProposal>.NotFound("No such tour.");
        var pinned = ImmutableDictionary.CreateBuilder<string, LocalDate>();
        for (var i = 0; i < request.Pinned.Length; i++)
        {
            var pin = request.Pinned[i];
            var claim = input.Tour.Claims.FirstOrDefault(c => c.ClaimId == pin.ClaimId);
            if (claim is null) e.Add($"pinned[{i}].claimId", $"No claim '{pin.ClaimId}' in this tour.");
            else if (claim.Status != ClaimStatus.Held) e.Add($"pinned[{i}].claimId", $"The claim is {claim.Status.ToString().ToLowerInvariant()}; only held claims can be pinned.");
            else if (claim.SpeakerIds.Length != 1) e.Add($"pinned[{i}].claimId", "Only single-speaker claims can be planned.");
            else if (pinned.ContainsKey(pin.ClaimId)) e.Add($"pinned[{i}].claimId", "The claim is pinned twice.");
            else if (!PlanModel.AcceptableDates(claim).Contains(pin.Date))
                e.Add($"pinned[{i}].date", $"{Validation.Iso(pin.Date)} is not one of the claim's acceptable dates ({string.Join(", ", PlanModel.AcceptableDates(claim).Select(Validation.Iso))}).");
            else pinned[pin.ClaimId] = pin.Date;
        }
        if (e.Any) return Outcome<PlanProposal>.Invalid(e);

        var result = await PlanModel.PlanAsync(input, new PlanSpec { Pinned = pinned.ToImmutable() }, Options(request.Search), travel);
        if (!result.Feasible)
            return Outcome<PlanProposal>.Conflict($"The pinned claims cannot all be placed: {result.Failure}");
        return Outcome<PlanProposal>.Ok(await StoreAsync(Proposal(input, "plan", request.Search, result)));
    }

    async Task<Outcome<PlanProposal>> ITourPlanGrain.RepairAsync(RepairRequest request)
    {
        var e = CheckSearch(new ValidationErrors(), request.Search);
        if (string.IsNullOrWhiteSpace(request.StopId)) e.Add("stopId", "stopId is required.");
        if (request.MaxMoves is < 0 or > 10) e.Add("maxMoves", "maxMoves must be between 0 and 10.");
        if (e.Any) return Outcome<PlanProposal>.Invalid(e);
        var input = await Tour.GetPlanningInputAsync();
        if (input is null) return Outcome<PlanProposal>.NotFound("No such tour.");
        var claim = input.Tour.Claims.FirstOrDefault(c => c.StopId == request.StopId);
        if (claim is null) return Outcome<PlanProposal>.NotFound($"No stop '{request.StopId}' in this tour.");
        if (claim is { Status: ClaimStatus.Cancelled, ConfirmedAt: not null })
        {
            // Taking a stop out never breaks a rule for the others, so nothing else needs to move.
            return Outcome<PlanProposal>.Ok(await StoreAsync(Proposal(input, "repair", request.Search,
                await PlanModel.PlanAsync(input, new PlanSpec { IncludePending = false }, Options(request.Search), travel)) with
            {
                RepairStopId = request.StopId,
                Notes = ["The stop is cancelled already; no other confirmed stop has to move. POST /plan can fill its dates with pending claims."],
            }));
        }
        if (claim.Status != ClaimStatus.Confirmed)
            return Outcome<PlanProposal>.Invalid("stopId", $"The stop's claim is {claim.Status.ToString().ToLowerInvariant()}; repair is for confirmed stops.");

        var options = Options(request.Search);
        var (result, moved) = await SmallestRepairAsync(input, claim, request.MaxMoves, options);
        if (result is null)
        {
            var keep = await PlanModel.PlanAsync(input, new PlanSpec { IncludePending = false, Relocate = null }, options, travel);
            return Outcome<PlanProposal>.Ok(await StoreAsync(Proposal(input, "repair", request.Search, keep) with
            {
                RepairStopId = request.StopId, CancelsRepairStop = true,
                Notes = [$"{claim.City} cannot move to another acceptable date without moving more than {request.MaxMoves} other confirmed stops; applying cancels it."],
            }));
        }
        var moves = result.Routes.SelectMany(r => r.Stops)
            .Where(s => s.WasConfirmed && s.Dates[0] != s.FromDates[0])
            .OrderBy(s => s.ClaimId == claim.ClaimId ? 0 : 1).ThenBy(s => s.Start)
            .Select(s => new PlannedMove { ClaimId = s.ClaimId, StopId = s.StopId, City = s.City, From = s.FromDates, To = s.Dates })
            .ToImmutableArray();
        return Outcome<PlanProposal>.Ok(await StoreAsync(Proposal(input, "repair", request.Search, result) with
        {
            RepairStopId = request.StopId, Moves = moves,
            Notes = [moved == 0 ? $"{claim.City} moves; no other confirmed stop has to." : $"{claim.City} moves, and {moved} other confirmed stop(s) with it."],
        }));
    }

    /// <summary>
    /// Fewest other confirmed stops moved: first every other stop fixed, then each single stop movable, then pairs, and
    /// so on. The first size k with a feasible plan wins (within it, the plan with the least travel), so no plan moving
    /// fewer stops exists among those tried. Only stops of the repaired stop's speaker with another acceptable date can help.
    /// </summary>
    private async Task<(PlanResult? Result, int Moved)> SmallestRepairAsync(PlanningInput input, ClaimView target, int maxMoves, SolverOptions options)
    {
        var candidates = input.Tour.Claims
            .Where(c => c.Status == ClaimStatus.Confirmed && c.ClaimId != target.ClaimId && c.SpeakerIds.Length == 1
                        && target.SpeakerIds.Contains(c.SpeakerIds[0]) && PlanModel.AcceptableDates(c).Length > 1)
            .OrderBy(c => c.Dates[0]).ThenBy(c => c.ClaimId, StringComparer.Ordinal)
            .Select(c => c.ClaimId).ToList();
        var solves = 0;
        for (var k = 0; k <= Math.Min(maxMoves, candidates.Count); k++)
        {
            PlanResult? best = null;
            var bestMoved = 0;
            foreach (var subset in Combinations(candidates, k))
            {
                if (++solves > MaxRepairSolves) return (best, bestMoved);
                var spec = new PlanSpec { IncludePending = false, Relocate = target.ClaimId, Movable = [.. subset] };
                var result = await PlanModel.PlanAsync(input, spec, options, travel);
                if (!result.Feasible) continue;
                var moved = result.Routes.SelectMany(r => r.Stops).Count(s => s.WasConfirmed && s.ClaimId != target.ClaimId && s.Dates[0] != s.FromDates[0]);
                if (best is null || moved < bestMoved || (moved == bestMoved && result.TotalTravelMinutes < best.TotalTravelMinutes))
                    (best, bestMoved) = (result, moved);
            }
            if (best is not null) return (best, bestMoved);
        }
        return (null, 0);
    }

    private static IEnumerable<ImmutableArray<string>> Combinations(List<string> items, int k, int from = 0)
    {
        if (k == 0) { yield return []; yield break; }
        for (var i = from; i <= items.Count - k; i++)
            foreach (var rest in Combinations(items, k - 1, i + 1))
                yield return rest.Insert(0, items[i]);
    }

    Task<PlanProposal?> ITourPlanGrain.GetAsync(string proposalId) =>
        Task.FromResult(state.State.Proposals.FirstOrDefault(p => p.ProposalId == proposalId));

    async Task<Outcome<PlanApplied>> ITourPlanGrain.ApplyAsync(string proposalId)
    {
        var proposal = state.State.Proposals.FirstOrDefault(p => p.ProposalId == proposalId);
        if (proposal is null) return Outcome<PlanApplied>.NotFound($"No proposal '{proposalId}' for this tour (only the last {MaxProposals} are kept).");
        return await Tour.ApplyPlanAsync(proposal);
    }

    private PlanProposal Proposal(PlanningInput input, string kind, PlanSearch search, PlanResult result) => new()
    {
        ProposalId = Tokens.NewId("p_"), TourId = TourId, Kind = kind, BasedOnVersion = input.LedgerVersion, CreatedAt = clock.GetCurrentInstant(),
        Search = search, Placements = [.. result.Placed.Where(p => !p.WasConfirmed)], Unplaced = result.Unplaced, Routes = result.Routes,
        TotalTravelMinutes = result.TotalTravelMinutes,
    };

    private async Task<PlanProposal> StoreAsync(PlanProposal proposal)
    {
        var kept = state.State.Proposals.Add(proposal);
        state.State = state.State with { Proposals = kept.Length > MaxProposals ? kept.RemoveRange(0, kept.Length - MaxProposals) : kept };
        await state.WriteStateAsync();
        return proposal;
    }
}
