using System.Net;
using System.Net.Http.Headers;
using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Cluster;

/// <summary>Two silos and two Gateways on one PostgreSQL behave as one service.</summary>
[Collection(MultiProcessCollection.Name)]
public sealed class PostgresClusterTests(PostgresClusterFixture cluster)
{
    [Fact]
    public async Task Five_hundred_concurrent_claims_through_two_gateways_keep_every_date_ranked_and_singly_confirmed()
    {
        const int dates = 20, hosts = 25;
        var tour = await ClusterTour.CreateAsync(cluster.GatewayA.Http, hosts);
        var log = new StormLog();
        var gateways = new[] { cluster.GatewayA.Http, cluster.GatewayB.Http };
        var confirms = new List<Task>();
        var gate = new SemaphoreSlim(40);
        var work = Enumerable.Range(0, dates * hosts).Select(async i =>
        {
            var (host, day) = (i / dates, i % dates);
            await gate.WaitAsync();
            try
            {
                var claimed = await log.ClaimAsync(gateways[i % 2], tour, host, ClusterTour.Date(day));
                // Race confirms with the storm: a claim that came first on its date is confirmed through both Gateways at
                // once, and so are the first hosts' claims whatever their rank (refused unless first).
                if (claimed is { } c && (c.Rank == 1 || host < 2))
                    lock (confirms) confirms.Add(Task.WhenAll(log.ConfirmAsync(gateways[0], tour, c.ClaimId), log.ConfirmAsync(gateways[1], tour, c.ClaimId)));
            }
            finally
            {
                gate.Release();
            }
        });
        await Task.WhenAll(work);
        await Task.WhenAll(confirms);

        Assert.Empty(log.ServerErrors);
        Assert.Empty(log.Unanswered);
        Assert.Equal(dates * hosts, log.Acknowledged.Count);
        Assert.All(log.Confirms, c => Assert.True(c.Status is 200 or 409, $"confirm answered {c.Status}"));
        var listed = await tour.ClaimsAsync(cluster.GatewayB.Http);
        Assert.Equal(dates * hosts, listed.Count);
        log.AssertLedgerConsistent(listed);
        Assert.Equal(dates, listed.Count(c => c.Status == "confirmed")); // every date got its one confirmed claim
    }

    [Fact]
    public async Task A_change_through_one_gateway_shows_at_once_in_the_other_gateways_feed_with_the_same_bytes_and_etag()
    {
        var a = cluster.GatewayA.Http;
        var b = cluster.GatewayB.Http;
        var tour = await ClusterTour.CreateAsync(a, 1);
        var feed = $"/tours/{tour.Slug}/calendar.ics";
        var before = await GetAsync(b, feed);

        var log = new StormLog();
        var claim = await log.ClaimAsync(a, tour, 0, ClusterTour.Date(3));
        Assert.Equal(200, await log.ConfirmAsync(a, tour, claim!.Value.ClaimId));

        var fromB = await GetAsync(b, feed);
        var fromA = await GetAsync(a, feed);
        Assert.NotEqual(before.ETag, fromB.ETag);
        Assert.Contains("Public meeting", fromB.Body);
        // Links in a feed come from Gateway:PublicBaseUrl, the same on both, never from the Host each was reached at.
        Assert.Equal(fromA.Body, fromB.Body);
        Assert.Equal(fromA.ETag, fromB.ETag);
        foreach (var http in new[] { a, b })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, feed);
            request.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Parse(fromA.ETag));
            using var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        }
    }

    [Fact]
    public async Task Logs_carry_one_line_per_request_and_never_a_token()
    {
        var gateway = cluster.GatewayA;
        var tour = await ClusterTour.CreateAsync(gateway.Http, 1);
        var log = new StormLog();
        var claim = await log.ClaimAsync(gateway.Http, tour, 0, ClusterTour.Date(5));
        Assert.NotNull(claim);
        var marker = "/api/tours/" + tour.TourId + "/claims";
        // The claim's own line is written as its response completes and read from the process's output a moment later:
        // wait for it, so it is not counted among the three requests below.
        await Eventually.ValueAsync(() => Task.FromResult(gateway.Process.Output.Any(l => l.Contains("Method: POST", StringComparison.Ordinal) && l.Contains(marker, StringComparison.Ordinal))), seen => seen, 10);
        var linesBefore = gateway.Process.Output.Count;
        using (var list = await gateway.Http.SendAsync(HttpMethod.Get, marker, tour.Organizer)) Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        using (var denied = await gateway.Http.SendAsync(HttpMethod.Get, marker, "not-a-token")) Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);
        using (var feed = await gateway.Http.GetAsync($"/tours/{tour.Slug}/private.ics?token={Uri.EscapeDataString(tour.Organizer)}")) Assert.Equal(HttpStatusCode.OK, feed.StatusCode);

        // Other tests of the collection share this Gateway, so only lines about this tour's three requests are counted.
        bool Ours(string l) => l.Contains(tour.TourId, StringComparison.Ordinal) || l.Contains(tour.Slug, StringComparison.Ordinal);
        var lines = await Eventually.ValueAsync(() => Task.FromResult(gateway.Process.Output.Skip(linesBefore).Where(Ours).ToList()), l => l.Count >= 3, 10);
        var all = AllOutput();
        foreach (var secret in new[] { tour.Organizer, tour.Hosts[0].Token })
            Assert.DoesNotContain(all, line => line.Contains(secret, StringComparison.Ordinal));
        Assert.True(lines.Count(l => l.Contains("info:", StringComparison.Ordinal)) == 3,
            $"expected one info line per request, got:\n{string.Join("\n", lines)}");
        Assert.DoesNotContain(all, line => line.Contains("info: Orleans", StringComparison.Ordinal) || line.Contains("info: Polly", StringComparison.Ordinal));
    }

    private List<string> AllOutput() => [.. cluster.GatewayA.Process.Output, .. cluster.GatewayB.Process.Output];

    private static async Task<(string ETag, string Body)> GetAsync(HttpClient http, string url)
    {
        using var response = await http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (response.Headers.ETag!.ToString(), await response.Content.ReadAsStringAsync());
    }
}
