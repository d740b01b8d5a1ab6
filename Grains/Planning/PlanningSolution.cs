using System.Collections.Immutable;

namespace TourPlanner.Grains.Planning;

/// <summary>A placed visit: the node, when its service starts, and which of its windows that start falls in.</summary>
public readonly record struct ScheduledVisit(int Node, long Start, int WindowIndex);

/// <summary>Why a visit is missing from the route.</summary>
public enum UnplacedReason
{
    /// <summary>No window can be met even on a direct trip from the depot and back.</summary>
    UnreachableWindow,

    /// <summary>Fits on its own, but not together with the visits that were placed (mandatory or more valuable).</summary>
    ConflictsWithPlacedVisits,

    /// <summary>No route serves every mandatory visit, so nothing was planned.</summary>
    MandatoryVisitsInfeasible,
}

/// <summary>A visit left out of the route and the reason.</summary>
public readonly record struct UnplacedVisit(int Node, UnplacedReason Reason);

/// <summary>The planner's answer: the visit order with start times, its travel time, and what was left out.</summary>
/// <param name="Feasible">False when the mandatory visits could not all be scheduled; the route is then empty.</param>
/// <param name="Route">Visits in order, depot excluded (the tour starts and ends at node 0).</param>
/// <param name="DepartureTime">When the tour leaves the depot.</param>
/// <param name="ReturnTime">When the tour is back at the depot.</param>
/// <param name="TotalTravel">Sum of travel times along the tour, depot legs included; waiting excluded.</param>
/// <param name="PlacedPriority">Sum of the priorities of the optional visits placed.</param>
/// <param name="Unplaced">Visits not in the route, each with a reason.</param>
/// <param name="Iterations">Search iterations spent, for reproducing a run with <see cref="SolverOptions.MaxIterations"/>.</param>
public sealed record PlanningSolution(
    bool Feasible,
    ImmutableArray<ScheduledVisit> Route,
    long DepartureTime,
    long ReturnTime,
    long TotalTravel,
    long PlacedPriority,
    ImmutableArray<UnplacedVisit> Unplaced,
    long Iterations)
{
    /// <summary>Which limit ended the search.</summary>
    public SearchStop StoppedBy { get; init; }
}
