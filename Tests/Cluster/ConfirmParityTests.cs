using System.Net;
using System.Text.Json;
using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Cluster;

/// <summary>A silo started on its own applies the same confirm rules as one the Gateway co-hosts.</summary>
[Collection(MultiProcessCollection.Name)]
public sealed class ConfirmParityTests(PostgresClusterFixture cluster)
{
    [Fact]
    public async Task Confirm_answers_the_same_from_a_cohosted_silo_and_from_a_standalone_silo_behind_a_client_gateway()
    {
        await using var embedded = ClusterHost.OnSqlite();
        var cohosted = await embedded.StartGatewayAsync("cohosted", coHostSilo: true);

        var alone = await ScenarioAsync(cluster.GatewayA.Http);
        var together = await ScenarioAsync(cohosted.Http);

        Assert.Equal(alone, together);
        var shown = string.Join("\n", alone);
        Assert.True(alone[0].Status == 409, shown);
        Assert.Contains(alone[0].Codes, code => code.StartsWith("blackout", StringComparison.Ordinal));
        Assert.True(alone[1].Status == 200, shown);
        Assert.True(alone[2].Status == 409 && alone[2].Codes.Length > 0, shown);
    }

    /// <summary>A blackout date refused, an ordinary date confirmed, then a stop the speaker cannot reach in time refused.</summary>
    private static async Task<List<Answer>> ScenarioAsync(HttpClient http)
    {
        var tour = await ClusterTour.CreateAsync(http, 2, blackouts: [ClusterTour.Date(2)]);
        var log = new StormLog();
        var blackout = await log.ClaimAsync(http, tour, 0, ClusterTour.Date(2));
        var ordinary = await log.ClaimAsync(http, tour, 0, ClusterTour.Date(4));
        var answers = new List<Answer> { await ConfirmAsync(http, tour, blackout!.Value.ClaimId), await ConfirmAsync(http, tour, ordinary!.Value.ClaimId) };

        // At dawn in Los Angeles the morning after an evening in Chicago: no flight or drive makes it, nor the rest between.
        using var far = await http.SendAsync(HttpMethod.Post, $"/api/tours/{tour.TourId}/claims", tour.Hosts[1].Token,
            ClusterTour.Claim(ClusterTour.Date(5), city: "Los Angeles", zone: "America/Los_Angeles", lat: 34.0522, lon: -118.2437, time: "00:30"));
        var farClaim = await ApiScenario.Ok(far, HttpStatusCode.Created);
        answers.Add(await ConfirmAsync(http, tour, farClaim.Str("claimId")));
        return answers;
    }

    private static async Task<Answer> ConfirmAsync(HttpClient http, ClusterTour tour, string claimId)
    {
        using var response = await http.SendAsync(HttpMethod.Post, $"/api/tours/{tour.TourId}/claims/{claimId}/confirm", tour.Organizer);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var conflicts = body.TryGetProperty("conflicts", out var c) ? c.EnumerateArray().ToList() : [];
        return new Answer(
            (int)response.StatusCode,
            string.Join(",", conflicts.Select(x => x.Str("code"))).Split(',', StringSplitOptions.RemoveEmptyEntries),
            string.Join(" | ", conflicts.Select(x => x.Str("message"))));
    }

    private sealed record Answer(int Status, string[] Codes, string Messages)
    {
        public bool Equals(Answer? other) => other is not null && Status == other.Status && Codes.SequenceEqual(other.Codes) && Messages == other.Messages;

        public override int GetHashCode() => Status;

        public override string ToString() => $"{Status} [{string.Join(",", Codes)}] {Messages}";
    }
}
