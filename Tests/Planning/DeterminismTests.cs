using TourPlanner.Grains.Planning;

namespace TourPlanner.Tests.Planning;

public class DeterminismTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    public void The_same_seed_and_iteration_limit_give_an_identical_solution(double optionalShare)
    {
        var problem = RandomInstances.Create(42, 30, 60, optionalShare, maxWindows: 2, maxService: 5);
        var options = new SolverOptions { TimeBudget = null, MaxIterations = 200, Seed = 11 };

        var first = TourSolver.Solve(problem, options);
        var second = TourSolver.Solve(problem, options);

        Assert.Equal(first.Route.ToArray(), second.Route.ToArray());
        Assert.Equal(first.Unplaced.ToArray(), second.Unplaced.ToArray());
        Assert.Equal(first.TotalTravel, second.TotalTravel);
        Assert.Equal(first.Feasible, second.Feasible);
        Assert.Equal(first.Iterations, second.Iterations);
    }

    [Fact]
    public void The_iteration_limit_caps_the_search()
    {
        var problem = RandomInstances.Create(43, 20, 100);

        var solution = TourSolver.Solve(problem, new SolverOptions { TimeBudget = null, MaxIterations = 25 });

        Assert.InRange(solution.Iterations, 1, 25);
    }

    [Fact]
    public void A_solver_without_any_limit_is_refused()
    {
        var problem = RandomInstances.Create(44, 5, 100);

        Assert.Throws<ArgumentException>(() => TourSolver.Solve(problem, new SolverOptions { TimeBudget = null }));
    }
}
