using System.Net;
using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Api;

/// <summary>Every endpoint × role: who may do what, checked through HTTP.</summary>
[Collection(GatewayCollection.Name)]
public class AccessMatrixTests(GatewayFactory factory)
{
    public enum Caller { Anonymous, UnknownToken, Organizer, Speaker, OwningHost, OtherHost }

    private sealed record Endpoint(HttpMethod Method, Func<ApiScenario, Task<string>> Url, Func<ApiScenario, object?> Body, int[] Expected);

    // Expected status per caller, in the order of the Caller enum.
    private static readonly Dictionary<string, Endpoint> Endpoints = new()
    {
        ["GetTour"] = new(HttpMethod.Get, s => Url($"/api/tours/{s.TourId}"), _ => null, [200, 401, 200, 200, 200, 200]),
        ["GetTourBySlug"] = new(HttpMethod.Get, s => Url($"/api/slugs/{s.Slug}"), _ => null, [200, 200, 200, 200, 200, 200]),
        ["CreateTour"] = new(HttpMethod.Post, _ => Url("/api/tours"), _ => ApiScenario.TourBody("Another tour"), [201, 201, 201, 201, 201, 201]),
        ["InviteHost"] = new(HttpMethod.Post, s => Url($"/api/tours/{s.TourId}/hosts"), _ => new { name = "New group" }, [401, 401, 201, 403, 403, 403]),
        ["ListHosts"] = new(HttpMethod.Get, s => Url($"/api/tours/{s.TourId}/hosts"), _ => null, [401, 401, 200, 403, 403, 403]),
        ["GetHost"] = new(HttpMethod.Get, s => Url($"/api/tours/{s.TourId}/hosts/{s.HostAId}"), _ => null, [401, 401, 200, 403, 200, 403]),
        ["RotateHostToken"] = new(HttpMethod.Post, s => Url($"/api/tours/{s.TourId}/hosts/{s.HostCId}/token"), _ => null, [401, 401, 200, 403, 403, 403]),
        ["RotateSpeakerToken"] = new(HttpMethod.Post, s => Url($"/api/tours/{s.TourId}/speakers/{s.SpeakerId}/token"), _ => null, [401, 401, 200, 403, 403, 403]),
        ["RotateOrganizerToken"] = new(HttpMethod.Post, s => Url($"/api/tours/{s.TourId}/tokens/organizer"), _ => null, [401, 401, 200, 403, 403, 403]),
        ["SubmitClaim"] = new(HttpMethod.Post, s => Url($"/api/tours/{s.TourId}/claims"), _ => ApiScenario.ClaimBody("2026-11-10"), [401, 401, 403, 403, 201, 201]),
        ["ListClaims"] = new(HttpMethod.Get, s => Url($"/api/tours/{s.TourId}/claims"), _ => null, [401, 401, 200, 403, 200, 200]),
        ["ConfirmClaim"] = new(HttpMethod.Post, s => Url($"/api/tours/{s.TourId}/claims/{s.ClaimA}/confirm"), _ => null, [401, 401, 200, 403, 403, 403]),
        ["ReleaseClaim"] = new(HttpMethod.Post, async s => $"/api/tours/{s.TourId}/claims/{(await s.FreshClaimAsync("2026-11-12")).ClaimId}/release", _ => null, [401, 401, 200, 403, 200, 403]),
        ["GetStop"] = new(HttpMethod.Get, s => Url($"/api/tours/{s.TourId}/stops/{s.StopA}"), _ => null, [401, 401, 200, 403, 200, 403]),
        ["AddEvent"] = new(HttpMethod.Post, s => Url($"/api/tours/{s.TourId}/stops/{s.StopA}/events"),
            _ => new { title = "Press conference", start = "2026-10-28T11:00", durationMinutes = 45, @public = false }, [401, 401, 201, 403, 201, 403]),
        ["UpdateEvent"] = new(HttpMethod.Patch, s => Url($"/api/tours/{s.TourId}/stops/{s.StopA}/events/{s.EventA}"), _ => new { title = "Renamed" }, [401, 401, 200, 403, 200, 403]),
        ["CancelStop"] = new(HttpMethod.Post, async s => $"/api/tours/{s.TourId}/stops/{(await s.FreshClaimAsync("2026-11-13")).StopId}/cancel", _ => null, [401, 401, 200, 403, 403, 403]),
        ["GetItinerary"] = new(HttpMethod.Get, s => Url($"/api/tours/{s.TourId}/itinerary?speakerId={s.SpeakerId}"), _ => null, [401, 401, 200, 200, 403, 403]),
        ["SuggestDates"] = new(HttpMethod.Get, s => Url($"/api/tours/{s.TourId}/suggestions?hostId={s.HostAId}&from=2026-10-27&to=2026-10-31"), _ => null, [401, 401, 200, 403, 200, 403]),
        ["GetConflicts"] = new(HttpMethod.Get, s => Url($"/api/tours/{s.TourId}/conflicts"), _ => null, [401, 401, 200, 403, 403, 403]),
        ["UpdateTour"] = new(HttpMethod.Patch, s => Url($"/api/tours/{s.TourId}"), _ => new { description = "Changed." }, [401, 401, 200, 403, 403, 403]),
        ["AddSpeaker"] = new(HttpMethod.Post, s => Url($"/api/tours/{s.TourId}/speakers"), _ => new { name = "Second speaker", homeTimeZone = "America/Chicago" }, [401, 401, 201, 403, 403, 403]),
        ["UpdateSpeaker"] = new(HttpMethod.Patch, s => Url($"/api/tours/{s.TourId}/speakers/{s.SpeakerId}"), _ => new { name = "Renamed speaker" }, [401, 401, 200, 403, 403, 403]),
        ["RemoveSpeaker"] = new(HttpMethod.Delete, async s => $"/api/tours/{s.TourId}/speakers/{await s.ExtraSpeakerAsync()}", _ => null, [401, 401, 200, 403, 403, 403]),
        ["IssueSpeakerLink"] = new(HttpMethod.Post, s => Url($"/api/tours/{s.TourId}/speakers/{s.SpeakerId}/links"), _ => null, [401, 401, 200, 403, 403, 403]),
        ["ListOrganizers"] = new(HttpMethod.Get, s => Url($"/api/tours/{s.TourId}/organizers"), _ => null, [401, 401, 200, 403, 403, 403]),
        ["AddOrganizer"] = new(HttpMethod.Post, s => Url($"/api/tours/{s.TourId}/organizers"), _ => new { name = "Co-organizer", language = "es" }, [401, 401, 201, 403, 403, 403]),
        ["IssueOrganizerLink"] = new(HttpMethod.Post, s => Url($"/api/tours/{s.TourId}/organizers/{s.OrganizerId}/links"), _ => null, [401, 401, 200, 403, 403, 403]),
        ["ListLinks"] = new(HttpMethod.Get, s => Url($"/api/tours/{s.TourId}/links"), _ => null, [401, 401, 200, 403, 403, 403]),
        ["RevokeLink"] = new(HttpMethod.Delete, async s => $"/api/tours/{s.TourId}/links/{await s.SpareLinkAsync()}", _ => null, [401, 401, 200, 403, 403, 403]),
        ["History"] = new(HttpMethod.Get, s => Url($"/api/tours/{s.TourId}/history"), _ => null, [401, 401, 200, 403, 403, 403]),
        ["UpdateHost"] = new(HttpMethod.Patch, s => Url($"/api/tours/{s.TourId}/hosts/{s.HostAId}"), _ => new { language = "es" }, [401, 401, 200, 403, 200, 403]),
        ["IssueHostLink"] = new(HttpMethod.Post, s => Url($"/api/tours/{s.TourId}/hosts/{s.HostCId}/links"), _ => null, [401, 401, 200, 403, 403, 403]),
        ["RemoveEvent"] = new(HttpMethod.Delete, async s => await s.FreshEventUrlAsync("2026-11-14"), _ => null, [401, 401, 200, 403, 200, 403]),
        ["ChangeVenue"] = new(HttpMethod.Patch, s => Url($"/api/tours/{s.TourId}/stops/{s.StopA}/venue"), _ => new { name = "Another hall" }, [401, 401, 200, 403, 200, 403]),
    };

