using TourPlanner.Gateway.Calendar;

namespace TourPlanner.Tests.Calendar;

/// <summary>Python's icalendar (Debian python3-icalendar) must read every feed as NodaTime computes it.</summary>
public sealed class PythonIcalendarClientTests
{
    private const string Python = "/usr/bin/python3";

    public static async Task<ParsedFeed> ReadAsync(byte[] ics)
    {
        using var temp = new TempDirectory();
        var file = temp.Write("feed.ics", ics);
        var result = (await ExternalTool.RunAsync(ExternalTool.RequireOnPath(Python),
            [ClientsDirectory.File("read_with_icalendar.py"), file], ClientsDirectory.Path)).EnsureSuccess("python3 icalendar");
        return ParsedFeed.FromJson(result.StdOut, "python icalendar");
    }

    [Fact]
    public async Task Reads_the_tour_feed_with_every_time_as_NodaTime_computes()
    {
        var feed = TestTours.Tour();
        var parsed = await ReadAsync(FeedWriter.Write(feed));

        ParsedFeedAssert.MatchesFeed(feed, parsed, "python icalendar", splitsEscapedCommas: true);
    }

    [Fact]
    public async Task Reads_zones_with_rule_changes_and_irregular_changes()
    {
        var feed = TestTours.IrregularZones();
        var parsed = await ReadAsync(FeedWriter.Write(feed));

        ParsedFeedAssert.MatchesFeed(feed, parsed, "python icalendar", splitsEscapedCommas: true);
    }

    [Fact]
    public async Task Sees_no_injected_property_when_the_calendar_name_and_description_carry_CRLF()
    {
        var feed = TestTours.Tour(40, name: TestTours.Injection) with { Description = TestTours.Injection };
        var parsed = await ReadAsync(FeedWriter.Write(feed));

        ParsedFeedAssert.MatchesFeed(feed, parsed, "python icalendar", splitsEscapedCommas: true);
    }

    [Fact]
    public async Task Reads_a_single_event_download()
    {
        var later = TestTours.SpecialEvents().Single(e => e.Uid == TestTours.ChicagoLaterUid);
        var parsed = await ReadAsync(FeedWriter.WriteSingleEvent(later));

        var e = Assert.Single(parsed.Events);
        Assert.Equal(later.Start.ToInstant().ToUnixTimeSeconds(), e.Start);
        Assert.Equal(later.End.ToInstant().ToUnixTimeSeconds(), e.End);
    }
}
