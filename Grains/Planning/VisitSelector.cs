namespace TourPlanner.Grains.Planning;

/// <summary>
/// Orienteering phase, used when not every visit fits: secure the mandatory visits, fill greedily by priority, then
/// iterate "drop a few optional visits, maybe force one in and repair, refill" keeping the lexicographically best
/// (placed priority, then travel) strictly feasible tour.
/// </summary>
internal sealed class VisitSelector(ProblemData d, LocalSearch localSearch, Rng rng, SearchBudget budget)
{
    // Large enough that no travel saving can pay for any time warp: the descent stays inside feasible space.
    private const double FeasibleOnly = 1e9;
    private const int RestartAfter = 50;
    private const int RepairIterations = 8;
    private const int PolishIterations = 30;
    private const double RepairLambda = 100.0;

    public Tour? Run(long mandatoryEffort)
    {
        var mandatory = Enumerable.Range(1, d.N - 1).Where(v => d.Mandatory[v]).ToArray();
        var candidates = Enumerable.Range(1, d.N - 1).Where(v => !d.Mandatory[v] && d.ReachableAlone(v)).ToArray();
        Tour current;
        if (mandatory.Length == 0)
        {
            current = Tour.From(d.N, []);
        }
        else
        {
            var optimizer = new RouteOptimizer(d, localSearch, rng, budget);
            optimizer.Run(Construction.ByDeadline(d, mandatory), mandatoryEffort, stopWhenFeasible: true);
            if (optimizer.BestFeasible is null) return null;
            current = optimizer.BestFeasible;
        }

        localSearch.Lambda = FeasibleOnly;
        Fill(current, candidates);
        localSearch.Run(current);
        current = Polish(current);
        var currentScore = Score(current);
        var best = current.Clone();
        var bestScore = currentScore;
        var sinceImprovement = 0;
        while (candidates.Length > 0 && budget.TryConsume())
        {
            var candidate = current.Clone();
            DropSome(candidate);
            switch (rng.Next(4))
            {
                case 0:
                    candidate = ForceOneIn(candidate, candidates);
                    break;
                case 1:
                    candidate = InsertAndEject(candidate, candidates);
                    break;
            }
            Fill(candidate, candidates);
            localSearch.Run(candidate);
            var score = Score(candidate);
            if (Compare(score, bestScore) > 0)
            {
                candidate = Polish(candidate);
                score = Score(candidate);
            }
            if (Compare(score, currentScore) >= 0)
            {
                current = candidate;
                currentScore = score;
            }
            if (Compare(score, bestScore) > 0)
            {
                best = candidate.Clone();
                bestScore = score;
                sinceImprovement = 0;
            }
            else if (++sinceImprovement >= RestartAfter)
            {
                current = best.Clone();
                currentScore = bestScore;
                sinceImprovement = 0;
            }
        }
        return best;
    }

    /// <summary>
    /// Re-optimises the order of a promising selection with the penalised search, which can cross infeasible
    /// orders the feasibility-preserving descent cannot. Iteration-bounded, so it never depends on the clock.
    /// </summary>
    private Tour Polish(Tour t)
    {
        var optimizer = new RouteOptimizer(d, localSearch, rng, budget);
        localSearch.Lambda = 1.0;
        optimizer.Run(t, PolishIterations, stopWhenFeasible: false);
        localSearch.Lambda = FeasibleOnly;
        var polished = optimizer.BestFeasible;
        return polished is not null && optimizer.BestTravel < localSearch.Evaluate(t).Travel ? polished : t;
    }

