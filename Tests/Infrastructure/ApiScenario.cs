using System.Net;
using System.Text.Json;

namespace TourPlanner.Tests.Infrastructure;

/// <summary>A tour built through the HTTP API, with a token for every role.</summary>
public sealed class ApiScenario
{
    public required HttpClient Client { get; init; }
    public required string TourId { get; init; }
    public required string Slug { get; init; }
    public required string Organizer { get; init; }
    public required string OrganizerId { get; init; }
    public required string SpeakerId { get; init; }
    public required string Speaker { get; init; }
    public required string HostA { get; init; }
    public required string HostAId { get; init; }
    public required string HostB { get; init; }
    public required string HostBId { get; init; }
    public required string HostCId { get; init; }
    public required string ClaimA { get; init; }
    public required string StopA { get; init; }
    public required string EventA { get; init; }

    public static object TourBody(string name = "Fight Like Calero — Fight to Win", string zone = "America/New_York", string start = "2026-10-22", string end = "2026-11-15") => new
    {
        name, description = "A tour.", timeZone = zone, startDate = start, endDate = end,
        speakers = new[] { new { name = "Róger Calero", homeCity = "Newark", homeTimeZone = "America/New_York", homeLatitude = 40.7357, homeLongitude = -74.1724 } },
        rules = new { holdDays = 7, travelBufferMinutes = 90, minRestMinutes = 600, maxEventsPerDay = 3, blackoutDates = new Dictionary<string, string[]> { ["0"] = ["2026-11-03"] } },
    };

    public static object ClaimBody(string date = "2026-10-28", string city = "Chicago", string zone = "America/Chicago", double lat = 41.8781, double lon = -87.6298,
        string time = "19:00", bool isPublic = true, string title = "Public meeting: Defend immigrant workers") => new
    {
        city, country = "US", timeZone = zone, latitude = lat, longitude = lon, dates = new[] { date },
        venue = new { name = "Teamsters Hall", address = "300 S Ashland Ave, Chicago, IL" },
        events = new[] { new { title, start = $"{date}T{time}", durationMinutes = 120, @public = isPublic, description = "All welcome." } },
    };

    public static async Task<ApiScenario> CreateAsync(HttpClient client)
    {
        var created = await Ok(await client.SendAsync(HttpMethod.Post, "/api/tours", body: TourBody()), HttpStatusCode.Created);
        var id = created.Str("id");
        var organizer = created.Str("organizerToken");
        var speaker = created.GetProperty("speakers")[0];
        async Task<JsonElement> Invite(string name) => await Ok(await client.SendAsync(HttpMethod.Post, $"/api/tours/{id}/hosts", organizer,
            new { name, city = "Chicago", contactName = "Ana", contactEmail = "ana@example.org", contactPhone = "+1 312 555 0100" }), HttpStatusCode.Created);
        var a = await Invite("Teamsters Local 705");
        var b = await Invite("UFCW Local 789");
        var c = await Invite("Spare group");
        var claim = await Ok(await client.SendAsync(HttpMethod.Post, $"/api/tours/{id}/claims", a.Str("inviteToken"), ClaimBody()), HttpStatusCode.Created);
        return new ApiScenario
        {
            Client = client, TourId = id, Slug = created.Str("slug"), Organizer = organizer, OrganizerId = created.Str("organizerId"), SpeakerId = speaker.Str("id"), Speaker = speaker.Str("token"),
            HostA = a.Str("inviteToken"), HostAId = a.Str("hostId"), HostB = b.Str("inviteToken"), HostBId = b.Str("hostId"), HostCId = c.Str("hostId"),
            ClaimA = claim.Str("claimId"), StopA = claim.Str("stopId"), EventA = claim.GetProperty("events")[0].Str("eventId"),
        };
    }

    /// <summary>A new held claim by host A on a date nobody else holds.</summary>
    public async Task<(string ClaimId, string StopId)> FreshClaimAsync(string date)
    {
        var claim = await Ok(await Client.SendAsync(HttpMethod.Post, $"/api/tours/{TourId}/claims", HostA,
            ClaimBody(date, "St. Paul", "America/Chicago", 44.9537, -93.09)), HttpStatusCode.Created);
        return (claim.Str("claimId"), claim.Str("stopId"));
    }

    /// <summary>A second speaker with nothing booked, who can be removed.</summary>
    public async Task<string> ExtraSpeakerAsync() =>
        (await Ok(await Client.SendAsync(HttpMethod.Post, $"/api/tours/{TourId}/speakers", Organizer, new { name = "Extra", homeTimeZone = "America/Chicago" }), HttpStatusCode.Created)).Str("id");

    /// <summary>A new link of the spare host group, to revoke.</summary>
    public async Task<string> SpareLinkAsync() =>
        (await Ok(await Client.SendAsync(HttpMethod.Post, $"/api/tours/{TourId}/hosts/{HostCId}/links", Organizer), HttpStatusCode.OK)).Str("tokenId");

    /// <summary>The URL of the event of a fresh held claim by host A.</summary>
    public async Task<string> FreshEventUrlAsync(string date)
    {
        var claim = await Ok(await Client.SendAsync(HttpMethod.Post, $"/api/tours/{TourId}/claims", HostA,
            ClaimBody(date, "St. Paul", "America/Chicago", 44.9537, -93.09)), HttpStatusCode.Created);
        return $"/api/tours/{TourId}/stops/{claim.Str("stopId")}/events/{claim.GetProperty("events")[0].Str("eventId")}";
    }

    public async Task<JsonElement> ClaimsAsync() =>
        await Ok(await Client.SendAsync(HttpMethod.Get, $"/api/tours/{TourId}/claims", Organizer), HttpStatusCode.OK);

    public static async Task<JsonElement> Ok(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
