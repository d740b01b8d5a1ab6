using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using NodaTime;
using Orleans.Concurrency;
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
/// so a solver run never holds up claims and confirms; the tour grain stays the only writer of the ledger, and a
/// proposal carries the ledger version it read, so applying a stale one is refused there.
/// </summary>
/// <remarks>
/// Every run is bounded (<see cref="PlanningLimits"/>): iterations and wall time per request, one run per tour, a few
/// runs per silo. The solver runs on the thread pool with the server's deadline as a cancellation token, never on this
/// grain's turn; the grain is reentrant so a second request meanwhile is told at once that a plan is being computed
/// (409), and reads of stored proposals are not held up. Travel comes from the table the Gateway gathered; where it
/// lacks a pair, the pure built-in model answers. Nothing here calls outside the cluster.
/// </remarks>
[Reentrant]
public sealed class TourPlanGrain(
    [PersistentState("plans")] IPersistentState<TourPlanState> state,
    IClock clock,
    TravelModelOptions travelModel,
    PlanningLimits limits,
    PlanningRunGate gate,
    ILogger<TourPlanGrain> logger) : Grain, ITourPlanGrain
{
    public const int MaxProposals = PlanLimits.MaxProposals;
    // Bounds the repair's search over which confirmed stops may move: small tours are exhaustive, large ones stop early.
    private const int MaxRepairSolves = 400;

    // Set while a request of this tour is between its checks and its answer (on this grain's turns only), and the work of
    // an abandoned run until it has really ended: either means "a plan is being computed".
    private bool _running;
    private Task _lingering = Task.CompletedTask;

    private string TourId => this.GetPrimaryKeyString();
    private ITourGrain Tour => GrainFactory.GetGrain<ITourGrain>(TourId);

    async Task<Outcome<PlanProposal>> ITourPlanGrain.ProposeAsync(PlanRequest request)
    {
        var e = PlanLimits.Check(new ValidationErrors(), request.Search, limits);
        if (e.Any) return Outcome<PlanProposal>.Invalid(e);
        if (Enter() is { } refused) return refused;
        var run = new Run(limits, logger, TourId, request.Search);
        try
        {
            var input = await Tour.GetPlanningInputAsync();
            if (input is null) return Outcome<PlanProposal>.NotFound(Text.Of(Codes.TourNotFound));
            var pinned = ImmutableDictionary.CreateBuilder<string, LocalDate>();
            for (var i = 0; i < request.Pinned.Length; i++)
            {
                var pin = request.Pinned[i];
                var claim = input.Tour.Claims.FirstOrDefault(c => c.ClaimId == pin.ClaimId);
                if (claim is null) e.Add($"pinned[{i}].claimId", Text.Of(Codes.ClaimNotFound, Arg.Plain("id", pin.ClaimId)));
                else if (claim.Status != ClaimStatus.Held) e.Add($"pinned[{i}].claimId", Text.Of(Codes.PlanPinNotHeld, Arg.Of("status", Codes.Status(claim.Status))));
                else if (pinned.ContainsKey(pin.ClaimId)) e.Add($"pinned[{i}].claimId", Text.Of(Codes.PlanPinnedTwice));
                else if (!PlanModel.AcceptableDates(claim).Contains(pin.Date))
                    e.Add($"pinned[{i}].date", Text.Of(Codes.PlanPinDateNotAcceptable, Arg.Date("date", pin.Date), Arg.Dates("dates", PlanModel.AcceptableDates(claim))));
                else pinned[pin.ClaimId] = pin.Date;
            }
            if (e.Any) return Outcome<PlanProposal>.Invalid(e);

            var travel = Travel(request.Travel);
            var spec = new PlanSpec { Pinned = pinned.ToImmutable() };
            var computed = await run.ComputeAsync((budget, hard) => PlanModel.PlanAsync(input, spec, budget, travel, hard));
            if (computed is not { } result) return Abandoned();
            if (!result.Feasible)
                return Outcome<PlanProposal>.Conflict(result.FailureMayBeTheLimit
                    ? Text.Of(Codes.PlanPinnedStopped, Arg.Of("limit", run.Budget.Explain().Text), Failure(result))
                    : Text.Of(Codes.PlanPinnedInfeasible, Failure(result)));
            return Outcome<PlanProposal>.Ok(await StoreAsync(Proposal(input, "plan", request.Search, result, run.Budget)));
        }
        finally
        {
            Exit(run);
        }
    }

    async Task<Outcome<PlanProposal>> ITourPlanGrain.RepairAsync(RepairRequest request)
    {
        var e = PlanLimits.Check(new ValidationErrors(), request.Search, limits);
        if (string.IsNullOrWhiteSpace(request.StopId)) e.Add("stopId", Text.Of(Codes.FieldRequired, Arg.Plain("field", "stopId")));
        if (request.MaxMoves is < 0 or > 10) e.Add("maxMoves", Validation.Range("maxMoves", 0, 10));
        if (e.Any) return Outcome<PlanProposal>.Invalid(e);
        if (Enter() is { } refused) return refused;
        var run = new Run(limits, logger, TourId, request.Search);
        try
        {
            var input = await Tour.GetPlanningInputAsync();
            if (input is null) return Outcome<PlanProposal>.NotFound(Text.Of(Codes.TourNotFound));
            var claim = input.Tour.Claims.FirstOrDefault(c => c.StopId == request.StopId);
            if (claim is null) return Outcome<PlanProposal>.NotFound(Text.Of(Codes.StopNotFound, Arg.Plain("id", request.StopId)));
            var travel = Travel(request.Travel);
            if (claim is { Status: ClaimStatus.Cancelled, ConfirmedAt: not null })
            {
                // Taking a stop out never breaks a rule for the others, so nothing else needs to move.
                var kept = await run.ComputeAsync((budget, hard) => PlanModel.PlanAsync(input, new PlanSpec { IncludePending = false }, budget, travel, hard));
                if (kept is null) return Abandoned();
                return Outcome<PlanProposal>.Ok(await StoreAsync(Proposal(input, "repair", request.Search, kept, run.Budget)
                    .WithNote(Text.Of(Codes.RepairCancelledAlready)) with { RepairStopId = request.StopId }));
            }
            if (claim.Status != ClaimStatus.Confirmed)
                return Outcome<PlanProposal>.Invalid("stopId", Text.Of(Codes.PlanRepairNotConfirmed, Arg.Of("status", Codes.Status(claim.Status))));

            var repaired = await run.ComputeAsync(async (budget, hard) =>
            {
                var (found, moved) = await SmallestRepairAsync(input, claim, request.MaxMoves, budget, travel, hard);
                budget.RunsAfter = 0;
                return found is null
                    ? new Repaired(await PlanModel.PlanAsync(input, new PlanSpec { IncludePending = false, Relocate = null }, budget, travel, hard), -1)
                    : new Repaired(found, moved);
            });
            if (repaired is not var (result, movedOthers)) return Abandoned();
            if (movedOthers < 0)
            {
                var limited = run.Budget.Stop >= PlanStop.Time;
                return Outcome<PlanProposal>.Ok(await StoreAsync(Proposal(input, "repair", request.Search, result, run.Budget)
                    .WithNote(limited
                        ? Text.Of(Codes.RepairNoMoveStopped, Arg.Plain("city", claim.City), Arg.Of("limit", run.Budget.Explain().Text))
                        : Text.Of(Codes.RepairNoMove, Arg.Plain("city", claim.City), Arg.Number("max", request.MaxMoves)))
                    with { RepairStopId = request.StopId, CancelsRepairStop = true }));
            }
            var moves = result.Routes.SelectMany(r => r.Stops)
                .Where(s => s.WasConfirmed && s.Dates[0] != s.FromDates[0])
                .DistinctBy(s => s.ClaimId)
                .OrderBy(s => s.ClaimId == claim.ClaimId ? 0 : 1).ThenBy(s => s.Start)
                .Select(s => new PlannedMove { ClaimId = s.ClaimId, StopId = s.StopId, City = s.City, From = s.FromDates, To = s.Dates })
                .ToImmutableArray();
            return Outcome<PlanProposal>.Ok(await StoreAsync(Proposal(input, "repair", request.Search, result, run.Budget)
                .WithNote(movedOthers == 0
                    ? Text.Of(Codes.RepairMoves, Arg.Plain("city", claim.City))
                    : Text.Of(Codes.RepairMovesOthers, Arg.Plain("city", claim.City), Arg.Number("count", movedOthers)))
                with { RepairStopId = request.StopId, Moves = moves }));
        }
        finally
        {
            Exit(run);
        }
    }

    /// <summary>A repair's plan and how many other confirmed stops it moves (-1: none found, the stop is cancelled).</summary>
    private sealed record Repaired(PlanResult Result, int Moved);

    /// <summary>
    /// Fewest other confirmed stops moved: first every other stop fixed, then each single stop movable, then pairs, and
    /// so on. The first size k with a feasible plan wins (within it, the plan with the least travel), so no plan moving
    /// fewer stops exists among those tried. Only stops of the repaired stop's speakers with another acceptable date can
    /// help. All the solves share one budget: when it runs out, the best plan found so far (if any) is the answer.
    /// </summary>
    private static async Task<(PlanResult? Result, int Moved)> SmallestRepairAsync(PlanningInput input, ClaimView target, int maxMoves, PlanBudget budget,
        ITravelTimeEstimator travel, CancellationToken hard)
    {
        var candidates = input.Tour.Claims
            .Where(c => c.Status == ClaimStatus.Confirmed && c.ClaimId != target.ClaimId && c.SpeakerIds.Length == 1
                        && target.SpeakerIds.Contains(c.SpeakerIds[0]) && PlanModel.AcceptableDates(c).Length > 1)
            .OrderBy(c => c.Dates[0]).ThenBy(c => c.ClaimId, StringComparer.Ordinal)
            .Select(c => c.ClaimId).ToList();
        var solves = 0;
        var planned = (int)Math.Min(MaxRepairSolves, Enumerable.Range(0, Math.Min(maxMoves, candidates.Count) + 1).Sum(k => Choose(candidates.Count, k)));
        for (var k = 0; k <= Math.Min(maxMoves, candidates.Count); k++)
        {
            PlanResult? best = null;
            var bestMoved = 0;
            foreach (var subset in Combinations(candidates, k))
            {
                if (++solves > MaxRepairSolves || (solves > 1 && budget.RunOut())) return (best, bestMoved);
                // The time is shared by all the combinations still to try, so the first cannot use it all.
                budget.RunsAfter = planned - solves;
                var spec = new PlanSpec { IncludePending = false, Relocate = target.ClaimId, Movable = [.. subset] };
                var result = await PlanModel.PlanAsync(input, spec, budget, travel, hard);
                if (!result.Feasible) continue;
                var moved = result.Routes.SelectMany(r => r.Stops).Where(s => s.WasConfirmed && s.ClaimId != target.ClaimId && s.Dates[0] != s.FromDates[0])
                    .Select(s => s.ClaimId).Distinct().Count();
                if (best is null || moved < bestMoved || (moved == bestMoved && result.TotalTravelMinutes < best.TotalTravelMinutes))
                    (best, bestMoved) = (result, moved);
            }
            if (best is not null) return (best, bestMoved);
        }
        return (null, 0);
    }

    private static long Choose(int n, int k)
    {
        long c = 1;
        for (var i = 1; i <= k; i++) c = Math.Min(long.MaxValue / (n + 1), c * (n - k + i) / i);
        return c;
    }

    private static IEnumerable<ImmutableArray<string>> Combinations(List<string> items, int k, int from = 0)
    {
        if (k == 0) { yield return []; yield break; }
        for (var i = from; i <= items.Count - k; i++)
            foreach (var rest in Combinations(items, k - 1, i + 1))
                yield return rest.Insert(0, items[i]);
    }

    async Task ITourPlanGrain.ForgetAsync()
    {
        if (state.RecordExists) await state.ClearStateAsync();
        state.State = new TourPlanState();
        DeactivateOnIdle();
    }

    Task<PlanProposal?> ITourPlanGrain.GetAsync(string proposalId) =>
        Task.FromResult(state.State.Proposals.FirstOrDefault(p => p.ProposalId == proposalId));

    async Task<Outcome<PlanApplied>> ITourPlanGrain.ApplyAsync(string proposalId)
    {
        var proposal = state.State.Proposals.FirstOrDefault(p => p.ProposalId == proposalId);
        if (proposal is null) return Outcome<PlanApplied>.NotFound(PlanLimits.ProposalNotFound(proposalId));
        return await Tour.ApplyPlanAsync(proposal);
    }

    private PlanTravelEstimator Travel(PlanTravel table) => new(table ?? PlanTravel.Empty, new GreatCircleTravelEstimator(travelModel));

    /// <summary>Takes this tour's run and a place among the silo's runs, or says why not (409 or 503).</summary>
    private Outcome<PlanProposal>? Enter()
    {
        if (_running || !_lingering.IsCompleted)
            return Refused(PlanLimits.PlanRunningCode, Text.Of(Codes.PlanRunning), null);
        if (!gate.TryEnter())
            return Refused(PlanLimits.PlannerBusyCode, Text.Of(Codes.PlannerBusy), limits.MaxWallTime);
        _running = true;
        return null;
    }

    private void Exit(Run run)
    {
        _running = false;
        // The silo's place is given back when the work has really ended, not when this request answered.
        _lingering = run.Work;
        run.Work.ContinueWith(_ => gate.Exit(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private Outcome<PlanProposal> Abandoned() =>
        Refused(PlanLimits.PlanAbandonedCode, Text.Of(Codes.PlanAbandoned, PlanLimits.Seconds("seconds", limits.MaxWallTime + limits.VerifyGrace)), limits.MaxWallTime);

    /// <summary>A request that could not start or finish: the reason, and the same as the answer's one conflict.</summary>
    private static Outcome<PlanProposal> Refused(string code, Text reason, TimeSpan? retryAfter) =>
        Outcome<PlanProposal>.Conflict(reason, PlanLimits.Refusal(code, reason, retryAfter));

    private static TextArg Failure(PlanResult result) => Arg.Of("failure", result.Failure ?? Text.Of(Codes.PlanBreaksRules));

    /// <summary>
    /// One request's computation: the budget, the server's deadlines and the work on the thread pool. The search stops
    /// at <see cref="PlanningLimits.MaxWallTime"/> and keeps its best; verification has <see cref="PlanningLimits.VerifyGrace"/>
    /// more, after which the run is abandoned (null) and its work, told by its token, ends on its own.
    /// </summary>
    private sealed class Run(PlanningLimits limits, ILogger logger, string tourId, PlanSearch search)
    {
        /// <summary>The budget of the computation, once it started.</summary>
        public PlanBudget Budget { get; private set; } = null!;
        /// <summary>The computation's work until it has really ended (completed when none was started).</summary>
        public Task Work { get; private set; } = Task.CompletedTask;

        /// <summary>Runs <paramref name="compute"/> once, bounded; default when it had to be abandoned.</summary>
        public async Task<T?> ComputeAsync<T>(Func<PlanBudget, CancellationToken, Task<T>> compute) where T : class
        {
            var soft = new CancellationTokenSource(limits.MaxWallTime);
            var hard = new CancellationTokenSource(limits.MaxWallTime + limits.VerifyGrace);
            var budget = Budget = new PlanBudget(search, limits, soft.Token);
            // Off this grain's scheduler: the solver's CPU must not run on (or block) a grain turn.
            var work = Task.Run(() => compute(budget, hard.Token));
            Work = work.ContinueWith(_ =>
            {
                soft.Dispose();
                hard.Dispose();
            }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            try
            {
                // A little past the hard deadline: the work notices its token between steps.
                return await work.WaitAsync(limits.MaxWallTime + limits.VerifyGrace + TimeSpan.FromSeconds(1));
            }
            catch (Exception ex) when (ex is OperationCanceledException or TimeoutException)
            {
                logger.LogWarning("Tour {TourId}: a planning run passed the server's time limit and was abandoned", tourId);
                return default;
            }
        }
    }

    private PlanProposal Proposal(PlanningInput input, string kind, PlanSearch search, PlanResult result, PlanBudget budget)
    {
        var (code, message, messageEs) = budget.Describe();
        return new PlanProposal
        {
            ProposalId = Tokens.NewId("p_"), TourId = TourId, Kind = kind, BasedOnVersion = input.LedgerVersion, CreatedAt = clock.GetCurrentInstant(),
            Search = search, Placements = [.. result.Placed.Where(p => !p.WasConfirmed)], Unplaced = result.Unplaced, Routes = result.Routes,
            TotalTravelMinutes = result.TotalTravelMinutes, StoppedBy = code, StopMessage = message, StopMessageEs = messageEs, Iterations = budget.Iterations,
        };
    }

    private async Task<PlanProposal> StoreAsync(PlanProposal proposal)
    {
        var kept = state.State.Proposals.Add(proposal);
        state.State = state.State with { Proposals = kept.Length > MaxProposals ? kept.RemoveRange(0, kept.Length - MaxProposals) : kept };
        await state.WriteStateAsync();
        return proposal;
    }
}
