using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using NodaTime;
using NodaTime.Testing;
using TourPlanner.Tests.Calendar;
using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Feeds;

/// <summary>The Gateway on a real loopback socket (Kestrel), so outside programs such as vdirsyncer can subscribe.</summary>
public sealed class KestrelGatewayFactory : WebApplicationFactory<Program>
{
    public FakeClock Clock { get; } = new(Instant.FromUtc(2026, 10, 1, 12, 0));
    public int Port { get; } = GatewayFactory.FreePort();
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "tourplanner-tests", Guid.NewGuid().ToString("N"));
    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public KestrelGatewayFactory() => UseKestrel(k => k.Listen(IPAddress.Loopback, Port));

    protected override void ConfigureWebHost(IWebHostBuilder builder) => GatewayFactory.Configure(builder, Clock, DataDirectory);

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
    }
}

/// <summary>
/// A 300-event tour built through the HTTP API: six zones on three continents, across the European and US
/// fall-back nights (with an event in each repeated hour), hostile text in every field, private events, and one
/// speaker whose route is feasible. Expected instants are computed here from what was typed, with NodaTime.
/// </summary>
public sealed class ConformanceTour : IAsyncLifetime
{
    public sealed record Expected(string Uid, Instant Start, Instant End, string Title, bool Public, string StopId, string EventId);

    private sealed record Block(string City, string Country, string Zone, double Lat, double Lon, string FirstDay, int Days);

    // One day off between cities leaves time for the long flights.
    private static readonly Block[] Route =
    [
        new("London", "GB", "Europe/London", 51.5072, -0.1276, "2026-10-21", 5),          // crosses the EU fall-back (Oct 25)
        new("Johannesburg", "ZA", "Africa/Johannesburg", -26.2041, 28.0473, "2026-10-27", 4), // no DST
        new("New York", "US", "America/New_York", 40.7128, -74.0060, "2026-11-01", 4),     // US fall-back (Nov 1)
        new("Chicago", "US", "America/Chicago", 41.8781, -87.6298, "2026-11-06", 4),
        new("Managua", "NI", "America/Managua", 12.1364, -86.2514, "2026-11-11", 4),       // no DST
        new("Los Angeles", "US", "America/Los_Angeles", 34.0522, -118.2437, "2026-11-16", 5),
    ];

    private static readonly string[] Titles =
    [
        "Reunión pública: ¡Defendamos a los trabajadores inmigrantes!",
        "Rally 📣✊ for Róger — Fight to Win",
        "Workers, students; families \\ all welcome",
        "Two lines:\nfirst\r\nsecond",
        "Café con la comunidad, São Paulo & Zürich friends",
        TestTours.Injection,
    ];

    public KestrelGatewayFactory Factory { get; } = new();
    public HttpClient Client { get; private set; } = null!;
    public string Slug { get; private set; } = "";
    public string TourId { get; private set; } = "";
    public string Organizer { get; private set; } = "";
    public string SpeakerToken { get; private set; } = "";
    public List<Expected> Events { get; } = [];
    public string TourName { get; } = "Gira «Fight Like Calero», 2026; \\ 🌎 " + TestTours.Injection[..40];
    public string FeedUrl => $"{Factory.BaseUrl}/tours/{Slug}/calendar.ics";

