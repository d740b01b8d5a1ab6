using TourPlanner.Grains.Planning;

namespace TourPlanner.Tests.Planning;

public class OracleAgreementTests
{
    private static readonly SolverOptions Exact = new() { TimeBudget = null, MaxIterations = 300, Seed = 7 };

    // Choosing the subset is a harder search than ordering a fixed one, so it gets more iterations.
    private static readonly SolverOptions Orienteering = Exact with { MaxIterations = 1000 };

    public static TheoryData<int, int> Shapes => new()
    {
        { 6, 10 }, { 8, 20 }, { 9, 40 }, { 10, 60 }, { 11, 100 }, { 12, 30 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void The_heuristic_matches_the_exact_optimum_on_random_small_tsptw_instances(int nodes, int width)
    {
        var feasible = 0;
        var infeasible = 0;
        for (var seed = 0; seed < 25; seed++)
        {
            var problem = RandomInstances.Create(1000 * nodes + seed, nodes, width, maxService: 5, asymmetric: seed % 2 == 1);
            var exact = ExactTourSolver.Solve(problem);
            var heuristic = TourSolver.Solve(problem, Exact);
            Assert.True(exact.Feasible == heuristic.Feasible, $"seed {seed}: exact feasible={exact.Feasible}, heuristic={heuristic.Feasible}");
            if (exact.Feasible)
            {
                feasible++;
                Assert.True(exact.TotalTravel == heuristic.TotalTravel,
                    $"seed {seed}: exact travel {exact.TotalTravel}, heuristic {heuristic.TotalTravel}");
            }
            else
            {
                infeasible++;
            }
            IndependentCheck.AssertValid(problem, exact);
            IndependentCheck.AssertValid(problem, heuristic);
        }
        Assert.True(feasible > 0, "the generator should produce feasible instances");
    }

    [Fact]
    public void Instances_without_any_feasible_tour_are_reported_infeasible_by_both_solvers()
    {
        var seen = 0;
        for (var seed = 0; seed < 200 && seen < 5; seed++)
        {
            // Narrow windows jittered away from the generating tour's times are often impossible.
            var problem = RandomInstances.Create(seed, 9, 30, containGeneratingTour: false);
            var exact = ExactTourSolver.Solve(problem);
            if (exact.Feasible) continue;
            seen++;
            var heuristic = TourSolver.Solve(problem, Exact);
            Assert.False(heuristic.Feasible, $"seed {seed}: the heuristic claims a tour the exact solver proves impossible");
            Assert.Empty(heuristic.Route);
            Assert.All(heuristic.Unplaced, u => Assert.True(
                u.Reason is UnplacedReason.MandatoryVisitsInfeasible or UnplacedReason.UnreachableWindow));
        }
        Assert.True(seen == 5, "the generator should produce infeasible instances");
    }

    [Fact]
    public void The_heuristic_matches_the_exact_optimum_on_random_orienteering_instances()
    {
        var failures = new List<string>();
        var dropped = 0;
        for (var seed = 0; seed < 80; seed++)
        {
            // Windows off the generating tour mean some optional visits cannot all be placed.
            var problem = RandomInstances.Create(500 + seed, 10, 20, optionalShare: 0.7, maxService: 10, maxWindows: 2,
                containGeneratingTour: false);
            var exact = ExactTourSolver.Solve(problem);
            var heuristic = TourSolver.Solve(problem, Orienteering);
            IndependentCheck.AssertValid(problem, heuristic);
            if (exact.Unplaced.Length > 0) dropped++;
            if (exact.Feasible != heuristic.Feasible || exact.PlacedPriority != heuristic.PlacedPriority
                || exact.TotalTravel != heuristic.TotalTravel)
            {
                failures.Add($"seed {seed}: exact ({exact.Feasible}, {exact.PlacedPriority}, {exact.TotalTravel}) " +
                    $"heuristic ({heuristic.Feasible}, {heuristic.PlacedPriority}, {heuristic.TotalTravel})");
            }
        }
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        Assert.True(dropped >= 10, $"only {dropped} instances needed to drop a visit");
    }

    [Fact]
    public void The_heuristic_matches_the_exact_optimum_when_nodes_offer_several_windows()
    {
        for (var seed = 0; seed < 30; seed++)
        {
            var problem = RandomInstances.Create(900 + seed, 10, 15, maxWindows: 3, maxService: 5);
            var exact = ExactTourSolver.Solve(problem);
            var heuristic = TourSolver.Solve(problem, Exact);
            Assert.True(exact.Feasible == heuristic.Feasible, $"seed {seed}: feasibility differs");
            Assert.True(exact.TotalTravel == heuristic.TotalTravel,
                $"seed {seed}: exact travel {exact.TotalTravel}, heuristic {heuristic.TotalTravel}");
            IndependentCheck.AssertValid(problem, heuristic);
        }
    }
}
