using System.Net;
using TourPlanner.Tests.Infrastructure;
using TourPlanner.Tests.Mail;

namespace TourPlanner.Tests.Privacy;

/// <summary>
/// Mail keeps no address in the clear either: a message's delivery record stores who it was for by role and id, and
/// a server's refusal that repeats the address is stored without it; the organizer still sees each address, looked
/// up in the tour. Deleting the tour removes its mail and the mail desk's note of it.
/// </summary>
public sealed class MailAtRestTests
{
    [Fact]
    public async Task RefusedMessages_AreStoredWithoutAddresses_ShownWithThem_AndGoWithTheTour()
    {
        // The real SMTP server refuses every address of the tour's people (they all carry the marker), echoing it.
        await using var sink = new SmtpSink(refuse: "mk7q");
        await sink.StartAsync();
        using var gateway = new ConfiguredGateway(new Dictionary<string, string>
        {
            ["Gateway:PublicBaseUrl"] = MailFixture.BaseUrl, ["Mail:SmtpHost"] = "127.0.0.1", ["Mail:Port"] = sink.Port.ToString(),
            ["Mail:Security"] = "None", ["Mail:From"] = MailFixture.From, ["Mail:PollInterval"] = "00:00:00.100", ["Mail:Timeout"] = "00:00:05",
        });
        var client = gateway.CreateClient();
        var tour = await PrivateTour.CreateAsync(client);

        var refused = await WaitForRefusalsAsync(tour);
        var toHost = refused.First(u => u.Str("recipientRole") == "host" && u.Str("status") == "failed");
        Assert.Equal(PrivateTour.ContactEmail, toHost.Str("to"));
        Assert.Contains("(recipient)", toHost.Str("reason"));
        Assert.DoesNotContain("mk7q", toHost.Str("reason"), StringComparison.OrdinalIgnoreCase);

        var database = Path.Combine(gateway.DataDirectory, "grains.db");
        var rows = await EncryptionAtRestTests.SqliteRowsAsync(database);
        Assert.Contains(rows, r => r.Table == "grain_state" && r.Text.Contains("mail", StringComparison.Ordinal) && r.Text.Contains(tour.TourId, StringComparison.Ordinal));
        foreach (var row in rows)
            Assert.True(PrivateTour.MarkersIn(row.Bytes).Count == 0, $"{row.Table} ({row.Key}): {string.Join(", ", PrivateTour.MarkersIn(row.Bytes))}");

        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(HttpMethod.Delete, $"/api/tours/{tour.TourId}", tour.Organizer)).StatusCode);
        foreach (var row in await EncryptionAtRestTests.SqliteRowsAsync(database))
            Assert.False(row.Text.Contains(tour.TourId, StringComparison.Ordinal), $"{row.Table} ({row.Key}) still names the tour");
    }

    private static async Task<List<System.Text.Json.JsonElement>> WaitForRefusalsAsync(PrivateTour tour)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        while (true)
        {
            var status = await ApiScenario.Ok(await tour.Client.SendAsync(HttpMethod.Get, $"/api/tours/{tour.TourId}/mail", tour.Organizer), HttpStatusCode.OK);
            var undelivered = status.GetProperty("undelivered").EnumerateArray().ToList();
            if (undelivered.Any(u => u.Str("recipientRole") == "host" && u.Str("status") == "failed")) return undelivered;
            Assert.True(DateTimeOffset.UtcNow < deadline, $"No refusal recorded: {status}");
            await Task.Delay(100);
        }
    }
}
