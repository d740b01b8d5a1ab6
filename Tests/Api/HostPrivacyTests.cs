using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Api;

/// <summary>
/// What one host group can read of others: times and cities where a conflict needs them, never another stop's titles,
/// descriptions, venue, private events or contacts, nor why a speaker is unavailable. Another group's stops carry
/// unique markers; host group A then calls every endpoint its link can reach, with many dates (a whole day claimed and
/// released among them), in both languages, and no answer may hold a marker.
/// </summary>
[Collection(GatewayCollection.Name)]
public class HostPrivacyTests(GatewayFactory factory)
{
    private const string Marker = "privmark";
    private static readonly string[] Languages = ["en", "es"];

    private sealed class Tour
    {
        public required HttpClient Client { get; init; }
        public required string Id { get; init; }
        public required string Slug { get; init; }
        public required string Organizer { get; init; }
        public required string SpeakerId { get; init; }
        public required string HostA { get; init; }
        public required string HostAId { get; init; }
        public required string HostB { get; init; }
        public required string HostBId { get; init; }
        public required string StopBConfirmed { get; init; }
        public required string StopBHeld { get; init; }
        public required string ClaimBHeld { get; init; }
        public required string StopAConfirmed { get; init; }
        public required string EventAConfirmed { get; init; }
        /// <summary>Ids host A must never read: B's private events, B's held claim, stop and events, B's id.</summary>
        public required List<string> Secrets { get; init; }
        /// <summary>Every answer host A got, labelled.</summary>
        public List<(string Label, string Body)> Read { get; } = [];
    }

    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpClient client, HttpMethod method, string url, string? token,
        object? body = null, string? language = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (language is not null) request.Headers.TryAddWithoutValidation("Accept-Language", language);
        if (body is not null) request.Content = JsonContent.Create(body, options: Http.JsonOptions);
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Calls as host A and keeps what came back.</summary>
    private static async Task<(HttpStatusCode Status, JsonElement Json)> AsHostAAsync(Tour t, HttpMethod method, string url, object? body = null,
        string? language = null, string? token = null)
    {
        var (status, text) = await SendAsync(t.Client, method, url, token ?? t.HostA, body, language);
        t.Read.Add(($"{method} {url} [{language ?? "-"}] → {(int)status}", text));
        JsonElement json = default;
        if (text.Length > 0 && text.TrimStart()[0] is '{' or '[') json = JsonDocument.Parse(text).RootElement.Clone();
        return (status, json);
    }

    private static object Event(string title, string start, int minutes, bool isPublic, string? description = null) =>
        new { title, start, durationMinutes = minutes, @public = isPublic, description };

    private static object Claim(string city, string zone, double lat, double lon, string[] dates, object[] events, string venue = "Hall", string address = "1 Main St") =>
        new { city, country = "US", timeZone = zone, latitude = lat, longitude = lon, dates, venue = new { name = venue, address }, events };

    private static object Denver(string date, params object[] events) => Claim("Denver", "America/Denver", 39.7392, -104.9903, [date], events);
    private static object Chicago(string[] dates, params object[] events) => Claim("Chicago", "America/Chicago", 41.8781, -87.6298, dates, events);

