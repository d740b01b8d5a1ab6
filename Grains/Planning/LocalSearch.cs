namespace TourPlanner.Grains.Planning;

/// <summary>
/// Relocate / or-opt (segments of 1–3, optionally reversed), swap and 2-opt on one route, scored as
/// travel + Lambda × time warp. Prefix and suffix segments plus incrementally grown middle pieces make every
/// candidate an O(1) evaluation. A huge Lambda turns it into a feasibility-preserving descent.
/// </summary>
internal sealed class LocalSearch
{
    private const double Epsilon = 1e-9;
    private readonly ProblemData _d;
    private readonly Rng _rng;
    private readonly int[] _travel;
    private readonly int _n;
    private readonly Segment[] _fwd;
    private readonly Segment[] _bwd;
    private readonly int[] _scratch;

    public LocalSearch(ProblemData data, Rng rng)
    {
        _d = data;
        _rng = rng;
        _travel = data.Travel;
        _n = data.N;
        _fwd = new Segment[_n + 2];
        _bwd = new Segment[_n + 2];
        _scratch = new int[_n + 2];
    }

    // Starting heavy on time warp makes the first descent chase feasibility; the adaptive update relaxes it later.
    public double Lambda { get; set; } = 100.0;

    public double CostOf(in Segment s) => s.Travel + Lambda * s.TimeWarp;

    /// <summary>Whole-route summary after the last <see cref="Rebuild"/>.</summary>
    public Segment Whole { get; private set; }

    public Segment NodeSegment(int node, int window) => node == 0
        ? Segment.Single(0, 0, _d.DepotEarliest, _d.DepotLatest)
        : Segment.Single(node, _d.Service[node], _d.WinEarliest[node][window], _d.WinLatest[node][window]);

    private Segment Seg(Tour t, int position) => NodeSegment(t.Seq[position], t.Window[t.Seq[position]]);

    private Segment Cat(in Segment a, in Segment b) => Segment.Concat(a, b, _travel, _n);

    public Segment Evaluate(Tour t)
    {
        Rebuild(t);
        return Whole;
    }

    public void Rebuild(Tour t)
    {
        var last = t.Count + 1;
        _fwd[0] = Seg(t, 0);
        for (var k = 1; k <= last; k++) _fwd[k] = Cat(_fwd[k - 1], Seg(t, k));
        _bwd[last] = Seg(t, last);
        for (var k = last - 1; k >= 0; k--) _bwd[k] = Cat(Seg(t, k), _bwd[k + 1]);
        Whole = _fwd[last];
    }

    /// <summary>Cheapest insertion of <paramref name="node"/> over positions and windows; needs a fresh Rebuild.</summary>
    public (int After, int Window, Segment Result) BestInsertion(Tour t, int node, bool requireFeasible)
    {
        var best = (After: -1, Window: -1, Result: default(Segment));
        var bestCost = double.MaxValue;
        var windows = _d.WinEarliest[node].Length;
        for (var w = 0; w < windows; w++)
        {
            var single = NodeSegment(node, w);
            for (var p = 0; p <= t.Count; p++)
            {
                var cand = Cat(Cat(_fwd[p], single), _bwd[p + 1]);
                if (requireFeasible && cand.TimeWarp > 0) continue;
                var cost = CostOf(cand);
                if (cost < bestCost - Epsilon)
                {
                    bestCost = cost;
                    best = (p, w, cand);
                }
            }
        }
        return best;
    }

    /// <summary>The route without the visit at <paramref name="position"/>; needs a fresh Rebuild.</summary>
    public Segment WithoutPosition(int position) => Cat(_fwd[position - 1], _bwd[position + 1]);

    public void Run(Tour t)
    {
        Rebuild(t);
        var improved = true;
        while (improved && t.Count > 0)
        {
            improved = false;
            var offset = _rng.Next(t.Count);
            for (var k = 0; k < t.Count; k++)
            {
                if (TryAnchor(t, 1 + (offset + k) % t.Count)) improved = true;
            }
        }
    }

    private enum MoveKind { None, RelocateLeft, RelocateRight, Swap, TwoOpt, Rewindow }

    private struct Move
    {
        public MoveKind Kind;
        public int I, J, P, Window;
        public bool Reversed;
        public double Cost;
    }

    private bool TryAnchor(Tour t, int i)
    {
        var current = CostOf(Whole);
        var best = new Move { Kind = MoveKind.None, Cost = current - Epsilon };
        Relocations(t, i, ref best);
        Swaps(t, i, ref best);
        TwoOpts(t, i, ref best);
        if (best.Kind == MoveKind.None) return false;
        Apply(t, best);
        Rebuild(t);
        return true;
    }

