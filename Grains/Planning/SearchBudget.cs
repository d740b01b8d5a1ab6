using System.Diagnostics;

namespace TourPlanner.Grains.Planning;

/// <summary>Iteration counter with an optional clock that can only end the search, never steer it.</summary>
internal sealed class SearchBudget
{
    private readonly long _maxIterations;
    private readonly TimeSpan? _timeLimit;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private bool _expired;

    public SearchBudget(long? maxIterations, TimeSpan? timeLimit)
    {
        if (maxIterations is null && timeLimit is null)
            throw new ArgumentException("Set a time budget, an iteration limit, or both.");
        _maxIterations = maxIterations ?? long.MaxValue;
        _timeLimit = timeLimit;
    }

    public long Used { get; private set; }

    public bool HasIterationLimit => _maxIterations != long.MaxValue;

    public long MaxIterations => _maxIterations;

    public bool Exhausted => _expired || Used >= _maxIterations;

    public bool TryConsume()
    {
        if (Exhausted) return false;
        if (_timeLimit is { } limit && _clock.Elapsed >= limit)
        {
            _expired = true;
            return false;
        }
        Used++;
        return true;
    }
}