    private async Task<Tour> TourAsync()
    {
        var client = factory.CreateClient();
        async Task<JsonElement> Ok(HttpMethod method, string url, string? token, object? body, HttpStatusCode expected = HttpStatusCode.Created) =>
            await ApiScenario.Ok(await client.SendAsync(method, url, token, body), expected);

        var created = await Ok(HttpMethod.Post, "/api/tours", null, new
        {
            name = "Fight Like Calero", timeZone = "America/Denver", startDate = "2026-10-22", endDate = "2026-11-15",
            organizerEmail = "privmark-organizer@example.org",
            speakers = new[] { new { name = "Róger Calero", homeCity = "Newark", homeTimeZone = "America/New_York", homeLatitude = 40.7357, homeLongitude = -74.1724, email = "privmark-speaker@example.org" } },
            rules = new { blackoutDates = new Dictionary<string, string[]> { ["0"] = ["2026-11-03"] } },
        });
        var id = created.Str("id");
        var organizer = created.Str("organizerToken");
        var a = await Ok(HttpMethod.Post, $"/api/tours/{id}/hosts", organizer, new { name = "Teamsters Local 705", city = "Chicago" });
        var b = await Ok(HttpMethod.Post, $"/api/tours/{id}/hosts", organizer, new
        {
            name = "Privmark Defense Committee", city = "Denver", contactName = "Privmark Contact", contactEmail = "privmark-b@example.org", contactPhone = "555-PRIVMARK",
        });
        var hostB = b.Str("inviteToken");

        // B's confirmed Denver stop: a public rally (its title, venue and address are public once confirmed) and two private events.
        var bConfirmed = await Ok(HttpMethod.Post, $"/api/tours/{id}/claims", hostB, Claim("Denver", "America/Denver", 39.7392, -104.9903, ["2026-10-28"],
        [
            Event("PRIVMARK breakfast with the lawyers", "2026-10-28T06:00", 60, false, "PRIVMARK hotel room 412"),
            Event("Rally for Calero", "2026-10-28T19:00", 120, true, "Everyone welcome."),
            Event("PRIVMARK lawyer meeting", "2026-10-28T22:00", 60, false, "PRIVMARK immigration court strategy"),
        ], venue: "Union Hall", address: "1 Union Sq, Denver"));
        await Ok(HttpMethod.Post, $"/api/tours/{id}/claims/{bConfirmed.Str("claimId")}/confirm", organizer, null, HttpStatusCode.OK);
        // B's held claim: nothing of it is public.
        var bHeld = await Ok(HttpMethod.Post, $"/api/tours/{id}/claims", hostB, Claim("Denver", "America/Denver", 39.7392, -104.9903, ["2026-11-05"],
        [
            Event("PRIVMARK house meeting", "2026-11-05T18:00", 90, false, "PRIVMARK at the safe house"),
            Event("PRIVMARK town hall", "2026-11-05T20:00", 60, true, "PRIVMARK description"),
        ], venue: "PRIVMARK venue", address: "PRIVMARK 77 Secret Lane"));
        // A's own confirmed stop the day before B's, so changing it runs into B's early private event.
        var aConfirmed = await Ok(HttpMethod.Post, $"/api/tours/{id}/claims", a.Str("inviteToken"), Denver("2026-10-27", Event("Union lunch", "2026-10-27T12:00", 60, true)));
        await Ok(HttpMethod.Post, $"/api/tours/{id}/claims/{aConfirmed.Str("claimId")}/confirm", organizer, null, HttpStatusCode.OK);

        var secrets = new List<string> { b.Str("hostId"), bHeld.Str("claimId"), bHeld.Str("stopId") };
        secrets.AddRange(bHeld.GetProperty("events").EnumerateArray().Select(e => e.Str("eventId")));
        var bEvents = bConfirmed.GetProperty("events").EnumerateArray().ToList();
        secrets.AddRange(bEvents.Where(e => e.Str("title").StartsWith("PRIVMARK", StringComparison.Ordinal)).Select(e => e.Str("eventId")));
        return new Tour
        {
            Client = client, Id = id, Slug = created.Str("slug"), Organizer = organizer, SpeakerId = created.GetProperty("speakers")[0].Str("id"),
            HostA = a.Str("inviteToken"), HostAId = a.Str("hostId"), HostB = hostB, HostBId = b.Str("hostId"),
            StopBConfirmed = bConfirmed.Str("stopId"), StopBHeld = bHeld.Str("stopId"), ClaimBHeld = bHeld.Str("claimId"),
            StopAConfirmed = aConfirmed.Str("stopId"), EventAConfirmed = aConfirmed.GetProperty("events")[0].Str("eventId"), Secrets = secrets,
        };
    }

