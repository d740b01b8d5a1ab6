using TourPlanner.Grains.Planning;
using static TourPlanner.Tests.Planning.Build;

namespace TourPlanner.Tests.Planning;

public class OrienteeringTests
{
    [Fact]
    public void When_two_optional_visits_compete_for_the_same_slot_the_higher_priority_one_is_placed()
    {
        var problem = Problem(Line(0, 10, -10),
            PlanningNode.Depot(W(0, 1000)), PlanningNode.Optional(1, 0, W(10, 12)), PlanningNode.Optional(5, 0, W(10, 12)));

        var solution = SolveAndCheck(problem);

        Assert.True(solution.Feasible);
        Assert.Equal(new[] { 2 }, Order(solution));
        Assert.Equal(5, solution.PlacedPriority);
        Assert.Equal(new[] { new UnplacedVisit(1, UnplacedReason.ConflictsWithPlacedVisits) }, solution.Unplaced.ToArray());
    }

    [Fact]
    public void The_sum_of_priorities_wins_over_the_single_most_valuable_visit()
    {
        // Node 3 (priority 5) clashes with both 1 and 2 (priority 3 each), which fit together: 3 + 3 > 5.
        var problem = Problem(Line(0, 10, 12, -10),
            PlanningNode.Depot(W(0, 1000)),
            PlanningNode.Optional(3, 0, W(10, 12)),
            PlanningNode.Optional(3, 0, W(12, 14)),
            PlanningNode.Optional(5, 0, W(10, 14)));

        var solution = SolveAndCheck(problem);

        Assert.Equal(new[] { 1, 2 }, Order(solution));
        Assert.Equal(6, solution.PlacedPriority);
        Assert.Equal(new[] { new UnplacedVisit(3, UnplacedReason.ConflictsWithPlacedVisits) }, solution.Unplaced.ToArray());
    }

    [Fact]
    public void A_mandatory_visit_is_kept_even_when_a_clashing_optional_visit_has_a_high_priority()
    {
        var problem = Problem(Line(0, 10, -10),
            PlanningNode.Depot(W(0, 1000)), PlanningNode.Required(0, W(10, 12)), PlanningNode.Optional(100, 0, W(10, 12)));

        var solution = SolveAndCheck(problem);

        Assert.True(solution.Feasible);
        Assert.Equal(new[] { 1 }, Order(solution));
        Assert.Equal(new[] { new UnplacedVisit(2, UnplacedReason.ConflictsWithPlacedVisits) }, solution.Unplaced.ToArray());
    }

    [Fact]
    public void An_optional_visit_whose_windows_cannot_be_reached_from_the_depot_is_unplaced_as_unreachable()
    {
        var problem = Problem(Line(0, 10, 50),
            PlanningNode.Depot(W(0, 1000)), PlanningNode.Optional(1, 0, W(0, 100)), PlanningNode.Optional(9, 0, W(0, 20)));

        var solution = SolveAndCheck(problem);

        Assert.Equal(new[] { 1 }, Order(solution));
        Assert.Equal(new[] { new UnplacedVisit(2, UnplacedReason.UnreachableWindow) }, solution.Unplaced.ToArray());
    }

    [Fact]
    public void When_every_optional_visit_fits_all_are_placed_and_travel_is_minimised()
    {
        var problem = Problem(Line(0, 10, 20, 30),
            PlanningNode.Depot(W(0, 1000)),
            PlanningNode.Optional(1, 0, W(0, 1000)),
            PlanningNode.Optional(1, 0, W(0, 1000)),
            PlanningNode.Optional(1, 0, W(0, 1000)));

        var solution = SolveAndCheck(problem);

        Assert.Empty(solution.Unplaced);
        Assert.Equal(60, solution.TotalTravel);
    }

    [Fact]
    public void Among_equally_valuable_selections_the_one_with_less_travel_is_chosen()
    {
        // Nodes 1 and 2 clash and have the same priority; 1 is nearer.
        var problem = Problem(Line(0, 10, -40),
            PlanningNode.Depot(W(0, 1000)), PlanningNode.Optional(2, 0, W(40, 42)), PlanningNode.Optional(2, 0, W(40, 42)));

        var solution = SolveAndCheck(problem);

        Assert.Equal(new[] { 1 }, Order(solution));
        Assert.Equal(20, solution.TotalTravel);
    }

    [Fact]
    public void When_every_optional_visit_fits_the_travel_is_still_optimal()
    {
        for (var seed = 0; seed < 20; seed++)
        {
            // Windows around a feasible generating tour: all optional visits fit, so only travel is left to optimise.
            var problem = RandomInstances.Create(700 + seed, 11, 60, optionalShare: 0.6);
            var exact = ExactTourSolver.Solve(problem);
            Assert.Empty(exact.Unplaced);

            var heuristic = SolveAndCheck(problem);

            Assert.True(exact.TotalTravel == heuristic.TotalTravel,
                $"seed {seed}: exact travel {exact.TotalTravel}, heuristic {heuristic.TotalTravel}");
            // The bounded "does everything fit?" attempt must not cut the travel search short.
            Assert.Equal(Options.MaxIterations, heuristic.Iterations);
        }
    }
}
