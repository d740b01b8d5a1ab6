using System.Collections.Immutable;
using NodaTime;
using TourPlanner.Grains;
using TourPlanner.Grains.Domain;

namespace TourPlanner.Tests.Domain;

/// <summary>The incremental ledger against the plain statement of the rules (<see cref="ClaimLedger.Recompute"/>).</summary>
public class LedgerTests
{
    private static readonly PlanningRules Rules = new() { HoldDays = 3 };
    private static readonly Instant Start = Instant.FromUtc(2026, 10, 1, 12, 0);
    private static readonly LocalDate First = new(2026, 10, 22);

    private static (ClaimView Claim, StopSnapshot Stop) New(string id, ImmutableArray<string> speakers, ImmutableArray<LocalDate> dates, Instant now) =>
        (new ClaimView { ClaimId = id, StopId = "s" + id, HostId = "h", City = "X", Dates = dates, SpeakerIds = speakers, Status = ClaimStatus.Held, CreatedAt = now },
         new StopSnapshot { StopId = "s" + id, TourId = "t", ClaimId = id, HostId = "h", City = "X", Country = "US", TimeZone = "UTC", Dates = dates });

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void RandomHistories_GiveTheSameRanksAndHoldClocks_AsTheOracle(int seed)
    {
        var rng = new Random(seed);
        var speakers = new[] { "a", "b", "c" };
        var ledger = Ledger.Empty;
        var oracle = ImmutableArray<ClaimView>.Empty;
        var now = Start;
        for (var step = 0; step < 400; step++)
        {
            now += Duration.FromHours(rng.Next(0, 30));
            var active = oracle.Where(c => ClaimLedger.IsActive(c.Status)).ToList();
            var op = rng.Next(10);
            if (op < 5 || active.Count == 0)
            {
                var who = speakers.Where(_ => rng.Next(2) == 0).DefaultIfEmpty("a").ToImmutableArray();
                var from = First.PlusDays(rng.Next(6));
                var dates = Enumerable.Range(0, rng.Next(1, 3)).Select(d => from.PlusDays(d)).ToImmutableArray();
                var (claim, stop) = New($"c{step}", who, dates, now);
                ledger = ledger.Add(claim, stop, now, Rules);
                oracle = ClaimLedger.Recompute(oracle.Add(claim), now, Rules);
            }
            else if (op < 7)
            {
                var victim = active[rng.Next(active.Count)];
                if (victim.Status == ClaimStatus.Confirmed) continue;
                var status = rng.Next(2) == 0 ? ClaimStatus.Released : ClaimStatus.Cancelled;
                ledger = ledger.End(victim.ClaimId, status, now, Rules);
                oracle = ClaimLedger.End(oracle, victim.ClaimId, status, now, Rules);
            }
            else if (op < 8)
            {
                ledger = ledger.ExpireDue(now, Rules, out var expired);
                oracle = ClaimLedger.ExpireDue(oracle, now, Rules, out var count);
                Assert.Equal(count, expired.Length);
            }
            else if (op < 9)
            {
                if (active.FirstOrDefault(c => c is { Status: ClaimStatus.Held, Rank: 1 }) is not { } front) continue;
                ledger = ledger.Confirm(front.ClaimId, now);
                oracle = ClaimLedger.Recompute(oracle.Replace(front, front with { Status = ClaimStatus.Confirmed, ConfirmedAt = now, ExpiresAt = null }), now, Rules);
            }
            else
            {
                var moved = active[rng.Next(active.Count)];
                var shift = rng.Next(-2, 3);
                var dates = moved.Dates.Select(d => d.PlusDays(shift)).ToImmutableArray();
                ledger = ledger.ReplaceStop(ledger.Stop(moved.StopId)! with { Dates = dates }, now, Rules);
                oracle = ClaimLedger.Recompute(oracle.Replace(moved, moved with { Dates = dates }), now, Rules);
            }

            Assert.Equal(oracle.Length, ledger.Count);
            for (var i = 0; i < oracle.Length; i++)
            {
                var (expected, actual) = (oracle[i], ledger.Claims[i]);
                Assert.True((expected.Status, expected.Rank, expected.ExpiresAt) == (actual.Status, actual.Rank, actual.ExpiresAt),
                    $"seed {seed}, step {step}, claim {expected.ClaimId}: expected {(expected.Status, expected.Rank, expected.ExpiresAt)}, got {(actual.Status, actual.Rank, actual.ExpiresAt)}");
                Assert.Equal(expected.Status, ledger.Stop(expected.StopId)!.Status);
            }
            Assert.Equal(oracle.Count(c => c.Status == ClaimStatus.Confirmed), ledger.ConfirmedCount);
            Assert.Equal(ClaimLedger.NextExpiry(oracle), ledger.NextExpiry);
        }
    }

    [Fact]
    public void EarlierVersions_AreUntouchedByLaterChanges()
    {
        var (a, sa) = New("a", ["x"], [First], Start);
        var (b, sb) = New("b", ["x"], [First], Start);
        var one = Ledger.Empty.Add(a, sa, Start, Rules);
        var two = one.Add(b, sb, Start, Rules);
        var released = two.End("a", ClaimStatus.Released, Start + Duration.FromHours(1), Rules);

        Assert.Equal(1, one.Count);
        Assert.Equal(2, two.Claim("b")!.Rank);
        Assert.Equal(ClaimStatus.Held, two.Claim("a")!.Status);
        Assert.Equal(1, released.Claim("b")!.Rank);
        Assert.Equal(Start + Duration.FromHours(1) + Duration.FromDays(Rules.HoldDays), released.Claim("b")!.ExpiresAt);
    }
}
