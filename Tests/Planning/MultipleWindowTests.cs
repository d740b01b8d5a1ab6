using TourPlanner.Grains.Planning;
using static TourPlanner.Tests.Planning.Build;

namespace TourPlanner.Tests.Planning;

public class MultipleWindowTests
{
    [Fact]
    public void A_window_that_closes_before_the_visit_can_be_reached_is_skipped_for_a_later_one()
    {
        var problem = Problem(Line(0, 20),
            PlanningNode.Depot(W(0, 1000)), PlanningNode.Required(0, W(0, 5), W(30, 40)));

        var solution = SolveAndCheck(problem);

        Assert.True(solution.Feasible);
        Assert.Equal(new ScheduledVisit(1, 30, 1), solution.Route[0]);
    }

    [Fact]
    public void A_reachable_window_is_given_up_when_another_visit_needs_that_time()
    {
        // A could be served in [10, 15], but B is far away and only open in [12, 20]; A must take its second date.
        var problem = Problem(Line(0, 10, -10),
            PlanningNode.Depot(W(0, 1000)),
            PlanningNode.Required(0, W(10, 15), W(100, 110)),
            PlanningNode.Required(0, W(12, 20)));

        var solution = SolveAndCheck(problem);

        Assert.Equal(new[] { 2, 1 }, Order(solution));
        Assert.Equal(new ScheduledVisit(1, 100, 1), solution.Route[1]);
    }

    [Fact]
    public void The_window_index_refers_to_the_order_the_windows_were_given_in()
    {
        // Windows deliberately out of chronological order.
        var problem = Problem(Line(0, 5),
            PlanningNode.Depot(W(0, 1000)), PlanningNode.Required(0, W(200, 210), W(0, 3), W(50, 60)));

        var solution = SolveAndCheck(problem);

        Assert.Equal(new ScheduledVisit(1, 50, 2), solution.Route[0]);
    }
}
