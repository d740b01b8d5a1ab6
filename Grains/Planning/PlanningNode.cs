using System.Collections.Immutable;

namespace TourPlanner.Grains.Planning;

/// <summary>A visit (or the depot, node 0) with its service duration, allowed start windows and importance.</summary>
/// <param name="ServiceDuration">Time spent at the node once service starts; ignored for the depot.</param>
/// <param name="Windows">One or more windows for the start of service (a host may offer several dates).</param>
/// <param name="Mandatory">Confirmed stop: a solution that leaves it out is infeasible.</param>
/// <param name="Priority">Value of placing an optional stop; ignored for mandatory stops.</param>
public sealed record PlanningNode(int ServiceDuration, ImmutableArray<TimeWindow> Windows, bool Mandatory, int Priority)
{
    /// <summary>A confirmed stop that must be placed.</summary>
    public static PlanningNode Required(int serviceDuration, params TimeWindow[] windows) =>
        new(serviceDuration, [.. windows], Mandatory: true, Priority: 0);

    /// <summary>A stop worth <paramref name="priority"/> when placed, droppable when it does not fit.</summary>
    public static PlanningNode Optional(int priority, int serviceDuration, params TimeWindow[] windows) =>
        new(serviceDuration, [.. windows], Mandatory: false, priority);

    /// <summary>The depot: the tour leaves at its earliest time and must be back by its latest.</summary>
    public static PlanningNode Depot(TimeWindow window) => new(0, [window], Mandatory: true, Priority: 0);
}
