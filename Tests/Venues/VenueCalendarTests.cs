using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using TourPlanner.Tests.Calendar;
using Microsoft.Extensions.Configuration;
using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Venues;

/// <summary>Venue calendars end to end: a real Radicale holds the venue's bookings, the Gateway reads them on confirm.</summary>
[Collection(VenueCollection.Name)]
public sealed class VenueCalendarTests(RadicaleFixture radicale, VenueGatewayFactory gateway)
{
    private const string ChicagoZone = """
        BEGIN:VTIMEZONE
        TZID:America/Chicago
        BEGIN:DAYLIGHT
        TZOFFSETFROM:-0600
        TZOFFSETTO:-0500
        TZNAME:CDT
        DTSTART:19700308T020000
        RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU
        END:DAYLIGHT
        BEGIN:STANDARD
        TZOFFSETFROM:-0500
        TZOFFSETTO:-0600
        TZNAME:CST
        DTSTART:19701101T020000
        RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU
        END:STANDARD
        END:VTIMEZONE
        """;

    private static (string, string) Event(string uid, string start, string end, string extra = "") => (uid, string.Join("\r\n", $"""
        BEGIN:VCALENDAR
        VERSION:2.0
        PRODID:-//TourPlanner tests//Venue//EN
        {ChicagoZone}
        BEGIN:VEVENT
        UID:{uid}
        DTSTAMP:20260901T000000Z
        DTSTART;TZID=America/Chicago:{start}
        DTEND;TZID=America/Chicago:{end}
        SUMMARY:Private booking {uid}
        {extra}
        END:VEVENT
        END:VCALENDAR
        """.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0)) + "\r\n");

    /// <summary>
    /// Busy Thu 29 Oct 18:00–20:00 CDT; a transparent booking on the 30th and a cancelled one on the 31st at the same
    /// hours; and a weekly Thursday-morning class from 1 Oct (10:00–12:00), which only expansion finds on 5 Nov.
    /// </summary>
    private Task<Uri> VenueCalendarAsync() => radicale.CreateCalendarAsync(
        Event("busy", "20261029T180000", "20261029T200000"),
        Event("transparent", "20261030T180000", "20261030T200000", "TRANSP:TRANSPARENT"),
        Event("cancelled", "20261031T180000", "20261031T200000", "STATUS:CANCELLED"),
        Event("weekly", "20261001T100000", "20261001T120000", "RRULE:FREQ=WEEKLY;BYDAY=TH"));

    private static object Claim(string date, string time, string calendarUrl) => new
    {
        city = "Chicago", country = "US", timeZone = "America/Chicago", latitude = 41.8781, longitude = -87.6298, dates = new[] { date },
        venue = new { name = "Teamsters Hall", address = "300 S Ashland Ave", calendarUrl },
        events = new[] { new { title = "Public meeting", start = $"{date}T{time}", durationMinutes = 60, @public = true } },
    };

    private async Task<(ApiScenario S, string ClaimId, string EventId)> ClaimAsync(string date, string time, string calendarUrl)
    {
        var s = await ApiScenario.CreateAsync(gateway.CreateClient());
        var claim = await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/claims", s.HostA, Claim(date, time, calendarUrl)), HttpStatusCode.Created);
        return (s, claim.Str("claimId"), claim.GetProperty("events")[0].Str("eventId"));
    }

    private static Task<HttpResponseMessage> ConfirmAsync(ApiScenario s, string claimId) =>
        s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/claims/{claimId}/confirm", s.Organizer);

    private static async Task<JsonElement[]> TourConflictsAsync(ApiScenario s) =>
        [.. (await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Get, $"/api/tours/{s.TourId}/conflicts", s.Organizer), HttpStatusCode.OK))
            .GetProperty("conflicts").EnumerateArray()];

    [Fact]
    public async Task Confirm_WhenTheVenueIsBusy_Returns409WithVenueBusyNamingTheEvent()
    {
        var url = await VenueCalendarAsync();
        var (s, claimId, eventId) = await ClaimAsync("2026-10-29", "19:00", url.ToString());
        var response = await ConfirmAsync(s, claimId);
        var body = await ApiScenario.Ok(response, HttpStatusCode.Conflict);
        var c = Assert.Single(body.GetProperty("conflicts").EnumerateArray(), x => x.Str("code") == "venue-busy");
        Assert.Equal("error", c.Str("severity"));
        Assert.Equal([eventId], c.GetProperty("eventIds").EnumerateArray().Select(x => x.GetString()));
        // TZID America/Chicago read through: the busy stretch shows at the venue's local hours, with the venue's title kept private.
        Assert.Contains("Thu 29 Oct 18:00 CDT–Thu 29 Oct 20:00 CDT", c.Str("message"));
        Assert.DoesNotContain("Private booking", body.ToString());
    }

    [Theory]
    [InlineData("2026-10-29", "20:00")] // starts as the booking ends
    [InlineData("2026-10-29", "17:00")] // ends as the booking starts
    [InlineData("2026-10-30", "19:00")] // over a transparent booking
    [InlineData("2026-10-31", "19:00")] // over a cancelled booking
    [InlineData("2026-11-05", "13:00")] // after the weekly class
    public async Task Confirm_BesideABookingOrOverOneThatDoesNotBlock_Succeeds(string date, string time)
    {
        var url = await VenueCalendarAsync();
        var (s, claimId, _) = await ClaimAsync(date, time, url.ToString());
        await ApiScenario.Ok(await ConfirmAsync(s, claimId), HttpStatusCode.OK);
        Assert.DoesNotContain(await TourConflictsAsync(s), c => c.Str("code").StartsWith("venue-"));
    }

    [Fact]
    public async Task Confirm_OverAnOccurrenceOfARecurringBooking_IsRefused()
    {
        var url = await VenueCalendarAsync();
        var (s, claimId, eventId) = await ClaimAsync("2026-11-05", "11:00", url.ToString());
        var body = await ApiScenario.Ok(await ConfirmAsync(s, claimId), HttpStatusCode.Conflict);
        var c = Assert.Single(body.GetProperty("conflicts").EnumerateArray(), x => x.Str("code") == "venue-busy");
        Assert.Contains("Thu 5 Nov 10:00 CST", c.Str("message")); // after the fall-back: CST, expanded in the venue's zone
    }

    [Fact]
    public async Task Confirm_WithAPlainIcsUrl_ReadsItWithGet()
    {
        var url = await VenueCalendarAsync();
        // Radicale's GET of the collection is the whole calendar as one .ics; serve it where REPORT is not answered.
        await using var ics = await LoopbackFeedServer.StartAsync();
        ics.Feed = await radicale.Client.GetByteArrayAsync(url);
        var (busy, busyClaim, _) = await ClaimAsync("2026-10-29", "19:00", ics.FeedUrl.ToString());
        Assert.Contains((await ApiScenario.Ok(await ConfirmAsync(busy, busyClaim), HttpStatusCode.Conflict)).GetProperty("conflicts").EnumerateArray(),
            c => c.Str("code") == "venue-busy");
        var (free, freeClaim, _) = await ClaimAsync("2026-10-30", "19:00", ics.FeedUrl.ToString());
        await ApiScenario.Ok(await ConfirmAsync(free, freeClaim), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Confirm_WhenTheCalendarIsUnreachable_SucceedsWithAWarning()
    {
        var closedPort = GatewayFactory.FreePort();
        var (s, claimId, eventId) = await ClaimAsync("2026-10-29", "19:00", $"http://127.0.0.1:{closedPort}/venue/cal/");
        var confirmed = await ApiScenario.Ok(await ConfirmAsync(s, claimId), HttpStatusCode.OK);
        Assert.Equal("confirmed", confirmed.Str("status"));
        Assert.Contains(confirmed.GetProperty("conflicts").EnumerateArray(), c => c.Str("code") == "venue-calendar-unavailable"); // the confirm answer says so
        var w = Assert.Single(await TourConflictsAsync(s), c => c.Str("code") == "venue-calendar-unavailable");
        Assert.Equal("warning", w.Str("severity"));
        Assert.Contains(eventId, w.GetProperty("eventIds").EnumerateArray().Select(x => x.GetString()));
    }

    [Fact]
    public async Task Confirm_WhenTheCalendarNeverAnswers_GivesUpWithinTheTimeout()
    {
        // Accepts connections and never answers: the tour grain must not wait on it beyond the venue timeout.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var (s, claimId, _) = await ClaimAsync("2026-10-29", "19:00", $"http://127.0.0.1:{port}/venue/cal/");
        var watch = Stopwatch.StartNew();
        await ApiScenario.Ok(await ConfirmAsync(s, claimId), HttpStatusCode.OK);
        Assert.True(watch.Elapsed < VenueGatewayFactory.Timeout * 4, $"confirm took {watch.Elapsed}");
        Assert.True(watch.Elapsed >= VenueGatewayFactory.Timeout * 0.9, $"confirm took {watch.Elapsed}: did it wait at all?");
        silent.Stop();
    }

    [Fact]
    public async Task WrongCredentials_AreAWarningNotABlock()
    {
        var url = await VenueCalendarAsync();
        var withBadUserInfo = new UriBuilder(url) { UserName = RadicaleFixture.User, Password = "wrong" }.Uri;
        var (s, claimId, _) = await ClaimAsync("2026-10-29", "19:00", withBadUserInfo.ToString());
        await ApiScenario.Ok(await ConfirmAsync(s, claimId), HttpStatusCode.OK);
        var w = Assert.Single(await TourConflictsAsync(s), c => c.Str("code") == "venue-calendar-unavailable");
        Assert.DoesNotContain("wrong", w.ToString());
    }
}

/// <summary>The reader's parsing and credentials, without a server.</summary>
public sealed class CalDavParsingTests
{
    private static readonly NodaTime.Instant From = NodaTime.Instant.FromUtc(2026, 10, 29, 0, 0), To = NodaTime.Instant.FromUtc(2026, 10, 30, 0, 0);

    [Fact]
    public void FreeBusyBusyPeriods_AreBusy_FreeOnesAreNot()
    {
        var ics = string.Join("\r\n", "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//t//t//EN", "BEGIN:VFREEBUSY", "UID:fb", "DTSTAMP:20260901T000000Z",
            "FREEBUSY;FBTYPE=BUSY:20261029T230000Z/20261030T010000Z", "FREEBUSY;FBTYPE=FREE:20261029T120000Z/20261029T130000Z",
            "END:VFREEBUSY", "END:VCALENDAR", "");
        var busy = Gateway.Venues.CalDavVenueCalendar.FromIcs(ics, From, To).ToList();
        Assert.Equal([new TourPlanner.Grains.Domain.BusyInterval(NodaTime.Instant.FromUtc(2026, 10, 29, 23, 0), NodaTime.Instant.FromUtc(2026, 10, 30, 1, 0))], busy);
    }

    private static string Recurring(string start, string end, string rule, string extra = "") => string.Join("\r\n",
        new[] { "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//t//t//EN", "BEGIN:VEVENT", "UID:r", "DTSTAMP:20260901T000000Z",
            start, end, rule, extra, "END:VEVENT", "END:VCALENDAR", "" }.Where(l => l.Length > 0)) + "\r\n";

    [Theory]
    // Daily since 1900 is ~46,000 occurrences before 2026, over the cap: only skipping ahead by whole days reads it.
    [InlineData("DTSTART:19000101T230000Z", "DTEND:19000101T233000Z", "RRULE:FREQ=DAILY")]
    [InlineData("DTSTART:19000104T230000Z", "DTEND:19000104T233000Z", "RRULE:FREQ=WEEKLY;BYDAY=TH,SU")]
    [InlineData("DTSTART:19000101T230000Z", "DTEND:19000101T233000Z", "RRULE:FREQ=HOURLY;INTERVAL=24")]
    [InlineData("DTSTART:19000129T230000Z", "DTEND:19000129T233000Z", "RRULE:FREQ=MONTHLY")]
    [InlineData("DTSTART;TZID=America/Chicago:19500102T180000", "DTEND;TZID=America/Chicago:19500102T183000", "RRULE:FREQ=DAILY;INTERVAL=3;UNTIL=20301231T000000Z")]
    public void ARuleFromLongAgo_IsMovedAheadByWholePeriods_AndStillFindsItsOccurrenceInTheRange(string start, string end, string rule)
    {
        // 29 Oct 2026 is a Thursday, 23:00Z; 2 Jan 1950 plus 28,059 days (a multiple of 3) is 29 Oct 2026, 18:00 CDT.
        var busy = Gateway.Venues.CalDavVenueCalendar.FromIcs(Recurring(start, end, rule), From, To).ToList();
        Assert.Contains(new TourPlanner.Grains.Domain.BusyInterval(NodaTime.Instant.FromUtc(2026, 10, 29, 23, 0), NodaTime.Instant.FromUtc(2026, 10, 29, 23, 30)), busy);
    }

    [Theory]
    [InlineData("RRULE:FREQ=SECONDLY")]                          // moved to the day before, still 86,400 a day
    [InlineData("RRULE:FREQ=MINUTELY;COUNT=100000000")]          // COUNT counts from 1900: cannot be moved
    [InlineData("RRULE:FREQ=DAILY;BYMONTH=1,2,3,4,5,6,7,8,9,10,11,12")] // month filters on a daily rule: not moved
    public void ARuleThatCannotBeReadCheaply_IsTooComplex_NotACpuBurn(string rule)
    {
        Assert.Throws<Gateway.Venues.CalendarTooComplexException>(() =>
            Gateway.Venues.CalDavVenueCalendar.FromIcs(Recurring("DTSTART:19000101T000000Z", "DTEND:19000101T000001Z", rule), From, To).ToList());
    }

    [Fact]
    public void ARuleThatNeverMatches_GivesUp_InsteadOfSearchingForever()
    {
        Assert.ThrowsAny<Exception>(() => Gateway.Venues.CalDavVenueCalendar.FromIcs(
            Recurring("DTSTART:20260101T000000Z", "DTEND:20260101T010000Z", "RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30"), From, To).ToList());
    }

    [Fact]
    public void NestingPastTheLimit_IsTooComplex()
    {
        var nested = "BEGIN:VCALENDAR\r\n" + string.Concat(Enumerable.Repeat("BEGIN:VEVENT\r\n", 50));
        Assert.Throws<Gateway.Venues.CalendarTooComplexException>(() => Gateway.Venues.CalDavVenueCalendar.FromIcs(nested, From, To).ToList());
    }

    [Fact]
    public void FoldedLinesAndEventsFarFromTheRange_AreReadAsIcalNetWould()
    {
        var ics = string.Join("\r\n", "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//t//t//EN",
            "BEGIN:VEVENT", "UID:far", "DTSTART:20200101T000000Z", "DTEND:20200101T010000Z", "END:VEVENT",
            "BEGIN:VEVENT", "UID:near", "DTSTA", " RT:20261029T233000Z", "DTEND:20261030T003000Z", "SUMMARY:a private title", "BEGIN:VALARM",
            "TRIGGER:-PT15M", "ACTION:DISPLAY", "END:VALARM", "END:VEVENT", "END:VCALENDAR", "");
        Assert.Equal([new TourPlanner.Grains.Domain.BusyInterval(NodaTime.Instant.FromUtc(2026, 10, 29, 23, 30), NodaTime.Instant.FromUtc(2026, 10, 30, 0, 30))],
            Gateway.Venues.CalDavVenueCalendar.FromIcs(ics, From, To).ToList());
    }

    [Fact]
    public void CalendarQuery_AsksForEventsInTheRangeInUtc()
    {
        var xml = System.Xml.Linq.XDocument.Parse(Gateway.Venues.CalDavVenueCalendar.CalendarQuery(From, To));
        System.Xml.Linq.XNamespace cal = "urn:ietf:params:xml:ns:caldav";
        var range = Assert.Single(xml.Descendants(cal + "time-range"));
        Assert.Equal(("20261029T000000Z", "20261030T000000Z"), (range.Attribute("start")!.Value, range.Attribute("end")!.Value));
        Assert.Single(xml.Descendants(cal + "calendar-data"));
    }

    [Fact]
    public void Credentials_FromUserInfoAreStrippedFromTheUrl_ElseTakenFromConfigurationByHost()
    {
        var config = Microsoft.Extensions.Configuration.MemoryConfigurationBuilderExtensions.AddInMemoryCollection(new Microsoft.Extensions.Configuration.ConfigurationBuilder(),
                new Dictionary<string, string?> { ["Venues:Credentials:cal.example.org"] = "hall:pw" }).Build();
        var credentials = new Gateway.Venues.VenueCredentials(config);
        var (target, auth) = credentials.For(new Uri("https://u%40x:p%3Aw@dav.example.org/cal/"));
        Assert.Equal("https://dav.example.org/cal/", target.ToString());
        Assert.Equal("u@x:p:w", Encoding.UTF8.GetString(Convert.FromBase64String(auth!.Parameter!)));
        var (plain, fromConfig) = credentials.For(new Uri("https://cal.example.org/hall.ics"));
        Assert.Equal("https://cal.example.org/hall.ics", plain.ToString());
        Assert.Equal("hall:pw", Encoding.UTF8.GetString(Convert.FromBase64String(fromConfig!.Parameter!)));
        Assert.Null(credentials.For(new Uri("https://other.example.org/x.ics")).Auth);
    }
}
