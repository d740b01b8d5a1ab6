using Microsoft.Extensions.Configuration;
using TourPlanner.Grains;
using TourPlanner.Grains.Domain;
using TourPlanner.Grains.Planning;

namespace TourPlanner.Tests.Planning;

/// <summary>The pieces that bound a planning request, without a cluster.</summary>
public class PlanningLimitsTests
{
    private static PlanningLimits From(params (string Key, string Value)[] settings) =>
        PlanningLimits.From(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build());

    [Fact]
    public void Limits_ComeFromConfiguration_AndRefuseAWallTimeOrleansWouldCutShort()
    {
        var limits = From(("Planning:MaxWallTime", "00:00:02"), ("Planning:MaxIterations", "500"), ("Planning:MaxConcurrentRuns", "3"));
        Assert.Equal((TimeSpan.FromSeconds(2), 500L, 3), (limits.MaxWallTime, limits.MaxIterations, limits.MaxConcurrentRuns));
        Assert.Equal(Environment.ProcessorCount, From().MaxConcurrentRuns);
        Assert.Throws<InvalidOperationException>(() => From(("Planning:MaxWallTime", "00:00:20")));
        Assert.Throws<InvalidOperationException>(() => From(("Planning:MaxConcurrentRuns", "0")));
    }

    [Fact]
    public void TheBudget_CapsEachRunByTheServersPool_AndSaysWhoseCapStoppedIt()
    {
        var limits = new PlanningLimits { MaxIterations = 1_000 };
        var budget = new PlanBudget(new PlanSearch { MaxIterations = 600, Seed = 4 }, limits, CancellationToken.None);
        var first = budget.Next(runsLeft: 2);
        Assert.Equal((600L, (TimeSpan?)null, 4UL), (first.MaxIterations, first.TimeBudget, first.Seed));
        budget.Spent(Solution(600, SearchStop.Iterations));
        Assert.Equal(PlanStop.Iterations, budget.Stop); // the request's own cap: repeatable

        Assert.Equal(400, budget.Next(runsLeft: 1).MaxIterations); // what is left of the server's pool
        budget.Spent(Solution(400, SearchStop.Iterations));
        Assert.Equal(PlanStop.ServerIterations, budget.Stop);
        Assert.True(budget.RunOut());
        Assert.Equal(1_000, budget.Iterations);
        Assert.Equal("server-iterations", budget.Describe().Code);
    }

    [Fact]
    public void TheBudget_SharesTheRequestsTimeAmongItsRuns_AndTheServerDeadlineOutranksIt()
    {
        using var deadline = new CancellationTokenSource();
        var budget = new PlanBudget(new PlanSearch { TimeBudgetMs = 4_000 }, new PlanningLimits(), deadline.Token) { RunsAfter = 3 };
        Assert.InRange(budget.Next(runsLeft: 1).TimeBudget!.Value, TimeSpan.FromMilliseconds(900), TimeSpan.FromSeconds(1));
        budget.Spent(Solution(10, SearchStop.Time));
        Assert.Equal("time", budget.Describe().Code);
        deadline.Cancel();
        Assert.True(budget.RunOut());
        var (code, message, messageEs) = budget.Describe();
        Assert.Equal("server-time", code);
        Assert.Contains("5 s", message);
        Assert.Contains("5 s", messageEs);
    }

    [Fact]
    public void TheSolver_StopsAtItsToken_KeepingARoute_AndAnUncancelledTokenChangesNothing()
    {
        var problem = RandomInstances.Create(42, 25, 60, 0.3, maxWindows: 2, maxService: 5);
        var plain = TourSolver.Solve(problem, new SolverOptions { TimeBudget = null, MaxIterations = 150, Seed = 3 });
        using var never = new CancellationTokenSource();
        var watched = TourSolver.Solve(problem, new SolverOptions { TimeBudget = null, MaxIterations = 150, Seed = 3 }, never.Token);
        Assert.Equal(plain.Route.ToArray(), watched.Route.ToArray());
        Assert.Equal(SearchStop.Iterations, watched.StoppedBy);

        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var stopped = TourSolver.Solve(problem, new SolverOptions { TimeBudget = null, MaxIterations = 1_000_000_000, Seed = 3 }, cancelled.Token);
        Assert.Equal(SearchStop.Cancelled, stopped.StoppedBy);
        Assert.Equal(0, stopped.Iterations);
    }

    private static PlanningSolution Solution(long iterations, SearchStop stop) =>
        new(true, [], 0, 0, 0, 0, [], iterations) { StoppedBy = stop };
}
