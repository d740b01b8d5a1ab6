using System.Collections.Immutable;
using NodaTime;
using Orleans.Serialization;
using Orleans.Storage;
using TourPlanner.Grains.Domain.Privacy;
using TourPlanner.Grains.Domain.Tours;

namespace TourPlanner.Grains.Implementation;

/// <summary>
/// One entry as stored: what stays readable (<see cref="Kept"/>, the entry with its private fields removed), and,
/// when it had any, the whole entry sealed with one of the tour's data keys.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record StoredEntry
{
    [Id(0)] public required TourEntry Kept { get; init; }
    [Id(1)] public string? KeyId { get; init; }
    [Id(2)] public byte[]? Sealed { get; init; }
}

/// <summary>A run of consecutive entries of a tour's log, stored as one row.</summary>
[GenerateSerializer, Immutable]
public sealed record LogSegment
{
    /// <summary>Entries stored in the clear before private data was sealed; read as they are, never written again.</summary>
    [Id(0)] public ImmutableArray<TourEntry> Entries { get; init; } = [];
    [Id(1)] public ImmutableArray<StoredEntry> Stored { get; init; } = [];
}

/// <summary>
/// A tour's entries, stored through the silo's grain storage as numbered segment rows ("tourlog", "{tourId}/{n}").
/// Appending rewrites only the last, small segment, so a write costs the size of the change and not of the tour; on
/// both providers (our SQLite one and Orleans's ADO.NET one, which rewrites a state whole) the same rows work, each
/// write guarded by its ETag. One append is one row write: a command's entries land together or not at all.
/// Private fields never reach a row in the clear: each entry is stored redacted, with the whole entry sealed by
/// <see cref="TourKeys"/> beside it (see <see cref="PrivateData"/>).
/// </summary>
public sealed class TourLog(IGrainStorage storage, Serializer serializer, TourKeys keys, string tourId)
{
    public const string StateName = "tourlog";
    /// <summary>
    /// A segment is closed when it holds this many entries… Every append rewrites the open segment whole, so its
    /// serialization grows with it: 8 instead of 32 took one tour from 337 to about 400 claims/s (BENCHMARKS.md),
    /// at the price of more rows to read when a tour activates (read 8 at a time).
    /// </summary>
    public const int MaxEntriesPerSegment = 8;
    /// <summary>…or about this many bytes, whichever comes first.</summary>
    public const int MaxBytesPerSegment = 48 * 1024;
    private const int ReadBatch = 8;

    private GrainState<LogSegment>? _tail;
    private int _tailNumber = -1;
    private int _tailBytes;

    public static GrainId SegmentId(string tourId, int number) => GrainId.Create(StateName, $"{tourId}/{number}");

    /// <summary>How many segment rows the log has.</summary>
    public int Segments => _tailNumber + 1;

    /// <summary>Every entry in order (private parts where their key still exists), reading segments a few at a time until the first that does not exist.</summary>
    public async Task<ImmutableArray<TourEntry>> ReadAllAsync()
    {
        var entries = ImmutableArray.CreateBuilder<TourEntry>();
        for (var first = 0; ; first += ReadBatch)
        {
            var batch = await Task.WhenAll(Enumerable.Range(first, ReadBatch).Select(async n =>
            {
                var state = new GrainState<LogSegment>();
                await storage.ReadStateAsync(StateName, SegmentId(tourId, n), state);
                return (Number: n, State: state);
            }));
            foreach (var (number, state) in batch)
            {
                if (!state.RecordExists || state.State is null) return entries.ToImmutable();
                entries.AddRange(state.State.Entries);
                entries.AddRange(state.State.Stored.Select(Open));
                _tail = state;
                _tailNumber = number;
                _tailBytes = state.State.Entries.Sum(Size) + state.State.Stored.Sum(Size);
            }
        }
    }

    /// <summary>Appends entries in one row write; throws (and leaves the log as it was) when the write fails.</summary>
    public async Task AppendAsync(ImmutableArray<TourEntry> entries, Instant now)
    {
        var stored = ImmutableArray.CreateBuilder<StoredEntry>(entries.Length);
        foreach (var entry in entries) stored.Add(await SealAsync(entry, now));
        var rows = stored.MoveToImmutable();
        var bytes = rows.Sum(Size);
        var tail = _tail?.State;
        // A segment written before sealing is closed: its clear entries are never copied into a new write.
        var startNew = tail is null || !tail.Entries.IsEmpty || tail.Stored.Length + rows.Length > MaxEntriesPerSegment || _tailBytes + bytes > MaxBytesPerSegment;
        if (startNew && tail is { Entries.IsEmpty: true, Stored.IsEmpty: true }) startNew = false;
        var number = startNew ? _tailNumber + 1 : _tailNumber;
        var target = startNew
            ? new GrainState<LogSegment> { State = new LogSegment { Stored = rows } }
            : new GrainState<LogSegment> { State = new LogSegment { Stored = tail!.Stored.AddRange(rows) }, ETag = _tail!.ETag, RecordExists = _tail.RecordExists };
        await storage.WriteStateAsync(StateName, SegmentId(tourId, number), target);
        _tail = target;
        _tailNumber = number;
        _tailBytes = startNew ? bytes : _tailBytes + bytes;
    }

    /// <summary>Removes every segment row of the tour.</summary>
    public async Task ClearAsync()
    {
        for (var n = _tailNumber; n >= 0; n--)
        {
            var state = new GrainState<LogSegment>();
            await storage.ReadStateAsync(StateName, SegmentId(tourId, n), state);
            if (state.RecordExists) await storage.ClearStateAsync(StateName, SegmentId(tourId, n), state);
        }
        (_tail, _tailNumber, _tailBytes) = (null, -1, 0);
    }

    private async Task<StoredEntry> SealAsync(TourEntry entry, Instant now)
    {
        if (!PrivateData.HasPrivate(entry)) return new StoredEntry { Kept = entry };
        var (keyId, sealedBytes) = await keys.SealAsync(PrivateData.Scope(entry), serializer.SerializeToArray(entry), now);
        return new StoredEntry { Kept = PrivateData.Redact(entry), KeyId = keyId, Sealed = sealedBytes };
    }

    private TourEntry Open(StoredEntry stored) =>
        stored is { KeyId: { } keyId, Sealed: { } sealedBytes } && keys.Open(keyId, sealedBytes) is { } plain
            ? serializer.Deserialize<TourEntry>(plain)!
            : stored.Kept;

    private int Size(TourEntry entry) => serializer.SerializeToArray(entry).Length;
    private int Size(StoredEntry entry) => serializer.SerializeToArray(entry).Length;
}