    public static IEnumerable<object[]> Cases() =>
        from e in Endpoints.Keys from c in Enum.GetValues<Caller>() select new object[] { e, c };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Endpoint_AnswersEachCallerAsDesigned(string endpoint, Caller caller)
    {
        var s = await ApiScenario.CreateAsync(factory.CreateClient());
        var e = Endpoints[endpoint];
        var token = caller switch
        {
            Caller.UnknownToken => "not-a-token-of-this-tour-0123456789abcdefghijklmnop",
            Caller.Organizer => s.Organizer,
            Caller.Speaker => s.Speaker,
            Caller.OwningHost => s.HostA,
            Caller.OtherHost => s.HostB,
            _ => null,
        };
        var response = await s.Client.SendAsync(e.Method, await e.Url(s), token, e.Body(s));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == e.Expected[(int)caller], $"{endpoint} as {caller}: expected {e.Expected[(int)caller]}, got {(int)response.StatusCode}: {body}");
        if ((int)response.StatusCode >= 400)
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
            Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task AnyoneAsksForAMissingTour_Gets404()
    {
        var client = factory.CreateClient();
        var response = await client.SendAsync(HttpMethod.Get, "/api/tours/t_doesnotexist");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static Task<string> Url(string url) => Task.FromResult(url);
}
