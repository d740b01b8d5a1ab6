using TourPlanner.Grains.Planning;

namespace TourPlanner.Tests.Planning;

public class DumasInstanceTests
{
    // The one instance these tests read ships with the tests (Data/), so the suite passes in any clone; the
    // benchmark runner reads the whole set from ../shared/data/tsptw.
    private static string Instance(string name) => Path.Combine(AppContext.BaseDirectory, "Planning", "Data", name);

    [Fact]
    public void The_parser_reads_the_matrix_and_windows_of_a_real_dumas_file()
    {
        var problem = TsptwFileParser.ParseFile(Instance("n20w20.001.txt"));

        Assert.Equal(21, problem.NodeCount);
        Assert.Equal(19, problem.Travel[0, 1]);
        Assert.Equal(10, problem.Travel[1, 2]);
        Assert.Equal(new TimeWindow(275, 300), problem.Nodes[20].Windows.Single());
        Assert.All(problem.Nodes.Skip(1), n => Assert.True(n.Mandatory && n.ServiceDuration == 0));
    }

    [Fact]
    public void The_parser_rejects_a_truncated_file()
    {
        Assert.Throws<FormatException>(() => TsptwFileParser.Parse("3\n0 1 2\n1 0 1\n"));
    }

    [Fact]
    public void The_solver_reaches_the_best_known_travel_time_of_n20w20_001()
    {
        var problem = TsptwFileParser.ParseFile(Instance("n20w20.001.txt"));

        var solution = TourSolver.Solve(problem, new SolverOptions { TimeBudget = null, MaxIterations = 500, Seed = 1 });

        IndependentCheck.AssertValid(problem, solution);
        Assert.Equal(378, solution.TotalTravel);
    }
}
