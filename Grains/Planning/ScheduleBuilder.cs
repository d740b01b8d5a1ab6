using System.Collections.Immutable;

namespace TourPlanner.Grains.Planning;

/// <summary>Turns a visit order into start times, starting each service as early as any of the node's windows allows.</summary>
internal static class ScheduleBuilder
{
    /// <summary>
    /// Earliest-start scheduling dominates any other choice of windows (a later start never helps later visits),
    /// so this succeeds whenever the search found the order feasible for its chosen windows.
    /// </summary>
    public static PlanningSolution? Build(
        ProblemData d, IReadOnlyList<int> order, ImmutableArray<UnplacedVisit> unplaced, long iterations)
    {
        var visits = ImmutableArray.CreateBuilder<ScheduledVisit>(order.Count);
        var time = d.DepotEarliest;
        var previous = 0;
        long travel = 0;
        long priority = 0;
        foreach (var node in order)
        {
            var arrival = time + d.Service[previous] + d.Cost(previous, node);
            var k = d.FirstOpenWindow(node, arrival);
            if (k < 0) return null;
            var start = Math.Max(arrival, d.WinEarliest[node][k]);
            visits.Add(new ScheduledVisit(node, start, d.WinOriginalIndex[node][k]));
            travel += d.Cost(previous, node);
            priority += d.Priority[node];
            time = start;
            previous = node;
        }
        var back = time + d.Service[previous] + d.Cost(previous, 0);
        if (back > d.DepotLatest) return null;
        travel += d.Cost(previous, 0);
        return new PlanningSolution(true, visits.MoveToImmutable(), d.DepotEarliest, back, travel, priority, unplaced, iterations);
    }

    public static PlanningSolution Infeasible(ProblemData d, long iterations)
    {
        var unplaced = Enumerable.Range(1, d.N - 1)
            .Select(v => new UnplacedVisit(v, d.Mandatory[v] && !d.ReachableAlone(v)
                ? UnplacedReason.UnreachableWindow
                : UnplacedReason.MandatoryVisitsInfeasible))
            .ToImmutableArray();
        return new PlanningSolution(false, [], d.DepotEarliest, d.DepotEarliest, 0, 0, unplaced, iterations);
    }

    public static ImmutableArray<UnplacedVisit> ReasonsFor(ProblemData d, IEnumerable<int> missing) =>
        missing.Order()
            .Select(v => new UnplacedVisit(v, d.ReachableAlone(v)
                ? UnplacedReason.ConflictsWithPlacedVisits
                : UnplacedReason.UnreachableWindow))
            .ToImmutableArray();
}
