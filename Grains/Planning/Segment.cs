namespace TourPlanner.Grains.Planning;

/// <summary>
/// Summary of a route fragment under the time-warp relaxation (Vidal et al., 2013): duration, earliest and latest
/// feasible start, and the minimal "time travel" needed to meet every window. Concatenation is O(1), which is what
/// makes every neighbourhood move checkable in constant time; time warp 0 means the fragment is feasible.
/// </summary>
internal struct Segment
{
    public long Duration;
    public long TimeWarp;
    public long Earliest;
    public long Latest;
    public long Travel;
    public int First;
    public int Last;

    public static Segment Single(int node, long service, long earliest, long latest) => new()
    {
        Duration = service, TimeWarp = 0, Earliest = earliest, Latest = latest, Travel = 0, First = node, Last = node,
    };

    public static Segment Concat(in Segment a, in Segment b, int[] travel, int n)
    {
        long c = travel[a.Last * n + b.First];
        var delta = a.Duration - a.TimeWarp + c;
        var waitGap = Math.Max(b.Earliest - delta - a.Latest, 0);
        var warpGap = Math.Max(a.Earliest + delta - b.Latest, 0);
        return new Segment
        {
            Duration = a.Duration + b.Duration + c + waitGap,
            TimeWarp = a.TimeWarp + b.TimeWarp + warpGap,
            Earliest = Math.Max(b.Earliest - delta, a.Earliest) - waitGap,
            Latest = Math.Min(b.Latest - delta, a.Latest) + warpGap,
            Travel = a.Travel + b.Travel + c,
            First = a.First,
            Last = b.Last,
        };
    }
}
