using NodaTime;
using TourPlanner.Grains;
using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Grains;

[Collection(ClusterCollection.Name)]
public class ClaimGrainTests(ClusterFixture fixture)
{
    private static readonly LocalDate Oct28 = new(2026, 10, 28), Oct29 = new(2026, 10, 29), Oct30 = new(2026, 10, 30);

    [Fact]
    public async Task TwoHundredParallelClaims_OnOneSlot_GetRanksOneToTwoHundred_AndNoneIsLost()
    {
        var s = await new Scenario(fixture.Grains).CreateAsync();
        var hosts = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => s.HostAsync($"Host {i}")));
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => s.Tour.SubmitClaimAsync(hosts[i % 10], Scenario.Claim([Oct28]))));

        Assert.All(outcomes, o => Assert.True(o.IsOk, o.Detail));
        var claims = await s.Tour.GetClaimsAsync();
        Assert.Equal(200, claims.Length);
        Assert.Equal(outcomes.Select(o => o.Value!.Claim.ClaimId).Order(), claims.Select(c => c.ClaimId).Order());
        Assert.Equal(Enumerable.Range(1, 200), claims.Select(c => c.Rank).Order());
    }

    [Fact]
    public async Task ParallelConfirmsOfEveryClaimOnASlot_ConfirmExactlyOne()
    {
        var s = await new Scenario(fixture.Grains).CreateAsync();
        var host = await s.HostAsync();
        var ids = new List<string>();
        foreach (var _ in Enumerable.Range(0, 20))
            ids.Add((await s.Tour.SubmitClaimAsync(host, Scenario.Claim([Oct28]))).Value!.Claim.ClaimId);

        // Confirms race releases of the front claim: whatever the interleaving, at most one claim is confirmed.
        var confirms = ids.Select(id => s.Tour.ConfirmClaimAsync(id)).ToList();
        var releases = ids.Take(3).Select(id => s.Tour.ReleaseClaimAsync(TourGrainCalls.Organizer, id)).ToList();
        await Task.WhenAll(confirms.Cast<Task>().Concat(releases));
        var claims = await s.Tour.GetClaimsAsync();
        Assert.Single(claims, c => c.Status == ClaimStatus.Confirmed);
        var active = claims.Where(c => c.Status is ClaimStatus.Held or ClaimStatus.Confirmed).ToList();
        Assert.Equal(Enumerable.Range(1, active.Count), active.Select(c => c.Rank).Order());
        Assert.Equal(1, active.Single(c => c.Status == ClaimStatus.Confirmed).Rank);
    }

    [Fact]
    public async Task ParallelClaimsOverOverlappingDateRanges_KeepEverySlotsRanksAPermutation()
    {
        var s = await new Scenario(fixture.Grains).CreateAsync(speakers: 2);
        var host = await s.HostAsync();
        var rng = new Random(3);
        var spk = s.Created.Speakers.Select(x => x.Id).ToArray();
        var requests = Enumerable.Range(0, 60).Select(_ =>
        {
            var first = new LocalDate(2026, 10, 22).PlusDays(rng.Next(5));
            var dates = Enumerable.Range(0, rng.Next(1, 4)).Select(d => first.PlusDays(d)).ToArray();
            var who = rng.Next(3) switch { 0 => [spk[0]], 1 => [spk[1]], _ => spk };
            return Scenario.Claim(dates, speakers: [.. who]);
        }).ToList();
        await Task.WhenAll(requests.Select(r => s.Tour.SubmitClaimAsync(host, r)));

        var claims = (await s.Tour.GetClaimsAsync()).ToList(); // the ledger keeps arrival order
        Assert.Equal(60, claims.Count);
        // Oracle: the i-th claim to arrive on a slot holds position i+1 there; a claim's rank is its worst position.
        var worst = claims.ToDictionary(c => c.ClaimId, _ => 1);
        foreach (var slot in claims.SelectMany(c => c.SpeakerIds.SelectMany(sp => c.Dates.Select(d => (sp, d)))).Distinct())
        {
            var onSlot = claims.Where(c => c.SpeakerIds.Contains(slot.sp) && c.Dates.Contains(slot.d)).ToList();
            for (var i = 0; i < onSlot.Count; i++) worst[onSlot[i].ClaimId] = Math.Max(worst[onSlot[i].ClaimId], i + 1);
        }
        Assert.All(claims, c => Assert.Equal(worst[c.ClaimId], c.Rank));
    }

    [Fact]
    public async Task OnlyTheRankOneClaim_CanBeConfirmed()
    {
        var s = await new Scenario(fixture.Grains).CreateAsync();
        var host = await s.HostAsync();
        var first = (await s.Tour.SubmitClaimAsync(host, Scenario.Claim([Oct28]))).Value!.Claim;
        var second = (await s.Tour.SubmitClaimAsync(host, Scenario.Claim([Oct28, Oct29]))).Value!.Claim;
        Assert.Equal(2, second.Rank);

        var refused = await s.Tour.ConfirmClaimAsync(second.ClaimId);
        Assert.Equal(OutcomeKind.Conflict, refused.Kind);
        Assert.Contains("rank 2", refused.Detail);

        await s.Tour.ReleaseClaimAsync(TourGrainCalls.Organizer, first.ClaimId);
        Assert.Equal(OutcomeKind.Ok, (await s.Tour.ConfirmClaimAsync(second.ClaimId)).Kind);
    }

    [Fact]
    public async Task ConfirmingAnImpossibleTravelLeg_IsRefusedWithTheConflict_AndChangesNothing()
    {
        var s = await new Scenario(fixture.Grains).CreateAsync();
        var host = await s.HostAsync();
        var chicago = (await s.Tour.SubmitClaimAsync(host, Scenario.Claim([Oct28], hour: 19))).Value!.Claim;
        Assert.True((await s.Tour.ConfirmClaimAsync(chicago.ClaimId)).IsOk);
        // Next morning at 08:00 in Los Angeles: the flight alone takes longer than the night allows with rest.
        var la = (await s.Tour.SubmitClaimAsync(host, Scenario.Claim([Oct28], "Los Angeles", "America/Los_Angeles", Scenario.LosAngeles, hour: 22, minutes: 60))).Value!.Claim;
        Assert.Equal(2, la.Rank); // same speaker, same date: queued

        var la2 = (await s.Tour.SubmitClaimAsync(host, Scenario.Claim([Oct29], "Los Angeles", "America/Los_Angeles", Scenario.LosAngeles, hour: 1, minutes: 60))).Value!.Claim;
        var before = await s.Tour.GetClaimsAsync();
        var refused = await s.Tour.ConfirmClaimAsync(la2.ClaimId);
        Assert.Equal(OutcomeKind.Conflict, refused.Kind);
        Assert.Contains(refused.Conflicts, c => c.Code == "travel-impossible");
        Assert.Equivalent(before, await s.Tour.GetClaimsAsync(), strict: true);
    }

    [Fact]
    public async Task HoldsExpireByTheInjectedClock_AndTheNextClaimIsPromotedWithAFreshHold()
    {
        var s = await new Scenario(fixture.Grains).CreateAsync(new PlanningRules { HoldDays = 3 });
        var host = await s.HostAsync();
        var first = (await s.Tour.SubmitClaimAsync(host, Scenario.Claim([Oct30]))).Value!.Claim;
        var second = (await s.Tour.SubmitClaimAsync(host, Scenario.Claim([Oct30]))).Value!.Claim;
        Assert.Equal(fixture.Clock.GetCurrentInstant() + Duration.FromDays(3), first.ExpiresAt);
        Assert.Null(second.ExpiresAt);

        fixture.Clock.Advance(Duration.FromDays(3) - Duration.FromMinutes(1));
        Assert.Equal(0, await s.Tour.ExpireDueHoldsAsync());
        fixture.Clock.Advance(Duration.FromMinutes(1));
        Assert.Equal(1, await s.Tour.ExpireDueHoldsAsync());

        var claims = await s.Tour.GetClaimsAsync();
        Assert.Equal(ClaimStatus.Expired, claims.Single(c => c.ClaimId == first.ClaimId).Status);
        var promoted = claims.Single(c => c.ClaimId == second.ClaimId);
        Assert.Equal(1, promoted.Rank);
        Assert.Equal(fixture.Clock.GetCurrentInstant() + Duration.FromDays(3), promoted.ExpiresAt);
    }

    [Fact]
    public async Task TheHoldExpiryReminder_ExpiresHoldsWithoutAnyCall()
    {
        var s = await new Scenario(fixture.Grains).CreateAsync(new PlanningRules { HoldDays = 1 });
        var host = await s.HostAsync();
        var claim = (await s.Tour.SubmitClaimAsync(host, Scenario.Claim([Oct29]))).Value!.Claim;
        fixture.Clock.Advance(Duration.FromDays(1));
        // Only reads from here on: the reminder (1 s period in tests) must do the expiring.
        var status = await Eventually.ValueAsync(async () => (await s.Tour.GetClaimsAsync()).Single().Status, st => st == ClaimStatus.Expired);
        Assert.Equal(ClaimStatus.Expired, status);
        Assert.Equal(claim.ClaimId, (await s.Tour.GetClaimsAsync()).Single().ClaimId);
    }

    [Fact]
    public async Task ReleasingPromotes_AndAHostCannotReleaseAnotherGroupsClaim()
    {
        var s = await new Scenario(fixture.Grains).CreateAsync();
        var a = await s.HostAsync("A");
        var b = await s.HostAsync("B");
        var ca = (await s.Tour.SubmitClaimAsync(a, Scenario.Claim([Oct28]))).Value!.Claim;
        var cb = (await s.Tour.SubmitClaimAsync(b, Scenario.Claim([Oct28]))).Value!.Claim;

        Assert.Equal(OutcomeKind.Forbidden, (await s.Tour.ReleaseClaimAsync(Principal.ForHost(b), ca.ClaimId)).Kind);
        Assert.Equal(OutcomeKind.Ok, (await s.Tour.ReleaseClaimAsync(Principal.ForHost(a), ca.ClaimId)).Kind);
        Assert.Equal(1, (await s.Tour.GetClaimsAsync()).Single(c => c.ClaimId == cb.ClaimId).Rank);
    }

    [Fact]
    public async Task AnInvalidClaim_IsRefusedWithFieldErrors_AndStoresNothing()
    {
        var s = await new Scenario(fixture.Grains).CreateAsync();
        var host = await s.HostAsync();
        var bad = Scenario.Claim([new LocalDate(2026, 12, 1)]) with { TimeZone = "Mars/Olympus" };
        var outcome = await s.Tour.SubmitClaimAsync(host, bad);
        Assert.Equal(OutcomeKind.Invalid, outcome.Kind);
        Assert.Contains("timeZone", outcome.Errors.Keys);
        Assert.Contains("dates[0]", outcome.Errors.Keys);
        Assert.Empty(await s.Tour.GetClaimsAsync());
    }

    [Fact]
    public async Task ChangingAConfirmedStopIntoAConflict_IsRefused_AndTheEventKeepsItsTime()
    {
        var s = await new Scenario(fixture.Grains).CreateAsync();
        var host = await s.HostAsync();
        var chi = (await s.Tour.SubmitClaimAsync(host, Scenario.Claim([Oct28], hour: 19, minutes: 120))).Value!;
        var stp = (await s.Tour.SubmitClaimAsync(host, Scenario.Claim([Oct29], "St. Paul", "America/Chicago", Scenario.StPaul, hour: 19))).Value!;
        Assert.True((await s.Tour.ConfirmClaimAsync(chi.Claim.ClaimId)).IsOk);
        Assert.True((await s.Tour.ConfirmClaimAsync(stp.Claim.ClaimId)).IsOk);

        // Chicago ends 21:00; St. Paul at 01:00 the next night cannot be reached (flight + buffer) and leaves no rest.
        var stpEvent = stp.Events[0].EventId;
        var refused = await s.Tour.UpdateEventAsync(Principal.ForHost(host), stp.Claim.StopId, stpEvent,
            new EventPatch { Start = new LocalDateTime(2026, 10, 29, 1, 0) });
        Assert.Equal(OutcomeKind.Conflict, refused.Kind);
        Assert.Contains(refused.Conflicts, c => c.Code == "travel-impossible");
        Assert.Contains(refused.Conflicts, c => c.Code == "rest-too-short");
        var stop = (await s.Tour.GetStopsAsync(false)).Single(x => x.StopId == stp.Claim.StopId);
        Assert.Equal(new LocalDateTime(2026, 10, 29, 19, 0), stop.Events.Single().Start);

        // A harmless change goes through and raises the event's sequence.
        var ok = await s.Tour.UpdateEventAsync(Principal.ForHost(host), stp.Claim.StopId, stpEvent, new EventPatch { Start = new LocalDateTime(2026, 10, 29, 18, 0) });
        Assert.True(ok.IsOk);
        Assert.Equal(1, ok.Value!.Event.Sequence);
    }

    [Fact]
    public async Task CancellingAConfirmedStop_KeepsItsEvents_AndRemovesItFromTheItinerary()
    {
        var s = await new Scenario(fixture.Grains).CreateAsync();
        var host = await s.HostAsync();
        var chi = (await s.Tour.SubmitClaimAsync(host, Scenario.Claim([Oct28]))).Value!;
        Assert.True((await s.Tour.ConfirmClaimAsync(chi.Claim.ClaimId)).IsOk);
        var itinerary = fixture.Grains.GetGrain<ISpeakerItineraryGrain>($"{s.TourId}/{s.SpeakerId}");
        Assert.Single((await itinerary.GetAsync())!.Items);

        Assert.True((await s.Tour.CancelStopAsync(chi.Claim.StopId)).IsOk);
        var stop = (await s.Tour.GetStopsAsync(publishedOnly: true)).Single();
        Assert.Equal(ClaimStatus.Cancelled, stop.Status);
        Assert.Single(stop.Events);
        Assert.Empty((await itinerary.GetAsync())!.Items);
    }
}