    [Fact]
    public async Task AHostGroup_ReadsNoOtherStopsPrivateDetail_OnAnyEndpointItsLinkReaches()
    {
        var t = await TourAsync();
        var api = $"/api/tours/{t.Id}";

        // Claims on many dates and times, each answered with what confirming it would run into, then given up.
        var claims = new (string Label, object Body)[]
        {
            ("whole day of B's stop", Denver("2026-10-28", Event("All day", "2026-10-28T00:00", 1439, true))),
            ("over B's private breakfast", Denver("2026-10-28", Event("Breakfast too", "2026-10-28T06:30", 30, false))),
            ("after B's lawyer meeting", Chicago(["2026-10-28"], Event("Late", "2026-10-28T23:30", 60, true))),
            ("early next morning", Denver("2026-10-29", Event("Early", "2026-10-29T03:00", 60, true))),
            ("a day's drive away next morning", Chicago(["2026-10-29"], Event("Early", "2026-10-29T03:00", 60, true))),
            ("two days around B", Chicago(["2026-10-28", "2026-10-29"], Event("One", "2026-10-28T20:00", 60, true), Event("Two", "2026-10-29T05:00", 60, false))),
            ("the night before", Denver("2026-10-27", Event("Night", "2026-10-27T23:00", 60, true))),
            ("a blackout date", Chicago(["2026-11-03"], Event("Blackout", "2026-11-03T19:00", 60, true))),
            ("B's held date", Denver("2026-11-05", Event("Same night", "2026-11-05T18:30", 60, true))),
        };
        var redacted = new Dictionary<string, bool> { ["en"] = false, ["es"] = false };
        string? template = null;
        foreach (var language in Languages)
            foreach (var (label, body) in claims)
            {
                var (status, claim) = await AsHostAAsync(t, HttpMethod.Post, $"{api}/claims", body, language);
                Assert.True(status == HttpStatusCode.Created, $"{label}: {(int)status}");
                var text = claim.GetRawText();
                redacted[language] |= text.Contains(language == "es" ? "otro evento en Denver" : "another event in Denver", StringComparison.Ordinal);
                if (label == "early next morning") template = claim.Str("claimId");
                await AsHostAAsync(t, HttpMethod.Post, $"{api}/claims/{claim.Str("claimId")}/release", null, language);
            }
        Assert.True(redacted["en"] && redacted["es"], "a claim over B's day should name B's events as another event in Denver, in both languages");

        foreach (var language in Languages)
        {
            // Which dates would work, from A's claims and from a place and hours alone (a whole day among them).
            await AsHostAAsync(t, HttpMethod.Get, $"{api}/suggestions?from=2026-10-22&to=2026-11-15", null, language);
            await AsHostAAsync(t, HttpMethod.Get, $"{api}/suggestions?hostId={t.HostAId}&claimId={template}&from=2026-10-22&to=2026-11-15", null, language);
            foreach (var (start, minutes) in new[] { ("00:00", 1439), ("06:15", 30), ("23:30", 30), ("03:00", 60) })
                await AsHostAAsync(t, HttpMethod.Get,
                    $"{api}/suggestions?hostId={t.HostAId}&from=2026-10-22&to=2026-11-15&timeZone=America/Chicago&latitude=41.8781&longitude=-87.6298&start={start}&durationMinutes={minutes}",
                    null, language);

            // Changing its own confirmed stop the night before B's breakfast: refused with conflicts a host may read.
            await AsHostAAsync(t, HttpMethod.Patch, $"{api}/stops/{t.StopAConfirmed}/events/{t.EventAConfirmed}", new { start = "2026-10-27T21:00" }, language);
            await AsHostAAsync(t, HttpMethod.Post, $"{api}/stops/{t.StopAConfirmed}/events", Event("Late drinks", "2026-10-27T23:00", 60, false), language);
            await AsHostAAsync(t, HttpMethod.Patch, $"{api}/stops/{t.StopAConfirmed}/venue", new { name = "Another hall" }, language);
            await AsHostAAsync(t, HttpMethod.Delete, $"{api}/stops/{t.StopAConfirmed}/events/{t.EventAConfirmed}", null, language);

            // Everything else its link can reach, and what it cannot.
            foreach (var url in new[]
            {
                api, $"/api/slugs/{t.Slug}", $"{api}/claims", $"{api}/hosts", $"{api}/hosts/{t.HostAId}", $"{api}/hosts/{t.HostBId}",
                $"{api}/stops/{t.StopAConfirmed}", $"{api}/stops/{t.StopBConfirmed}", $"{api}/stops/{t.StopBHeld}",
                $"{api}/itinerary?speakerId={t.SpeakerId}", $"{api}/conflicts", $"{api}/organizers", $"{api}/links", $"{api}/history",
                $"/tours/{t.Slug}/calendar.ics", $"/tours/{t.Slug}/calendar.ics?city=Denver", $"/tours/{t.Slug}/speakers/{t.SpeakerId}/calendar.ics",
                $"/tours/{t.Slug}/private.ics?token={t.HostA}", $"/tours/{t.Slug}/atom.xml", $"/tours/{t.Slug}/atom.xml?lang=es",
                $"/t/{t.Slug}", $"/t/{t.Slug}?lang=es", $"/host/{t.Id}/{t.HostAId}",
            })
                await AsHostAAsync(t, HttpMethod.Get, url, null, language);
            foreach (var secret in t.Secrets)
                await AsHostAAsync(t, HttpMethod.Get, $"/tours/{t.Slug}/events/{secret}.ics?token={t.HostA}", null, language);
            await AsHostAAsync(t, HttpMethod.Patch, $"{api}/hosts/{t.HostAId}", new { contactName = "Ana" }, language);
            await AsHostAAsync(t, HttpMethod.Patch, $"{api}/hosts/{t.HostBId}", new { contactName = "Ana" }, language);
            await AsHostAAsync(t, HttpMethod.Post, $"{api}/claims/{t.ClaimBHeld}/release", null, language);
            await AsHostAAsync(t, HttpMethod.Post, $"{api}/claims/{t.ClaimBHeld}/confirm", null, language);
            await AsHostAAsync(t, HttpMethod.Patch, $"{api}/stops/{t.StopBHeld}/venue", new { name = "Mine now" }, language);
            await AsHostAAsync(t, HttpMethod.Post, $"{api}/stops/{t.StopBHeld}/events", Event("Sneaky", "2026-11-05T10:00", 30, true), language);
            await AsHostAAsync(t, HttpMethod.Post, $"{api}/stops/{t.StopBConfirmed}/cancel", null, language);
        }

        Assert.True(t.Read.Count > 100, $"only {t.Read.Count} answers read");
        Assert.Contains(t.Read, r => r.Label.Contains("/events/") && r.Label.Contains("PATCH") && r.Label.EndsWith("409", StringComparison.Ordinal));
        foreach (var (label, body) in t.Read)
        {
            Assert.False(body.Contains(Marker, StringComparison.OrdinalIgnoreCase), $"{label} shows another group's private detail:\n{body}");
            foreach (var secret in t.Secrets)
                Assert.False(body.Contains(secret, StringComparison.Ordinal), $"{label} shows another group's id {secret}:\n{body}");
        }

        // The same question from the organizer names B's private events: the markers are there to be hidden.
        var (_, organizerView) = await SendAsync(t.Client, HttpMethod.Get, $"{api}/suggestions?hostId={t.HostAId}&claimId={template}&from=2026-10-22&to=2026-11-15", t.Organizer);
        Assert.Contains("PRIVMARK lawyer meeting", organizerView);
    }

