using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Cluster;

/// <summary>A tour created over HTTP with many host groups, for storms of claims from several Gateways.</summary>
public sealed record ClusterTour(string TourId, string Slug, string Organizer, IReadOnlyList<(string HostId, string Token)> Hosts)
{
    public static readonly DateOnly FirstDate = new(2027, 3, 1);

    public static string Date(int day) => FirstDate.AddDays(day).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    public static async Task<ClusterTour> CreateAsync(HttpClient http, int hosts, string[]? blackouts = null)
    {
        var created = await ApiScenario.Ok(await http.SendAsync(HttpMethod.Post, "/api/tours", body: new
        {
            name = "Cluster tour", timeZone = "America/Chicago", startDate = Date(0), endDate = Date(60),
            speakers = new[] { new { name = "Róger Calero", homeCity = "Chicago", homeTimeZone = "America/Chicago", homeLatitude = 41.8781, homeLongitude = -87.6298 } },
            rules = new { holdDays = 7, blackoutDates = new Dictionary<string, string[]> { ["0"] = blackouts ?? [] } },
        }), HttpStatusCode.Created);
        var id = created.Str("id");
        var organizer = created.Str("organizerToken");
        var invited = new List<(string, string)>();
        for (var i = 0; i < hosts; i++)
        {
            var host = await ApiScenario.Ok(await http.SendAsync(HttpMethod.Post, $"/api/tours/{id}/hosts", organizer,
                new { name = $"Local {i}", city = "Chicago", contactEmail = $"local{i}@example.org" }), HttpStatusCode.Created);
            invited.Add((host.Str("hostId"), host.Str("inviteToken")));
        }

        return new ClusterTour(id, created.Str("slug"), organizer, invited);
    }

    /// <summary>One public evening event in Chicago on <paramref name="date"/>.</summary>
    public static object Claim(string date, string title = "Public meeting", string city = "Chicago", string zone = "America/Chicago",
        double lat = 41.8781, double lon = -87.6298, string time = "19:00") =>
        ApiScenario.ClaimBody(date, city, zone, lat, lon, time, isPublic: true, title);

    public async Task<List<ClaimRow>> ClaimsAsync(HttpClient http)
    {
        var list = await ApiScenario.Ok(await http.SendAsync(HttpMethod.Get, $"/api/tours/{TourId}/claims", Organizer), HttpStatusCode.OK);
        return [.. list.GetProperty("claims").EnumerateArray().Select(ClaimRow.From)];
    }
}

/// <summary>A claim as the organizer's list shows it.</summary>
public sealed record ClaimRow(string ClaimId, string HostId, string Date, int Rank, string Status, DateTimeOffset? ExpiresAt)
{
    public static ClaimRow From(JsonElement e) => new(
        e.Str("claimId"), e.Str("hostId"), e.GetProperty("dates")[0].GetString()!, e.GetProperty("rank").GetInt32(), e.Str("status"),
        e.TryGetProperty("expiresAt", out var at) && at.ValueKind != JsonValueKind.Null ? at.GetDateTimeOffset() : null);
}

/// <summary>What the storm's requests got back: every acknowledged claim, and anything a server answered with 5xx.</summary>
public sealed class StormLog
{
    public ConcurrentDictionary<string, (string HostId, string Date)> Acknowledged { get; } = new();
    public ConcurrentBag<string> ServerErrors { get; } = [];
    public ConcurrentBag<string> Unanswered { get; } = [];
    public ConcurrentBag<(string ClaimId, int Status)> Confirms { get; } = [];

    /// <summary>Submits a claim; records it when acknowledged (201). Returns the claim id and rank, or null.</summary>
    public async Task<(string ClaimId, int Rank)?> ClaimAsync(HttpClient http, ClusterTour tour, int host, string date)
    {
        var (hostId, token) = tour.Hosts[host];
        try
        {
            using var response = await http.SendAsync(HttpMethod.Post, $"/api/tours/{tour.TourId}/claims", token, ClusterTour.Claim(date));
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.Created)
            {
                var json = JsonDocument.Parse(body).RootElement;
                var claimId = json.Str("claimId");
                Acknowledged[claimId] = (hostId, date);
                return (claimId, json.GetProperty("rank").GetInt32());
            }

            if ((int)response.StatusCode >= 500) ServerErrors.Add($"claim {date} by {hostId}: {(int)response.StatusCode} {body}");
            return null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            Unanswered.Add($"claim {date} by {hostId}: {e.GetType().Name}");
            return null;
        }
    }

    public async Task<int?> ConfirmAsync(HttpClient http, ClusterTour tour, string claimId)
    {
        try
        {
            using var response = await http.SendAsync(HttpMethod.Post, $"/api/tours/{tour.TourId}/claims/{claimId}/confirm", tour.Organizer);
            var status = (int)response.StatusCode;
            Confirms.Add((claimId, status));
            if (status >= 500) ServerErrors.Add($"confirm {claimId}: {status} {await response.Content.ReadAsStringAsync()}");
            return status;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            Unanswered.Add($"confirm {claimId}: {e.GetType().Name}");
            return null;
        }
    }

    /// <summary>The ledger's promises, read back from the organizer's list.</summary>
    public void AssertLedgerConsistent(IReadOnlyList<ClaimRow> listed)
    {
        Assert.Equal(listed.Count, listed.Select(c => c.ClaimId).Distinct().Count()); // no claim twice
        var missing = Acknowledged.Keys.Except(listed.Select(c => c.ClaimId)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} acknowledged claims are not listed: {string.Join(", ", missing.Take(5))}");
        // Each (host, date) was sent once, so a listed duplicate would be a write applied twice.
        var doubled = listed.GroupBy(c => (c.HostId, c.Date)).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(doubled.Count == 0, $"claims stored twice: {string.Join(", ", doubled.Take(5))}");
        foreach (var date in listed.GroupBy(c => c.Date))
        {
            var active = date.Where(c => c.Status is "held" or "confirmed").ToList();
            Assert.Equal(Enumerable.Range(1, active.Count), active.Select(c => c.Rank).Order());
            Assert.True(active.Count(c => c.Status == "confirmed") <= 1, $"{date.Key} has more than one confirmed claim");
            Assert.All(active.Where(c => c.Status == "confirmed"), c => Assert.Equal(1, c.Rank));
        }
    }
}
