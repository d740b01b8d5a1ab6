using TourPlanner.Grains.Planning;
using static TourPlanner.Tests.Planning.Build;

namespace TourPlanner.Tests.Planning;

public class ExactSolverTests
{
    // Non-metric on purpose: 1,2,3 is cheap but waits for 2's window and reaches 3 late; 2,1,3 is dear but early.
    private static readonly int[,] CheapButLate =
    {
        { 0, 1, 30, 100 },
        { 100, 0, 1, 1 },
        { 100, 1, 0, 10 },
        { 1, 100, 100, 0 },
    };

    private static PlanningProblem Problem() => Build.Problem(CheapButLate,
        PlanningNode.Depot(W(0, 1000)), PlanningNode.Required(0, W(0, 1000)),
        PlanningNode.Required(0, W(50, 1000)), PlanningNode.Required(0, W(0, 1000)));

    [Fact]
    public void The_exact_solver_keeps_a_cheaper_partial_route_even_when_it_arrives_later()
    {
        var solution = ExactTourSolver.Solve(Problem());

        IndependentCheck.AssertValid(Problem(), solution);
        Assert.Equal(new[] { 1, 2, 3 }, Order(solution));
        Assert.Equal(13, solution.TotalTravel);
    }

    [Fact]
    public void The_heuristic_finds_the_same_non_metric_optimum()
    {
        var solution = SolveAndCheck(Problem());

        Assert.Equal(13, solution.TotalTravel);
    }

    [Fact]
    public void The_exact_solver_refuses_problems_beyond_its_size_limit()
    {
        var problem = RandomInstances.Create(1, ExactTourSolver.MaxNodes + 1, 50);

        Assert.Throws<ArgumentException>(() => ExactTourSolver.Solve(problem));
    }
}
