using NodaTime;
using TourPlanner.Grains;
using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Grains;

/// <summary>The cluster's mail desk: which tours have mail (known before a change is acknowledged) and the one sender's lease.</summary>
[Collection(ClusterCollection.Name)]
public class MailDeskTests(ClusterFixture fixture)
{
    private IMailDispatchGrain Desk => fixture.Grains.GetGrain<IMailDispatchGrain>(0);

    [Fact]
    public async Task AClaimThatOwesMail_IsOnTheDeskWhenItsAnswerArrives_WithItsNoticeInTheTourOutbox()
    {
        var s = await new Scenario(fixture.Grains).CreateAsync();
        var host = await s.HostAsync();
        var before = (await s.Tour.GetOutboxAsync(0, 100)).Total;

        var claim = await s.Tour.SubmitClaimAsync(host, Scenario.Claim([new LocalDate(2026, 10, 28)]));

        Assert.True(claim.IsOk, claim.Detail);
        Assert.Contains(s.TourId, await Desk.GetPendingAsync(1000));
        var outbox = await s.Tour.GetOutboxAsync(before, 100);
        var notice = Assert.Single(outbox.Notices).Notice;
        Assert.Equal((NoticeKinds.ClaimReceived, host, claim.Value!.Claim.ClaimId), (notice.Kind, notice.RecipientId, notice.ClaimId));
    }

    [Fact]
    public async Task ATourLeavesTheDesk_OnlyWhenItsMailGrainHasReadEverythingTheTourAnnounced()
    {
        var tourId = "t_desk" + Guid.NewGuid().ToString("N")[..12];
        await Desk.MarkPendingAsync(tourId, 5);
        await Desk.MarkIdleAsync(tourId, 3); // read up to 3 while 5 were announced: stays
        Assert.Contains(tourId, await Desk.GetPendingAsync(1000));
        await Desk.MarkIdleAsync(tourId, 5);
        Assert.DoesNotContain(tourId, await Desk.GetPendingAsync(1000));
    }

    [Fact]
    public async Task OneSenderHoldsTheLease_UntilItLapses()
    {
        var (a, b) = ("sender-a-" + Guid.NewGuid().ToString("N"), "sender-b-" + Guid.NewGuid().ToString("N"));
        await Eventually.ValueAsync(() => Desk.AcquireLeaseAsync(a, TimeSpan.FromSeconds(30)), held => held);
        Assert.False(await Desk.AcquireLeaseAsync(b, TimeSpan.FromSeconds(30)));
        Assert.True(await Desk.AcquireLeaseAsync(a, TimeSpan.FromMilliseconds(200))); // renewed, now short
        Assert.True(await Eventually.ValueAsync(() => Desk.AcquireLeaseAsync(b, TimeSpan.FromSeconds(30)), held => held));
        Assert.False(await Desk.AcquireLeaseAsync(a, TimeSpan.FromSeconds(30)));
        Assert.True(await Desk.AcquireLeaseAsync(b, TimeSpan.FromMilliseconds(1)));
    }
}
