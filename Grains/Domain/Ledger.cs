using System.Collections.Immutable;
using NodaTime;

namespace TourPlanner.Grains.Domain;

/// <summary>
/// The tour's claims with their stops, kept so each change costs what it touches, not the size of the tour: ranks
/// are updated only for the claims queued on the slots a change affects, and every collection is a persistent
/// (structurally shared) one, so the version a read sees and the one a command builds share almost everything.
/// It gives the same ranks and hold clocks as <see cref="ClaimLedger.Recompute"/>, which stays as the plain
/// statement of the rules and as this class's test oracle.
/// </summary>
public sealed class Ledger
{
    public static readonly Ledger Empty = new(
        ImmutableList<ClaimView>.Empty, ImmutableDictionary<string, int>.Empty, ImmutableDictionary<string, StopSnapshot>.Empty,
        ImmutableDictionary<string, int>.Empty, ImmutableDictionary<Slot, ImmutableList<int>>.Empty, ImmutableSortedSet<Hold>.Empty,
        ImmutableSortedSet<int>.Empty, 0);

    /// <summary>One (speaker, date) a claim occupies.</summary>
    public readonly record struct Slot(string SpeakerId, LocalDate Date);

    /// <summary>A running hold clock, ordered by when it runs out.</summary>
    public readonly record struct Hold(Instant ExpiresAt, int Index) : IComparable<Hold>
    {
        public int CompareTo(Hold other) => ExpiresAt != other.ExpiresAt ? ExpiresAt.CompareTo(other.ExpiresAt) : Index.CompareTo(other.Index);
    }

    private readonly ImmutableList<ClaimView> _claims;
    private readonly ImmutableDictionary<string, int> _byClaim;
    private readonly ImmutableDictionary<string, StopSnapshot> _stops;
    private readonly ImmutableDictionary<string, int> _byStop;
    private readonly ImmutableDictionary<Slot, ImmutableList<int>> _queues;
    private readonly ImmutableSortedSet<Hold> _holds;
    private readonly ImmutableSortedSet<int> _confirmed;

    private Ledger(ImmutableList<ClaimView> claims, ImmutableDictionary<string, int> byClaim, ImmutableDictionary<string, StopSnapshot> stops,
        ImmutableDictionary<string, int> byStop, ImmutableDictionary<Slot, ImmutableList<int>> queues, ImmutableSortedSet<Hold> holds,
        ImmutableSortedSet<int> confirmed, int events)
    {
        (_claims, _byClaim, _stops, _byStop, _queues, _holds, _confirmed, EventCount) = (claims, byClaim, stops, byStop, queues, holds, confirmed, events);
    }

    /// <summary>Every claim in arrival order, with its rank.</summary>
    public IReadOnlyList<ClaimView> Claims => _claims;
    public int Count => _claims.Count;
    public int ConfirmedCount => _confirmed.Count;
    /// <summary>Events across all stops, ended ones included (they are stored all the same).</summary>
    public int EventCount { get; }

    /// <summary>The confirmed stops in arrival order, without walking the whole ledger.</summary>
    public IEnumerable<StopSnapshot> ConfirmedStops => _confirmed.Select(i => _stops[_claims[i].StopId]);

    public ClaimView? Claim(string claimId) => _byClaim.TryGetValue(claimId, out var i) ? _claims[i] : null;
    public ClaimView? ClaimOfStop(string stopId) => _byStop.TryGetValue(stopId, out var i) ? _claims[i] : null;

    /// <summary>The stop with its status as the ledger has it.</summary>
    public StopSnapshot? Stop(string stopId) => _stops.TryGetValue(stopId, out var s) ? s : null;
    public StopSnapshot StopOf(ClaimView claim) => _stops[claim.StopId];
    public IEnumerable<StopSnapshot> Stops(Func<ClaimView, bool> which) => _claims.Where(which).Select(StopOf);

    /// <summary>The earliest running hold clock, if any.</summary>
    public Instant? NextExpiry => _holds.Count == 0 ? null : _holds.Min.ExpiresAt;

    /// <summary>Held claims whose hold runs out by <paramref name="by"/>, soonest first (without walking the ledger).</summary>
    public IEnumerable<ClaimView> HoldsRunningOutBy(Instant by) => _holds.TakeWhile(h => h.ExpiresAt <= by).Select(h => _claims[h.Index]);

