using System.Collections.Immutable;
using NodaTime;
using TourPlanner.Grains;
using TourPlanner.Grains.Domain;

namespace TourPlanner.Tests.Domain;

public class ClaimLedgerTests
{
    private static readonly Instant Now = Instant.FromUtc(2026, 10, 1, 12, 0);
    private static readonly PlanningRules Rules = new() { HoldDays = 7 };
    private static readonly LocalDate D1 = new(2026, 10, 28), D2 = new(2026, 10, 29), D3 = new(2026, 10, 30);

    private static ClaimView Claim(string id, string[] speakers, params LocalDate[] dates) => new()
    {
        ClaimId = id, StopId = "s" + id, HostId = "h" + id, City = "X", Dates = [.. dates], SpeakerIds = [.. speakers],
        Status = ClaimStatus.Held, CreatedAt = Now,
    };

    private static ImmutableArray<ClaimView> Ledger(params ClaimView[] claims) => ClaimLedger.Recompute([.. claims], Now, Rules);

    [Fact]
    public void FirstClaimOnASlot_IsRankOne_AndLaterOnesQueueBehindIt()
    {
        var l = Ledger(Claim("a", ["s1"], D1), Claim("b", ["s1"], D1), Claim("c", ["s1"], D1));
        Assert.Equal([1, 2, 3], l.Select(c => c.Rank));
    }

    [Fact]
    public void ClaimsOnDifferentSpeakersOrDates_DoNotQueue()
    {
        var l = Ledger(Claim("a", ["s1"], D1), Claim("b", ["s2"], D1), Claim("c", ["s1"], D2));
        Assert.All(l, c => Assert.Equal(1, c.Rank));
    }

    [Fact]
    public void RankIsTheWorstPositionOverTheClaimsSlots()
    {
        // b is first on D2 but second on D1, so its rank is 2.
        var l = Ledger(Claim("a", ["s1"], D1), Claim("b", ["s1"], D1, D2));
        Assert.Equal(2, l[1].Rank);
    }

    [Fact]
    public void HoldClock_StartsOnlyWhenAClaimReachesTheFront()
    {
        var l = Ledger(Claim("a", ["s1"], D1), Claim("b", ["s1"], D1));
        Assert.Equal(Now + Duration.FromDays(7), l[0].ExpiresAt);
        Assert.Null(l[1].ExpiresAt);

        var later = Now + Duration.FromDays(2);
        var released = ClaimLedger.End(l, "a", ClaimStatus.Released, later, Rules);
        Assert.Equal(1, released[1].Rank);
        Assert.Equal(later + Duration.FromDays(7), released[1].ExpiresAt);
    }

    [Fact]
    public void ExpireDue_EndsOnlyHoldsPastTheirTime_AndPromotesTheNext()
    {
        var l = Ledger(Claim("a", ["s1"], D1), Claim("b", ["s1"], D1));
        var notYet = ClaimLedger.ExpireDue(l, Now + Duration.FromDays(7) - Duration.FromSeconds(1), Rules, out var none);
        Assert.Equal(0, none);
        Assert.Equal(ClaimStatus.Held, notYet[0].Status);

        var due = Now + Duration.FromDays(7);
        var after = ClaimLedger.ExpireDue(l, due, Rules, out var expired);
        Assert.Equal(1, expired);
        Assert.Equal(ClaimStatus.Expired, after[0].Status);
        Assert.Equal(0, after[0].Rank);
        Assert.Equal(1, after[1].Rank);
    }

    [Fact]
    public void ConfirmedClaims_AreNotExpired()
    {
        var l = Ledger(Claim("a", ["s1"], D1) with { Status = ClaimStatus.Confirmed });
        var after = ClaimLedger.ExpireDue(l, Now + Duration.FromDays(100), Rules, out var expired);
        Assert.Equal(0, expired);
        Assert.Equal(ClaimStatus.Confirmed, after[0].Status);
    }

    [Fact]
    public void UnderRandomOperations_EachSlotsActiveRanksStayAPermutation()
    {
        var rng = new Random(7);
        var dates = new[] { D1, D2, D3 };
        var speakers = new[] { "s1", "s2" };
        var ledger = ImmutableArray<ClaimView>.Empty;
        var now = Now;
        for (var step = 0; step < 500; step++)
        {
            now += Duration.FromHours(rng.Next(0, 30));
            switch (rng.Next(4))
            {
                case 0 or 1:
                    var start = rng.Next(3);
                    var span = dates.Skip(start).Take(rng.Next(1, 4 - start)).ToArray();
                    ledger = ClaimLedger.Recompute(ledger.Add(Claim($"c{step}", [.. speakers.Where(_ => rng.Next(2) == 0).DefaultIfEmpty("s1")], span)), now, Rules);
                    break;
                case 2 when ledger.Any(c => c.Status == ClaimStatus.Held):
                    var held = ledger.Where(c => c.Status == ClaimStatus.Held).ToArray();
                    ledger = ClaimLedger.End(ledger, held[rng.Next(held.Length)].ClaimId, ClaimStatus.Released, now, Rules);
                    break;
                default:
                    ledger = ClaimLedger.ExpireDue(ledger, now, Rules, out _);
                    break;
            }
            // Oracle: on each slot, active claims in arrival order hold positions 1..k; a rank is the worst position.
            var active = ledger.Where(c => ClaimLedger.IsActive(c.Status)).ToList();
            var worst = active.ToDictionary(c => c.ClaimId, _ => 1);
            foreach (var slot in active.SelectMany(ClaimLedger.Slots).Distinct())
            {
                var onSlot = active.Where(c => ClaimLedger.Slots(c).Contains(slot)).ToList();
                for (var i = 0; i < onSlot.Count; i++) worst[onSlot[i].ClaimId] = Math.Max(worst[onSlot[i].ClaimId], i + 1);
                Assert.Single(onSlot, c => c == onSlot[0]);
            }
            Assert.All(active, c => Assert.Equal(worst[c.ClaimId], c.Rank));
            Assert.All(ledger.Where(c => !ClaimLedger.IsActive(c.Status)), c => Assert.Equal(0, c.Rank));
        }
    }
}
