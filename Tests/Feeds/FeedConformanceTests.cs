using System.Text;
using System.Text.RegularExpressions;
using NodaTime;
using TourPlanner.Tests.Calendar;

namespace TourPlanner.Tests.Feeds;

/// <summary>
/// Feeds of a real tour, built through the API and served by the Gateway on loopback, read by parsers no one here
/// wrote: Mozilla's ical.js, Python's icalendar, khal and vdirsyncer. Every event's UTC start and end must equal
/// what NodaTime computes from what was typed.
/// </summary>
public sealed partial class FeedConformanceTests(ConformanceTour tour) : IClassFixture<ConformanceTour>
{
    private static readonly string[] Zones =
        ["Europe/London", "Africa/Johannesburg", "America/New_York", "America/Chicago", "America/Managua", "America/Los_Angeles"];

    private void AssertMatches(ParsedFeed parsed, IReadOnlyList<ConformanceTour.Expected> expected, string parser, string nameSuffix = "")
    {
        Assert.Equal(TestTours.ExpectedText(tour.TourName) + nameSuffix, parsed.CalendarName);
        ParsedFeedAssert.NoInjectedProperty(parsed.Properties, parser);
        Assert.DoesNotContain(parsed.Events, e => e.Uid == "injected-uid");
        Assert.Equal(Zones.Order(), parsed.Timezones.Order());
        Assert.Equal(expected.Count, parsed.Events.Count);
        var byUid = parsed.Events.ToDictionary(e => e.Uid);
        foreach (var e in expected)
        {
            Assert.True(byUid.TryGetValue(e.Uid, out var got), $"{parser} lost {e.Uid}");
            Assert.True(e.Start.ToUnixTimeSeconds() == got.Start, $"{parser}: {e.Uid} '{e.Title}' starts {Instant.FromUnixTimeSeconds(got.Start)}, NodaTime says {e.Start}");
            Assert.True(e.End.ToUnixTimeSeconds() == got.End, $"{parser}: {e.Uid} ends {Instant.FromUnixTimeSeconds(got.End)}, NodaTime says {e.End}");
            Assert.Equal(TestTours.ExpectedText(e.Title), got.Summary);
        }
    }

    [Fact]
    public async Task IcalJs_InStrictMode_ReadsEveryPublicEventAtNodaTimesInstants()
    {
        var parsed = await IcalJsClientTests.ReadAsync(await tour.FeedAsync());
        AssertMatches(parsed, tour.PublicEvents, "ical.js");
        Assert.True(tour.PublicEvents.Count >= 270);
    }

    [Fact]
    public async Task PythonIcalendar_ReadsEveryPublicEventAtNodaTimesInstants()
    {
        var parsed = await PythonIcalendarClientTests.ReadAsync(await tour.FeedAsync());
        AssertMatches(parsed, tour.PublicEvents, "python icalendar");
    }

    [Fact]
    public async Task ThePrivateFeed_HasEveryEventAndTheTravelLegs_ForIcalJs()
    {
        var bytes = await tour.FeedAsync($"private.ics?token={tour.SpeakerToken}");
        var parsed = await IcalJsClientTests.ReadAsync(bytes);
        var legs = parsed.Events.Where(e => e.Uid.StartsWith("travel-", StringComparison.Ordinal)).ToList();
        Assert.Equal(5, legs.Count); // one flight between each pair of cities
        AssertMatches(parsed with { Events = [.. parsed.Events.Except(legs)] }, tour.Events, "ical.js (private)", " (private)");
        var ends = tour.Events.Select(e => e.End.ToUnixTimeSeconds()).ToHashSet();
        foreach (var leg in legs)
        {
            // Leaves when an event ends, and lasts exactly the minutes its title states, across two zones.
            Assert.Contains(leg.Start, ends);
            var minutes = int.Parse(Regex.Match(leg.Summary!, @"(\d+) min\)").Groups[1].Value);
            Assert.Equal(minutes * 60L, leg.End - leg.Start);
            var raw = Ics.ByUid(Encoding.UTF8.GetString(bytes), leg.Uid);
            Assert.NotEqual(raw["DTSTART@params"], raw["DTEND@params"].Replace("DTEND", "DTSTART"));
            Assert.Equal("TRANSPARENT", raw["TRANSP"]);
        }
    }

    [Fact]
    public async Task EventsInTheRepeatedHour_AreReadAsTheEarlierInstantByEveryParser()
    {
        var ambiguous = tour.Events.Where(e => e.Start == Instant.FromUtc(2026, 10, 25, 0, 30) || e.Start == Instant.FromUtc(2026, 11, 1, 5, 30)).ToList();
        Assert.Equal(2, ambiguous.Count); // 01:30 BST in London, 01:30 EDT in New York
        var feed = await tour.FeedAsync();
        foreach (var parsed in new[] { await IcalJsClientTests.ReadAsync(feed), await PythonIcalendarClientTests.ReadAsync(feed) })
            foreach (var e in ambiguous)
                Assert.Equal(e.Start.ToUnixTimeSeconds(), parsed.Events.Single(p => p.Uid == e.Uid).Start);
    }

    [GeneratedRegex(@"@@(?<uid>[^|]+)\|(?<start>[^|]+)\|(?<end>[^@]+)@@")]
    private static partial Regex KhalLine();

