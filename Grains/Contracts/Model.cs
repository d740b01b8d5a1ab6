using System.Collections.Immutable;
using NodaTime;

namespace TourPlanner.Grains;

/// <summary>Where a claim stands. Held and Confirmed are active; the rest are final.</summary>
public enum ClaimStatus { Held, Confirmed, Released, Expired, Cancelled }

/// <summary>Who is asking: resolved from a capability token by the tour grain.</summary>
public enum Role { Anonymous, Organizer, Speaker, Host }

/// <summary>The caller of a tour operation: a role, the person holding the link, and which of their links it was.</summary>
[GenerateSerializer, Immutable]
public sealed record Principal
{
    [Id(0)] public Role Role { get; init; }
    [Id(1)] public string? SpeakerId { get; init; }
    [Id(2)] public string? HostId { get; init; }
    /// <summary>The organizer, speaker or host group the token belongs to (speakers and hosts: their id).</summary>
    [Id(3)] public string? PersonId { get; init; }
    /// <summary>The token (link) used, so one link can be revoked alone and the history says which link acted.</summary>
    [Id(4)] public string? TokenId { get; init; }

    public static readonly Principal Anonymous = new() { Role = Role.Anonymous };
    public static Principal ForOrganizer(string personId, string? tokenId = null) => new() { Role = Role.Organizer, PersonId = personId, TokenId = tokenId };
    public static Principal ForSpeaker(string id, string? tokenId = null) => new() { Role = Role.Speaker, SpeakerId = id, PersonId = id, TokenId = tokenId };
    public static Principal ForHost(string id, string? tokenId = null) => new() { Role = Role.Host, HostId = id, PersonId = id, TokenId = tokenId };
}

/// <summary>The organizer's planning rules for a tour.</summary>
[GenerateSerializer, Immutable]
public sealed record PlanningRules
{
    [Id(0)] public int HoldDays { get; init; } = 7;
    [Id(1)] public int TravelBufferMinutes { get; init; } = 90;
    [Id(2)] public int MinRestMinutes { get; init; } = 600;
    [Id(3)] public int MaxEventsPerDay { get; init; } = 3;
    /// <summary>Speaker id → dates that speaker cannot be booked.</summary>
    [Id(4)] public ImmutableDictionary<string, ImmutableArray<LocalDate>> BlackoutDates { get; init; } =
        ImmutableDictionary<string, ImmutableArray<LocalDate>>.Empty;
}

/// <summary>A point on the globe (degrees).</summary>
[GenerateSerializer, Immutable]
public readonly record struct GeoPoint([property: Id(0)] double Latitude, [property: Id(1)] double Longitude);

/// <summary>A speaker as the public and the organizer see it (no token material).</summary>
[GenerateSerializer, Immutable]
public sealed record SpeakerInfo
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string Name { get; init; }
    [Id(2)] public string? HomeCity { get; init; }
    [Id(3)] public required string HomeTimeZone { get; init; }
    [Id(4)] public GeoPoint? Home { get; init; }
    /// <summary>Where the speaker's notices go (optional; never shown publicly).</summary>
    [Id(5)] public string? Email { get; init; }
}

/// <summary>What the public sees of a venue's address. City only is the default (also of stops stored before the choice existed).</summary>
public enum AddressVisibility
{
    /// <summary>The venue's name and the city; the street address stays private.</summary>
    [System.Text.Json.Serialization.JsonStringEnumMemberName("city")] City = 0,
    /// <summary>The whole address, on every public page and feed.</summary>
    [System.Text.Json.Serialization.JsonStringEnumMemberName("full")] Full = 1,
    /// <summary>City only; the address is sent to supporters who sign up for it.</summary>
    [System.Text.Json.Serialization.JsonStringEnumMemberName("on-request")] OnRequest = 2,
}

/// <summary>A venue as given by the host group.</summary>
[GenerateSerializer, Immutable]
public sealed record Venue
{
    [Id(0)] public string? Name { get; init; }
    [Id(1)] public string? Address { get; init; }
    [Id(2)] public string? CalendarUrl { get; init; }
    [Id(3)] public AddressVisibility AddressVisibility { get; init; }

    /// <summary>The address a public page or feed may print: only when the host chose <see cref="AddressVisibility.Full"/>.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? PublicAddress => AddressVisibility == AddressVisibility.Full ? Address : null;
}

/// <summary>One event of a stop: what people typed (local start in the stop's zone) plus its bookkeeping.</summary>
[GenerateSerializer, Immutable]
public sealed record StopEvent
{
    [Id(0)] public required string EventId { get; init; }
    [Id(1)] public required string Title { get; init; }
    [Id(2)] public required LocalDateTime Start { get; init; }
    [Id(3)] public required int DurationMinutes { get; init; }
    [Id(4)] public bool Public { get; init; }
    [Id(5)] public string? Description { get; init; }
    [Id(6)] public ImmutableArray<string> SpeakerIds { get; init; } = [];
    [Id(7)] public Instant Created { get; init; }
    [Id(8)] public Instant LastModified { get; init; }
    /// <summary>Rises with every published change (iCalendar SEQUENCE).</summary>
    [Id(9)] public int Sequence { get; init; }
}

