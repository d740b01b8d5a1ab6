using TourPlanner.Grains.Planning;

namespace TourPlanner.Tests.Planning;

/// <summary>Re-checks a solution from the problem alone, without any solver code, and fails the test on any violation.</summary>
internal static class IndependentCheck
{
    public static void AssertValid(PlanningProblem problem, PlanningSolution solution)
    {
        var nodes = problem.Nodes;
        var placed = solution.Route.Select(v => v.Node).ToList();
        var unplaced = solution.Unplaced.Select(u => u.Node).ToList();
        Assert.Equal(placed.Count, placed.Distinct().Count());
        Assert.DoesNotContain(0, placed);
        Assert.Equal(Enumerable.Range(1, problem.NodeCount - 1), placed.Concat(unplaced).Order());
        if (!solution.Feasible)
        {
            Assert.Empty(placed);
            return;
        }

        var depot = nodes[0].Windows[0];
        Assert.Equal(depot.Earliest, solution.DepartureTime);
        long time = depot.Earliest;
        long travel = 0;
        long priority = 0;
        var previous = 0;
        long previousService = 0;
        foreach (var visit in solution.Route)
        {
            var node = nodes[visit.Node];
            var arrival = time + previousService + problem.Travel[previous, visit.Node];
            Assert.True(visit.Start >= arrival, $"Node {visit.Node} starts at {visit.Start} before arriving at {arrival}.");
            Assert.InRange(visit.WindowIndex, 0, node.Windows.Length - 1);
            Assert.True(node.Windows[visit.WindowIndex].Contains(visit.Start),
                $"Node {visit.Node} starts at {visit.Start} outside its window {node.Windows[visit.WindowIndex]}.");
            travel += problem.Travel[previous, visit.Node];
            if (!node.Mandatory) priority += node.Priority;
            time = visit.Start;
            previous = visit.Node;
            previousService = node.ServiceDuration;
        }
        var back = time + previousService + problem.Travel[previous, 0];
        travel += problem.Travel[previous, 0];
        Assert.True(back <= depot.Latest, $"Back at the depot at {back}, after its latest {depot.Latest}.");
        Assert.Equal(back, solution.ReturnTime);
        Assert.Equal(travel, solution.TotalTravel);
        Assert.Equal(priority, solution.PlacedPriority);
        foreach (var missing in unplaced) Assert.False(nodes[missing].Mandatory, $"Mandatory node {missing} is unplaced.");
    }
}
