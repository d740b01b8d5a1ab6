using System.Collections.Immutable;
using NodaTime;

namespace TourPlanner.Grains;

/// <summary>A claim the organizer wants on a given first date, whatever else the planner decides.</summary>
[GenerateSerializer, Immutable]
public sealed record PinnedClaim([property: Id(0)] string ClaimId, [property: Id(1)] LocalDate Date);

/// <summary>Search limits shared by planning and repair; same seed and iteration cap give the same proposal.</summary>
[GenerateSerializer, Immutable]
public sealed record PlanSearch
{
    /// <summary>Wall-clock budget per solver run in milliseconds; null with <see cref="MaxIterations"/> set means no clock at all (fully reproducible).</summary>
    [Id(0)] public int? TimeBudgetMs { get; init; }
    [Id(1)] public ulong Seed { get; init; } = 1;
    [Id(2)] public long? MaxIterations { get; init; }
}

/// <summary>Ask for a plan of the pending claims around the confirmed stops.</summary>
[GenerateSerializer, Immutable]
public sealed record PlanRequest
{
    [Id(0)] public PlanSearch Search { get; init; } = new();
    [Id(1)] public ImmutableArray<PinnedClaim> Pinned { get; init; } = [];
}

/// <summary>Ask for the least-change plan after a confirmed stop's date falls through.</summary>
[GenerateSerializer, Immutable]
public sealed record RepairRequest
{
    [Id(0)] public required string StopId { get; init; }
    [Id(1)] public PlanSearch Search { get; init; } = new();
    /// <summary>Most other confirmed stops the repair may move before it gives up and cancels the stop instead.</summary>
    [Id(2)] public int MaxMoves { get; init; } = 3;
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
    /// <summary>Stable code: <c>no-acceptable-date</c>, <c>unreachable</c>, <c>conflicts-with-placed</c>, <c>queued</c>, a conflict code such as <c>rest-too-short</c>, <c>multi-speaker</c>, <c>pinned-infeasible</c>.</summary>
    [Id(3)] public required string Code { get; init; }
    [Id(4)] public required string Reason { get; init; }
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
