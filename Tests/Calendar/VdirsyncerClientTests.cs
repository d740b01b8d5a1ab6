using System.Text;
using NodaTime;
using TourPlanner.Gateway.Calendar;

namespace TourPlanner.Tests.Calendar;

/// <summary>
/// vdirsyncer subscribes to the feed over HTTP and keeps a local copy; reschedules and
/// cancellations must update that copy without leaving duplicates behind.
/// </summary>
/// <remarks>
/// vdirsyncer's http storage (0.19) always replaces each item's UID with a hash of its content
/// (HttpStorage._ignore_uids), so a changed event arrives as a new item and the old file must be
/// deleted. Local files are therefore matched to events by their URL, which is unique per event.
/// </remarks>
public sealed class VdirsyncerClientTests
{
    internal const string Config = """
        [general]
        status_path = "{0}"

        [pair tour]
        a = "tour_remote"
        b = "tour_local"
        collections = null
        conflict_resolution = "a wins"

        [storage tour_remote]
        type = "http"
        url = "{1}"

        [storage tour_local]
        type = "filesystem"
        path = "{2}"
        fileext = ".ics"
        """;

    private const string RescheduledUid = "jnb-stop@tour.invalid";
    private const string CancelledLaterUid = "accents@tour.invalid";

    [Fact]
    public async Task Syncs_the_feed_then_a_reschedule_and_a_cancellation_without_duplicates()
    {
        var vdirsyncer = ExternalTool.RequireOnPath("vdirsyncer");
        using var temp = new TempDirectory();
        var local = Directory.CreateDirectory(temp.File("local")).FullName;
        await using var server = await LoopbackFeedServer.StartAsync();
        var config = temp.Write("config", Encoding.UTF8.GetBytes(string.Format(Config,
            temp.File("status") + "/", server.FeedUrl, local + "/")));
        var env = new Dictionary<string, string>
        {
            ["HOME"] = temp.Path,
            ["XDG_CONFIG_HOME"] = temp.Path,
            // Loopback only: no proxy may sit between vdirsyncer and the test server.
            ["NO_PROXY"] = "*", ["no_proxy"] = "*", ["http_proxy"] = "", ["HTTP_PROXY"] = "",
        };
        async Task Sync(string step)
        {
            (await ExternalTool.RunAsync(vdirsyncer, ["-c", config, "sync"], temp.Path, env)).EnsureSuccess($"vdirsyncer sync ({step})");
        }

        var feed = TestTours.Tour(eventCount: 40);
        server.Feed = FeedWriter.Write(feed);
        (await ExternalTool.RunAsync(vdirsyncer, ["-c", config, "discover"], temp.Path, env)).EnsureSuccess("vdirsyncer discover");
        await Sync("initial");
        AssertOneFilePerEvent(local, feed);

        // Reschedule: same UID, SEQUENCE up, a day later at 19:00.
        var original = feed.Events.Single(e => e.Uid == RescheduledUid);
        var newStart = original.Start.LocalDateTime.PlusDays(1).PlusHours(1).InZoneStrictly(original.Start.Zone);
        var rescheduled = original with
        {
            Start = newStart,
            End = newStart.PlusHours(3),
            Sequence = original.Sequence + 1,
            LastModified = original.LastModified + Duration.FromDays(30),
        };
        feed = Replace(feed, rescheduled);
        server.Feed = FeedWriter.Write(feed);
        await Sync("reschedule");
        AssertOneFilePerEvent(local, feed);
        var rescheduledFile = Unfold(FileFor(local, rescheduled));
        Assert.Contains($"DTSTART;TZID=Africa/Johannesburg:{IcalFormat.Local(newStart.LocalDateTime)}", rescheduledFile);
        Assert.DoesNotContain($":{IcalFormat.Local(original.Start.LocalDateTime)}", rescheduledFile);
        Assert.Contains($"SEQUENCE:{rescheduled.Sequence}", rescheduledFile);

        // Cancellation: the event stays in the feed with STATUS:CANCELLED.
        var toCancel = feed.Events.Single(e => e.Uid == CancelledLaterUid);
        feed = Replace(feed, toCancel with
        {
            Status = FeedEventStatus.Cancelled,
            Sequence = toCancel.Sequence + 1,
            LastModified = toCancel.LastModified + Duration.FromDays(31),
        });
        server.Feed = FeedWriter.Write(feed);
        await Sync("cancellation");
        AssertOneFilePerEvent(local, feed);
        var cancelledFile = Unfold(FileFor(local, toCancel));
        Assert.Contains("STATUS:CANCELLED", cancelledFile);
        Assert.Contains($"SEQUENCE:{toCancel.Sequence + 1}", cancelledFile);
        Assert.Contains("DTSTART;TZID=Africa/Johannesburg:" + IcalFormat.Local(newStart.LocalDateTime), Unfold(FileFor(local, rescheduled)));
        Assert.True(server.Requests >= 3, $"vdirsyncer fetched the feed {server.Requests} times, expected one per sync.");
    }

    private static FeedCalendar Replace(FeedCalendar feed, FeedEvent changed) =>
        feed with { Events = feed.Events.Select(e => e.Uid == changed.Uid ? changed : e).ToList() };

    private static void AssertOneFilePerEvent(string local, FeedCalendar feed)
    {
        var urls = Directory.GetFiles(local, "*.ics")
            .Select(f => Unfold(File.ReadAllText(f)))
            .Select(text => Assert.Single(text.Split("\r\n"), l => l.StartsWith("URL:", StringComparison.Ordinal) && l.Contains("/stops/", StringComparison.Ordinal))[4..])
            .ToList();
        Assert.Equal(feed.Events.Count, urls.Count);
        Assert.Equal(feed.Events.Select(UrlOf).Order(StringComparer.Ordinal), urls.Order(StringComparer.Ordinal));
    }

    private static string UrlOf(FeedEvent e) => IcalText.SanitizeUri(e.Url!);

    private static string FileFor(string local, FeedEvent e) =>
        Assert.Single(Directory.GetFiles(local, "*.ics").Select(File.ReadAllText), t => Unfold(t).Contains($"\r\nURL:{UrlOf(e)}\r\n", StringComparison.Ordinal));

    private static string Unfold(string text) => text.Replace("\r\n ", "", StringComparison.Ordinal).Replace("\r\n\t", "", StringComparison.Ordinal);
}
