using System.Net;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using TourPlanner.Gateway.Demo;
using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Api;

/// <summary>The demo tour gives a newcomer something to do on every part of the pages, through the links it prints.</summary>
[Collection(GatewayCollection.Name)]
public sealed class DemoSeederTests(GatewayFactory factory)
{
    [Fact]
    public async Task Demo_PrintsWorkingLinks_ForTheOrganizerEveryGroupAndTheSpeaker_WithConfirmedStopsAQueueAndABlackout()
    {
        var client = factory.CreateClient();
        var demo = await DemoSeeder.SeedAsync(factory.Services.GetRequiredService<IGrainFactory>(), factory.Services.GetRequiredService<IClock>());

        var token = demo.OrganizerLink.Split("#token=")[1];
        var tour = await ApiScenario.Ok(await client.SendAsync(HttpMethod.Get, $"/api/tours/{demo.TourId}", token), HttpStatusCode.OK);
        var claims = tour.GetProperty("claims").EnumerateArray().ToList();
        Assert.Equal(3, claims.Count(c => c.Str("status") == "confirmed"));
        Assert.Contains(claims, c => c.Str("status") == "held" && c.GetProperty("rank").GetInt32() == 2);
        var pending = await ApiScenario.Ok(await client.SendAsync(HttpMethod.Get, $"/api/tours/{demo.TourId}/claims/pending-conflicts", token), HttpStatusCode.OK);
        Assert.Contains(pending.GetProperty("claims").EnumerateArray(), p => p.GetProperty("conflicts").EnumerateArray().Any(c => c.Str("code") == "blackout-date"));

        Assert.Equal(tour.GetProperty("hosts").GetArrayLength(), demo.HostLinks.Count);
        foreach (var (_, _, link) in demo.HostLinks)
        {
            var path = link.Split('#')[0];
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(path)).StatusCode);
            var hostId = path.Split('/')[^1];
            await ApiScenario.Ok(await client.SendAsync(HttpMethod.Get, $"/api/tours/{demo.TourId}/hosts/{hostId}", link.Split("#token=")[1]), HttpStatusCode.OK);
        }
        var speakerId = demo.SpeakerLink.Split('#')[0].Split('/')[^1];
        await ApiScenario.Ok(await client.SendAsync(HttpMethod.Get, $"/api/tours/{demo.TourId}/itinerary?speakerId={speakerId}", demo.SpeakerLink.Split("#token=")[1]), HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(demo.PublicLink)).StatusCode);
    }
}
