using System.Collections.Immutable;
using NodaTime;

namespace TourPlanner.Grains;

/// <summary>An organizer of a tour (a tour may have several), without token material.</summary>
[GenerateSerializer, Immutable]
public sealed record OrganizerInfo
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string Name { get; init; }
    [Id(2)] public string? Email { get; init; }
    [Id(3)] public string Language { get; init; } = "en";
    [Id(4)] public Instant AddedAt { get; init; }
}

/// <summary>One link handed out to a person: never its token, only what identifies it.</summary>
[GenerateSerializer, Immutable]
public sealed record LinkInfo
{
    [Id(0)] public required string TokenId { get; init; }
    [Id(1)] public required string PersonId { get; init; }
    [Id(2)] public Role Role { get; init; }
    [Id(3)] public Instant IssuedAt { get; init; }
    /// <summary>Who issued it (a person id), null for the links made with the tour.</summary>
    [Id(4)] public string? IssuedBy { get; init; }
    [Id(5)] public string? Label { get; init; }
}

/// <summary>A fresh link for a person: the token is shown this once.</summary>
[GenerateSerializer, Immutable]
public sealed record IssuedLink
{
    [Id(0)] public required string PersonId { get; init; }
    [Id(1)] public required Role Role { get; init; }
    [Id(2)] public required string TokenId { get; init; }
    [Id(3)] public required string Token { get; init; }
    /// <summary>How many links of that person were revoked with this one issued (0 when nothing was revoked).</summary>
    [Id(4)] public int Revoked { get; init; }
}

/// <summary>Change the tour's settings and rules; null fields stay as they are.</summary>
[GenerateSerializer, Immutable]
public sealed record TourSettingsPatch
{
    [Id(0)] public string? Name { get; init; }
    [Id(1)] public string? Description { get; init; }
    [Id(2)] public string? TimeZone { get; init; }
    [Id(3)] public LocalDate? StartDate { get; init; }
    [Id(4)] public LocalDate? EndDate { get; init; }
    [Id(5)] public int? HoldDays { get; init; }
    [Id(6)] public int? TravelBufferMinutes { get; init; }
    [Id(7)] public int? MinRestMinutes { get; init; }
    [Id(8)] public int? MaxEventsPerDay { get; init; }
    [Id(9)] public string? Language { get; init; }
    [Id(10)] public string? OrganizerEmail { get; init; }
}

/// <summary>Change a speaker; null fields stay as they are.</summary>
[GenerateSerializer, Immutable]
public sealed record SpeakerPatch
{
    [Id(0)] public string? Name { get; init; }
    [Id(1)] public string? HomeCity { get; init; }
    [Id(2)] public string? HomeTimeZone { get; init; }
    [Id(3)] public GeoPoint? Home { get; init; }
    [Id(4)] public string? Email { get; init; }
    /// <summary>Replaces the speaker's blackout dates when given.</summary>
    [Id(5)] public ImmutableArray<LocalDate>? BlackoutDates { get; init; }
}

/// <summary>Change a host group's details; null fields stay as they are.</summary>
[GenerateSerializer, Immutable]
public sealed record HostPatch
{
    [Id(0)] public string? Name { get; init; }
    [Id(1)] public string? City { get; init; }
    [Id(2)] public string? ContactName { get; init; }
    [Id(3)] public string? ContactEmail { get; init; }
    [Id(4)] public string? ContactPhone { get; init; }
    [Id(5)] public string? Language { get; init; }
}

/// <summary>A change to a stop's venue (a confirmed stop's change is re-checked against the venue's calendar).</summary>
[GenerateSerializer, Immutable]
public sealed record VenuePatch
{
    [Id(0)] public string? Name { get; init; }
    [Id(1)] public string? Address { get; init; }
    /// <summary>Empty string removes the calendar URL.</summary>
    [Id(2)] public string? CalendarUrl { get; init; }
    [Id(3)] public AddressVisibility? AddressVisibility { get; init; }
}

/// <summary>One line of the tour's history: who did what, when (never contact details).</summary>
[GenerateSerializer, Immutable]
public sealed record HistoryEntry
{
    [Id(0)] public long Position { get; init; }
    [Id(1)] public Instant At { get; init; }
    /// <summary>Stable code of what happened, e.g. <c>claim-confirmed</c>.</summary>
    [Id(2)] public required string Action { get; init; }
    [Id(3)] public Role ActorRole { get; init; }
    [Id(4)] public string? ActorId { get; init; }
    [Id(5)] public string? TokenId { get; init; }
    /// <summary>The thing acted on: a claim, stop, event, person or link id.</summary>
    [Id(6)] public string? Subject { get; init; }
}

/// <summary>A change of a tour, as told to watchers (pages refresh on it).</summary>
[GenerateSerializer, Immutable]
public sealed record TourChange([property: Id(0)] string TourId, [property: Id(1)] long Version, [property: Id(2)] string Action, [property: Id(3)] Instant At);

/// <summary>Told of every durable change of a tour it watches.</summary>
public interface ITourWatcher : IGrainObserver
{
    /// <summary>A change was stored.</summary>
    [Orleans.Concurrency.OneWay]
    Task ChangedAsync(TourChange change);
}
