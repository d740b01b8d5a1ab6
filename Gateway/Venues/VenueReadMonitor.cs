namespace TourPlanner.Gateway.Venues;

/// <summary>Bounds of one venue-calendar read (<c>Venues:*</c> settings).</summary>
public sealed record VenueReaderOptions
{
    /// <summary>The whole read: connect, headers, body, parsing and expansion (<c>Venues:Timeout</c>).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>Most bytes of one answer; an endless body stops here (<c>Venues:MaxResponseBytes</c>).</summary>
    public int MaxResponseBytes { get; init; } = 4 * 1024 * 1024;
    /// <summary>Most occurrences one calendar may expand to (<c>Venues:MaxOccurrences</c>).</summary>
    public int MaxOccurrences { get; init; } = 20_000;
}

/// <summary>
/// What venue-calendar reads are doing right now: the work a read starts (download, parse, expansion) runs apart from
/// its caller, so a caller that got its answer at the deadline cannot see by itself whether that work stopped. Operators
/// and tests can: <see cref="Active"/> falls back to zero, and <see cref="Occurrences"/> stops growing.
/// </summary>
public sealed class VenueReadMonitor
{
    private readonly object _gate = new();
    private int _active;
    private long _occurrences, _peakBufferedBytes;
    private TaskCompletionSource _idle = Completed();

    /// <summary>Reads whose work has not ended yet.</summary>
    public int Active { get { lock (_gate) return _active; } }
    /// <summary>Occurrences expanded since start, all calendars together.</summary>
    public long Occurrences => Interlocked.Read(ref _occurrences);
    /// <summary>The most answer bytes held at once by any read.</summary>
    public long PeakBufferedBytes => Interlocked.Read(ref _peakBufferedBytes);

    /// <summary>Completes when no read's work is running.</summary>
    public Task WhenIdleAsync() { lock (_gate) return _idle.Task; }

    internal IDisposable Begin()
    {
        lock (_gate)
        {
            if (_active++ == 0) _idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        return new Ending(this);
    }

    internal void Occurred() => Interlocked.Increment(ref _occurrences);

    internal void Buffered(long bytes)
    {
        long peak;
        while (bytes > (peak = Interlocked.Read(ref _peakBufferedBytes)) && Interlocked.CompareExchange(ref _peakBufferedBytes, bytes, peak) != peak) { }
    }

    private void End()
    {
        TaskCompletionSource? idle = null;
        lock (_gate)
        {
            if (--_active == 0) idle = _idle;
        }
        idle?.TrySetResult();
    }

    private static TaskCompletionSource Completed()
    {
        var done = new TaskCompletionSource();
        done.SetResult();
        return done;
    }

    private sealed class Ending(VenueReadMonitor monitor) : IDisposable
    {
        private int _done;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) monitor.End();
        }
    }
}
