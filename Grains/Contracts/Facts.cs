using System.Collections.Immutable;
using NodaTime;

namespace TourPlanner.Grains;

/// <summary>A travel leg the Gateway looked up (OSRM, its cache or the built-in model), handed to the tour.</summary>
[GenerateSerializer, Immutable]
public sealed record LegFact([property: Id(0)] GeoPoint From, [property: Id(1)] GeoPoint To, [property: Id(2)] TravelEstimate Estimate);

/// <summary>A stretch of time between two instants.</summary>
[GenerateSerializer, Immutable]
public readonly record struct TimeRange([property: Id(0)] Instant Start, [property: Id(1)] Instant End);

/// <summary>What a venue's calendar said about a stop's hours, as read by the Gateway.</summary>
[GenerateSerializer, Immutable]
public sealed record VenueFact
{
    [Id(0)] public required string StopId { get; init; }
    [Id(1)] public required string CalendarUrl { get; init; }
    [Id(2)] public Instant From { get; init; }
    [Id(3)] public Instant To { get; init; }
    /// <summary><c>ok</c>, <c>unavailable</c> or <c>not-configured</c>.</summary>
    [Id(4)] public required string Status { get; init; }
    [Id(5)] public ImmutableArray<TimeRange> Busy { get; init; } = [];
    [Id(6)] public string? Reason { get; init; }
}

/// <summary>
/// Outside information gathered before a command, so the tour grain never waits on the network in its turn.
/// <see cref="RouteVersion"/> is the confirmed route the facts were gathered for: a confirm checked against
/// another route is refused as stale and gathered again.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record Facts
{
    [Id(0)] public int RouteVersion { get; init; }
    [Id(1)] public ImmutableArray<LegFact> Legs { get; init; } = [];
    [Id(2)] public ImmutableArray<VenueFact> Venues { get; init; } = [];

    /// <summary>No outside information: built-in travel estimates only, venue calendars unchecked.</summary>
    public static readonly Facts None = new() { RouteVersion = -1 };
}

/// <summary>The confirmed route a command will be checked against: what the Gateway needs to gather facts.</summary>
[GenerateSerializer, Immutable]
public sealed record RouteSnapshot
{
    [Id(0)] public int RouteVersion { get; init; }
    [Id(1)] public PlanningRules Rules { get; init; } = new();
    [Id(2)] public ImmutableArray<SpeakerInfo> Speakers { get; init; } = [];
    /// <summary>Confirmed stops, the candidate's own excluded when one is named.</summary>
    [Id(3)] public ImmutableArray<StopSnapshot> Confirmed { get; init; } = [];
    /// <summary>The stop the command is about (a held or confirmed claim's stop), when it exists already.</summary>
    [Id(4)] public StopSnapshot? Candidate { get; init; }
    /// <summary>Routed legs the tour kept from earlier confirms (the itinerary shows what confirm checked).</summary>
    [Id(5)] public ImmutableArray<LegFact> KnownLegs { get; init; } = [];
    /// <summary>The tour's first and last days: the way from and back home is checked against them.</summary>
    [Id(6)] public LocalDate StartDate { get; init; }
    [Id(7)] public LocalDate EndDate { get; init; }
}
