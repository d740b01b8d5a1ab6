using TourPlanner.Grains.Planning;
using static TourPlanner.Tests.Planning.Build;

namespace TourPlanner.Tests.Planning;

public class SchedulingRuleTests
{
    [Fact]
    public void Arriving_before_a_window_opens_waits_for_it_and_waiting_is_not_counted_as_travel()
    {
        var problem = Problem(Line(0, 10), PlanningNode.Depot(W(0, 100)), PlanningNode.Required(0, W(50, 60)));

        var solution = SolveAndCheck(problem);

        Assert.True(solution.Feasible);
        Assert.Equal(50, solution.Route[0].Start);
        Assert.Equal(20, solution.TotalTravel);
        Assert.Equal(60, solution.ReturnTime);
    }

    [Fact]
    public void Service_duration_delays_the_next_visit_and_can_force_a_longer_order()
    {
        // Without A's 10 minutes of service, A then B (travel 3) would be best; with it, B's window is missed.
        var travel = new[,] { { 0, 1, 3 }, { 3, 0, 1 }, { 1, 1, 0 } };
        var problem = Problem(travel,
            PlanningNode.Depot(W(0, 100)), PlanningNode.Required(10, W(0, 100)), PlanningNode.Required(0, W(0, 5)));

        var solution = SolveAndCheck(problem);

        Assert.Equal(new[] { 2, 1 }, Order(solution));
        Assert.Equal(7, solution.TotalTravel);
        Assert.Equal(17, solution.ReturnTime);
    }

    [Fact]
    public void The_depot_window_bounds_the_return_so_a_late_visit_makes_the_tour_infeasible()
    {
        var problem = Problem(Line(0, 10), PlanningNode.Depot(W(0, 55)), PlanningNode.Required(0, W(50, 60)));

        var solution = SolveAndCheck(problem);

        Assert.False(solution.Feasible);
        Assert.Equal(new[] { new UnplacedVisit(1, UnplacedReason.UnreachableWindow) }, solution.Unplaced.ToArray());
    }

    [Fact]
    public void Mandatory_visits_that_cannot_all_be_served_make_the_result_infeasible()
    {
        // Both must start within [10, 12] but they are 50 apart.
        var problem = Problem(Line(0, 10, -10),
            PlanningNode.Depot(W(0, 1000)), PlanningNode.Required(0, W(10, 12)), PlanningNode.Required(0, W(10, 12)));

        var solution = SolveAndCheck(problem);

        Assert.False(solution.Feasible);
        Assert.Empty(solution.Route);
        Assert.All(solution.Unplaced, u => Assert.Equal(UnplacedReason.MandatoryVisitsInfeasible, u.Reason));
    }

    [Fact]
    public void Asymmetric_travel_times_are_honoured_per_direction()
    {
        // Going 1 -> 2 is cheap, 2 -> 1 is expensive; the best tour uses the cheap direction.
        var travel = new[,] { { 0, 5, 5 }, { 5, 0, 1 }, { 5, 9, 0 } };
        var problem = Problem(travel,
            PlanningNode.Depot(W(0, 100)), PlanningNode.Required(0, W(0, 100)), PlanningNode.Required(0, W(0, 100)));

        var solution = SolveAndCheck(problem);

        Assert.Equal(new[] { 1, 2 }, Order(solution));
        Assert.Equal(11, solution.TotalTravel);
    }

    [Fact]
    public void A_problem_whose_matrix_does_not_match_the_nodes_is_rejected()
    {
        Assert.Throws<ArgumentException>(() =>
            new PlanningProblem(TravelMatrix.FromArray(Line(0, 1, 2)), [PlanningNode.Depot(W(0, 9)), PlanningNode.Required(0, W(0, 9))]));
    }

    [Fact]
    public void A_visit_without_any_window_is_rejected()
    {
        Assert.Throws<ArgumentException>(() =>
            new PlanningProblem(TravelMatrix.FromArray(Line(0, 1)), [PlanningNode.Depot(W(0, 9)), PlanningNode.Required(0)]));
    }

    [Fact]
    public void A_problem_with_only_the_depot_is_an_empty_feasible_tour()
    {
        var problem = Problem(new int[1, 1], PlanningNode.Depot(W(5, 9)));

        var solution = SolveAndCheck(problem);

        Assert.True(solution.Feasible);
        Assert.Empty(solution.Route);
        Assert.Equal(0, solution.TotalTravel);
    }
}