/// <summary>Everything about one visit to one city, as the stop grain keeps it.</summary>
[GenerateSerializer, Immutable]
public sealed record StopSnapshot
{
    [Id(0)] public required string StopId { get; init; }
    [Id(1)] public required string TourId { get; init; }
    [Id(2)] public required string ClaimId { get; init; }
    [Id(3)] public required string HostId { get; init; }
    [Id(4)] public required string City { get; init; }
    [Id(5)] public required string Country { get; init; }
    [Id(6)] public required string TimeZone { get; init; }
    [Id(7)] public GeoPoint? Location { get; init; }
    [Id(8)] public ImmutableArray<LocalDate> Dates { get; init; } = [];
    [Id(9)] public Venue Venue { get; init; } = new();
    [Id(10)] public ImmutableArray<StopEvent> Events { get; init; } = [];
    [Id(11)] public ClaimStatus Status { get; init; }
    [Id(12)] public Instant Created { get; init; }
    [Id(13)] public Instant LastModified { get; init; }
    [Id(14)] public Instant? CancelledAt { get; init; }
    /// <summary>Bumped on every write so stale writers are refused.</summary>
    [Id(15)] public int Version { get; init; }
}

/// <summary>A claim as the ledger keeps it, with its derived rank.</summary>
[GenerateSerializer, Immutable]
public sealed record ClaimView
{
    [Id(0)] public required string ClaimId { get; init; }
    [Id(1)] public required string StopId { get; init; }
    [Id(2)] public required string HostId { get; init; }
    [Id(3)] public required string City { get; init; }
    [Id(4)] public ImmutableArray<LocalDate> Dates { get; init; } = [];
    [Id(5)] public ImmutableArray<string> SpeakerIds { get; init; } = [];
    /// <summary>Position in the queue for its (speaker, date) slots: the worst one; 0 when not active.</summary>
    [Id(6)] public int Rank { get; init; }
    [Id(7)] public ClaimStatus Status { get; init; }
    [Id(8)] public Instant CreatedAt { get; init; }
    /// <summary>When the hold runs out; set once the claim reaches the front of its queue.</summary>
    [Id(9)] public Instant? ExpiresAt { get; init; }
    [Id(10)] public Instant? ConfirmedAt { get; init; }
    [Id(11)] public Instant? EndedAt { get; init; }
    /// <summary>First dates the host accepts, the claimed one included, in order (empty in claims made before planning existed: then only Dates[0]).</summary>
    [Id(12)] public ImmutableArray<LocalDate> AcceptableDates { get; init; } = [];
    /// <summary>Value of placing this claim for the planner.</summary>
    [Id(13)] public int Priority { get; init; } = 1;
}

/// <summary>A conflict the rules found, explained.</summary>
[GenerateSerializer, Immutable]
public sealed record Conflict
{
    /// <summary>Stable machine code, e.g. <c>travel-impossible</c>.</summary>
    [Id(0)] public required string Code { get; init; }
    /// <summary><c>error</c> blocks confirming; <c>warning</c> does not.</summary>
    [Id(1)] public required string Severity { get; init; }
    // A sentence given as a string by code that does not build Text yet (planning's refusals); null otherwise.
    [Id(2)] private string? _message;
    [Id(3)] private string? _messageEs;
    [Id(4)] public ImmutableArray<string> EventIds { get; init; } = [];
    [Id(5)] public string? SpeakerId { get; init; }
    [Id(6)] public ImmutableDictionary<string, string> Details { get; init; } = ImmutableDictionary<string, string>.Empty;
    /// <summary>The explanation as a code and values; other stops' details in it are marked with their host group, so it renders per reader.</summary>
    [Id(7)] public Text? Text { get; init; }
    /// <summary>Which host group each of <see cref="EventIds"/> belongs to, so a host group is shown the ids of its own events only.</summary>
    [Id(8)] public ImmutableDictionary<string, string> EventHosts { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>The full explanation in English (the organizer's view), for logs and code that words it itself.</summary>
    public string Message { get => _message ?? Text?.ToString() ?? Code; init => _message = value; }
    /// <summary>The full explanation in Spanish (the organizer's view).</summary>
    public string? MessageEs { get => _messageEs ?? (Text is { } t ? Catalogue.Default.Render(t, "es") : null); init => _messageEs = value; }
}

/// <summary>An estimated or routed travel leg between two places.</summary>
[GenerateSerializer, Immutable]
public sealed record TravelEstimate
{
    /// <summary><c>none</c>, <c>drive</c> or <c>fly</c>.</summary>
    [Id(0)] public required string Mode { get; init; }
    [Id(1)] public double DistanceKm { get; init; }
    [Id(2)] public int Minutes { get; init; }
    /// <summary>Where the figure came from: <c>estimate</c>, <c>osrm</c>, <c>cache</c>.</summary>
    [Id(3)] public required string Source { get; init; }
}

/// <summary>A tour's feed version and when it last changed (drives ETag caching and Last-Modified).</summary>
[GenerateSerializer, Immutable]
public sealed record FeedStamp([property: Id(0)] int Version, [property: Id(1)] Instant ChangedAt);