    [Fact]
    public async Task AHostGroup_IsToldTheSpeakerIsUnavailable_NeverWhy_AndSeesItsOwnEventsInFull()
    {
        var t = await TourAsync();
        var (_, claim) = await AsHostAAsync(t, HttpMethod.Post, $"/api/tours/{t.Id}/claims", Chicago(["2026-11-03"], Event("Our rally", "2026-11-03T19:00", 60, true)), "en");
        var blackout = Assert.Single(claim.GetProperty("conflicts").EnumerateArray(), c => c.Str("code") == "blackout-date");
        Assert.Equal("'Our rally' in Chicago is on Tue 3 Nov 2026, a date the speaker is not available.", blackout.Str("message"));
        Assert.StartsWith("«Our rally» en Chicago es el mar 3 nov 2026", blackout.Str("messageEs"));

        var (_, whole) = await AsHostAAsync(t, HttpMethod.Post, $"/api/tours/{t.Id}/claims", Denver("2026-10-28", Event("All day", "2026-10-28T00:00", 1439, true)), "en");
        var conflicts = whole.GetProperty("conflicts").EnumerateArray().ToList();
        var mine = whole.GetProperty("events")[0].Str("eventId");
        Assert.Contains(conflicts, c => c.Str("message").Contains("another event in Denver (Wed 28 Oct 22:00 MDT–Wed 28 Oct 23:00 MDT)", StringComparison.Ordinal));
        Assert.Contains(conflicts, c => c.Str("message").Contains("'All day' in Denver", StringComparison.Ordinal));
        // Only its own event ids; how many events the speaker has that day is not its business.
        Assert.All(conflicts, c => Assert.All(c.GetProperty("eventIds").EnumerateArray(), id => Assert.Equal(mine, id.GetString())));
        var crowded = Assert.Single(conflicts, c => c.Str("code") == "too-many-events");
        Assert.Equal("The speaker would have too many events on Wed 28 Oct 2026; the tour allows at most 3 a day.", crowded.Str("message"));
    }
}
