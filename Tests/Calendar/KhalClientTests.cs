using System.Text.RegularExpressions;
using TourPlanner.Gateway.Calendar;

namespace TourPlanner.Tests.Calendar;

/// <summary>khal imports the feed into a throwaway configuration and must list every event at NodaTime's times.</summary>
public sealed partial class KhalClientTests
{
    // khal prints times in its configured local zone; with UTC there, what it lists is the UTC instant.
    internal const string Config = """
        [calendars]
        [[tour]]
        path = {0}
        type = calendar

        [locale]
        local_timezone = UTC
        default_timezone = UTC
        timeformat = %H:%M
        dateformat = %Y-%m-%d
        longdateformat = %Y-%m-%d
        datetimeformat = %Y-%m-%dT%H:%M
        longdatetimeformat = %Y-%m-%dT%H:%M

        [default]
        default_calendar = tour

        [sqlite]
        path = {1}
        """;

    [GeneratedRegex(@"@@(?<uid>[^|]+)\|(?<start>[^|]+)\|(?<end>[^|]+)\|(?<status>[^@]*)@@")]
    private static partial Regex Listed();

    [Fact]
    public async Task Imports_the_tour_feed_and_lists_every_event_at_NodaTime_times()
    {
        var khal = ExternalTool.RequireOnPath("khal");
        var feed = TestTours.Tour();
        using var temp = new TempDirectory();
        var vdir = Directory.CreateDirectory(temp.File("calendar")).FullName;
        var config = temp.Write("khal.conf", System.Text.Encoding.UTF8.GetBytes(string.Format(Config, vdir, temp.File("khal.db"))));
        var ics = temp.Write("tour.ics", FeedWriter.Write(feed));
        var env = new Dictionary<string, string> { ["HOME"] = temp.Path, ["XDG_CONFIG_HOME"] = temp.Path, ["XDG_DATA_HOME"] = temp.Path };

        (await ExternalTool.RunAsync(khal, ["-c", config, "import", "--batch", "-a", "tour", ics], temp.Path, env)).EnsureSuccess("khal import");
        var listing = (await ExternalTool.RunAsync(khal,
            ["-c", config, "list", "--once", "--day-format", "", "--format", "@@{uid}|{start}|{end}|{status}@@", "2025-01-01", "1000d"],
            temp.Path, env)).EnsureSuccess("khal list");

        var listed = Listed().Matches(listing.StdOut).ToDictionary(m => m.Groups["uid"].Value.Trim());
        Assert.True(listed.Count == feed.Events.Count, $"khal listed {listed.Count} events, the feed has {feed.Events.Count}.\n{listing.StdOut}");
        Assert.Equal(feed.Events.Count, Directory.GetFiles(vdir, "*.ics").Length);
        foreach (var e in feed.Events)
        {
            Assert.True(listed.TryGetValue(e.Uid, out var m), $"khal lost {e.Uid}.");
            Assert.Equal(Minute(e.Start), m.Groups["start"].Value.Trim());
            Assert.Equal(Minute(e.End), m.Groups["end"].Value.Trim());
        }

        // No raw CR/LF made it into a stored event as a property of its own.
        foreach (var file in Directory.GetFiles(vdir, "*.ics"))
            Assert.DoesNotMatch(@"(?m)^(X-INJECTED|ATTENDEE)", File.ReadAllText(file));
    }

    private static string Minute(NodaTime.ZonedDateTime value) =>
        NodaTime.Text.InstantPattern.CreateWithInvariantCulture("uuuu-MM-dd'T'HH:mm").Format(value.ToInstant());
}