    public async Task InitializeAsync()
    {
        Factory.StartServer();
        Client = new HttpClient { BaseAddress = new Uri(Factory.BaseUrl) };
        var created = await ApiScenario.Ok(await Client.SendAsync(HttpMethod.Post, "/api/tours", body: new
        {
            name = TourName, description = "Descripción: " + TestTours.Injection, timeZone = "America/New_York",
            startDate = "2026-10-20", endDate = "2026-11-30",
            speakers = new[] { new { name = "Róger Calero", homeTimeZone = "America/New_York" } },
            rules = new { maxEventsPerDay = 20, minRestMinutes = 0, travelBufferMinutes = 0 },
        }), HttpStatusCode.Created);
        (TourId, Slug, Organizer) = (created.Str("id"), created.Str("slug"), created.Str("organizerToken"));
        SpeakerToken = created.GetProperty("speakers")[0].Str("token");

        var dayIndex = 0;
        foreach (var block in Route)
        {
            var zone = DateTimeZoneProviders.Tzdb[block.Zone];
            for (var d = 0; d < block.Days; d++, dayIndex++)
            {
                var date = LocalDate.FromDateTime(DateTime.Parse(block.FirstDay)).PlusDays(d);
                var host = await ApiScenario.Ok(await Client.SendAsync(HttpMethod.Post, $"/api/tours/{TourId}/hosts", Organizer,
                    new { name = $"Host {dayIndex}", contactEmail = $"host{dayIndex}@example.org" }), HttpStatusCode.Created);
                var count = dayIndex < 14 ? 12 : 11; // 14 × 12 + 12 × 11 = 300
                var starts = Enumerable.Range(0, count).Select(i => date.At(new LocalTime(8, 0)).PlusMinutes(75 * i)).ToList();
                if (date == new LocalDate(2026, 10, 25) || date == new LocalDate(2026, 11, 1))
                    starts[^1] = date.At(new LocalTime(1, 30)); // the repeated hour of the fall-back night
                var events = starts.Select((start, i) => new
                {
                    title = Titles[(dayIndex + i) % Titles.Length],
                    start = NodaTime.Text.LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm").Format(start),
                    durationMinutes = 60,
                    @public = i != 5, // one private meeting a day
                    description = i % 3 == 0 ? "Bring a friend, a sign; and \\ your voice\n" + TestTours.Injection : null as string,
                }).ToArray();
                var claim = await ApiScenario.Ok(await Client.SendAsync(HttpMethod.Post, $"/api/tours/{TourId}/claims", host.Str("inviteToken"), new
                {
                    city = block.City + (dayIndex % 4 == 0 ? "\r\nX-INJECTED:city" : ""), country = block.Country, timeZone = block.Zone,
                    latitude = block.Lat, longitude = block.Lon, dates = new[] { Validation(date) },
                    venue = new { name = "Salón; Hall, \\ " + TestTours.Injection[..30], address = "1 Main St\r\nX-INJECTED:addr" },
                    events,
                }), HttpStatusCode.Created);
                var returned = claim.GetProperty("events").EnumerateArray().ToList();
                for (var i = 0; i < starts.Count; i++)
                {
                    var start = zone.AtLeniently(starts[i]).ToInstant(); // earlier instant in a repeated hour
                    Events.Add(new Expected(returned[i].Str("eventId") + "@tourplanner", start, start + Duration.FromMinutes(60),
                        events[i].title.Trim(), events[i].@public, claim.Str("stopId"), returned[i].Str("eventId")));
                    Assert.Equal(start, Instant.FromDateTimeOffset(DateTimeOffset.Parse(returned[i].Str("start"))));
                }
                await ApiScenario.Ok(await Client.SendAsync(HttpMethod.Post, $"/api/tours/{TourId}/claims/{claim.Str("claimId")}/confirm", Organizer), HttpStatusCode.OK);
            }
        }
    }

    public List<Expected> PublicEvents => Events.Where(e => e.Public).ToList();

    public async Task<byte[]> FeedAsync(string path = "calendar.ics") =>
        await Client.GetByteArrayAsync($"/tours/{Slug}/{path}");

    /// <summary>Moves one event and returns its new expectation (same UID).</summary>
    public async Task<Expected> RescheduleAsync(Expected e, LocalDateTime newStart, string zoneId)
    {
        var response = await ApiScenario.Ok(await Client.SendAsync(HttpMethod.Patch, $"/api/tours/{TourId}/stops/{e.StopId}/events/{e.EventId}", Organizer,
            new { start = NodaTime.Text.LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm").Format(newStart) }), HttpStatusCode.OK);
        var start = DateTimeZoneProviders.Tzdb[zoneId].AtLeniently(newStart).ToInstant();
        Assert.Equal(start, Instant.FromDateTimeOffset(DateTimeOffset.Parse(response.GetProperty("event").Str("start"))));
        var moved = e with { Start = start, End = start + Duration.FromMinutes(60) };
        Events[Events.IndexOf(e)] = moved;
        return moved;
    }

    public async Task CancelStopAsync(string stopId) =>
        await ApiScenario.Ok(await Client.SendAsync(HttpMethod.Post, $"/api/tours/{TourId}/stops/{stopId}/cancel", Organizer), HttpStatusCode.OK);

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
    }

    private static string Validation(LocalDate d) => NodaTime.Text.LocalDatePattern.Iso.Format(d);

    public static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;
}
