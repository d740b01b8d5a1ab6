namespace TourPlanner.Grains.Planning;

/// <summary>Flat, sorted copy of a problem that the search reads in its hot loops.</summary>
internal sealed class ProblemData
{
    public ProblemData(PlanningProblem problem)
    {
        N = problem.NodeCount;
        Travel = problem.Travel.Cells;
        Service = new long[N];
        Mandatory = new bool[N];
        Priority = new long[N];
        WinEarliest = new long[N][];
        WinLatest = new long[N][];
        WinOriginalIndex = new int[N][];
        for (var i = 0; i < N; i++)
        {
            var node = problem.Nodes[i];
            Service[i] = i == 0 ? 0 : node.ServiceDuration;
            Mandatory[i] = i == 0 || node.Mandatory;
            Priority[i] = Mandatory[i] ? 0 : node.Priority;
            // Sorted windows make "first window still open at arrival" the earliest feasible start.
            var order = Enumerable.Range(0, node.Windows.Length)
                .OrderBy(k => node.Windows[k].Earliest).ThenBy(k => node.Windows[k].Latest).ToArray();
            WinEarliest[i] = order.Select(k => (long)node.Windows[k].Earliest).ToArray();
            WinLatest[i] = order.Select(k => (long)node.Windows[k].Latest).ToArray();
            WinOriginalIndex[i] = order;
        }
        DepotEarliest = WinEarliest[0][0];
        DepotLatest = WinLatest[0][0];
        HasMultipleWindows = WinEarliest.Any(w => w.Length > 1);
    }

    public int N { get; }
    public int[] Travel { get; }
    public long[] Service { get; }
    public bool[] Mandatory { get; }
    public long[] Priority { get; }
    public long[][] WinEarliest { get; }
    public long[][] WinLatest { get; }
    public int[][] WinOriginalIndex { get; }
    public long DepotEarliest { get; }
    public long DepotLatest { get; }
    public bool HasMultipleWindows { get; }

    public int Cost(int from, int to) => Travel[from * N + to];

    /// <summary>Earliest start at or after <paramref name="arrival"/> in any window of the node, or -1 when all have closed.</summary>
    public int FirstOpenWindow(int node, long arrival)
    {
        var latest = WinLatest[node];
        for (var k = 0; k < latest.Length; k++)
        {
            if (latest[k] >= arrival) return k;
        }
        return -1;
    }

    /// <summary>Whether the depot -> node -> depot round trip can meet some window of the node.</summary>
    public bool ReachableAlone(int node)
    {
        var k = FirstOpenWindow(node, DepotEarliest + Cost(0, node));
        if (k < 0) return false;
        var start = Math.Max(DepotEarliest + Cost(0, node), WinEarliest[node][k]);
        return start + Service[node] + Cost(node, 0) <= DepotLatest;
    }
}