    [Fact]
    public async Task Khal_ImportsTheFeed_AndListsEveryEventAtNodaTimesInstants()
    {
        var khal = ExternalTool.RequireOnPath("khal");
        using var temp = new TempDirectory();
        var vdir = Directory.CreateDirectory(temp.File("calendar")).FullName;
        var config = temp.Write("khal.conf", Encoding.UTF8.GetBytes(string.Format(KhalClientTests.Config, vdir, temp.File("khal.db"))));
        var ics = temp.Write("tour.ics", await tour.FeedAsync());
        var env = new Dictionary<string, string> { ["HOME"] = temp.Path, ["XDG_CONFIG_HOME"] = temp.Path, ["XDG_DATA_HOME"] = temp.Path };
        (await ExternalTool.RunAsync(khal, ["-c", config, "import", "--batch", "-a", "tour", ics], temp.Path, env)).EnsureSuccess("khal import");
        var listing = (await ExternalTool.RunAsync(khal, ["-c", config, "list", "--once", "--day-format", "", "--format", "@@{uid}|{start}|{end}@@", "2026-10-01", "90d"],
            temp.Path, env)).EnsureSuccess("khal list");

        var listed = KhalLine().Matches(listing.StdOut).ToDictionary(m => m.Groups["uid"].Value.Trim());
        var expected = tour.PublicEvents;
        Assert.Equal(expected.Count, listed.Count);
        static string Minute(Instant i) => NodaTime.Text.InstantPattern.CreateWithInvariantCulture("uuuu-MM-dd'T'HH:mm").Format(i);
        foreach (var e in expected)
        {
            Assert.True(listed.TryGetValue(e.Uid, out var m), $"khal lost {e.Uid}");
            Assert.Equal(Minute(e.Start), m.Groups["start"].Value.Trim());
            Assert.Equal(Minute(e.End), m.Groups["end"].Value.Trim());
        }
        foreach (var file in Directory.GetFiles(vdir, "*.ics"))
            Assert.DoesNotMatch(@"(?m)^(X-INJECTED|ATTENDEE)", File.ReadAllText(file));
    }

    [Fact]
    public async Task Vdirsyncer_SubscribesOverHttp_AndAReschedule_AndACancellation_NeverLeaveADuplicate()
    {
        var vdirsyncer = ExternalTool.RequireOnPath("vdirsyncer");
        using var temp = new TempDirectory();
        var local = Directory.CreateDirectory(temp.File("local")).FullName;
        var config = temp.Write("config", Encoding.UTF8.GetBytes(string.Format(VdirsyncerClientTests.Config, temp.File("status") + "/", tour.FeedUrl, local + "/")));
        var env = new Dictionary<string, string>
        {
            ["HOME"] = temp.Path, ["XDG_CONFIG_HOME"] = temp.Path,
            ["NO_PROXY"] = "*", ["no_proxy"] = "*", ["http_proxy"] = "", ["HTTP_PROXY"] = "",
        };
        async Task SyncAsync(string step) =>
            (await ExternalTool.RunAsync(vdirsyncer, ["-c", config, "sync"], temp.Path, env)).EnsureSuccess($"vdirsyncer sync ({step})");
        // vdirsyncer's http storage renames items by a content hash, so files are matched to events by their URL.
        Dictionary<string, string> FilesByEvent()
        {
            var files = Directory.GetFiles(local, "*.ics").Select(f => Ics.Unfold(File.ReadAllText(f))).ToList();
            // Each item also carries the calendar's own URL (RFC 7986); the event's URL ends in #eventId.
            var byEvent = files.Select(t => (Url: t.Split("\r\n").Single(l => l.StartsWith("URL:", StringComparison.Ordinal) && l.Contains('#')), Text: t))
                .ToDictionary(x => x.Url[(x.Url.LastIndexOf('#') + 1)..], x => x.Text);
            Assert.Equal(files.Count, byEvent.Count); // one file per event: no duplicates
            return byEvent;
        }

        (await ExternalTool.RunAsync(vdirsyncer, ["-c", config, "discover"], temp.Path, env)).EnsureSuccess("vdirsyncer discover");
        await SyncAsync("initial");
        Assert.Equal(tour.PublicEvents.Select(e => e.EventId).Order(), FilesByEvent().Keys.Order());

        // Reschedule the first Chicago event to 23:00 the same day: same UID, SEQUENCE up, still one file.
        var target = tour.PublicEvents.First(e => e.Start > Instant.FromUtc(2026, 11, 6, 0, 0));
        var moved = await tour.RescheduleAsync(target, new LocalDateTime(2026, 11, 6, 23, 0), "America/Chicago");
        await SyncAsync("reschedule");
        var files = FilesByEvent();
        Assert.Equal(tour.PublicEvents.Count, files.Count);
        Assert.Contains("DTSTART;TZID=America/Chicago:20261106T230000", files[moved.EventId]);
        Assert.Contains("SEQUENCE:1", files[moved.EventId]);
        Assert.Equal("1", Ics.ByUid(Encoding.UTF8.GetString(await tour.FeedAsync()), moved.Uid)["SEQUENCE"]);

        // Cancel the Managua stop of 2026-11-11: its events stay, as CANCELLED.
        var cancelled = tour.Events.First(e => e.Start >= Instant.FromUtc(2026, 11, 11, 0, 0)).StopId;
        await tour.CancelStopAsync(cancelled);
        await SyncAsync("cancellation");
        files = FilesByEvent();
        Assert.Equal(tour.PublicEvents.Count, files.Count);
        foreach (var e in tour.PublicEvents.Where(e => e.StopId == cancelled))
            Assert.Contains("STATUS:CANCELLED", files[e.EventId]);
        Assert.Contains("DTSTART;TZID=America/Chicago:20261106T230000", files[moved.EventId]);
    }
}