    /// <summary>How many active claims are on a slot.</summary>
    public int QueueLength(string speakerId, LocalDate date) => _queues.TryGetValue(new Slot(speakerId, date), out var q) ? q.Count : 0;

    /// <summary>Adds a claim at the end of the arrival order (its rank and hold clock are computed here).</summary>
    public Ledger Add(ClaimView claim, StopSnapshot stop, Instant now, PlanningRules rules)
    {
        var index = _claims.Count;
        var b = new Builder(this);
        b.Claims = b.Claims.Add(claim with { Rank = 0, ExpiresAt = null });
        b.ByClaim = b.ByClaim.Add(claim.ClaimId, index);
        b.ByStop = b.ByStop.Add(stop.StopId, index);
        b.Stops = b.Stops.Add(stop.StopId, stop with { Status = claim.Status });
        b.Events += stop.Events.Length;
        if (ClaimLedger.IsActive(claim.Status)) b.Enqueue(index);
        if (claim.Status == ClaimStatus.Confirmed) b.Confirmed = b.Confirmed.Add(index);
        b.Rerank([index], now, rules);
        return b.Build();
    }

    /// <summary>Confirms a held claim (its hold clock stops).</summary>
    public Ledger Confirm(string claimId, Instant now) => Update(claimId, c => c with { Status = ClaimStatus.Confirmed, ConfirmedAt = now, ExpiresAt = null });

    /// <summary>Ends a claim (released, expired, cancelled) and moves up the claims queued behind it.</summary>
    public Ledger End(string claimId, ClaimStatus status, Instant now, PlanningRules rules)
    {
        var index = _byClaim[claimId];
        var claim = _claims[index];
        var b = new Builder(this);
        var behind = b.Dequeue(index);
        // An expired claim keeps when it ran out; a released or cancelled one has no clock.
        b.SetClaim(index, claim with { Status = status, EndedAt = now, ExpiresAt = status == ClaimStatus.Expired ? claim.ExpiresAt : null, Rank = 0 });
        b.Rerank(behind, now, rules);
        return b.Build();
    }

    /// <summary>Expires every held claim whose hold has run out by <paramref name="now"/>, then moves up those behind.</summary>
    public Ledger ExpireDue(Instant now, PlanningRules rules, out ImmutableArray<string> expired)
    {
        var due = _holds.TakeWhile(h => h.ExpiresAt <= now).Select(h => _claims[h.Index].ClaimId).ToImmutableArray();
        expired = due;
        var ledger = this;
        foreach (var id in due) ledger = ledger.End(id, ClaimStatus.Expired, now, rules);
        return ledger;
    }

    /// <summary>
    /// Replaces a stop (events, venue, dates). A change of dates, or of the claim's speakers when
    /// <paramref name="speakers"/> is given, re-queues the claim in its arrival order.
    /// </summary>
    public Ledger ReplaceStop(StopSnapshot stop, Instant now, PlanningRules rules, ImmutableArray<string>? speakers = null)
    {
        var index = _byStop[stop.StopId];
        var claim = _claims[index];
        var b = new Builder(this);
        b.Events += stop.Events.Length - _stops[stop.StopId].Events.Length;
        b.Stops = b.Stops.SetItem(stop.StopId, stop with { Status = claim.Status });
        var newSpeakers = speakers ?? claim.SpeakerIds;
        if (!stop.Dates.SequenceEqual(claim.Dates) || !newSpeakers.SequenceEqual(claim.SpeakerIds))
        {
            var affected = b.Dequeue(index);
            b.SetClaim(index, claim with { Dates = stop.Dates, SpeakerIds = newSpeakers });
            if (ClaimLedger.IsActive(claim.Status)) affected.AddRange(b.Enqueue(index));
            affected.Add(index);
            b.Rerank(affected, now, rules);
        }
        return b.Build();
    }

    /// <summary>The speakers a stop's events involve, in a stable order.</summary>
    public static ImmutableArray<string> SpeakersOf(StopSnapshot stop) =>
        [.. stop.Events.SelectMany(e => e.SpeakerIds).Distinct().Order(StringComparer.Ordinal)];

    private Ledger Update(string claimId, Func<ClaimView, ClaimView> change)
    {
        var index = _byClaim[claimId];
        var before = _claims[index];
        var b = new Builder(this);
        b.SetClaim(index, change(before));
        return b.Build();
    }

