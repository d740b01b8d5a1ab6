using System.Net;
using Microsoft.Extensions.DependencyInjection;
using TourPlanner.Gateway.Calendar;
using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Privacy;

/// <summary>
/// Deleting a tour removes every row of it (log segments, keys, slug, plans, reminders) and every feed kept in
/// memory; its API, pages and feeds answer 410 Gone, and none of its links works any more.
/// </summary>
public sealed class DeletionTests
{
    [Fact]
    public async Task Delete_LeavesNothingInAnyTable_AndEverythingAnswers410()
    {
        using var gateway = new ConfiguredGateway(new Dictionary<string, string>());
        var client = gateway.CreateClient();
        var tour = await PrivateTour.CreateAsync(client, visibility: "full");
        var keep = await PrivateTour.CreateAsync(client, visibility: "full"); // another tour, untouched
        // Fill the caches and the other stores a tour reaches: feeds, a plan, a held claim's reminder.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/tours/{tour.Slug}/calendar.ics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/tours/{tour.Slug}/atom.xml")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/tours/{tour.Slug}/calendar.ics?city=Chicago")).StatusCode);
        await client.SendAsync(HttpMethod.Post, $"/api/tours/{tour.TourId}/claims", tour.Host, ApiScenario.ClaimBody("2026-11-05"));
        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(HttpMethod.Post, $"/api/tours/{tour.TourId}/plan", tour.Organizer, new { seed = 1, maxIterations = 50 })).StatusCode);
        var cache = gateway.Services.GetRequiredService<FeedCache>();
        Assert.True(cache.Holds(tour.TourId, tour.Slug));
        var database = Path.Combine(gateway.DataDirectory, "grains.db");
        Assert.Contains(await EncryptionAtRestTests.SqliteRowsAsync(database), r => r.Table == "reminders" && r.Text.Contains(tour.TourId, StringComparison.Ordinal));

        var deleted = await client.SendAsync(HttpMethod.Delete, $"/api/tours/{tour.TourId}", tour.Organizer);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);

        foreach (var row in await EncryptionAtRestTests.SqliteRowsAsync(database))
        {
            Assert.False(row.Text.Contains(tour.TourId, StringComparison.Ordinal), $"{row.Table} ({row.Key}) still names the tour");
            Assert.False(row.Text.Contains(tour.Slug, StringComparison.Ordinal), $"{row.Table} ({row.Key}) still names the tour's slug");
        }
        Assert.False(cache.Holds(tour.TourId, tour.Slug));

        foreach (var (url, token) in new (string, string?)[]
        {
            ($"/api/tours/{tour.TourId}", null), ($"/api/tours/{tour.TourId}", tour.Organizer), ($"/api/tours/{tour.TourId}/history", tour.Organizer),
            ($"/api/tours/{tour.TourId}/claims", tour.Host), ($"/api/tours/{tour.TourId}/itinerary?speakerId={tour.SpeakerId}", tour.Speaker),
            ($"/api/slugs/{tour.Slug}", null), ($"/tours/{tour.Slug}/calendar.ics", null), ($"/tours/{tour.Slug}/atom.xml", null),
            ($"/tours/{tour.Slug}/calendar.ics?city=Chicago", null), ($"/tours/{tour.Slug}/speakers/{tour.SpeakerId}/calendar.ics", null),
            ($"/tours/{tour.Slug}/private.ics?token={tour.Organizer}", null), ($"/t/{tour.Slug}", null), ($"/t/{tour.Slug}?lang=es", null),
        })
        {
            var response = await client.SendAsync(HttpMethod.Get, url, token);
            Assert.True(response.StatusCode == HttpStatusCode.Gone, $"{url}: {(int)response.StatusCode}");
        }
        // Commands with the old links change nothing and say the same.
        Assert.Equal(HttpStatusCode.Gone, (await client.SendAsync(HttpMethod.Post, $"/api/tours/{tour.TourId}/claims", tour.Host, ApiScenario.ClaimBody("2026-11-06"))).StatusCode);
        Assert.Equal(HttpStatusCode.Gone, (await client.SendAsync(HttpMethod.Delete, $"/api/tours/{tour.TourId}", tour.Organizer)).StatusCode);
        var problem = await (await client.SendAsync(HttpMethod.Get, $"/api/tours/{tour.TourId}?lang=es", tour.Organizer)).JsonAsync();
        Assert.Equal("tour.deleted", problem.Str("code"));
        Assert.Equal("Esta gira se eliminó.", problem.Str("detail"));
        foreach (var row in await EncryptionAtRestTests.SqliteRowsAsync(database)) Assert.DoesNotContain(tour.TourId, row.Text, StringComparison.Ordinal);

        // The other tour is whole.
        Assert.Contains(PrivateTour.ContactEmail, await keep.OrganizerViewAsync());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/t/{keep.Slug}")).StatusCode);
        // A tour that never existed is still a 404.
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/tours/t_AAAAAAAAAAAAAAAA")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/t/never-was-a-tour")).StatusCode);
    }

    [Fact]
    public async Task Delete_OnTheInMemoryStore_AnswersAsOnTheOthers()
    {
        // The in-memory store once read the key ring back through JSON, which cannot hold NodaTime values: a 500.
        using var gateway = new ConfiguredGateway(new Dictionary<string, string> { ["Storage:Provider"] = "memory" });
        var client = gateway.CreateClient();
        var tour = await PrivateTour.CreateAsync(client, visibility: "full");
        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(HttpMethod.Delete, $"/api/tours/{tour.TourId}", tour.Organizer)).StatusCode);
        Assert.Equal(HttpStatusCode.Gone, (await client.SendAsync(HttpMethod.Get, $"/api/tours/{tour.TourId}", tour.Organizer)).StatusCode);
        Assert.Equal(HttpStatusCode.Gone, (await client.GetAsync($"/t/{tour.Slug}")).StatusCode);
    }

    [Fact]
    public async Task Delete_ByAnyoneButAnOrganizer_IsRefused_AndStoresNothing()
    {
        using var gateway = new ConfiguredGateway(new Dictionary<string, string>());
        var client = gateway.CreateClient();
        var tour = await PrivateTour.CreateAsync(client);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(HttpMethod.Delete, $"/api/tours/{tour.TourId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(HttpMethod.Delete, $"/api/tours/{tour.TourId}", tour.Host)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(HttpMethod.Delete, $"/api/tours/{tour.TourId}", tour.Speaker)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/t/{tour.Slug}")).StatusCode);
        Assert.Contains(PrivateTour.ContactEmail, await tour.OrganizerViewAsync());
    }
}
