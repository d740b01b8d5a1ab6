using System.Collections.Immutable;
using TourPlanner.Grains.Planning;

namespace TourPlanner.Tests.Planning;

/// <summary>
/// Seeded random small problems: points in a square, windows of random width around a random tour's times.
/// With <c>containGeneratingTour</c> off the first window is jittered off that tour, so many instances are infeasible.
/// </summary>
internal static class RandomInstances
{
    public static PlanningProblem Create(int seed, int nodeCount, int windowWidth, double optionalShare = 0,
        int maxWindows = 1, int maxService = 0, bool asymmetric = false, bool containGeneratingTour = true)
    {
        var random = new Random(seed);
        var x = new int[nodeCount];
        var y = new int[nodeCount];
        for (var i = 0; i < nodeCount; i++)
        {
            x[i] = random.Next(100);
            y[i] = random.Next(100);
        }
        var travel = new int[nodeCount, nodeCount];
        for (var i = 0; i < nodeCount; i++)
        {
            for (var j = 0; j < nodeCount; j++)
            {
                var distance = (int)Math.Sqrt((x[i] - x[j]) * (x[i] - x[j]) + (y[i] - y[j]) * (y[i] - y[j]));
                travel[i, j] = i == j ? 0 : distance + (asymmetric ? random.Next(15) : 0);
            }
        }

        // Windows are centred on a random tour's arrival times, jittered, so some instances are tight and a few infeasible.
        var service = Enumerable.Range(0, nodeCount).Select(i => i == 0 ? 0 : random.Next(maxService + 1)).ToArray();
        var order = Enumerable.Range(1, nodeCount - 1).OrderBy(_ => random.Next()).ToArray();
        var centre = new int[nodeCount];
        var time = 0;
        var previous = 0;
        foreach (var node in order)
        {
            time += service[previous] + travel[previous, node];
            centre[node] = time;
            previous = node;
        }
        var horizon = time + service[previous] + travel[previous, 0] + windowWidth;
        var nodes = ImmutableArray.CreateBuilder<PlanningNode>(nodeCount);
        nodes.Add(PlanningNode.Depot(new TimeWindow(0, horizon)));
        for (var i = 1; i < nodeCount; i++)
        {
            var windows = new List<TimeWindow>();
            var count = 1 + random.Next(maxWindows);
            for (var k = 0; k < count; k++)
            {
                if (k == 0 && containGeneratingTour)
                {
                    // Contains the generating tour's start time, so that tour proves the instance feasible.
                    var before = random.Next(windowWidth + 1);
                    windows.Add(new TimeWindow(Math.Max(0, centre[i] - before), centre[i] + random.Next(windowWidth + 1)));
                    continue;
                }
                var middle = k == 0 ? centre[i] + random.Next(-windowWidth / 2, windowWidth / 2 + 1) : random.Next(horizon);
                var half = random.Next(windowWidth / 2 + 1);
                windows.Add(new TimeWindow(Math.Max(0, middle - half), Math.Max(0, middle + half)));
            }
            var optional = random.NextDouble() < optionalShare;
            nodes.Add(optional
                ? PlanningNode.Optional(1 + random.Next(5), service[i], [.. windows])
                : PlanningNode.Required(service[i], [.. windows]));
        }
        return new PlanningProblem(TravelMatrix.FromArray(travel), nodes.MoveToImmutable());
    }
}