    /// <summary>
    /// Puts one missing visit in, then ejects the optional visits that free the most time warp per unit of priority
    /// until the tour is feasible again: a targeted exchange that random drops rarely find.
    /// </summary>
    private Tour InsertAndEject(Tour t, int[] candidates)
    {
        var missing = candidates.Where(v => !t.Contains(v)).ToArray();
        if (missing.Length == 0) return t;
        var v = missing[rng.Next(missing.Length)];
        var trial = t.Clone();
        localSearch.Rebuild(trial);
        var (after, window, _) = localSearch.BestInsertion(trial, v, requireFeasible: false);
        trial.Window[v] = window;
        trial.InsertAfter(after, v);
        localSearch.Lambda = RepairLambda;
        localSearch.Run(trial);
        localSearch.Lambda = FeasibleOnly;
        while (localSearch.Evaluate(trial).TimeWarp > 0)
        {
            var warp = localSearch.Whole.TimeWarp;
            var bestPosition = -1;
            var bestRatio = 0.0;
            for (var p = 1; p <= trial.Count; p++)
            {
                var node = trial.Seq[p];
                if (node == v || d.Mandatory[node]) continue;
                var freed = warp - localSearch.WithoutPosition(p).TimeWarp;
                if (freed <= 0) continue;
                var ratio = freed / (d.Priority[node] + 1.0);
                if (ratio > bestRatio)
                {
                    bestRatio = ratio;
                    bestPosition = p;
                }
            }
            if (bestPosition < 0) return t;
            trial.RemoveAt(bestPosition);
        }
        return trial;
    }

    private (long Priority, long Travel) Score(Tour t)
    {
        long priority = 0;
        foreach (var v in t.Visits()) priority += d.Priority[v];
        return (priority, localSearch.Evaluate(t).Travel);
    }

    private static int Compare((long Priority, long Travel) a, (long Priority, long Travel) b) =>
        a.Priority != b.Priority ? a.Priority.CompareTo(b.Priority) : b.Travel.CompareTo(a.Travel);

    /// <summary>Cheapest feasible insertion of missing visits, most valuable first (ties in random order).</summary>
    private void Fill(Tour t, int[] candidates)
    {
        var missing = candidates.Where(v => !t.Contains(v)).ToArray();
        var keys = missing.Select(_ => rng.NextULong()).ToArray();
        Array.Sort(keys, missing);
        var order = missing.OrderByDescending(v => d.Priority[v]).ToArray();
        localSearch.Rebuild(t);
        foreach (var v in order)
        {
            var (after, window, _) = localSearch.BestInsertion(t, v, requireFeasible: true);
            if (after < 0) continue;
            t.Window[v] = window;
            t.InsertAfter(after, v);
            localSearch.Rebuild(t);
        }
    }

    private void DropSome(Tour t)
    {
        var drops = 1 + rng.Next(3);
        for (var k = 0; k < drops; k++)
        {
            var optionalPositions = Enumerable.Range(1, t.Count).Where(p => !d.Mandatory[t.Seq[p]]).ToArray();
            if (optionalPositions.Length == 0) return;
            var position = optionalPositions[rng.Next(optionalPositions.Length)];
            localSearch.Rebuild(t);
            // Without the triangle inequality a shortcut can arrive later; never trade feasibility for a drop.
            if (localSearch.WithoutPosition(position).TimeWarp == 0) t.RemoveAt(position);
        }
    }

    /// <summary>Inserts one missing visit even if it breaks windows and lets the penalised search try to repair it.</summary>
    private Tour ForceOneIn(Tour t, int[] candidates)
    {
        var missing = candidates.Where(v => !t.Contains(v)).ToArray();
        if (missing.Length == 0) return t;
        var v = missing[rng.Next(missing.Length)];
        // Any feasible tour with one more valuable visit wins regardless of travel, so repair chases time warp first.
        localSearch.Lambda = RepairLambda;
        var forced = t.Clone();
        localSearch.Rebuild(forced);
        var (after, window, _) = localSearch.BestInsertion(forced, v, requireFeasible: false);
        forced.Window[v] = window;
        forced.InsertAfter(after, v);
        var optimizer = new RouteOptimizer(d, localSearch, rng, budget);
        optimizer.Run(forced, RepairIterations, stopWhenFeasible: true);
        localSearch.Lambda = FeasibleOnly;
        return optimizer.BestFeasible ?? t;
    }
}