    /// <summary>A mutable working copy; every collection stays persistent, so building is cheap.</summary>
    private sealed class Builder(Ledger from)
    {
        public ImmutableList<ClaimView> Claims = from._claims;
        public ImmutableDictionary<string, int> ByClaim = from._byClaim;
        public ImmutableDictionary<string, StopSnapshot> Stops = from._stops;
        public ImmutableDictionary<string, int> ByStop = from._byStop;
        public ImmutableDictionary<Slot, ImmutableList<int>> Queues = from._queues;
        public ImmutableSortedSet<Hold> Holds = from._holds;
        public ImmutableSortedSet<int> Confirmed = from._confirmed;
        public int Events = from.EventCount;

        public Ledger Build() => new(Claims, ByClaim, Stops, ByStop, Queues, Holds, Confirmed, Events);

        public void SetClaim(int index, ClaimView next)
        {
            var before = Claims[index];
            if (before.ExpiresAt is { } was && before.Status == ClaimStatus.Held) Holds = Holds.Remove(new Hold(was, index));
            if (next.ExpiresAt is { } at && next.Status == ClaimStatus.Held) Holds = Holds.Add(new Hold(at, index));
            if (before.Status == ClaimStatus.Confirmed && next.Status != ClaimStatus.Confirmed) Confirmed = Confirmed.Remove(index);
            if (before.Status != ClaimStatus.Confirmed && next.Status == ClaimStatus.Confirmed) Confirmed = Confirmed.Add(index);
            if (Stops.TryGetValue(next.StopId, out var stop) && stop.Status != next.Status) Stops = Stops.SetItem(next.StopId, stop with { Status = next.Status });
            Claims = Claims.SetItem(index, next);
        }

        private IEnumerable<Slot> SlotsOf(int index) => ClaimLedger.Slots(Claims[index]).Select(s => new Slot(s.SpeakerId, s.Date));

        /// <summary>Puts a claim on its slots in arrival order; returns the claims it now stands before.</summary>
        public List<int> Enqueue(int index)
        {
            var behind = new List<int>();
            foreach (var slot in SlotsOf(index).Distinct())
            {
                var queue = Queues.TryGetValue(slot, out var q) ? q : ImmutableList<int>.Empty;
                var at = queue.BinarySearch(index);
                if (at >= 0) continue;
                at = ~at;
                for (var k = at; k < queue.Count; k++) behind.Add(queue[k]);
                Queues = Queues.SetItem(slot, queue.Insert(at, index));
            }
            return behind;
        }

        /// <summary>Takes a claim off its slots; returns the claims that were behind it.</summary>
        public List<int> Dequeue(int index)
        {
            var behind = new List<int>();
            foreach (var slot in SlotsOf(index).Distinct())
            {
                if (!Queues.TryGetValue(slot, out var queue)) continue;
                var at = queue.BinarySearch(index);
                if (at < 0) continue;
                for (var k = at + 1; k < queue.Count; k++) behind.Add(queue[k]);
                queue = queue.RemoveAt(at);
                Queues = queue.Count == 0 ? Queues.Remove(slot) : Queues.SetItem(slot, queue);
            }
            return behind;
        }

        /// <summary>
        /// A claim's rank is its worst position over its slots; a held claim that reaches the front starts its hold
        /// clock now (and keeps it if later pushed back, as <see cref="ClaimLedger.Recompute"/> does).
        /// </summary>
        public void Rerank(IEnumerable<int> indexes, Instant now, PlanningRules rules)
        {
            foreach (var index in indexes.Distinct())
            {
                var claim = Claims[index];
                if (!ClaimLedger.IsActive(claim.Status))
                {
                    if (claim.Rank != 0) SetClaim(index, claim with { Rank = 0 });
                    continue;
                }
                var rank = 1;
                foreach (var slot in SlotsOf(index).Distinct())
                    if (Queues.TryGetValue(slot, out var queue)) rank = Math.Max(rank, queue.BinarySearch(index) + 1);
                var next = claim with { Rank = rank };
                if (next is { Status: ClaimStatus.Held, Rank: 1, ExpiresAt: null })
                    next = next with { ExpiresAt = now + Duration.FromDays(rules.HoldDays) };
                if (next != claim) SetClaim(index, next);
            }
        }
    }
}
