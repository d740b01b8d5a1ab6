using System.Net;
using System.Net.Http.Json;
using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Api;

/// <summary>Limits per client address, the creation key, and the forwarded-for rules.</summary>
public class AbuseTests
{
    [Fact]
    public async Task TourCreation_IsRateLimitedPerClient_With429ProblemAndRetryAfter()
    {
        using var gateway = new ConfiguredGateway(new Dictionary<string, string> { ["RateLimits:ToursPerHour"] = "3" });
        var client = gateway.CreateClient();
        for (var i = 0; i < 3; i++)
            await ApiScenario.Ok(await client.SendAsync(HttpMethod.Post, "/api/tours", body: ApiScenario.TourBody($"Tour {i}")), HttpStatusCode.Created);
        var refused = await client.SendAsync(HttpMethod.Post, "/api/tours", body: ApiScenario.TourBody("One too many"));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.True(refused.Headers.RetryAfter is not null);
    }

    [Fact]
    public async Task ManyWrongTokens_FromOneClient_AreRefusedFor_AWhile_EvenWithARightToken()
    {
        using var gateway = new ConfiguredGateway(new Dictionary<string, string> { ["RateLimits:FailedTokensPerMinute"] = "5" });
        var s = await ApiScenario.CreateAsync(gateway.CreateClient());
        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await s.Client.SendAsync(HttpMethod.Get, $"/api/tours/{s.TourId}/claims", $"guess-{i}-0123456789abcdefghijklmnopqrstuv")).StatusCode);
        var blocked = await s.Client.SendAsync(HttpMethod.Get, $"/api/tours/{s.TourId}/claims", s.Organizer);
        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
        Assert.Equal("application/problem+json", blocked.Content.Headers.ContentType?.MediaType);
        // Reads without a token (the public page's data) still work.
        Assert.Equal(HttpStatusCode.OK, (await s.Client.GetAsync($"/api/tours/{s.TourId}")).StatusCode);
    }

    [Fact]
    public async Task WithACreationKeyConfigured_CreatingATour_NeedsIt()
    {
        using var gateway = new ConfiguredGateway(new Dictionary<string, string> { ["Gateway:TourCreationKey"] = "our-coalition-2026" });
        var client = gateway.CreateClient();
        var without = await client.SendAsync(HttpMethod.Post, "/api/tours", body: ApiScenario.TourBody());
        Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
        Assert.True((await without.JsonAsync()).GetProperty("errors").TryGetProperty("X-Tour-Creation-Key", out _));

        using var wrong = new HttpRequestMessage(HttpMethod.Post, "/api/tours") { Content = JsonContent.Create(ApiScenario.TourBody(), options: Http.JsonOptions) };
        wrong.Headers.Add("X-Tour-Creation-Key", "guess");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(wrong)).StatusCode);

        using var right = new HttpRequestMessage(HttpMethod.Post, "/api/tours") { Content = JsonContent.Create(ApiScenario.TourBody(), options: Http.JsonOptions) };
        right.Headers.Add("X-Tour-Creation-Key", "our-coalition-2026");
        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(right)).StatusCode);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task XForwardedFor_CountsOnlyFromAListedProxy(bool trusted)
    {
        var settings = new Dictionary<string, string> { ["RateLimits:ToursPerHour"] = "2" };
        if (trusted) settings["Gateway:KnownProxies:0"] = "127.0.0.1";
        using var gateway = new ConfiguredGateway(settings, kestrel: true);
        gateway.StartServer();
        using var client = new HttpClient { BaseAddress = gateway.KestrelAddress };

        async Task<HttpStatusCode> CreateAs(string forwardedFor)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/tours") { Content = JsonContent.Create(ApiScenario.TourBody(), options: Http.JsonOptions) };
            request.Headers.Add("X-Forwarded-For", forwardedFor);
            return (await client.SendAsync(request)).StatusCode;
        }

        Assert.Equal(HttpStatusCode.Created, await CreateAs("203.0.113.7"));
        Assert.Equal(HttpStatusCode.Created, await CreateAs("203.0.113.7"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await CreateAs("203.0.113.7"));
        // Behind a listed proxy another client has its own allowance; otherwise the header is ignored and the proxy's
        // own address (everyone) has used it up.
        Assert.Equal(trusted ? HttpStatusCode.Created : HttpStatusCode.TooManyRequests, await CreateAs("198.51.100.9"));
    }
}
