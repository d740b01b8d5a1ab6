using System.Net;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using TourPlanner.Gateway.Venues;
using TourPlanner.Grains;
using TourPlanner.Grains.Domain;
using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Venues;

/// <summary>
/// The venue calendar reader against servers that misbehave on purpose: every read ends by its own bounds, whoever
/// calls it, and the work it started (download, parse, expansion) ends with it. Assertions are about order and
/// counters, not milliseconds: the call returns although the server never let go, the reader's work is idle afterwards,
/// the occurrence count stays under its cap, the buffer under its cap.
/// </summary>
[Collection(VenueCollection.Name)]
public sealed class HostileVenueTests(VenueGatewayFactory gateway) : IAsyncLifetime
{
    // A day of the tour: the range a confirm asks a venue calendar for.
    private static readonly Instant From = Instant.FromUtc(2026, 10, 29, 23, 0), To = Instant.FromUtc(2026, 10, 30, 1, 0);
    // Only a guard so a broken reader fails the test instead of hanging the run; the bound under test is Venues:Timeout.
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    private HostileVenueServer _server = null!;
    private IVenueCalendar Reader => gateway.Services.GetRequiredService<IVenueCalendar>();
    private VenueReadMonitor Monitor => gateway.Services.GetRequiredService<VenueReadMonitor>();
    private VenueReaderOptions Options => gateway.Services.GetRequiredService<VenueReaderOptions>();

