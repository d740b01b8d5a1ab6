namespace TourPlanner.Grains.Planning;

/// <summary>Mutable working route: depot, visits, depot; plus the window each visit is currently aimed at.</summary>
internal sealed class Tour
{
    public Tour(int nodeCount)
    {
        Seq = new int[nodeCount + 1];
        Window = new int[nodeCount];
    }

    /// <summary>Seq[0] and Seq[Count + 1] are the depot; Seq[1..Count] are the visits.</summary>
    public int[] Seq { get; }

    /// <summary>Chosen window per node (indexes the node's sorted windows), so each move sees single windows.</summary>
    public int[] Window { get; }

    public int Count { get; private set; }

    public static Tour From(int nodeCount, IEnumerable<int> visits)
    {
        var tour = new Tour(nodeCount);
        foreach (var v in visits) tour.Seq[++tour.Count] = v;
        tour.Seq[tour.Count + 1] = 0;
        return tour;
    }

    public Tour Clone()
    {
        var copy = new Tour(Window.Length) { Count = Count };
        Array.Copy(Seq, copy.Seq, Count + 2);
        Array.Copy(Window, copy.Window, Window.Length);
        return copy;
    }

    public IEnumerable<int> Visits()
    {
        for (var k = 1; k <= Count; k++) yield return Seq[k];
    }

    public void InsertAfter(int position, int node)
    {
        Array.Copy(Seq, position + 1, Seq, position + 2, Count + 1 - position);
        Seq[position + 1] = node;
        Count++;
    }

    public void RemoveAt(int position)
    {
        Array.Copy(Seq, position + 1, Seq, position, Count + 1 - position);
        Count--;
    }

    public bool Contains(int node)
    {
        for (var k = 1; k <= Count; k++)
        {
            if (Seq[k] == node) return true;
        }
        return false;
    }
}
