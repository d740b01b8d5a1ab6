using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
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
    public async Task Claims_retried_with_their_idempotency_keys_after_a_kill_9_are_stored_once_and_every_host_group_lists_its_own()
    {
        await using var host = ClusterHost.OnSqlite();
        var first = await host.StartGatewayAsync("keyed-1", coHostSilo: true);
        var tour = await ClusterTour.CreateAsync(first.Http, 10);
        // Each request carries its own key, as a phone that retries after a dropped connection would.
        var requests = Enumerable.Range(0, 80).Select(i => (Host: i % 10, Date: ClusterTour.Date(i / 10), Key: $"retry-{i:D3}-{Guid.NewGuid():N}")).ToList();
        var firstAnswers = new ConcurrentDictionary<string, string>();
        var killed = false;
        var gate = new SemaphoreSlim(16);
        await Task.WhenAll(requests.Select(async r =>
        {
            await gate.WaitAsync();
            try
            {
                if (!killed && firstAnswers.Count >= 30)
                {
                    killed = true;
                    first.Process.Kill9();
                }

                if (await KeyedClaimAsync(first.Http, tour, r.Host, r.Date, r.Key) is { } claimId) firstAnswers[r.Key] = claimId;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Dropped by the kill: the client does not know whether it was stored, so it will retry.
            }
            finally
            {
                gate.Release();
            }
        }));
        Assert.True(killed);
        Assert.InRange(firstAnswers.Count, 30, requests.Count - 1);
        await first.Process.WaitForExitAsync(TimeSpan.FromSeconds(10));

        var second = await host.StartGatewayAsync("keyed-2", coHostSilo: true);
        // Every request is retried, answered or not, with the same key and the same link.
        var retried = new Dictionary<string, string>();
        foreach (var r in requests)
            retried[r.Key] = await KeyedClaimAsync(second.Http, tour, r.Host, r.Date, r.Key) ?? throw new Xunit.Sdk.XunitException($"retry of {r.Key} was refused");

        // A retry of an acknowledged claim gets that claim back, not a new one.
        foreach (var (key, claimId) in firstAnswers) Assert.Equal(claimId, retried[key]);
        var listed = await tour.ClaimsAsync(second.Http);
        Assert.Equal(requests.Count, listed.Count);
        Assert.Equal(retried.Values.Order(), listed.Select(c => c.ClaimId).Order());
        Assert.Equal(listed.Count, listed.Select(c => (c.HostId, c.Date)).Distinct().Count());

        // Each group's own list agrees with the ledger: its claims, all of them, none of another's.
        for (var h = 0; h < tour.Hosts.Count; h++)
        {
            var (hostId, token) = tour.Hosts[h];
            using var response = await second.Http.SendAsync(HttpMethod.Get, $"/api/tours/{tour.TourId}/hosts/{hostId}", token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var own = (await response.JsonAsync()).GetProperty("claimIds").EnumerateArray().Select(e => e.GetString()!).Order().ToList();
            Assert.Equal(listed.Where(c => c.HostId == hostId).Select(c => c.ClaimId).Order(), own);
        }
    }

    private static async Task<string?> KeyedClaimAsync(HttpClient http, ClusterTour tour, int host, string date, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/tours/{tour.TourId}/claims")
        {
            Content = JsonContent.Create(ClusterTour.Claim(date), options: Http.JsonOptions),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tour.Hosts[host].Token);
        request.Headers.Add("Idempotency-Key", key);
        using var response = await http.SendAsync(request);
        return response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK ? (await response.JsonAsync()).Str("claimId") : null;
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
