using TourPlanner.Gateway.Calendar;

namespace TourPlanner.Tests.Calendar;

/// <summary>Mozilla's ical.js (Thunderbird's parser), strict mode, must read every feed as NodaTime computes it.</summary>
public sealed class IcalJsClientTests
{
    public static async Task<ParsedFeed> ReadAsync(byte[] ics)
    {
        var script = ClientsDirectory.File("read-with-icaljs.mjs");
        Assert.True(Directory.Exists(ClientsDirectory.File(Path.Combine("node_modules", "ical.js"))),
            "ical.js is not installed: run 'npm ci' in Tests/Calendar/clients (see INSTALL.md).");
        using var temp = new TempDirectory();
        var file = temp.Write("feed.ics", ics);
        var result = (await ExternalTool.RunAsync(ExternalTool.RequireOnPath("node"), [script, file], ClientsDirectory.Path))
            .EnsureSuccess("ical.js");
        return ParsedFeed.FromJson(result.StdOut, "ical.js");
    }

    [Fact]
    public async Task Reads_the_tour_feed_with_every_time_as_NodaTime_computes()
    {
        var feed = TestTours.Tour();
        var parsed = await ReadAsync(FeedWriter.Write(feed));

        ParsedFeedAssert.MatchesFeed(feed, parsed, "ical.js");
    }

    [Fact]
    public async Task Reads_zones_with_rule_changes_and_irregular_changes_through_our_VTIMEZONEs()
    {
        var feed = TestTours.IrregularZones();
        var parsed = await ReadAsync(FeedWriter.Write(feed));

        ParsedFeedAssert.MatchesFeed(feed, parsed, "ical.js");
    }

    [Fact]
    public async Task Sees_no_injected_property_when_the_calendar_name_and_description_carry_CRLF()
    {
        var feed = TestTours.Tour(40, name: TestTours.Injection) with { Description = TestTours.Injection };
        var parsed = await ReadAsync(FeedWriter.Write(feed));

        ParsedFeedAssert.MatchesFeed(feed, parsed, "ical.js");
    }

    [Fact]
    public async Task Reads_a_single_event_download()
    {
        var travel = TestTours.SpecialEvents().Single(e => e.Uid == TestTours.TravelLegUid);
        var parsed = await ReadAsync(FeedWriter.WriteSingleEvent(travel));

        var e = Assert.Single(parsed.Events);
        Assert.Equal(travel.Start.ToInstant().ToUnixTimeSeconds(), e.Start);
        Assert.Equal(travel.End.ToInstant().ToUnixTimeSeconds(), e.End);
        Assert.Equal(["America/New_York", "Europe/London"], parsed.Timezones);
    }
}
