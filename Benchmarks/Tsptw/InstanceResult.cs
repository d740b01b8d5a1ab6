namespace TourPlanner.Benchmarks.Tsptw;

/// <summary>One solved instance: travel (null if infeasible), best-known value if any, seconds spent.</summary>
internal sealed record InstanceResult(string Name, int Nodes, long? Travel, long? BestKnown, double Seconds)
{
    /// <summary>Size group: the name up to the first dot (n20w20.001.txt → n20w20), else the node count.</summary>
    public string Group => Name.Contains('.') ? Name[..Name.IndexOf('.')] : $"n{Nodes}";

    /// <summary>Relative gap in percent, when both values are known.</summary>
    public double? GapPercent => Travel is { } t && BestKnown is { } b && b > 0 ? 100.0 * (t - b) / b : null;
}
