using System.Collections.Immutable;
using NodaTime;

namespace TourPlanner.Grains;

/// <summary>
/// Wraps and unwraps a tour's data keys (the silo does it with ASP.NET Core Data Protection, whose key ring lives
/// apart from the database): a copy of the database holds only wrapped keys, useless without the key ring.
/// </summary>
public interface ITourKeyProtector
{
    /// <summary>The key, wrapped for this tour (unwrapping it for another tour fails).</summary>
    byte[] Wrap(string tourId, byte[] key);

    /// <summary>The key; <paramref name="rewrap"/> is true when it was wrapped with a key ring key that is no longer the default (rotate it).</summary>
    byte[] Unwrap(string tourId, byte[] wrapped, out bool rewrap);
}

/// <summary>Retention of private data: <c>Privacy:RetentionDays</c> and how often the retention reminder looks.</summary>
public sealed class PrivacyOptions
{
    /// <summary>Days after a tour's last date that its private data is kept.</summary>
    public int RetentionDays { get; set; } = 30;
    /// <summary>How often a tour's retention reminder checks the date.</summary>
    public TimeSpan SweepPeriod { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>When a tour's private data goes, or went.</summary>
[GenerateSerializer, Immutable]
public sealed record PrivacyStatus
{
    /// <summary>The day (in the tour's zone) the private data is purged.</summary>
    [Id(0)] public LocalDate PurgeOn { get; init; }
    /// <summary>The instant that day begins in the tour's zone.</summary>
    [Id(1)] public Instant PurgeAt { get; init; }
    /// <summary>The latest date the organizer may choose: the last date plus the retention period.</summary>
    [Id(2)] public LocalDate LatestPurgeOn { get; init; }
    [Id(3)] public Instant? PurgedAt { get; init; }
    [Id(4)] public int RetentionDays { get; init; }
}

/// <summary>One supporter's request for an on-request address.</summary>
[GenerateSerializer, Immutable]
public sealed record Signup
{
    [Id(0)] public required string SignupId { get; init; }
    [Id(1)] public required string StopId { get; init; }
    /// <summary>Null once purged, or for a host group when the supporter did not agree to share it.</summary>
    [Id(2)] public string? Email { get; init; }
    [Id(3)] public bool ShareWithHost { get; init; }
    [Id(4)] public Instant At { get; init; }
    [Id(5)] public string Language { get; init; } = "en";
}

/// <summary>A supporter asks for an on-request stop's address.</summary>
[GenerateSerializer, Immutable]
public sealed record SignupRequest
{
    [Id(0)] public required string StopId { get; init; }
    [Id(1)] public required string Email { get; init; }
    [Id(2)] public bool ShareWithHost { get; init; }
    [Id(3)] public string Language { get; init; } = "en";
}

/// <summary>A deleted tour: only when and by which kind of caller, kept under a hash of its id or slug so 410 can be answered.</summary>
[GenerateSerializer, Immutable]
public sealed record GoneState
{
    [Id(0)] public Instant? DeletedAt { get; init; }
}

/// <summary>Remembers that a tour (or a slug) existed and was deleted, keyed by a hash so nothing of the tour is readable in it.</summary>
public interface IGoneGrain : IGrainWithStringKey
{
    /// <summary>Marks the key deleted.</summary>
    Task MarkAsync(Instant at);
    /// <summary>When it was deleted, or null.</summary>
    Task<Instant?> DeletedAtAsync();

    /// <summary>The grain key for a tour id or a slug: a hash, never the value itself.</summary>
    public static string KeyOf(string kind, string value) =>
        kind + ":" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("gone:" + kind + ":" + value)));
}

/// <summary>Everything a tour holds, for its organizers to take elsewhere (tokens never: only link ids).</summary>
[GenerateSerializer, Immutable]
public sealed record TourExport
{
    [Id(0)] public required TourSnapshot Tour { get; init; }
    [Id(1)] public ImmutableArray<HostSnapshot> Hosts { get; init; } = [];
    [Id(2)] public ImmutableArray<StopSnapshot> Stops { get; init; } = [];
    [Id(3)] public ImmutableArray<LinkInfo> Links { get; init; } = [];
    [Id(4)] public ImmutableArray<HistoryEntry> History { get; init; } = [];
    [Id(5)] public ImmutableArray<Signup> Signups { get; init; } = [];
    [Id(6)] public required PrivacyStatus Privacy { get; init; }
}
