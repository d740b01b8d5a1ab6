namespace TourPlanner.Grains.Planning;

/// <summary>An inclusive interval [Earliest, Latest] in which service at a node may start.</summary>
public readonly record struct TimeWindow(int Earliest, int Latest)
{
    /// <summary>True when <paramref name="time"/> lies inside the window.</summary>
    public bool Contains(long time) => time >= Earliest && time <= Latest;
}
