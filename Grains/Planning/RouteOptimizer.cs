namespace TourPlanner.Grains.Planning;

/// <summary>
/// Iterated local search for a fixed set of visits: perturb, descend under the time-warp penalty, adapt the penalty
/// weight (up while the search sits in infeasible space, down while feasible) and keep the best strictly feasible tour.
/// </summary>
internal sealed class RouteOptimizer(ProblemData data, LocalSearch localSearch, Rng rng, SearchBudget budget)
{
    private const double MinLambda = 0.05;
    private const double MaxLambda = 1e5;
    private const int RestartAfter = 40;

    public Tour? BestFeasible { get; private set; }

    public long BestTravel { get; private set; } = long.MaxValue;

    /// <summary>
    /// Searches from <paramref name="start"/>. Stops when the shared budget runs out, after
    /// <paramref name="iterationLimit"/> of its own iterations, or — when <paramref name="stopWhenFeasible"/> —
    /// as soon as a feasible tour appears.
    /// </summary>
    public void Run(Tour start, long iterationLimit, bool stopWhenFeasible)
    {
        var current = start.Clone();
        localSearch.Run(current);
        var currentSeg = localSearch.Whole;
        Record(current, currentSeg);
        // With at most one visit the descent (which also tries every window) is already exact.
        if (current.Count <= 1 || (stopWhenFeasible && BestFeasible is not null)) return;
        var sinceImprovement = 0;
        for (long it = 0; it < iterationLimit && budget.TryConsume(); it++)
        {
            var candidate = current.Clone();
            Perturb(candidate);
            localSearch.Run(candidate);
            var seg = localSearch.Whole;
            var improvedBest = Record(candidate, seg);
            Adapt(seg.TimeWarp == 0);
            if (localSearch.CostOf(seg) <= localSearch.CostOf(currentSeg))
            {
                current = candidate;
                currentSeg = seg;
            }
            sinceImprovement = improvedBest ? 0 : sinceImprovement + 1;
            if (stopWhenFeasible && BestFeasible is not null) return;
            if (sinceImprovement >= RestartAfter && BestFeasible is not null)
            {
                // Long stagnation: resume from the incumbent rather than drift in a poor basin.
                current = BestFeasible.Clone();
                currentSeg = localSearch.Evaluate(current);
                sinceImprovement = 0;
            }
        }
    }

    private bool Record(Tour tour, in Segment seg)
    {
        if (seg.TimeWarp != 0 || seg.Travel >= BestTravel) return false;
        BestTravel = seg.Travel;
        BestFeasible = tour.Clone();
        return true;
    }

    private void Adapt(bool feasible)
    {
        localSearch.Lambda = feasible
            ? Math.Max(MinLambda, localSearch.Lambda * 0.85)
            : Math.Min(MaxLambda, localSearch.Lambda * 1.2);
    }

    /// <summary>A few short-range segment moves: time windows make long jumps almost always useless.</summary>
    private void Perturb(Tour t)
    {
        var m = t.Count;
        if (m < 2) return;
        var moves = 1 + rng.Next(3);
        var reach = Math.Max(3, Math.Min(m, 10));
        var buffer = new int[3];
        for (var k = 0; k < moves; k++)
        {
            var len = 1 + rng.Next(Math.Min(3, m - 1));
            var i = 1 + rng.Next(m - len + 1);
            for (var q = 0; q < len; q++) buffer[q] = t.Seq[i + q];
            for (var q = 0; q < len; q++) t.RemoveAt(i);
            var target = Math.Clamp(i - 1 + rng.Next(2 * reach + 1) - reach, 0, t.Count);
            for (var q = len - 1; q >= 0; q--) t.InsertAfter(target, buffer[q]);
            if (data.HasMultipleWindows && rng.Next(4) == 0)
            {
                var node = buffer[0];
                t.Window[node] = rng.Next(data.WinEarliest[node].Length);
            }
        }
    }
}
