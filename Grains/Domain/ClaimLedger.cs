using System.Collections.Immutable;
using NodaTime;

namespace TourPlanner.Grains.Domain;

/// <summary>
/// The queue of claims on each (speaker, date), like first and second holds in music booking. Pure functions over
/// the ledger (claims in arrival order); the tour grain owns the ledger and is its only writer.
/// </summary>
public static class ClaimLedger
{
    public static bool IsActive(ClaimStatus status) => status is ClaimStatus.Held or ClaimStatus.Confirmed;

    /// <summary>The (speaker, date) slots a claim occupies.</summary>
    public static IEnumerable<(string SpeakerId, LocalDate Date)> Slots(ClaimView claim) =>
        from s in claim.SpeakerIds from d in claim.Dates select (s, d);

    /// <summary>
    /// Recomputes every rank from arrival order: an active claim's position on a slot is one more than the active
    /// claims that arrived before it on that slot, and its rank is its worst position. Because positions count
    /// only active claims in arrival order, each slot's positions are always exactly 1..k. A held claim that has
    /// just reached the front starts its hold clock now.
    /// </summary>
    public static ImmutableArray<ClaimView> Recompute(ImmutableArray<ClaimView> claims, Instant now, PlanningRules rules)
    {
        var occupied = new Dictionary<(string, LocalDate), int>();
        var result = ImmutableArray.CreateBuilder<ClaimView>(claims.Length);
        foreach (var claim in claims)
        {
            if (!IsActive(claim.Status))
            {
                result.Add(claim.Rank == 0 ? claim : claim with { Rank = 0 });
                continue;
            }
            var rank = 1;
            foreach (var slot in Slots(claim))
            {
                occupied.TryGetValue(slot, out var ahead);
                rank = Math.Max(rank, ahead + 1);
                occupied[slot] = ahead + 1;
            }
            var next = claim with { Rank = rank };
            if (next is { Status: ClaimStatus.Held, Rank: 1, ExpiresAt: null })
                next = next with { ExpiresAt = now + Duration.FromDays(rules.HoldDays) };
            result.Add(next);
        }
        return result.MoveToImmutable();
    }

    /// <summary>Ends every held claim whose hold has run out by <paramref name="now"/>, then promotes those behind.</summary>
    public static ImmutableArray<ClaimView> ExpireDue(ImmutableArray<ClaimView> claims, Instant now, PlanningRules rules, out int expired)
    {
        var count = 0;
        var ended = claims.Select(c =>
        {
            if (c is { Status: ClaimStatus.Held, ExpiresAt: { } at } && at <= now)
            {
                count++;
                return c with { Status = ClaimStatus.Expired, EndedAt = now };
            }
            return c;
        }).ToImmutableArray();
        expired = count;
        return count == 0 ? claims : Recompute(ended, now, rules);
    }

    /// <summary>The earliest moment a hold runs out, if any claim is held with a clock running.</summary>
    public static Instant? NextExpiry(ImmutableArray<ClaimView> claims)
    {
        Instant? next = null;
        foreach (var c in claims)
            if (c is { Status: ClaimStatus.Held, ExpiresAt: { } at } && (next is null || at < next))
                next = at;
        return next;
    }

    /// <summary>Ends a claim (released, cancelled) and promotes those queued behind it.</summary>
    public static ImmutableArray<ClaimView> End(ImmutableArray<ClaimView> claims, string claimId, ClaimStatus status, Instant now, PlanningRules rules) =>
        Recompute(claims.Select(c => c.ClaimId == claimId ? c with { Status = status, EndedAt = now, ExpiresAt = null } : c).ToImmutableArray(), now, rules);
}
