using System.Diagnostics;

namespace TourPlanner.Grains.Planning;

/// <summary>Why a search ended.</summary>
public enum SearchStop
{
    /// <summary>The search ran out of things to try before any limit (small problems).</summary>
    Completed,
    /// <summary>The iteration cap: a run with the same seed and cap repeats exactly.</summary>
    Iterations,
    /// <summary>The time budget.</summary>
    Time,
    /// <summary>The caller's cancellation token (a wall-time cap above the search).</summary>
    Cancelled,
}

/// <summary>
/// Iteration counter with an optional clock and cancellation token that can only end the search, never steer it: the
/// search path depends on the seed and the iteration count alone, so a run that no clock or token stopped repeats.
/// </summary>
internal sealed class SearchBudget
{
    private readonly long _maxIterations;
    private readonly TimeSpan? _timeLimit;
    private readonly CancellationToken _cancellation;
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public SearchBudget(long? maxIterations, TimeSpan? timeLimit, CancellationToken cancellation = default)
    {
        if (maxIterations is null && timeLimit is null && !cancellation.CanBeCanceled)
            throw new ArgumentException("Set a time budget, an iteration limit, or both.");
        _maxIterations = maxIterations ?? long.MaxValue;
        _timeLimit = timeLimit;
        _cancellation = cancellation;
    }

    public long Used { get; private set; }

    public bool HasIterationLimit => _maxIterations != long.MaxValue;

    public long MaxIterations => _maxIterations;

    /// <summary>Which limit ended the search; <see cref="SearchStop.Completed"/> while none has.</summary>
    public SearchStop Stop { get; private set; } = SearchStop.Completed;

    public bool TryConsume()
    {
        if (Stop != SearchStop.Completed) return false;
        if (Used >= _maxIterations) Stop = SearchStop.Iterations;
        else if (_cancellation.IsCancellationRequested) Stop = SearchStop.Cancelled;
        else if (_timeLimit is { } limit && _clock.Elapsed >= limit) Stop = SearchStop.Time;
        if (Stop != SearchStop.Completed) return false;
        Used++;
        return true;
    }
}
