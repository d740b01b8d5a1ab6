using System.Net;
using NodaTime;
using TourPlanner.Tests.Infrastructure;
using TourPlanner.Tests.Storage.Postgres;

namespace TourPlanner.Tests.Cluster;

/// <summary>Processes killed without warning (kill -9) or stopped politely (SIGTERM) lose no acknowledged write.</summary>
[Collection(MultiProcessCollection.Name)]
public sealed class FailoverTests(PostgresClusterFixture shared, Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task A_silo_killed_mid_storm_is_voted_dead_its_grains_return_on_the_survivor_and_due_holds_still_expire()
    {
        // Calls caught on the killed silo fail after 15 s instead of 30: they were never acknowledged, so they may fail.
        // Two silos: the survivor is the only one left to vote, so one vote declares a silo dead.
        await using var host = ClusterHost.OnPostgres(await (await PostgresServer.GetAsync()).CreateDatabaseAsync("failover"), TimeSpan.FromSeconds(15), votesForDeath: 1);
        await host.StartSiloAsync("silo-1");
        var victim = await host.StartSiloAsync("silo-2");
        var gateways = await Task.WhenAll(host.StartGatewayAsync("gateway-a"), host.StartGatewayAsync("gateway-b"));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        void Step(string what) => output.WriteLine($"{clock.Elapsed.TotalSeconds,6:F1}s {what}");
        Step("cluster up");
        var tours = new List<ClusterTour>();
        for (var t = 0; t < 4; t++) tours.Add(await ClusterTour.CreateAsync(gateways[t % 2].Http, 8)); // spread over both silos
        var log = new StormLog();
        var storm = new List<(ClusterTour Tour, int Host, int Day)>();
        foreach (var tour in tours)
            for (var h = 0; h < 8; h++)
                for (var d = 0; d < 6; d++) storm.Add((tour, h, d));

        var killed = false;
        var gate = new SemaphoreSlim(16);
        await Task.WhenAll(storm.Select(async (s, i) =>
        {
            await gate.WaitAsync();
            try
            {
                if (!killed && log.Acknowledged.Count >= storm.Count / 3)
                {
                    killed = true;
                    victim.Kill9();
                    Step("silo-2 killed");
                }

                var claim = await log.ClaimAsync(gateways[i % 2].Http, s.Tour, s.Host, ClusterTour.Date(s.Day));
                // Confirm on even days only: odd days keep a held first claim whose hold can fall due later.
                if (claim is { Rank: 1 } c && s.Day % 2 == 0) await log.ConfirmAsync(gateways[(i + 1) % 2].Http, s.Tour, c.ClaimId);
            }
            finally
            {
                gate.Release();
            }
        }));
        Assert.True(killed);
        Step($"storm done: {log.Acknowledged.Count} acknowledged, {log.Unanswered.Count} unanswered, {log.ServerErrors.Count} 5xx");
        await victim.WaitForExitAsync(TimeSpan.FromSeconds(10));

        // Membership: the survivor votes the killed silo dead (6) and stays active (3).
        var membership = await Eventually.ValueAsync(host.MembershipAsync, rows => rows.Count(r => r.Status == 6) == 1, 60);
        Assert.Equal(1, membership.Count(r => r.Status == 6));
        Assert.Equal(1, membership.Count(r => r.Status == 3));
        Step("voted dead");

        // Every acknowledged write is there exactly once; the tours' grains answer from the survivors, read from storage.
        foreach (var tour in tours)
        {
            var listed = await tour.ClaimsAsync(gateways[0].Http);
            var mine = new StormLog();
            foreach (var (id, value) in log.Acknowledged.Where(a => listed.Any(c => c.ClaimId == a.Key) || IsOf(tour, a.Value.HostId)))
                mine.Acknowledged[id] = value;
            mine.AssertLedgerConsistent(listed);
        }

        // Holds fall due only after the kill: the reminders, now all on the survivor, expire them with no request arriving.
        Step("ledgers checked");
        var writesBefore = await host.StorageWritesAsync();
        var offset = Duration.FromDays(8);
        await host.SetClockOffsetAsync(offset);
        var writesAfter = await Eventually.ValueAsync(host.StorageWritesAsync, w => w > writesBefore, 60);
        Assert.True(writesAfter > writesBefore, "No hold expired: the hold-expiry reminders did not fire on the surviving silo.");
        Step("reminders fired");
        foreach (var tour in tours)
        {
            var listed = await Eventually.ValueAsync(() => tour.ClaimsAsync(gateways[1].Http), l => !l.Any(c => Overdue(c, host, offset)), 60);
            Assert.DoesNotContain(listed, c => Overdue(c, host, offset));
            Assert.Contains(listed, c => c.Status == "expired");
        }

        bool IsOf(ClusterTour tour, string hostId) => tour.Hosts.Any(h => h.HostId == hostId);
    }

    [Fact]
    public async Task The_embedded_profile_killed_mid_storm_and_restarted_on_the_same_file_has_every_acknowledged_claim_once()
    {
        await using var host = ClusterHost.OnSqlite();
        var first = await host.StartGatewayAsync("embedded-1", coHostSilo: true);
        var tour = await ClusterTour.CreateAsync(first.Http, 10);
        var log = new StormLog();
        var killed = false;
        var gate = new SemaphoreSlim(16);
        await Task.WhenAll(Enumerable.Range(0, 100).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                if (!killed && log.Acknowledged.Count >= 40)
                {
                    killed = true;
                    first.Process.Kill9();
                }

                await log.ClaimAsync(first.Http, tour, i % 10, ClusterTour.Date(i / 10));
            }
            finally
            {
                gate.Release();
            }
        }));
        Assert.True(killed);
        await first.Process.WaitForExitAsync(TimeSpan.FromSeconds(10));

        var second = await host.StartGatewayAsync("embedded-2", coHostSilo: true);
        var listed = await tour.ClaimsAsync(second.Http);

        Assert.InRange(log.Acknowledged.Count, 40, 100);
        log.AssertLedgerConsistent(listed);
    }

    [Fact]
    public async Task A_gateway_sent_sigterm_during_claims_finishes_them_stores_every_acknowledged_one_and_exits_promptly()
    {
        var leaving = await shared.Host.StartGatewayAsync("gateway-leaving");
        var tour = await ClusterTour.CreateAsync(shared.GatewayA.Http, 10);
        var log = new StormLog();
        var claims = Enumerable.Range(0, 40).Select(i => log.ClaimAsync(leaving.Http, tour, i % 10, ClusterTour.Date(i / 10))).ToList();
        await Task.WhenAny(claims);

        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        leaving.Process.Terminate();
        await Task.WhenAll(claims);
        await leaving.Process.WaitForExitAsync(TimeSpan.FromSeconds(30));
        stopwatch.Stop();

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(30), $"The Gateway took {stopwatch.Elapsed} to stop.");
        Assert.Equal(0, leaving.Process.ExitCode);
        Assert.NotEmpty(log.Acknowledged);
        Assert.Empty(log.ServerErrors);
        log.AssertLedgerConsistent(await tour.ClaimsAsync(shared.GatewayA.Http));
    }

    private static bool Overdue(ClaimRow claim, ClusterHost host, Duration offset) =>
        claim is { Status: "held", ExpiresAt: { } at } && at.ToUniversalTime() <= host.Now(offset).ToDateTimeOffset() - TimeSpan.FromSeconds(5);
}