    public Task InitializeAsync()
    {
        _server = new HostileVenueServer();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<VenueBusy> ReadAsync(Hostility mode)
    {
        var busy = await Reader.GetBusyAsync(_server.Url(mode), From, To, CancellationToken.None).WaitAsync(Guard);
        // The work the read started has ended too, not only the caller's wait.
        await Monitor.WhenIdleAsync().WaitAsync(Guard);
        return busy;
    }

    private static void AssertUnreadable(VenueBusy busy)
    {
        Assert.Equal(VenueCalendarStatus.Unavailable, busy.Status);
        Assert.Equal(VenueBusy.UnreadableReason, busy.Reason);
    }

    [Theory]
    [InlineData(Hostility.RecurrenceBomb)]
    [InlineData(Hostility.RecurrenceBombReport)]
    public async Task ARecurrenceBombSince1900_IsCutAtTheOccurrenceCap_AndTheExpansionStops(Hostility mode)
    {
        var before = Monitor.Occurrences;
        AssertUnreadable(await ReadAsync(mode));
        var expanded = Monitor.Occurrences - before;
        // Moved ahead to the day before the range, then counted: never the four billion seconds since 1900.
        Assert.InRange(expanded, 1, Options.MaxOccurrences + 1);
        await Task.Yield();
        Assert.Equal(expanded, Monitor.Occurrences - before); // idle means idle: nothing is still expanding
    }

    [Fact]
    public async Task ATarpit_DoesNotHoldTheReader_TheReaderLeavesTheConnectionItself()
    {
        AssertUnreadable(await ReadAsync(Hostility.Tarpit));
        // The server never answers and never closes: the read could only end because the reader gave up and hung up.
        await _server.ClientLeft(Hostility.Tarpit).WaitAsync(Guard);
    }

    [Fact]
    public async Task AnEndlessBody_StopsAtTheSizeCap_WithoutBufferingMore()
    {
        AssertUnreadable(await ReadAsync(Hostility.EndlessBody));
        await _server.ClientLeft(Hostility.EndlessBody).WaitAsync(Guard);
        Assert.InRange(Monitor.PeakBufferedBytes, 1, Options.MaxResponseBytes);
    }

    [Fact]
    public async Task AHugeAnnouncedBody_IsRefusedBeforeItIsRead()
    {
        var peak = Monitor.PeakBufferedBytes;
        AssertUnreadable(await ReadAsync(Hostility.HugeBody));
        await _server.ClientLeft(Hostility.HugeBody).WaitAsync(Guard);
        Assert.True(Monitor.PeakBufferedBytes <= Math.Max(peak, Options.MaxResponseBytes));
    }

    [Fact]
    public async Task ASlowDrip_EndsAtTheDeadline_WhileTheServerIsStillDripping()
    {
        AssertUnreadable(await ReadAsync(Hostility.SlowDrip));
        await _server.ClientLeft(Hostility.SlowDrip).WaitAsync(Guard);
        Assert.True(_server.Sent(Hostility.SlowDrip) > 0, "the drip had started");
    }

    [Fact]
    public async Task DenseEventsAndNesting_AreBoundedToo()
    {
        AssertUnreadable(await ReadAsync(Hostility.NestingBomb));
        // Almost 4 MB of events inside the range: either the deadline or the occurrence cap ends it; the work stops.
        AssertUnreadable(await ReadAsync(Hostility.DenseEvents));
    }

    [Fact]
    public async Task EveryFailure_GivesTheSameReason_SoAHostCannotProbePorts()
    {
        var closed = GatewayFactory.FreePort();
        var readings = new List<VenueBusy>
        {
            await Reader.GetBusyAsync($"http://127.0.0.1:{closed}/cal.ics", From, To, CancellationToken.None),
            await ReadAsync(Hostility.NotFound),
            await ReadAsync(Hostility.NotACalendar),
            await ReadAsync(Hostility.Tarpit),
            await Reader.GetBusyAsync("ftp://example.org/cal.ics", From, To, CancellationToken.None),
        };
        Assert.All(readings, AssertUnreadable);
        var stop = new StopSnapshot
        {
            StopId = "s", TourId = "t", ClaimId = "c", HostId = "h", City = "Chicago", Country = "US", TimeZone = "America/Chicago",
            Dates = [new LocalDate(2026, 10, 29)], Venue = new Venue { Name = "Hall" },
            Events = [new StopEvent { EventId = "e", Title = "Meeting", Start = new LocalDateTime(2026, 10, 29, 19, 0), DurationMinutes = 60 }],
        };
        var messages = readings.Select(r => Assert.Single(VenueConflicts.Check(stop, r))).Select(c => (c.Message, c.MessageEs)).Distinct();
        Assert.Single(messages);
    }

    [Fact]
    public async Task AReadCalledFromAnotherScheduler_StillEndsByItsOwnDeadline()
    {
        // A caller that neither cancels nor waits with a timeout of its own (the tour grain today, the Gateway after).
        using var never = new CancellationTokenSource();
        var busy = await Task.Factory.StartNew(() => Reader.GetBusyAsync(_server.Url(Hostility.Tarpit), From, To, never.Token),
            CancellationToken.None, TaskCreationOptions.None, new ConcurrentExclusiveSchedulerPair().ExclusiveScheduler).Unwrap().WaitAsync(Guard);
        AssertUnreadable(busy);
        await Monitor.WhenIdleAsync().WaitAsync(Guard);
    }
}

/// <summary>A recurrence bomb behind a claim: confirm answers with a warning and the tour stays readable meanwhile.</summary>
[Collection(VenueCollection.Name)]
public sealed class HostileVenueEndToEndTests(VenueGatewayFactory gateway)
{
    [Fact]
    public async Task Confirm_WithARecurrenceBombCalendar_WarnsAndAnonymousReadsOfTheTourSucceed()
    {
        await using var server = new HostileVenueServer();
        var s = await ApiScenario.CreateAsync(gateway.CreateClient());
        var claim = await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/claims", s.HostB, new
        {
            city = "Chicago", country = "US", timeZone = "America/Chicago", latitude = 41.8781, longitude = -87.6298, dates = new[] { "2026-10-30" },
            venue = new { name = "Hall", calendarUrl = server.Url(Hostility.RecurrenceBomb) },
            events = new[] { new { title = "Meeting", start = "2026-10-30T19:00", durationMinutes = 60, @public = true } },
        }), HttpStatusCode.Created);

        var confirm = s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/claims/{claim.Str("claimId")}/confirm", s.Organizer);
        var anonymous = gateway.CreateClient().GetAsync($"/api/tours/{s.TourId}");
        Assert.Equal(HttpStatusCode.OK, (await anonymous).StatusCode);
        var confirmed = await ApiScenario.Ok(await confirm, HttpStatusCode.OK);
        var warning = Assert.Single(confirmed.GetProperty("conflicts").EnumerateArray(), c => c.Str("code") == "venue-calendar-unavailable");
        Assert.Contains("could not be read", warning.Str("message"));
        Assert.Contains("No se pudo leer", warning.Str("messageEs"));
        await gateway.Services.GetRequiredService<VenueReadMonitor>().WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(60));
    }
}
