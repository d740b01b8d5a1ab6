using System.Text;
using TourPlanner.Gateway.Calendar;

namespace TourPlanner.Tests.Calendar;

/// <summary>Ical.Net's own parser (the .NET reader, NodaTime time zones) must read our feed back as NodaTime computes it.</summary>
public sealed class IcalNetReaderTests
{
    [Fact]
    public void Reads_the_tour_feed_with_every_time_as_NodaTime_computes()
    {
        var feed = TestTours.Tour();
        var calendar = Ical.Net.Calendar.Load(Encoding.UTF8.GetString(FeedWriter.Write(feed)))!;

        Assert.Equal(feed.Events.Count, calendar.Events.Count);
        Assert.Equal(TestTours.Zones.Order(StringComparer.Ordinal), calendar.TimeZones.Select(z => z.TzId));
        var byUid = calendar.Events.ToDictionary(e => e.Uid!);
        foreach (var expected in feed.Events)
        {
            var actual = byUid[expected.Uid];
            Assert.True(expected.Start.ToDateTimeUtc() == actual.DtStart!.AsUtc, $"Ical.Net: {expected.Uid} starts {actual.DtStart.AsUtc:O}, NodaTime says {expected.Start.ToInstant()}");
            Assert.True(expected.End.ToDateTimeUtc() == actual.DtEnd!.AsUtc, $"Ical.Net: {expected.Uid} ends {actual.DtEnd.AsUtc:O}, NodaTime says {expected.End.ToInstant()}");
            Assert.Equal(TestTours.ExpectedText(expected.Summary), actual.Summary);
            Assert.Equal(expected.Location is null ? null : TestTours.ExpectedText(expected.Location), actual.Location);
            Assert.Null(actual.Properties.FirstOrDefault(p => p.Name is TestTours.InjectionMarker or "ATTENDEE"));
        }
    }

    // Why ambiguous times go out in UTC: a reader following RFC 5545 takes the first 01:30,
    // where ical.js, Python icalendar and khal take the second.
    [Fact]
    public void Reads_an_ambiguous_TZID_time_as_the_earlier_instant()
    {
        const string ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTAMP:20260101T000000Z\r\n" +
            "DTSTART;TZID=Europe/London:20261025T013000\r\nDTEND;TZID=Europe/London:20261025T023000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

        var start = Ical.Net.Calendar.Load(ics)!.Events.Single().DtStart!.AsUtc;

        Assert.Equal(new DateTime(2026, 10, 25, 0, 30, 0, DateTimeKind.Utc), start);
    }
}