    private void Relocations(Tour t, int i, ref Move best)
    {
        var m = t.Count;
        for (var len = 1; len <= 3 && i + len - 1 <= m; len++)
        {
            var j = i + len - 1;
            var node = t.Seq[i];
            var windowChoices = len == 1 ? _d.WinEarliest[node].Length : 1;
            for (var variant = 0; variant < (len == 1 ? windowChoices : 2); variant++)
            {
                Segment seg;
                var reversed = len > 1 && variant == 1;
                var window = len == 1 ? variant : -1;
                if (len == 1)
                {
                    seg = NodeSegment(node, variant);
                    if (variant != t.Window[node])
                    {
                        var inPlace = Cat(Cat(_fwd[i - 1], seg), _bwd[i + 1]);
                        Consider(ref best, CostOf(inPlace), MoveKind.Rewindow, i, j, 0, window, false);
                    }
                }
                else if (!reversed)
                {
                    seg = Seg(t, i);
                    for (var k = i + 1; k <= j; k++) seg = Cat(seg, Seg(t, k));
                }
                else
                {
                    seg = Seg(t, j);
                    for (var k = j - 1; k >= i; k--) seg = Cat(seg, Seg(t, k));
                }
                var segCost = CostOf(seg);

                // Insert before the segment: fwd[p] + seg + (p+1 .. i-1) + bwd[j+1].
                var tail = _bwd[j + 1];
                var tailCost = CostOf(tail);
                Segment mid = default;
                for (var p = i - 2; p >= 0; p--)
                {
                    mid = p == i - 2 ? Seg(t, i - 1) : Cat(Seg(t, p + 1), mid);
                    // Time warp and travel only accumulate, so no farther p can beat the bound either.
                    if (segCost + CostOf(mid) + tailCost >= best.Cost) break;
                    var cand = Cat(Cat(Cat(_fwd[p], seg), mid), tail);
                    Consider(ref best, CostOf(cand), MoveKind.RelocateLeft, i, j, p, window, reversed);
                }

                // Insert after the segment: fwd[i-1] + (j+1 .. p) + seg + bwd[p+1].
                var head = _fwd[i - 1];
                var headCost = CostOf(head);
                for (var p = j + 1; p <= m; p++)
                {
                    mid = p == j + 1 ? Seg(t, p) : Cat(mid, Seg(t, p));
                    if (headCost + CostOf(mid) + segCost >= best.Cost) break;
                    var cand = Cat(Cat(Cat(head, mid), seg), _bwd[p + 1]);
                    Consider(ref best, CostOf(cand), MoveKind.RelocateRight, i, j, p, window, reversed);
                }
            }
        }
    }

    private void Swaps(Tour t, int i, ref Move best)
    {
        var m = t.Count;
        var head = _fwd[i - 1];
        var headCost = CostOf(head);
        var first = Seg(t, i);
        Segment mid = default;
        for (var j = i + 1; j <= m; j++)
        {
            Segment cand;
            if (j == i + 1)
            {
                cand = Cat(Cat(Cat(head, Seg(t, j)), first), _bwd[j + 1]);
            }
            else
            {
                mid = j == i + 2 ? Seg(t, i + 1) : Cat(mid, Seg(t, j - 1));
                if (headCost + CostOf(mid) >= best.Cost) break;
                cand = Cat(Cat(Cat(Cat(head, Seg(t, j)), mid), first), _bwd[j + 1]);
            }
            Consider(ref best, CostOf(cand), MoveKind.Swap, i, j, 0, -1, false);
        }
    }

    private void TwoOpts(Tour t, int i, ref Move best)
    {
        var m = t.Count;
        var head = _fwd[i - 1];
        var headCost = CostOf(head);
        var rev = Seg(t, i);
        for (var j = i + 1; j <= m; j++)
        {
            rev = Cat(Seg(t, j), rev);
            if (headCost + CostOf(rev) >= best.Cost) break;
            var cand = Cat(Cat(head, rev), _bwd[j + 1]);
            Consider(ref best, CostOf(cand), MoveKind.TwoOpt, i, j, 0, -1, false);
        }
    }

    private static void Consider(ref Move best, double cost, MoveKind kind, int i, int j, int p, int window, bool reversed)
    {
        if (cost < best.Cost)
        {
            best = new Move { Kind = kind, I = i, J = j, P = p, Window = window, Reversed = reversed, Cost = cost };
        }
    }

    private void Apply(Tour t, in Move move)
    {
        var seq = t.Seq;
        switch (move.Kind)
        {
            case MoveKind.Rewindow:
                t.Window[seq[move.I]] = move.Window;
                break;
            case MoveKind.Swap:
                (seq[move.I], seq[move.J]) = (seq[move.J], seq[move.I]);
                break;
            case MoveKind.TwoOpt:
                Array.Reverse(seq, move.I, move.J - move.I + 1);
                break;
            case MoveKind.RelocateLeft:
            case MoveKind.RelocateRight:
                Relocate(t, move);
                break;
        }
    }

    private void Relocate(Tour t, in Move move)
    {
        var seq = t.Seq;
        var len = move.J - move.I + 1;
        for (var k = 0; k < len; k++) _scratch[k] = seq[move.I + k];
        if (move.Reversed) Array.Reverse(_scratch, 0, len);
        if (move.Window >= 0) t.Window[_scratch[0]] = move.Window;
        if (move.Kind == MoveKind.RelocateLeft)
        {
            // Shift p+1 .. i-1 right by len, then drop the segment in after p.
            Array.Copy(seq, move.P + 1, seq, move.P + 1 + len, move.I - move.P - 1);
            Array.Copy(_scratch, 0, seq, move.P + 1, len);
        }
        else
        {
            // Shift j+1 .. p left by len, then drop the segment in at the end of that run.
            Array.Copy(seq, move.J + 1, seq, move.I, move.P - move.J);
            Array.Copy(_scratch, 0, seq, move.P - len + 1, len);
        }
    }
}
