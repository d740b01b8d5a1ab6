using BenchmarkDotNet.Attributes;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using NodaTime;
using TourPlanner.Gateway.Calendar;
using Duration = NodaTime.Duration;

namespace TourPlanner.Benchmarks.Calendar;

/// <summary>
/// Cost of rendering a 300-event tour feed, against Ical.Net's own CalendarSerializer on the same events
/// (the writer it replaced) to show what the replacement costs or saves.
/// </summary>
[MemoryDiagnoser]
public class FeedRenderBenchmarks
{
    private static readonly string[] Zones =
    [
        "America/Los_Angeles", "America/Chicago", "America/New_York",
        "America/Managua", "Europe/London", "Africa/Johannesburg",
    ];

    private FeedCalendar _feed = null!;
    private Ical.Net.Calendar _icalNetCalendar = null!;

    [Params(300)]
    public int EventCount { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _feed = BuildFeed(EventCount);
        _icalNetCalendar = ToIcalNet(_feed);
    }

    [Benchmark(Baseline = true)]
    public byte[] FeedWriterWrite() => FeedWriter.Write(_feed);

    [Benchmark]
    public byte[] IcalNetCalendarSerializer() =>
        System.Text.Encoding.UTF8.GetBytes(new CalendarSerializer().SerializeToString(_icalNetCalendar) ?? "");

    private static FeedCalendar BuildFeed(int count)
    {
        var created = Instant.FromUtc(2026, 1, 5, 9, 0);
        var events = new List<FeedEvent>(count);
        for (var i = 0; i < count; i++)
        {
            var zone = DateTimeZoneProviders.Tzdb[Zones[i % Zones.Length]];
            var start = (new LocalDate(2026, 2, 20).PlusDays(i * 274 / count) + new LocalTime(10 + i % 9, i * 7 % 60)).InZoneLeniently(zone);
            events.Add(new FeedEvent($"stop-{i:D3}@tour.invalid", $"Stop {i}: Café Müller, town hall #{i} 🎤",
                $"Stop {i} of the tour.\nTickets: free; RSVP, please. Doors open an hour before; bring banners, flags and friends.",
                $"Main Square {i}, {zone.Id}", 51.5, -0.12, new Uri($"https://tour.invalid/stops/{i}"), start, start.PlusHours(2),
                FeedEventStatus.Confirmed, i % 3, created, created + Duration.FromDays(i % 3 + 1), false, ["Rally"]));
        }

        return new FeedCalendar("Speaker Tour 2026", "Every stop of the 2026 tour.", "America/New_York",
            new Uri("https://tour.invalid/speaker-2026"), Duration.FromHours(12), events);
    }

    // The same events in Ical.Net's model, with its own VTIMEZONE generation, as the comparison.
    private static Ical.Net.Calendar ToIcalNet(FeedCalendar feed)
    {
        var calendar = new Ical.Net.Calendar { Method = "PUBLISH" };
        foreach (var zone in Zones)
            calendar.AddTimeZone(VTimeZone.FromDateTimeZone(zone, new DateTime(2025, 2, 20), includeHistoricalData: false));
        foreach (var e in feed.Events)
        {
            calendar.Events.Add(new CalendarEvent
            {
                Uid = e.Uid,
                Summary = e.Summary,
                Description = e.Description,
                Location = e.Location,
                DtStamp = new CalDateTime(e.LastModified.ToDateTimeUtc(), "UTC"),
                DtStart = ToCal(e.Start),
                DtEnd = ToCal(e.End),
                Sequence = e.Sequence,
                Status = "CONFIRMED",
                Transparency = "OPAQUE",
            });
        }

        return calendar;
    }

    private static CalDateTime ToCal(ZonedDateTime value)
    {
        var local = value.LocalDateTime;
        return new CalDateTime(local.Year, local.Month, local.Day, local.Hour, local.Minute, local.Second, value.Zone.Id);
    }
}
