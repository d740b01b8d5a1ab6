using System.Net;
using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Pages;

/// <summary>A tour built through the API for a page test, with two invited host groups and no claims yet.</summary>
public sealed record PagesTour(HttpClient Api, string TourId, string Slug, string Organizer, string SpeakerId, string Speaker,
    string HostAId, string HostA, string HostBId, string HostB)
{
    public static async Task<PagesTour> CreateAsync(HttpClient api)
    {
        var created = await ApiScenario.Ok(await api.SendAsync(HttpMethod.Post, "/api/tours", body: ApiScenario.TourBody()), HttpStatusCode.Created);
        var id = created.Str("id");
        var organizer = created.Str("organizerToken");
        async Task<(string Id, string Token)> Invite(string name)
        {
            var host = await ApiScenario.Ok(await api.SendAsync(HttpMethod.Post, $"/api/tours/{id}/hosts", organizer,
                new { name, city = "Chicago", contactName = "Ana", contactEmail = "ana@example.org", contactPhone = "+1 312 555 0100" }), HttpStatusCode.Created);
            return (host.Str("hostId"), host.Str("inviteToken"));
        }
        var a = await Invite("Teamsters Local 705");
        var b = await Invite("Comité de Defensa");
        var speaker = created.GetProperty("speakers")[0];
        return new PagesTour(api, id, created.Str("slug"), organizer, speaker.Str("id"), speaker.Str("token"), a.Id, a.Token, b.Id, b.Token);
    }

    public string HostPage(string hostId, string token) => $"/host/{TourId}/{hostId}#token={token}";
    public string OrganizerPage => $"/organize/{TourId}#token={Organizer}";

    public async Task<string> ClaimAsync(string token, object body) =>
        (await ApiScenario.Ok(await Api.SendAsync(HttpMethod.Post, $"/api/tours/{TourId}/claims", token, body), HttpStatusCode.Created)).Str("claimId");

    public async Task ConfirmAsync(string claimId) =>
        await ApiScenario.Ok(await Api.SendAsync(HttpMethod.Post, $"/api/tours/{TourId}/claims/{claimId}/confirm", Organizer), HttpStatusCode.OK);
}
