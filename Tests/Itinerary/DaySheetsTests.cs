using System.Collections.Immutable;
using NodaTime;
using TourPlanner.Gateway.Itinerary;
using TourPlanner.Grains;
using TourPlanner.Grains.Domain;

namespace TourPlanner.Tests.Itinerary;

/// <summary>What goes on a day sheet, built from the same itineraries the speaker's page shows.</summary>
public class DaySheetsTests
{
    private static readonly PlanningRules Rules = new() { TravelBufferMinutes = 90 };
    private static readonly GeoPoint Newark = new(40.7357, -74.1724), Chicago = new(41.8781, -87.6298), Milwaukee = new(43.0389, -87.9065);
    private static readonly SpeakerInfo Ana = new() { Id = "sa", Name = "Ana", HomeCity = "Newark", HomeTimeZone = "America/New_York", Home = Newark };
    private static readonly SpeakerInfo Ben = new() { Id = "sb", Name = "Ben", HomeCity = "Newark", HomeTimeZone = "America/New_York", Home = Newark };
    private static readonly Instant Now = Instant.FromUtc(2026, 10, 1, 12, 0);

    private static StopEvent Event(string id, LocalDateTime start, bool isPublic, params string[] speakers) =>
        new() { EventId = id, Title = id, Start = start, DurationMinutes = 120, Public = isPublic, SpeakerIds = [.. speakers] };

    // Chicago for two days (Ana both days, Ben the second), then Milwaukee (Ana only).
    private static readonly StopSnapshot ChicagoStop = new()
    {
        StopId = "s_chi", TourId = "t", ClaimId = "c1", HostId = "h_chi", City = "Chicago", Country = "US", TimeZone = "America/Chicago", Location = Chicago,
        Dates = [new LocalDate(2026, 10, 28), new LocalDate(2026, 10, 29)], Venue = new Venue { Name = "Teamsters Hall", Address = "300 S Ashland Ave" },
        Events = [Event("rally", new LocalDateTime(2026, 10, 28, 19, 0), true, "sa"), Event("union", new LocalDateTime(2026, 10, 29, 12, 0), false, "sa", "sb")],
    };
    private static readonly StopSnapshot MilwaukeeStop = new()
    {
        StopId = "s_mke", TourId = "t", ClaimId = "c2", HostId = "h_mke", City = "Milwaukee", Country = "US", TimeZone = "America/Chicago", Location = Milwaukee,
        Dates = [new LocalDate(2026, 10, 30)], Events = [Event("forum", new LocalDateTime(2026, 10, 30, 18, 0), true, "sa")],
    };
    private static readonly HostSnapshot[] Hosts =
    [
        new() { HostId = "h_chi", TourId = "t", Name = "Teamsters Local 705", ContactName = "Rosa", ContactPhone = "+1 312 555 0100" },
        new() { HostId = "h_mke", TourId = "t", Name = "Voces de la Frontera", ContactEmail = "voces@example.org" },
    ];
    private static readonly Dictionary<string, StopLogistics> Logistics = new() { ["s_chi"] = new StopLogistics { Lodging = "Casa de Rosa", Version = 1 } };

    private static DaySheetsDto Build(string? speakerId)
    {
        var frame = new TourFrame(new LocalDate(2026, 10, 22), new LocalDate(2026, 11, 15), [Ana, Ben]);
        var speakers = speakerId is null ? new[] { Ana, Ben } : [speakerId == "sa" ? Ana : Ben];
        var views = speakers.ToDictionary(s => s.Id, s => ScheduleAnalyzer.Itinerary(s.Id, Rules, frame, [ChicagoStop, MilwaukeeStop], TravelTable.BuiltIn));
        return DaySheets.Build("t", "Fight to Win", speakerId, speakerId is null ? "organizer" : "speaker", Now, speakers, [MilwaukeeStop, ChicagoStop], views, Hosts, Logistics);
    }

    [Fact]
    public void TheOrganizer_GetsOneSheetPerDayOfEveryStop_InDateOrder()
    {
        var sheets = Build(null);
        Assert.Equal([("2026-10-28", "Chicago", 1, 2), ("2026-10-29", "Chicago", 2, 2), ("2026-10-30", "Milwaukee", 1, 1)],
            sheets.Days.Select(d => (d.Date.ToString("yyyy-MM-dd", null), d.City, d.DayOfStop, d.DaysAtStop)));
        var second = sheets.Days[1];
        Assert.Equal(["Ana", "Ben"], second.Events.Single().Speakers);
        // Ben arrives for the second day and goes home from there; Ana goes on to Milwaukee.
        Assert.Equal([("sb", "in", "outbound"), ("sa", "out", "between"), ("sb", "out", "return")],
            second.Travel.Select(t => (t.SpeakerId, t.Direction, t.Leg)).OrderBy(x => x.Leg == "outbound" ? 0 : 1).ThenBy(x => x.SpeakerId));
        Assert.Equal([("sa", false, "Milwaukee"), ("sb", true, "Newark")], second.Next.Select(n => (n.SpeakerId, n.Home, n.City)));
    }

    [Fact]
    public void ASpeaker_GetsTheirOwnDaysAndEvents_WithTheHostsContactAndTheLodging()
    {
        var sheets = Build("sb");
        var day = Assert.Single(sheets.Days);
        Assert.Equal((new LocalDate(2026, 10, 29), "Ben"), (day.Date, sheets.SpeakerName));
        Assert.Equal(["union"], day.Events.Select(e => e.EventId));
        Assert.Equal(("Teamsters Local 705", "Rosa", "+1 312 555 0100"), (day.Host!.Name, day.Host.ContactName, day.Host.ContactPhone));
        Assert.Equal("Casa de Rosa", day.Logistics!.Lodging);
        Assert.Equal(("CDT", "America/Chicago"), (day.Events[0].ZoneAbbreviation, day.Events[0].TimeZone));
        Assert.Equal(["in", "out"], day.Travel.Select(t => t.Direction));
        Assert.Equal(("Newark", "Chicago", "EDT", "CDT"), (day.Travel[0].FromCity, day.Travel[0].ToCity, day.Travel[0].StartAbbreviation, day.Travel[0].EndAbbreviation));
    }

    [Fact]
    public void TravelIn_IsOnTheFirstDayOfAStay_AndTravelOut_OnTheLast()
    {
        var sheets = Build("sa");
        Assert.Equal(3, sheets.Days.Count);
        Assert.Equal([("in", "outbound")], sheets.Days[0].Travel.Select(t => (t.Direction, t.Leg)));
        Assert.Equal([("out", "between")], sheets.Days[1].Travel.Select(t => (t.Direction, t.Leg)));
        Assert.Equal([("in", "between"), ("out", "return")], sheets.Days[2].Travel.Select(t => (t.Direction, t.Leg)));
        var leg = sheets.Days[1].Travel[0];
        // Leaves the 90 min buffer after the 12:00–14:00 meeting.
        Assert.Equal(new LocalDateTime(2026, 10, 29, 15, 30), leg.LocalStart);
        Assert.Equal(("drive", "estimate"), (leg.Mode, leg.Source));
        Assert.Null(sheets.Days[2].Logistics);
        Assert.Equal("voces@example.org", sheets.Days[2].Host!.ContactEmail);
    }
}
