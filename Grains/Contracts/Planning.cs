using System.Collections.Immutable;
using NodaTime;

namespace TourPlanner.Grains;

/// <summary>A claim the organizer wants on a given first date, whatever else the planner decides.</summary>
[GenerateSerializer, Immutable]
public sealed record PinnedClaim([property: Id(0)] string ClaimId, [property: Id(1)] LocalDate Date);

/// <summary>
/// Search limits shared by planning and repair; same seed and iteration cap give the same proposal as long as no clock
/// stopped the run (the proposal's <see cref="PlanProposal.StoppedBy"/> says). The server's own caps
/// (<c>Planning:MaxIterations</c>, <c>Planning:MaxWallTime</c>) bound every request on top of these.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record PlanSearch
{
    /// <summary>Wall-clock budget of the whole request in milliseconds (all its solver runs together); null with <see cref="MaxIterations"/> set means no clock of the request's own.</summary>
    [Id(0)] public int? TimeBudgetMs { get; init; }
    [Id(1)] public ulong Seed { get; init; } = 1;
    /// <summary>Iteration cap of each solver run.</summary>
    [Id(2)] public long? MaxIterations { get; init; }
}

/// <summary>
/// Travel legs between the places a plan needs (the stops and the speakers' homes), gathered by the Gateway outside
/// the cluster (OSRM, or the built-in model) and handed to the planner, which makes no outside call of its own. A pair
/// the table lacks is estimated with the built-in model.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record PlanTravel
{
    public static readonly PlanTravel Empty = new();

    [Id(0)] public ImmutableArray<GeoPoint> Places { get; init; } = [];
    /// <summary>Row-major, <c>Places.Length²</c> entries: the leg from place i to place j is at <c>i * n + j</c>; null where there is none.</summary>
    [Id(1)] public ImmutableArray<TravelEstimate?> Legs { get; init; } = [];
}

/// <summary>Ask for a plan of the pending claims around the confirmed stops.</summary>
[GenerateSerializer, Immutable]
public sealed record PlanRequest
{
    [Id(0)] public PlanSearch Search { get; init; } = new();
    [Id(1)] public ImmutableArray<PinnedClaim> Pinned { get; init; } = [];
    [Id(2)] public PlanTravel Travel { get; init; } = PlanTravel.Empty;
}

/// <summary>Ask for the least-change plan after a confirmed stop's date falls through.</summary>
[GenerateSerializer, Immutable]
public sealed record RepairRequest
{
    [Id(0)] public required string StopId { get; init; }
    [Id(1)] public PlanSearch Search { get; init; } = new();
    /// <summary>Most other confirmed stops the repair may move before it gives up and cancels the stop instead.</summary>
    [Id(2)] public int MaxMoves { get; init; } = 3;
    [Id(3)] public PlanTravel Travel { get; init; } = PlanTravel.Empty;
}

/// <summary>Everything a plan is computed from, read in one turn of the tour grain so it is consistent.</summary>
[GenerateSerializer, Immutable]
public sealed record PlanningInput
{
    [Id(0)] public required TourSnapshot Tour { get; init; }
    /// <summary>Stops of the active (held and confirmed) claims, status as in the ledger.</summary>
    [Id(1)] public ImmutableArray<StopSnapshot> Stops { get; init; } = [];
    [Id(2)] public int LedgerVersion { get; init; }
}

/// <summary>A claim the proposal places (or, for a confirmed stop, keeps or moves).</summary>
[GenerateSerializer, Immutable]
public sealed record PlannedClaim
{
    [Id(0)] public required string ClaimId { get; init; }
    [Id(1)] public required string StopId { get; init; }
    [Id(2)] public required string City { get; init; }
    [Id(3)] public required string SpeakerId { get; init; }
    /// <summary>The dates the claim would have.</summary>
    [Id(4)] public ImmutableArray<LocalDate> Dates { get; init; } = [];
    /// <summary>The dates it has now.</summary>
    [Id(5)] public ImmutableArray<LocalDate> FromDates { get; init; } = [];
    /// <summary>True for a stop that is confirmed already (it stays confirmed; it may move in a repair).</summary>
    [Id(6)] public bool WasConfirmed { get; init; }
    [Id(7)] public Instant Start { get; init; }
    [Id(8)] public Instant End { get; init; }
    [Id(9)] public int Priority { get; init; }
    /// <summary>Travel from the previous stop of the route (or from home), in minutes, buffer excluded.</summary>
    [Id(10)] public int TravelMinutesFromPrevious { get; init; }
    /// <summary>Where that leg's figure came from: <c>osrm</c>, <c>cache</c> or <c>estimate</c> (the built-in model); null without a leg.</summary>
    [Id(11)] public string? TravelSource { get; init; }
    /// <summary>That leg's mode: <c>none</c>, <c>drive</c> or <c>fly</c>; null without a leg.</summary>
    [Id(12)] public string? TravelMode { get; init; }
    /// <summary>All of the claim's speakers (the route's speaker among them); a multi-speaker claim lands on the same dates in every one of their routes.</summary>
    [Id(13)] public ImmutableArray<string> SpeakerIds { get; init; } = [];
}

