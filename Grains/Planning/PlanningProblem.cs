using System.Collections.Immutable;

namespace TourPlanner.Grains.Planning;

/// <summary>A tour to plan: node 0 is the depot (start and end), the others are candidate visits.</summary>
public sealed record PlanningProblem
{
    // Keeps every start time and accumulated duration far from overflow even on 64-bit sums.
    private const int MaxTime = 1_000_000_000;

    /// <summary>Validates and captures the travel matrix and the nodes (depot first).</summary>
    public PlanningProblem(TravelMatrix travel, ImmutableArray<PlanningNode> nodes)
    {
        ArgumentNullException.ThrowIfNull(travel);
        if (nodes.IsDefaultOrEmpty)
            throw new ArgumentException("At least the depot is required.", nameof(nodes));
        if (travel.Size != nodes.Length)
            throw new ArgumentException($"Travel matrix is {travel.Size}x{travel.Size} but there are {nodes.Length} nodes.", nameof(travel));
        if (nodes[0].Windows.Length != 1)
            throw new ArgumentException("The depot must have exactly one time window.", nameof(nodes));
        for (var i = 0; i < nodes.Length; i++)
        {
            var node = nodes[i] ?? throw new ArgumentException($"Node {i} is null.", nameof(nodes));
            if (node.Windows.IsDefaultOrEmpty)
                throw new ArgumentException($"Node {i} has no time window.", nameof(nodes));
            if (node.ServiceDuration < 0 || node.ServiceDuration > MaxTime)
                throw new ArgumentException($"Node {i} has an invalid service duration.", nameof(nodes));
            if (node.Priority < 0)
                throw new ArgumentException($"Node {i} has a negative priority.", nameof(nodes));
            foreach (var w in node.Windows)
            {
                if (w.Earliest > w.Latest || w.Earliest < -MaxTime || w.Latest > MaxTime)
                    throw new ArgumentException($"Node {i} has an invalid window [{w.Earliest}, {w.Latest}].", nameof(nodes));
            }
        }
        for (var i = 0; i < travel.Size; i++)
        {
            for (var j = 0; j < travel.Size; j++)
            {
                if (travel[i, j] > MaxTime)
                    throw new ArgumentException($"Travel time {i}->{j} is too large.", nameof(travel));
            }
        }
        Travel = travel;
        Nodes = nodes;
    }

    /// <summary>Travel times between nodes.</summary>
    public TravelMatrix Travel { get; }

    /// <summary>Node 0 is the depot; the rest are visits.</summary>
    public ImmutableArray<PlanningNode> Nodes { get; }

    /// <summary>Number of nodes including the depot.</summary>
    public int NodeCount => Nodes.Length;
}
