using System.Net;
using System.Text.Json;
using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Privacy;

/// <summary>
/// A stop's lodging and notes live in the stop's own grain, sealed with the tour's key: destroying the tour's keys makes
/// them unreadable, and deleting the tour, purging its private data and a host group's withdrawal also remove the row
/// outright. Each test first sees the stop's row in the store (never the lodging itself), so it fails if it is kept.
/// </summary>
public sealed class StopLogisticsForgottenTests
{
    private const string Lodging = "Casa de Rosa LodgingZq4w, 1842 W Cermak Rd";

    private static async Task<(ConfiguredGateway Gateway, HttpClient Client, PrivateTour Tour, string Database)> TourWithLodgingAsync()
    {
        var gateway = new ConfiguredGateway(new Dictionary<string, string>());
        var client = gateway.CreateClient();
        var tour = await PrivateTour.CreateAsync(client, visibility: "full");
        await ApiScenario.Ok(await client.SendAsync(HttpMethod.Patch, $"/api/tours/{tour.TourId}/stops/{tour.StopId}/logistics", tour.Host,
            new { lodging = Lodging, notes = "Side door" }), HttpStatusCode.OK);
        var database = Path.Combine(gateway.DataDirectory, "grains.db");
        Assert.True(await StoredAsync(database, tour), "the stop's logistics row should be in the store before it is forgotten");
        Assert.DoesNotContain(await EncryptionAtRestTests.SqliteRowsAsync(database), r => r.Text.Contains("LodgingZq4w", StringComparison.Ordinal));
        return (gateway, client, tour, database);
    }

    private static async Task<bool> StoredAsync(string database, PrivateTour tour) =>
        (await EncryptionAtRestTests.SqliteRowsAsync(database)).Any(r => r.Table == "grain_state"
            && r.Text.Contains("logistics", StringComparison.Ordinal) && r.Text.Contains(tour.StopId, StringComparison.Ordinal));

    private static async Task<JsonElement> LogisticsAsync(HttpClient client, PrivateTour tour) =>
        await ApiScenario.Ok(await client.SendAsync(HttpMethod.Get, $"/api/tours/{tour.TourId}/stops/{tour.StopId}/logistics", tour.Organizer), HttpStatusCode.OK);

    // The API leaves out fields with no value.
    private static bool Empty(JsonElement logistics, string field) =>
        !logistics.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null;

    [Fact]
    public async Task DeletingTheTour_RemovesItsStopsLodging()
    {
        var (gateway, client, tour, database) = await TourWithLodgingAsync();
        using var _ = gateway;
        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(HttpMethod.Delete, $"/api/tours/{tour.TourId}", tour.Organizer)).StatusCode);
        Assert.False(await StoredAsync(database, tour));
    }

    [Fact]
    public async Task PurgingPrivateData_RemovesTheLodging_AndTheStopReadsEmpty()
    {
        var (gateway, client, tour, database) = await TourWithLodgingAsync();
        using var _ = gateway;
        await ApiScenario.Ok(await client.SendAsync(HttpMethod.Post, $"/api/tours/{tour.TourId}/privacy/purge", tour.Organizer), HttpStatusCode.OK);
        Assert.False(await StoredAsync(database, tour));
        var after = await LogisticsAsync(client, tour);
        Assert.True(Empty(after, "lodging") && Empty(after, "notes"), after.ToString());
    }

    [Fact]
    public async Task AHostGroupWithdrawing_TakesItsStopsLodgingWithIt()
    {
        var (gateway, client, tour, database) = await TourWithLodgingAsync();
        using var _ = gateway;
        await ApiScenario.Ok(await client.SendAsync(HttpMethod.Post, $"/api/tours/{tour.TourId}/hosts/{tour.HostId}/withdraw", tour.Host), HttpStatusCode.OK);
        Assert.False(await StoredAsync(database, tour));
        var after = await LogisticsAsync(client, tour);
        Assert.True(Empty(after, "lodging"), after.ToString());
    }
}