/// <summary>One speaker's ordered route.</summary>
[GenerateSerializer, Immutable]
public sealed record PlannedRoute
{
    [Id(0)] public required string SpeakerId { get; init; }
    /// <summary>Stops in time order, confirmed and newly placed alike.</summary>
    [Id(1)] public ImmutableArray<PlannedClaim> Stops { get; init; } = [];
    /// <summary>Travel along the route, home legs included, buffers excluded.</summary>
    [Id(2)] public int TravelMinutes { get; init; }
    /// <summary>The solver's objective: travel plus the tour's travel buffer on every real leg.</summary>
    [Id(3)] public long SolverTravel { get; init; }
}

/// <summary>A pending claim the proposal could not place, and why.</summary>
[GenerateSerializer, Immutable]
public sealed record UnplacedClaim
{
    [Id(0)] public required string ClaimId { get; init; }
    [Id(1)] public required string StopId { get; init; }
    [Id(2)] public required string City { get; init; }
    /// <summary>Stable code: <c>no-acceptable-date</c>, <c>no-common-date</c> (no date open for all of a claim's speakers), <c>date-taken</c>, <c>blackout-date</c>, <c>dst-gap</c>, <c>unreachable</c>, <c>conflicts-with-placed</c>, <c>queued</c>, <c>mandatory-infeasible</c>, or a conflict code such as <c>rest-too-short</c>.</summary>
    [Id(3)] public required string Code { get; init; }
    [Id(4)] public required string Reason { get; init; }
    /// <summary><see cref="Reason"/> in Spanish.</summary>
    [Id(5)] public string? ReasonEs { get; init; }
}

/// <summary>A confirmed stop whose dates a repair changes.</summary>
[GenerateSerializer, Immutable]
public sealed record PlannedMove
{
    [Id(0)] public required string ClaimId { get; init; }
    [Id(1)] public required string StopId { get; init; }
    [Id(2)] public required string City { get; init; }
    [Id(3)] public ImmutableArray<LocalDate> From { get; init; } = [];
    [Id(4)] public ImmutableArray<LocalDate> To { get; init; } = [];
}

/// <summary>A stored plan or repair proposal; applying it is refused once the tour's ledger has moved on.</summary>
[GenerateSerializer, Immutable]
public sealed record PlanProposal
{
    [Id(0)] public required string ProposalId { get; init; }
    [Id(1)] public required string TourId { get; init; }
    /// <summary><c>plan</c> or <c>repair</c>.</summary>
    [Id(2)] public required string Kind { get; init; }
    /// <summary>The tour's ledger version the proposal was computed from.</summary>
    [Id(3)] public int BasedOnVersion { get; init; }
    [Id(4)] public Instant CreatedAt { get; init; }
    [Id(5)] public PlanSearch Search { get; init; } = new();
    /// <summary>Pending claims the proposal places (apply re-dates and confirms them); confirmed stops are in <see cref="Routes"/>.</summary>
    [Id(6)] public ImmutableArray<PlannedClaim> Placements { get; init; } = [];
    [Id(7)] public ImmutableArray<UnplacedClaim> Unplaced { get; init; } = [];
    [Id(8)] public ImmutableArray<PlannedRoute> Routes { get; init; } = [];
    [Id(9)] public int TotalTravelMinutes { get; init; }
    /// <summary>Confirmed stops whose dates change (repair only; the repaired stop first).</summary>
    [Id(10)] public ImmutableArray<PlannedMove> Moves { get; init; } = [];
    /// <summary>The stop a repair is for.</summary>
    [Id(11)] public string? RepairStopId { get; init; }
    /// <summary>True when the repaired stop cannot be re-placed: apply then cancels it.</summary>
    [Id(12)] public bool CancelsRepairStop { get; init; }
    [Id(13)] public ImmutableArray<string> Notes { get; init; } = [];
    /// <summary><see cref="Notes"/> in Spanish.</summary>
    [Id(14)] public ImmutableArray<string> NotesEs { get; init; } = [];
    /// <summary>Which limit ended the search: <c>converged</c>, <c>iterations</c>, <c>time</c>, <c>server-iterations</c> or <c>server-time</c>.</summary>
    [Id(15)] public string StoppedBy { get; init; } = "converged";
    [Id(16)] public string StopMessage { get; init; } = "";
    [Id(17)] public string StopMessageEs { get; init; } = "";
    /// <summary>Search iterations spent over all the request's solver runs.</summary>
    [Id(18)] public long Iterations { get; init; }
}

/// <summary>What applying a proposal did.</summary>
[GenerateSerializer, Immutable]
public sealed record PlanApplied
{
    [Id(0)] public required string ProposalId { get; init; }
    [Id(1)] public ImmutableArray<string> Confirmed { get; init; } = [];
    [Id(2)] public ImmutableArray<PlannedMove> Moved { get; init; } = [];
    [Id(3)] public ImmutableArray<string> Cancelled { get; init; } = [];
    [Id(4)] public int LedgerVersion { get; init; }
}
