using System.Net;
using System.Net.Sockets;
using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Venues;

/// <summary>
/// Venue calendars are read by the Gateway before the tour is asked, never inside the tour grain's turn: a calendar
/// that holds its answer delays only the request that needs it. Shown by order, not by timing.
/// </summary>
public sealed class VenueOutsideTheTurnTests : IAsyncLifetime
{
    private readonly TcpListener _tarpit = new(IPAddress.Loopback, 0);
    private readonly TaskCompletionSource _accepted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<TcpClient> _held = [];
    private readonly CancellationTokenSource _stop = new();
    private ConfiguredGateway _gateway = null!;

    public Task InitializeAsync()
    {
        _tarpit.Start();
        _ = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                // Accepts, reads nothing, answers nothing: a server that holds every request.
                var client = await _tarpit.AcceptTcpClientAsync(_stop.Token);
                lock (_held) _held.Add(client);
                _accepted.TrySetResult();
            }
        });
        _gateway = new ConfiguredGateway(new Dictionary<string, string>
        {
            ["Venues:AllowPrivateAddresses"] = "true",
            ["Venues:Timeout"] = "00:00:10",
        });
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        _stop.Cancel();
        _tarpit.Stop();
        lock (_held) foreach (var c in _held) c.Dispose();
        _gateway.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task WhileAVenueCalendarHoldsItsAnswer_OtherClaimsAndReadsOfTheSameTour_Complete()
    {
        var s = await ApiScenario.CreateAsync(_gateway.CreateClient());
        var port = ((IPEndPoint)_tarpit.LocalEndpoint).Port;
        var slow = s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/claims", s.HostA, new
        {
            city = "St. Paul", country = "US", timeZone = "America/Chicago", latitude = 44.9537, longitude = -93.09, dates = new[] { "2026-11-04" },
            venue = new { name = "Hall", calendarUrl = $"http://127.0.0.1:{port}/hall.ics" },
            events = new[] { new { title = "Meeting", start = "2026-11-04T19:00", durationMinutes = 120 } },
        });
        await _accepted.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var other = await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/claims", s.HostB, ApiScenario.ClaimBody("2026-11-06"));
        var tour = await s.Client.GetAsync($"/api/tours/{s.TourId}");
        var feed = await s.Client.GetAsync($"/tours/{s.Slug}/calendar.ics");
        var confirm = await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/claims/{s.ClaimA}/confirm", s.Organizer);
        Assert.False(slow.IsCompleted, "the claim waiting on the venue calendar finished first");
        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK),
            (other.StatusCode, tour.StatusCode, feed.StatusCode, confirm.StatusCode));

        // The held request ends at its own bound, taken anyway and warned about.
        var answer = await ApiScenario.Ok(await slow.WaitAsync(TimeSpan.FromSeconds(60)), HttpStatusCode.Created);
        Assert.Contains(answer.GetProperty("conflicts").EnumerateArray(), c => c.Str("code") == "venue-calendar-unavailable");
    }
}
