using System.Collections.Immutable;
using NodaTime;
using TourPlanner.Grains;
using TourPlanner.Grains.Domain;

namespace TourPlanner.Tests.Domain;

public class ScheduleAnalyzerTests
{
    private const string Sp = "sp1";
    private static readonly PlanningRules Rules = new() { TravelBufferMinutes = 90, MinRestMinutes = 600, MaxEventsPerDay = 3 };
    private static readonly GeoPoint Chicago = new(41.8781, -87.6298), StPaul = new(44.9537, -93.09), LosAngeles = new(34.0522, -118.2437);

    private static StopSnapshot Stop(string id, string city, string zone, GeoPoint? at, params (string Id, LocalDateTime Start, int Minutes)[] events) => new()
    {
        StopId = id, TourId = "t", ClaimId = "c" + id, HostId = "h" + id, City = city, Country = "US", TimeZone = zone, Location = at,
        Dates = [.. events.Select(e => e.Start.Date).Distinct()],
        Events = [.. events.Select(e => new StopEvent { EventId = e.Id, Title = e.Id, Start = e.Start, DurationMinutes = e.Minutes, SpeakerIds = [Sp] })],
    };

    private static async Task<ImmutableArray<Conflict>> CheckAsync(PlanningRules rules, params StopSnapshot[] stops)
    {
        var view = await ScheduleAnalyzer.ItineraryAsync(Sp, rules, stops, new GreatCircleTravelEstimator());
        return view.Conflicts;
    }

    [Fact]
    public async Task TravelLegThatCannotBeMade_IsExplainedWithLocalTimesAndNumbers()
    {
        // Chicago 19:00–21:00 CDT, then Los Angeles at 20:00 PDT next... same evening: impossible by air.
        var conflicts = await CheckAsync(Rules,
            Stop("a", "Chicago", "America/Chicago", Chicago, ("chi", new LocalDateTime(2026, 10, 28, 19, 0), 120)),
            Stop("b", "Los Angeles", "America/Los_Angeles", LosAngeles, ("la", new LocalDateTime(2026, 10, 28, 22, 0), 60)));
        var c = Assert.Single(conflicts, x => x.Code == "travel-impossible");
        Assert.Equal("error", c.Severity);
        Assert.Equal(["chi", "la"], c.EventIds.ToArray());
        var minutes = new GreatCircleTravelEstimator().Estimate(Chicago, LosAngeles).Minutes;
        Assert.Equal(minutes.ToString(), c.Details["travelMinutes"]);
        Assert.Equal("90", c.Details["bufferMinutes"]);
        Assert.Equal("Wed 28 Oct 21:00 CDT", c.Details["leavesAt"]);
        Assert.Equal("Wed 28 Oct 22:00 PDT", c.Details["nextStart"]);
        var arrive = Instant.FromUtc(2026, 10, 29, 2, 0) + Duration.FromMinutes(minutes + 90);
        Assert.Equal(ZonedText(arrive, "America/Los_Angeles"), c.Details["arrivesAt"]);
        Assert.Contains("Los Angeles", c.MessageEs);
    }

    [Fact]
    public async Task TravelLegWithEnoughTime_IsNotAConflict()
    {
        var conflicts = await CheckAsync(Rules,
            Stop("a", "Chicago", "America/Chicago", Chicago, ("chi", new LocalDateTime(2026, 10, 28, 12, 0), 60)),
            Stop("b", "St. Paul", "America/Chicago", StPaul, ("stp", new LocalDateTime(2026, 10, 29, 19, 0), 60)));
        Assert.Empty(conflicts);
    }

    [Fact]
    public async Task TravelLegAcrossADstChange_UsesRealElapsedTime()
    {
        // US fall-back on 2026-11-01 (01:00 CDT becomes 01:00 CST). Chicago ends 00:30 CDT (05:30Z); Milwaukee starts
        // 02:15 CST (08:15Z): 165 real minutes, though the wall clocks differ by only 105. The drive needs ~117.
        var milwaukee = new GeoPoint(43.0389, -87.9065);
        var minutes = new GreatCircleTravelEstimator().Estimate(Chicago, milwaukee).Minutes;
        Assert.InRange(minutes, 106, 164);
        var rules = Rules with { TravelBufferMinutes = 0, MinRestMinutes = 0 };
        var conflicts = await CheckAsync(rules,
            Stop("a", "Chicago", "America/Chicago", Chicago, ("chi", new LocalDateTime(2026, 10, 31, 23, 30), 60)),
            Stop("b", "Milwaukee", "America/Chicago", milwaukee, ("mke", new LocalDateTime(2026, 11, 1, 2, 15), 60)));
        Assert.DoesNotContain(conflicts, c => c.Code == "travel-impossible");

        // The same wall-clock gap a week earlier (no DST change) really is too short.
        var tooShort = await CheckAsync(rules,
            Stop("a", "Chicago", "America/Chicago", Chicago, ("chi", new LocalDateTime(2026, 10, 24, 23, 30), 60)),
            Stop("b", "Milwaukee", "America/Chicago", milwaukee, ("mke", new LocalDateTime(2026, 10, 25, 2, 15), 60)));
        Assert.Contains(tooShort, c => c.Code == "travel-impossible");
    }

