using System.Collections.Immutable;
using Orleans.Serialization;
using Orleans.Storage;
using TourPlanner.Grains.Domain.Tours;

namespace TourPlanner.Grains.Implementation;

/// <summary>A run of consecutive entries of a tour's log, stored as one row.</summary>
[GenerateSerializer, Immutable]
public sealed record LogSegment
{
    [Id(0)] public ImmutableArray<TourEntry> Entries { get; init; } = [];
}

/// <summary>
/// A tour's entries, stored through the silo's grain storage as numbered segment rows ("tourlog", "{tourId}/{n}").
/// Appending rewrites only the last, small segment, so a write costs the size of the change and not of the tour; on
/// both providers (our SQLite one and Orleans's ADO.NET one, which rewrites a state whole) the same rows work, each
/// write guarded by its ETag. One append is one row write: a command's entries land together or not at all.
/// </summary>
public sealed class TourLog(IGrainStorage storage, Serializer serializer, string tourId)
{
    public const string StateName = "tourlog";
    /// <summary>A segment is closed when it holds this many entries…</summary>
    public const int MaxEntriesPerSegment = 32;
    /// <summary>…or about this many bytes, whichever comes first.</summary>
    public const int MaxBytesPerSegment = 48 * 1024;
    private const int ReadBatch = 8;

    private GrainState<LogSegment>? _tail;
    private int _tailNumber = -1;
    private int _tailBytes;

    public static GrainId SegmentId(string tourId, int number) => GrainId.Create(StateName, $"{tourId}/{number}");

    /// <summary>How many segment rows the log has.</summary>
    public int Segments => _tailNumber + 1;

    /// <summary>Every entry in order, reading segments a few at a time until the first that does not exist.</summary>
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
                _tail = state;
                _tailNumber = number;
                _tailBytes = state.State.Entries.Sum(Size);
            }
        }
    }

    /// <summary>Appends entries in one row write; throws (and leaves the log as it was) when the write fails.</summary>
    public async Task AppendAsync(ImmutableArray<TourEntry> entries)
    {
        var bytes = entries.Sum(Size);
        var startNew = _tail?.State is null || _tail.State.Entries.Length + entries.Length > MaxEntriesPerSegment || _tailBytes + bytes > MaxBytesPerSegment;
        if (startNew && _tail?.State is { Entries.IsEmpty: true }) startNew = false;
        var number = startNew ? _tailNumber + 1 : _tailNumber;
        var target = startNew
            ? new GrainState<LogSegment> { State = new LogSegment { Entries = entries } }
            : new GrainState<LogSegment> { State = new LogSegment { Entries = _tail!.State!.Entries.AddRange(entries) }, ETag = _tail.ETag, RecordExists = _tail.RecordExists };
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

    private int Size(TourEntry entry) => serializer.SerializeToArray(entry).Length;
}
