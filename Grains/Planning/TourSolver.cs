namespace TourPlanner.Grains.Planning;

/// <summary>
/// Heuristic tour planner for the TSP with (multiple) time windows and optional visits: all visits if they fit,
/// otherwise the most valuable subset that fits with the mandatory ones, then the least travel.
/// </summary>
public static class TourSolver
{
    /// <summary>
    /// Plans a tour. Deterministic for a fixed <see cref="SolverOptions.Seed"/> and iteration limit. The token ends the
    /// search like the time budget does (between iterations, keeping the best tour so far); the answer says which
    /// limit ended it in <see cref="PlanningSolution.StoppedBy"/>.
    /// </summary>
    public static PlanningSolution Solve(PlanningProblem problem, SolverOptions? options = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(problem);
        options ??= new SolverOptions();
        var data = new ProblemData(problem);
        var budget = new SearchBudget(options.MaxIterations, options.TimeBudget, cancellation);
        return Search(data, budget, options) with { StoppedBy = budget.Stop };
    }

    private static PlanningSolution Search(ProblemData data, SearchBudget budget, SolverOptions options)
    {
        var rng = new Rng(options.Seed);
        var localSearch = new LocalSearch(data, rng);

        if (data.DepotEarliest > data.DepotLatest) return ScheduleBuilder.Infeasible(data, 0);
        var everyone = Enumerable.Range(1, data.N - 1).ToArray();
        var hasOptional = everyone.Any(v => !data.Mandatory[v]);

        // First try to place every visit; with optional visits present, give up on that after a bounded effort.
        var optimizer = new RouteOptimizer(data, localSearch, rng, budget);
        var allInLimit = hasOptional ? FullTourEffort(data, budget) : long.MaxValue;
        optimizer.Run(Construction.ByDeadline(data, everyone), allInLimit, stopWhenFeasible: false);
        if (optimizer.BestFeasible is not null && hasOptional)
        {
            // Everything fits, so the bounded attempt becomes the whole search: spend the rest on travel.
            optimizer.Run(optimizer.BestFeasible, long.MaxValue, stopWhenFeasible: false);
        }
        if (optimizer.BestFeasible is { } full)
            return Finish(data, full.Visits().ToArray(), [], budget);
        if (!hasOptional) return ScheduleBuilder.Infeasible(data, budget.Used);

        var selector = new VisitSelector(data, localSearch, rng, budget);
        var best = selector.Run(FullTourEffort(data, budget));
        if (best is null) return ScheduleBuilder.Infeasible(data, budget.Used);
        var placed = best.Visits().ToArray();
        return Finish(data, placed, everyone.Except(placed), budget);
    }

    private static long FullTourEffort(ProblemData data, SearchBudget budget)
    {
        var effort = 50L + 10L * data.N;
        return budget.HasIterationLimit ? Math.Max(1, Math.Min(effort, budget.MaxIterations / 4)) : effort;
    }

    private static PlanningSolution Finish(ProblemData data, int[] order, IEnumerable<int> missing, SearchBudget budget) =>
        ScheduleBuilder.Build(data, order, ScheduleBuilder.ReasonsFor(data, missing), budget.Used)
        ?? throw new InvalidOperationException("Internal error: the search accepted a tour that misses a time window.");
}
