using System.Text;
using System.Text.RegularExpressions;
using NodaTime;
using TourPlanner.Gateway.Calendar;

namespace TourPlanner.Tests.Calendar;

public sealed class FeedWriterTests
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    private static readonly byte[] TourBytes = FeedWriter.Write(TestTours.Tour());

    private static List<string> PhysicalLines(byte[] bytes) =>
        ContentLineWriterTests.SplitLines(bytes).Select(l => StrictUtf8.GetString(l)).ToList();

    private static List<string> ContentLines(byte[] bytes) =>
        Encoding.UTF8.GetString(bytes).Replace("\r\n ", "", StringComparison.Ordinal)
            .Split("\r\n", StringSplitOptions.RemoveEmptyEntries).ToList();

    private static string EventBlock(byte[] bytes, string uid)
    {
        var lines = ContentLines(bytes);
        var at = lines.IndexOf("UID:" + uid);
        Assert.True(at > 0, $"no event {uid}");
        var begin = lines.LastIndexOf("BEGIN:VEVENT", at);
        var end = lines.IndexOf("END:VEVENT", at);
        return string.Join("\n", lines.GetRange(begin, end - begin + 1));
    }

    [Fact]
    public void Every_physical_line_is_at_most_75_octets_and_valid_UTF8_on_its_own()
    {
        var lines = ContentLineWriterTests.SplitLines(TourBytes);

        Assert.All(lines, l => Assert.True(l.Length <= 75, $"{l.Length} octets: {Encoding.UTF8.GetString(l)}"));
        Assert.All(lines, l => StrictUtf8.GetString(l)); // throws on a split sequence
        Assert.Contains(lines, l => l.Length > 0 && l[0] == (byte)' '); // folding did happen
    }

    [Fact]
    public void Has_the_calendar_properties_subscribers_need()
    {
        var lines = ContentLines(TourBytes);

        Assert.Equal("BEGIN:VCALENDAR", lines[0]);
        Assert.Equal("END:VCALENDAR", lines[^1]);
        Assert.Contains("VERSION:2.0", lines);
        Assert.Contains("PRODID:" + FeedWriter.ProductId, lines);
        Assert.Contains("CALSCALE:GREGORIAN", lines);
        Assert.Contains("METHOD:PUBLISH", lines);
        Assert.Contains(@"NAME:Speaker Tour 2026 — Día de campaña 🎤", lines);
        Assert.Contains(@"X-WR-CALNAME:Speaker Tour 2026 — Día de campaña 🎤", lines);
        Assert.Contains(@"X-WR-CALDESC:Every stop of the 2026 tour.\nTimes are local to each city\; commas\, semicolons\; and \\ are fine.", lines);
        Assert.Contains("X-WR-TIMEZONE:America/New_York", lines);
        Assert.Contains("REFRESH-INTERVAL;VALUE=DURATION:PT12H", lines);
        Assert.Contains("X-PUBLISHED-TTL:PT12H", lines);
        Assert.Equal(300, lines.Count(l => l == "BEGIN:VEVENT"));
    }

    [Fact]
    public void Writes_exactly_one_VTIMEZONE_per_TZID_used_all_before_the_first_event()
    {
        var lines = ContentLines(TourBytes);
        var firstEvent = lines.IndexOf("BEGIN:VEVENT");
        var used = lines.Select(l => Regex.Match(l, "^DT(START|END);TZID=([^:]+):")).Where(m => m.Success)
            .Select(m => m.Groups[2].Value).Distinct().Order(StringComparer.Ordinal).ToList();
        var defined = lines.Select((l, i) => (l, i)).Where(x => x.l.StartsWith("TZID:", StringComparison.Ordinal)).ToList();

        Assert.Equal(TestTours.Zones.Order(StringComparer.Ordinal), used);
        Assert.Equal(used, defined.Select(d => d.l[5..])); // one each, sorted by id
        Assert.All(defined, d => Assert.True(d.i < firstEvent));
        Assert.True(lines.LastIndexOf("END:VTIMEZONE") < firstEvent);
    }

    [Fact]
    public void Regenerating_gives_identical_bytes_whatever_the_input_order()
    {
        var tour = TestTours.Tour();
        var shuffled = tour with { Events = tour.Events.OrderBy(e => e.Uid.GetHashCode(StringComparison.Ordinal)).Reverse().ToList() };

        Assert.Equal(TourBytes, FeedWriter.Write(tour));
        Assert.Equal(TourBytes, FeedWriter.Write(shuffled));
    }

    [Fact]
    public void Orders_events_by_start_instant_then_UID()
    {
        var uids = ContentLines(TourBytes).Where(l => l.StartsWith("UID:", StringComparison.Ordinal)).Select(l => l[4..]).ToList();
        var expected = TestTours.Tour().Events.OrderBy(e => e.Start.ToInstant()).ThenBy(e => e.Uid, StringComparer.Ordinal)
            .Select(e => IcalText.EscapeText(e.Uid));

        Assert.Equal(expected, uids);
    }

    [Fact]
    public void Ambiguous_fall_back_times_are_written_in_UTC_whichever_instant_is_meant()
    {
        var earlier = EventBlock(TourBytes, TestTours.LondonEarlierUid);
        var later = EventBlock(TourBytes, TestTours.LondonLaterUid);
        var chicagoEarlier = EventBlock(TourBytes, TestTours.ChicagoEarlierUid);
        var chicagoLater = EventBlock(TourBytes, TestTours.ChicagoLaterUid);

        Assert.Contains("DTSTART:20261025T003000Z", earlier); // 01:30 BST
        Assert.Contains("DTEND:20261025T004500Z", earlier); // 01:45 BST
        Assert.Contains("DTSTART:20261025T013000Z", later); // 01:30 GMT
        Assert.Contains("DTEND;TZID=Europe/London:20261025T023000", later); // 02:30 GMT happens once
        Assert.Contains("DTSTART:20261101T063000Z", chicagoEarlier); // 01:30 CDT
        Assert.Contains("DTSTART:20261101T073000Z", chicagoLater); // 01:30 CST
        Assert.Contains("DTEND;TZID=America/Chicago:20261101T030000", chicagoLater);
    }

    [Fact]
    public void A_travel_leg_starts_and_ends_in_different_zones()
    {
        var leg = EventBlock(TourBytes, TestTours.TravelLegUid);

        Assert.Contains("DTSTART;TZID=Europe/London:20261028T101500", leg);
        Assert.Contains("DTEND;TZID=America/New_York:20261028T134000", leg);
    }

    [Fact]
    public void Writes_every_event_property()
    {
        var e = TestTours.SpecialEvents().Single(x => x.Uid == "accents@tour.invalid");
        var block = EventBlock(TourBytes, e.Uid);

        Assert.Contains("\nDTSTAMP:" + IcalFormat.Utc(e.LastModified) + "\n", block);
        Assert.Contains("\nLAST-MODIFIED:" + IcalFormat.Utc(e.LastModified) + "\n", block);
        Assert.Contains("\nCREATED:20260105T090000Z\n", block);
        Assert.Contains("\nSEQUENCE:1\n", block);
        Assert.Contains(@"SUMMARY:Café Müller — Zürich\, São Paulo\; Łódź \\ Ñandú 🎤🌍👩🏽‍🚀", block);
        Assert.Contains(@"LOCATION:Königstraße 1\, Zürich\; Hall «B»", block);
        Assert.Contains(@"CATEGORIES:Rally,Q&A\, open,Ünïcode\; test", block);
        Assert.Contains("\nGEO:51.5;-0.12\n", block);
        Assert.Contains("\nURL:https://tour.invalid/stops/accents%40tour.invalid\n", block);
        Assert.Contains("\nSTATUS:TENTATIVE\n", block);
        Assert.Contains("\nTRANSP:OPAQUE\n", block);
        Assert.Contains("\nSTATUS:CANCELLED\n", EventBlock(TourBytes, TestTours.CancelledUid));
    }

    [Fact]
    public void Transparent_events_do_not_block_time()
    {
        var e = TestTours.SpecialEvents()[0] with { Transparent = true };

        Assert.Contains("\nTRANSP:TRANSPARENT\n", EventBlock(FeedWriter.WriteSingleEvent(e), e.Uid));
    }

    [Fact]
    public void CRLF_injection_never_starts_a_property()
    {
        var lines = PhysicalLines(TourBytes);

        Assert.DoesNotContain(lines, l => l.StartsWith(TestTours.InjectionMarker, StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("ATTENDEE", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("UID:injected-uid", StringComparison.Ordinal) && l.StartsWith("UID", StringComparison.Ordinal));
        Assert.Equal(300, lines.Count(l => l == "BEGIN:VEVENT"));
        Assert.Equal(300, lines.Count(l => l == "END:VEVENT"));
    }

    [Fact]
    public void Injection_in_the_calendar_name_and_description_is_neutralised()
    {
        var feed = TestTours.Tour(20, name: TestTours.Injection) with { Description = TestTours.Injection };
        var lines = PhysicalLines(FeedWriter.Write(feed));

        Assert.DoesNotContain(lines, l => l.StartsWith(TestTours.InjectionMarker, StringComparison.Ordinal));
        Assert.Single(lines, l => l == "BEGIN:VCALENDAR");
        Assert.Equal(20, lines.Count(l => l == "BEGIN:VEVENT"));
    }

    [Fact]
    public void Uses_no_current_time()
    {
        var stamps = ContentLines(TourBytes).Where(l => l.StartsWith("DTSTAMP:", StringComparison.Ordinal)).Distinct().ToList();
        var allowed = TestTours.Tour().Events.Select(e => "DTSTAMP:" + IcalFormat.Utc(e.LastModified)).ToHashSet();

        Assert.All(stamps, s => Assert.Contains(s, allowed));
    }

    [Fact]
    public void Single_event_download_has_its_zones_but_no_subscription_properties()
    {
        var leg = TestTours.SpecialEvents().Single(e => e.Uid == TestTours.TravelLegUid);
        var lines = ContentLines(FeedWriter.WriteSingleEvent(leg));

        Assert.Equal(["TZID:America/New_York", "TZID:Europe/London"], lines.Where(l => l.StartsWith("TZID:", StringComparison.Ordinal)));
        Assert.Contains("METHOD:PUBLISH", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("REFRESH-INTERVAL", StringComparison.Ordinal) || l.StartsWith("X-WR-CALNAME", StringComparison.Ordinal));
        Assert.Single(lines, l => l == "BEGIN:VEVENT");
    }

    [Fact]
    public void Rejects_input_clients_would_misread()
    {
        var e = TestTours.SpecialEvents()[0];
        var tour = TestTours.Tour(20);

        Assert.Throws<ArgumentException>(() => FeedWriter.Write(tour with { Events = [e, e with { Summary = "dup" }] }));
        Assert.Throws<ArgumentException>(() => FeedWriter.Write(tour with { DefaultTimeZoneId = "Mars/Olympus_Mons" }));
        Assert.Throws<ArgumentException>(() => FeedWriter.WriteSingleEvent(e with { End = e.Start.PlusHours(-1) }));
        Assert.Throws<ArgumentException>(() => FeedWriter.WriteSingleEvent(e with { Latitude = 95 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => FeedWriter.Write(tour with { RefreshInterval = Duration.Zero }));
    }

    [Fact]
    public void An_empty_tour_is_a_valid_calendar_without_time_zones()
    {
        var lines = ContentLines(FeedWriter.Write(TestTours.Tour(0) with { Events = [] }));

        Assert.Equal("BEGIN:VCALENDAR", lines[0]);
        Assert.Equal("END:VCALENDAR", lines[^1]);
        Assert.DoesNotContain(lines, l => l.StartsWith("BEGIN:V", StringComparison.Ordinal) && l != "BEGIN:VCALENDAR");
    }

    [Fact]
    public void Irregular_observances_repeat_DTSTART_as_the_first_RDATE_for_icaljs()
    {
        var lines = ContentLines(FeedWriter.Write(TestTours.IrregularZones()));
        var rdateBlocks = lines.Select((l, i) => (l, i)).Where(x => x.l.StartsWith("RDATE:", StringComparison.Ordinal)
            && !lines[x.i - 1].StartsWith("RDATE:", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(rdateBlocks);
        Assert.All(rdateBlocks, x =>
        {
            var dtstart = lines.Take(x.i).Last(l => l.StartsWith("DTSTART:", StringComparison.Ordinal));
            Assert.Equal(dtstart["DTSTART:".Length..], x.l["RDATE:".Length..]);
        });
    }
}
