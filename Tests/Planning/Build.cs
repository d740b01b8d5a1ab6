using System.Collections.Immutable;
using TourPlanner.Grains.Planning;

namespace TourPlanner.Tests.Planning;

/// <summary>Terse construction of hand-made problems.</summary>
internal static class Build
{
    public static readonly SolverOptions Options = new() { TimeBudget = null, MaxIterations = 300, Seed = 3 };

    public static TimeWindow W(int earliest, int latest) => new(earliest, latest);

    public static PlanningProblem Problem(int[,] travel, params PlanningNode[] nodes) =>
        new(TravelMatrix.FromArray(travel), [.. nodes]);

    /// <summary>Symmetric travel matrix from points on a line, so distances are easy to reason about.</summary>
    public static int[,] Line(params int[] positions)
    {
        var matrix = new int[positions.Length, positions.Length];
        for (var i = 0; i < positions.Length; i++)
        {
            for (var j = 0; j < positions.Length; j++) matrix[i, j] = Math.Abs(positions[i] - positions[j]);
        }
        return matrix;
    }

    public static PlanningSolution SolveAndCheck(PlanningProblem problem, SolverOptions? options = null)
    {
        var solution = TourSolver.Solve(problem, options ?? Options);
        IndependentCheck.AssertValid(problem, solution);
        return solution;
    }

    public static int[] Order(PlanningSolution solution) => solution.Route.Select(v => v.Node).ToArray();

    public static ImmutableArray<TimeWindow> Windows(params TimeWindow[] windows) => [.. windows];
}
