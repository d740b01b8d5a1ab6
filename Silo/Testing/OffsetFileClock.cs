using System.Globalization;
using NodaTime;
using NodaTime.Text;

namespace TourPlanner.Silo.Testing;

/// <summary>
/// TEST ONLY (enabled by <c>Testing:ClockFile</c>, never set in production): the system clock plus an offset read
/// from a file, so a test can move a silo in another process forward in time, e.g. past a hold's expiry. The file
/// holds a NodaTime round-trip duration such as <c>8:00:00:00</c>; a missing or empty file means no offset.
/// </summary>
public sealed class OffsetFileClock(string path, IClock inner) : IClock
{
    private readonly object _gate = new();
    private DateTime _readAt = DateTime.MinValue;
    private Duration _offset;

    public Instant GetCurrentInstant() => inner.GetCurrentInstant() + Offset();

    private Duration Offset()
    {
        lock (_gate)
        {
            var modified = File.Exists(path) ? File.GetLastWriteTimeUtc(path) : DateTime.MinValue;
            if (modified != _readAt)
            {
                _readAt = modified;
                _offset = Read();
            }

            return _offset;
        }
    }

    private Duration Read()
    {
        string text;
        try
        {
            text = File.Exists(path) ? File.ReadAllText(path).Trim() : "";
        }
        catch (IOException)
        {
            return _offset; // Mid-write: keep the last offset and read again on the next call.
        }

        if (text.Length == 0) return Duration.Zero;
        var parsed = DurationPattern.Roundtrip.Parse(text);
        if (!parsed.Success) throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"Testing:ClockFile '{path}' holds '{text}', not a duration such as 8:00:00:00."));
        return parsed.Value;
    }
}
