using NodaTime;
using Orleans.Concurrency;

namespace TourPlanner.Grains;

/// <summary>
/// One stop's logistics: where the speaker sleeps and what to know on arrival, written by the stop's host group (or
/// the organizer). Not subject to the tour's rules, so kept apart from the tour's log, keyed by the stop id. The
/// Gateway lets only that stop's host group and the organizer write, and shows it only to them and that stop's speakers.
/// </summary>
public interface ITourStopGrain : IGrainWithStringKey
{
    /// <summary>The stop's logistics (empty when nobody wrote any).</summary>
    [ReadOnly]
    Task<StopLogistics> GetLogisticsAsync();

    /// <summary>Changes the logistics of this stop of <paramref name="tourId"/>; null fields stay, empty ones are cleared.</summary>
    Task<Outcome<StopLogistics>> SetLogisticsAsync(string tourId, LogisticsPatch patch, Principal by);

    /// <summary>Removes the stop's logistics from the store (the tour's deletion, its purge, its host group's withdrawal).</summary>
    Task ForgetAsync();
}

/// <summary>Lodging and practical notes for one stop, as its host group wrote them.</summary>
[GenerateSerializer, Immutable]
public sealed record StopLogistics
{
    /// <summary>Where the speaker sleeps: a home, a hotel, an address, check-in.</summary>
    [Id(0)] public string? Lodging { get; init; }
    [Id(1)] public string? Parking { get; init; }
    /// <summary>Which door, who lets them in, accessibility.</summary>
    [Id(2)] public string? Entrance { get; init; }
    /// <summary>Who interprets, and into which language.</summary>
    [Id(3)] public string? Interpreter { get; init; }
    /// <summary>Anything else.</summary>
    [Id(4)] public string? Notes { get; init; }
    /// <summary>Rises with every change (the private feed's cache and the pages' copies key on it).</summary>
    [Id(5)] public int Version { get; init; }
    [Id(6)] public Instant? UpdatedAt { get; init; }
    [Id(7)] public Role UpdatedByRole { get; init; }
    /// <summary>The tour the stop belongs to, bound on the first write.</summary>
    [Id(8)] public string? TourId { get; init; }
    /// <summary>
    /// As stored: the five fields above sealed with the tour's data key (they are then null in the row). Rows written
    /// before sealing hold them in the clear and are sealed on their next change.
    /// </summary>
    [Id(9)] public SealedData? Sealed { get; init; }

    public static readonly StopLogistics Empty = new();

    public bool IsEmpty => Lodging is null && Parking is null && Entrance is null && Interpreter is null && Notes is null;
}

/// <summary>Bytes sealed with one of a tour's data keys (AES-GCM), and which key.</summary>
[GenerateSerializer, Immutable]
public sealed record SealedData([property: Id(0)] string KeyId, [property: Id(1)] byte[] Bytes);

/// <summary>A change to a stop's logistics: null leaves a field as it is, an empty string clears it.</summary>
[GenerateSerializer, Immutable]
public sealed record LogisticsPatch
{
    [Id(0)] public string? Lodging { get; init; }
    [Id(1)] public string? Parking { get; init; }
    [Id(2)] public string? Entrance { get; init; }
    [Id(3)] public string? Interpreter { get; init; }
    [Id(4)] public string? Notes { get; init; }
}