    [Fact]
    public async Task SpeakerInTwoPlaces_IsDoubleBooked()
    {
        var conflicts = await CheckAsync(Rules,
            Stop("a", "Chicago", "America/Chicago", Chicago, ("chi", new LocalDateTime(2026, 10, 28, 19, 0), 120)),
            Stop("b", "St. Paul", "America/Chicago", StPaul, ("stp", new LocalDateTime(2026, 10, 28, 20, 0), 60)));
        Assert.Contains(conflicts, c => c.Code == "speaker-double-booked" && c.EventIds.SequenceEqual(["chi", "stp"]));
    }

    [Fact]
    public async Task OverlappingEventsInOneStop_AreReported()
    {
        var conflicts = await CheckAsync(Rules,
            Stop("a", "Chicago", "America/Chicago", Chicago, ("x", new LocalDateTime(2026, 10, 28, 19, 0), 120), ("y", new LocalDateTime(2026, 10, 28, 20, 0), 30)));
        Assert.Contains(conflicts, c => c.Code == "events-overlap");
    }

    [Fact]
    public async Task ShortRestBetweenDays_IsReported()
    {
        var conflicts = await CheckAsync(Rules,
            Stop("a", "Chicago", "America/Chicago", Chicago, ("late", new LocalDateTime(2026, 10, 28, 22, 0), 60), ("early", new LocalDateTime(2026, 10, 29, 7, 0), 60)));
        var c = Assert.Single(conflicts, x => x.Code == "rest-too-short");
        Assert.Equal("480", c.Details["restMinutes"]);
    }

    [Fact]
    public async Task MoreEventsThanTheDailyMaximum_AreReported()
    {
        var conflicts = await CheckAsync(Rules with { MaxEventsPerDay = 2 },
            Stop("a", "Chicago", "America/Chicago", Chicago, ("1", new LocalDateTime(2026, 10, 28, 9, 0), 60), ("2", new LocalDateTime(2026, 10, 28, 12, 0), 60), ("3", new LocalDateTime(2026, 10, 28, 15, 0), 60)));
        Assert.Equal(["1", "2", "3"], Assert.Single(conflicts, c => c.Code == "too-many-events").EventIds.ToArray());
    }

    [Fact]
    public async Task EventOnABlackoutDate_IsReported()
    {
        var rules = Rules with { BlackoutDates = ImmutableDictionary<string, ImmutableArray<LocalDate>>.Empty.Add(Sp, [new LocalDate(2026, 11, 3)]) };
        var conflicts = await CheckAsync(rules, Stop("a", "Chicago", "America/Chicago", Chicago, ("x", new LocalDateTime(2026, 11, 3, 19, 0), 60)));
        Assert.Contains(conflicts, c => c.Code == "blackout-date");
    }

    [Fact]
    public async Task Itinerary_ListsEventsAndTravelLegsWithDepartureAndArrivalZones()
    {
        var view = await ScheduleAnalyzer.ItineraryAsync(Sp, Rules, [
            Stop("b", "Los Angeles", "America/Los_Angeles", LosAngeles, ("la", new LocalDateTime(2026, 10, 30, 19, 0), 60)),
            Stop("a", "Chicago", "America/Chicago", Chicago, ("chi", new LocalDateTime(2026, 10, 28, 19, 0), 120)),
        ], new GreatCircleTravelEstimator());
        Assert.Equal(["event", "travel", "event"], view.Items.Select(i => i.Kind));
        var leg = view.Items[1];
        Assert.Equal(("America/Chicago", "America/Los_Angeles", "fly", "estimate"), (leg.TimeZone, leg.EndTimeZone, leg.Mode, leg.Source));
        Assert.Equal(leg.Start + Duration.FromMinutes(leg.Minutes!.Value), leg.End);
    }

    private static string ZonedText(Instant i, string zone) =>
        NodaTime.Text.ZonedDateTimePattern.CreateWithInvariantCulture("ddd d MMM HH':'mm x", null).Format(i.InZone(DateTimeZoneProviders.Tzdb[zone]));
}
