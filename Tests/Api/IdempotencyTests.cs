using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Api;

/// <summary>A retry with the same <c>Idempotency-Key</c> gets the first answer and stores nothing new.</summary>
[Collection(GatewayCollection.Name)]
public class IdempotencyTests(GatewayFactory factory)
{
    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string url, string? token, object body, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body, options: Http.JsonOptions) };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task ARetriedClaim_IsStoredOnce_AndAnsweredTheSame()
    {
        var s = await ApiScenario.CreateAsync(factory.CreateClient());
        var key = Guid.NewGuid().ToString();
        var body = ApiScenario.ClaimBody("2026-11-05");
        var first = await ApiScenario.Ok(await PostAsync(s.Client, $"/api/tours/{s.TourId}/claims", s.HostA, body, key), HttpStatusCode.Created);
        var again = await ApiScenario.Ok(await PostAsync(s.Client, $"/api/tours/{s.TourId}/claims", s.HostA, body, key), HttpStatusCode.Created);
        Assert.Equal(first.Str("claimId"), again.Str("claimId"));
        Assert.Equal(first.GetProperty("rank").GetInt32(), again.GetProperty("rank").GetInt32());
        var claims = (await s.ClaimsAsync()).GetProperty("claims").EnumerateArray().Where(c => c.GetProperty("dates")[0].GetString() == "2026-11-05").ToList();
        Assert.Single(claims);

        // Another caller's key is its own: the same key from host B is a new claim.
        var other = await ApiScenario.Ok(await PostAsync(s.Client, $"/api/tours/{s.TourId}/claims", s.HostB, body, key), HttpStatusCode.Created);
        Assert.NotEqual(first.Str("claimId"), other.Str("claimId"));
        Assert.Equal(2, other.GetProperty("rank").GetInt32());
    }

    [Fact]
    public async Task TheSameKeyWithAnotherRequest_IsRefusedWith422_AndStoresNothing()
    {
        var s = await ApiScenario.CreateAsync(factory.CreateClient());
        var key = Guid.NewGuid().ToString();
        await ApiScenario.Ok(await PostAsync(s.Client, $"/api/tours/{s.TourId}/claims", s.HostA, ApiScenario.ClaimBody("2026-11-06"), key), HttpStatusCode.Created);
        var before = (await s.ClaimsAsync()).GetProperty("claims").GetArrayLength();
        var reused = await PostAsync(s.Client, $"/api/tours/{s.TourId}/claims", s.HostA, ApiScenario.ClaimBody("2026-11-07"), key);
        Assert.Equal((HttpStatusCode)422, reused.StatusCode);
        Assert.Equal("application/problem+json", reused.Content.Headers.ContentType?.MediaType);
        Assert.True((await reused.JsonAsync()).GetProperty("errors").TryGetProperty("Idempotency-Key", out _));
        Assert.Equal(before, (await s.ClaimsAsync()).GetProperty("claims").GetArrayLength());
    }

    [Fact]
    public async Task ARetriedTourCreation_ReturnsTheSameTourAndLinks_AndTheStoreHoldsNoTokenInPlainText()
    {
        var client = factory.CreateClient();
        var key = Guid.NewGuid().ToString();
        var body = ApiScenario.TourBody("Idempotent tour");
        var first = await ApiScenario.Ok(await PostAsync(client, "/api/tours", null, body, key), HttpStatusCode.Created);
        var again = await ApiScenario.Ok(await PostAsync(client, "/api/tours", null, body, key), HttpStatusCode.Created);
        Assert.Equal(first.Str("id"), again.Str("id"));
        Assert.Equal(first.Str("slug"), again.Str("slug"));
        Assert.Equal(first.Str("organizerToken"), again.Str("organizerToken"));
        Assert.Equal(first.GetProperty("speakers")[0].Str("token"), again.GetProperty("speakers")[0].Str("token"));
        // The link works, once per tour: a second slug was not taken.
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(HttpMethod.Get, $"/api/tours/{first.Str("id")}", first.Str("organizerToken"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/slugs/{first.Str("slug")}-2")).StatusCode);

        var differentBody = await PostAsync(client, "/api/tours", null, ApiScenario.TourBody("Another name"), key);
        Assert.Equal((HttpStatusCode)422, differentBody.StatusCode);

        // Tokens live in the store only as hashes, and the replayable answer only encrypted.
        var db = Directory.GetFiles(factory.DataDirectory, "*.db*").Select(File.ReadAllBytes).ToList();
        Assert.NotEmpty(db);
        foreach (var token in new[] { first.Str("organizerToken"), first.GetProperty("speakers")[0].Str("token") })
            Assert.All(db, bytes => Assert.DoesNotContain(token, System.Text.Encoding.Latin1.GetString(bytes)));
    }

    [Fact]
    public async Task ARetriedInvitation_ReturnsTheSameGroupAndLink()
    {
        var s = await ApiScenario.CreateAsync(factory.CreateClient());
        var key = Guid.NewGuid().ToString();
        var body = new { name = "Retry group", contactEmail = "r@example.org" };
        var first = await ApiScenario.Ok(await PostAsync(s.Client, $"/api/tours/{s.TourId}/hosts", s.Organizer, body, key), HttpStatusCode.Created);
        var again = await ApiScenario.Ok(await PostAsync(s.Client, $"/api/tours/{s.TourId}/hosts", s.Organizer, body, key), HttpStatusCode.Created);
        Assert.Equal((first.Str("hostId"), first.Str("inviteToken")), (again.Str("hostId"), again.Str("inviteToken")));
        var hosts = await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Get, $"/api/tours/{s.TourId}/hosts", s.Organizer), HttpStatusCode.OK);
        Assert.Single(hosts.GetProperty("hosts").EnumerateArray(), h => h.Str("name") == "Retry group");
    }

    [Fact]
    public async Task ABadKey_NamesTheHeader()
    {
        var s = await ApiScenario.CreateAsync(factory.CreateClient());
        var response = await PostAsync(s.Client, $"/api/tours/{s.TourId}/claims", s.HostA, ApiScenario.ClaimBody("2026-11-08"), new string('k', 300));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty("Idempotency-Key", out _));
    }
}
