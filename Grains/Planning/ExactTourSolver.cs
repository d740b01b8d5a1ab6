using System.Collections.Immutable;

namespace TourPlanner.Grains.Planning;

/// <summary>
/// Exact dynamic program over (visited subset, last visit) for small problems, used as a reference oracle.
/// </summary>
/// <remarks>
/// With waiting allowed, "earliest arrival" alone is not enough state when minimising travel: a path can be cheaper
/// but later. Each state therefore keeps its Pareto front of (ready time, travel) labels, which makes the result exact.
/// </remarks>
public static class ExactTourSolver
{
    /// <summary>Largest node count (depot included) accepted; the state space grows as 2^(n-1) × (n-1).</summary>
    public const int MaxNodes = 16;

    private readonly record struct Label(long Ready, long Travel, int Node, int Parent);

    /// <summary>Optimal solution under the same lexicographic objective as <see cref="TourSolver"/>.</summary>
    public static PlanningSolution Solve(PlanningProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        if (problem.NodeCount > MaxNodes)
            throw new ArgumentException($"The exact solver handles at most {MaxNodes} nodes.", nameof(problem));
        var d = new ProblemData(problem);
        var visits = d.N - 1;
        if (d.DepotEarliest > d.DepotLatest) return ScheduleBuilder.Infeasible(d, 0);

        var labels = new List<Label>();
        var fronts = new List<int>?[(1 << visits) * Math.Max(visits, 1)];
        for (var v = 1; v <= visits; v++)
        {
            if (Extend(d, d.DepotEarliest, 0, v) is { } ready)
                AddLabel(labels, fronts, visits, 1 << (v - 1), new Label(ready, d.Cost(0, v), v, -1));
        }
        for (var mask = 1; mask < 1 << visits; mask++)
        {
            for (var last = 1; last <= visits; last++)
            {
                if (fronts[mask * visits + last - 1] is not { } front) continue;
                foreach (var index in front.ToArray())
                {
                    var label = labels[index];
                    for (var next = 1; next <= visits; next++)
                    {
                        var bit = 1 << (next - 1);
                        if ((mask & bit) != 0) continue;
                        if (Extend(d, label.Ready, last, next) is not { } ready) continue;
                        AddLabel(labels, fronts, visits, mask | bit,
                            new Label(ready, label.Travel + d.Cost(last, next), next, index));
                    }
                }
            }
        }

        var mandatoryMask = 0;
        for (var v = 1; v <= visits; v++)
        {
            if (d.Mandatory[v]) mandatoryMask |= 1 << (v - 1);
        }
        // The empty tour (straight back to the depot) is a candidate when nothing is mandatory.
        var bestIndex = -1;
        var bestPriority = mandatoryMask == 0 ? 0L : -1L;
        var bestTravel = mandatoryMask == 0 ? 0L : long.MaxValue;
        for (var mask = 1; mask < 1 << visits; mask++)
        {
            if ((mask & mandatoryMask) != mandatoryMask) continue;
            long priority = 0;
            for (var v = 1; v <= visits; v++)
            {
                if ((mask & (1 << (v - 1))) != 0) priority += d.Priority[v];
            }
            if (priority < bestPriority) continue;
            for (var last = 1; last <= visits; last++)
            {
                if (fronts[mask * visits + last - 1] is not { } front) continue;
                foreach (var index in front)
                {
                    var label = labels[index];
                    if (label.Ready + d.Cost(last, 0) > d.DepotLatest) continue;
                    var travel = label.Travel + d.Cost(last, 0);
                    if (priority > bestPriority || travel < bestTravel)
                    {
                        bestPriority = priority;
                        bestTravel = travel;
                        bestIndex = index;
                    }
                }
            }
        }
        if (bestPriority < 0) return ScheduleBuilder.Infeasible(d, 0);

        var order = new List<int>();
        for (var index = bestIndex; index >= 0; index = labels[index].Parent) order.Add(labels[index].Node);
        order.Reverse();
        var missing = Enumerable.Range(1, visits).Except(order);
        return ScheduleBuilder.Build(d, order, ScheduleBuilder.ReasonsFor(d, missing), 0)
            ?? throw new InvalidOperationException("Internal error: the exact solver produced an infeasible tour.");
    }

    /// <summary>Time service at <paramref name="to"/> ends, leaving <paramref name="from"/> when it is ready; null if too late.</summary>
    private static long? Extend(ProblemData d, long readyAtFrom, int from, int to)
    {
        var arrival = readyAtFrom + d.Cost(from, to);
        var k = d.FirstOpenWindow(to, arrival);
        if (k < 0) return null;
        return Math.Max(arrival, d.WinEarliest[to][k]) + d.Service[to];
    }

    private static void AddLabel(List<Label> labels, List<int>?[] fronts, int visits, int mask, Label label)
    {
        var slot = mask * visits + label.Node - 1;
        var front = fronts[slot] ??= [];
        foreach (var index in front)
        {
            var other = labels[index];
            if (other.Ready <= label.Ready && other.Travel <= label.Travel) return;
        }
        front.RemoveAll(index => labels[index].Ready >= label.Ready && labels[index].Travel >= label.Travel);
        labels.Add(label);
        front.Add(labels.Count - 1);
    }
}
