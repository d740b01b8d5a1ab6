namespace TourPlanner.Gateway.Calendar;

/// <summary>Keeps a rendered feed (iCalendar or Atom) within its byte cap by leaving out the items farthest from now.</summary>
public static class FeedSize
{
    /// <summary>
    /// Writes the longest prefix of <paramref name="nearestFirst"/> whose rendering fits <paramref name="maxBytes"/>.
    /// Items of one tour are of similar size, so the count is scaled by the overshoot and then stepped down: a few
    /// renderings, not one per item. <paramref name="write"/> gets the kept items and how many were left out.
    /// </summary>
    public static byte[] FitNearest<T>(IReadOnlyList<T> nearestFirst, long fullBytes, long maxBytes, Func<IReadOnlyList<T>, int, byte[]> write)
    {
        var keep = nearestFirst.Count;
        var size = fullBytes;
        while (true)
        {
            keep = Math.Max(0, Math.Min(keep - 1, (int)(keep * (maxBytes / (double)size) * 0.97)));
            var bytes = write(nearestFirst.Take(keep).ToList(), nearestFirst.Count - keep);
            if (bytes.Length <= maxBytes || keep == 0) return bytes;
            size = bytes.Length;
        }
    }
}
