using System.Collections.Immutable;
using NodaTime;
using TourPlanner.Grains;
using TourPlanner.Grains.Domain;

namespace TourPlanner.Tests.Domain;

/// <summary>Every conflict code the engine can produce, each from the smallest schedule that produces exactly it.</summary>
public class ConflictCodeTests
{
    private const string Sp = "sp1";
    private static readonly PlanningRules Rules = new() { TravelBufferMinutes = 90, MinRestMinutes = 600, MaxEventsPerDay = 3 };
    private static readonly GeoPoint Chicago = new(41.8781, -87.6298), StPaul = new(44.9537, -93.09), LosAngeles = new(34.0522, -118.2437),
        Milwaukee = new(43.0389, -87.9065), London = new(51.5072, -0.1276), Auckland = new(-36.8485, 174.7633), Honolulu = new(21.3069, -157.8583);

    private static StopSnapshot Stop(string id, string city, string zone, GeoPoint? at, params (string Id, LocalDateTime Start, int Minutes)[] events) => new()
    {
        StopId = id, TourId = "t", ClaimId = "c" + id, HostId = "h" + id, City = city, Country = "US", TimeZone = zone, Location = at,
        Dates = [.. events.Select(e => e.Start.Date).Distinct()], Venue = new Venue { Name = "Teamsters Hall", CalendarUrl = "http://venue.invalid/cal" },
        Events = [.. events.Select(e => new StopEvent { EventId = e.Id, Title = e.Id, Start = e.Start, DurationMinutes = e.Minutes, SpeakerIds = [Sp] })],
    };

    private static LocalDateTime At(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute);

    private static async Task<ImmutableArray<Conflict>> AnalyzeAsync(PlanningRules rules, params StopSnapshot[] stops) =>
        (await ScheduleAnalyzer.ItineraryAsync(Sp, rules, stops, new GreatCircleTravelEstimator())).Conflicts;

    private static readonly StopSnapshot ChicagoEvening = Stop("a", "Chicago", "America/Chicago", Chicago, ("chi", At(10, 28, 19), 120));

    /// <summary>One row per code: the schedule, and what the conflict must say.</summary>
    private static Task<ImmutableArray<Conflict>> Build(string code) => code switch
    {
        "speaker-double-booked" => AnalyzeAsync(Rules, ChicagoEvening, Stop("b", "St. Paul", "America/Chicago", StPaul, ("stp", At(10, 28, 20), 60))),
        "events-overlap" => AnalyzeAsync(Rules, Stop("a", "Chicago", "America/Chicago", Chicago, ("x", At(10, 28, 19), 120), ("y", At(10, 28, 20), 30))),
        "travel-impossible" => AnalyzeAsync(Rules, ChicagoEvening, Stop("b", "Los Angeles", "America/Los_Angeles", LosAngeles, ("la", At(10, 28, 22), 60))),
        "rest-too-short" => AnalyzeAsync(Rules, Stop("a", "Chicago", "America/Chicago", Chicago, ("late", At(10, 28, 22), 60), ("early", At(10, 29, 7), 60))),
        "too-many-events" => AnalyzeAsync(Rules with { MaxEventsPerDay = 2 },
            Stop("a", "Chicago", "America/Chicago", Chicago, ("1", At(10, 28, 9), 60), ("2", At(10, 28, 12), 60), ("3", At(10, 28, 15), 60))),
        "blackout-date" => AnalyzeAsync(Rules with { BlackoutDates = ImmutableDictionary<string, ImmutableArray<LocalDate>>.Empty.Add(Sp, [new LocalDate(2026, 11, 3)]) },
            Stop("a", "Chicago", "America/Chicago", Chicago, ("x", At(11, 3, 19), 60))),
        "location-missing" => AnalyzeAsync(Rules, Stop("a", "Chicago", "America/Chicago", null, ("chi", At(10, 28, 19), 60)),
            Stop("b", "St. Paul", "America/Chicago", StPaul, ("stp", At(10, 30, 19), 60))),
        // 01:30 happens twice in Chicago on 2026-11-01 (CDT, then CST).
        "start-ambiguous" => AnalyzeAsync(Rules, Stop("a", "Chicago", "America/Chicago", Chicago, ("x", At(11, 1, 1, 30), 60))),
        // 02:30 does not exist in Chicago on 2026-03-08; input refuses it, but a stored time bypasses input (zone rules change).
        "start-in-gap" => AnalyzeAsync(Rules, Stop("a", "Chicago", "America/Chicago", Chicago, ("x", At(3, 8, 2, 30), 60))),
        // Busy 18:00–20:00 CDT (23:00Z–01:00Z) against the 19:00–21:00 CDT event.
        "venue-busy" => Task.FromResult(VenueConflicts.Check(ChicagoEvening,
            VenueBusy.Free([new BusyInterval(Instant.FromUtc(2026, 10, 28, 23, 0), Instant.FromUtc(2026, 10, 29, 1, 0))]))),
        "venue-calendar-unavailable" => Task.FromResult(VenueConflicts.Check(ChicagoEvening, VenueBusy.Unavailable("could not connect"))),
        // The way from and back home (Newark), against a tour of 22 Oct – 15 Nov: noon in London on the first day
        // means leaving the evening before; an evening in Los Angeles on the last day means getting home after it.
        "home-leg-before-tour" => TripAsync(Stop("a", "London", "Europe/London", London, ("ldn", At(10, 22, 12), 60))),
        "return-after-tour" => TripAsync(Stop("a", "Los Angeles", "America/Los_Angeles", LosAngeles, ("la", At(11, 15, 19), 60))),
        _ => throw new ArgumentOutOfRangeException(nameof(code)),
    };

    private static async Task<ImmutableArray<Conflict>> TripAsync(params StopSnapshot[] stops) =>
        (await ScheduleAnalyzer.ItineraryAsync(Sp, Rules, new TourFrame(new LocalDate(2026, 10, 22), new LocalDate(2026, 11, 15),
            [new SpeakerInfo { Id = Sp, Name = "Róger Calero", HomeCity = "Newark", HomeTimeZone = "America/New_York", Home = new GeoPoint(40.7357, -74.1724) }]),
            stops, new GreatCircleTravelEstimator())).Conflicts;

    public static TheoryData<string, string, string[]> Codes => new()
    {
        { "speaker-double-booked", "error", ["chi", "stp"] },
        { "events-overlap", "error", ["x", "y"] },
        { "travel-impossible", "error", ["chi", "la"] },
        { "rest-too-short", "error", ["late", "early"] },
        { "too-many-events", "error", ["1", "2", "3"] },
        { "blackout-date", "error", ["x"] },
        { "location-missing", "warning", ["chi", "stp"] },
        { "start-ambiguous", "warning", ["x"] },
        { "start-in-gap", "warning", ["x"] },
        { "venue-busy", "error", ["chi"] },
        { "venue-calendar-unavailable", "warning", ["chi"] },
        { "home-leg-before-tour", "warning", ["ldn"] },
        { "return-after-tour", "warning", ["la"] },
    };

    [Theory]
    [MemberData(nameof(Codes))]
    public async Task EachCode_ComesFromItsMinimalSchedule_WithSeverityEventsAndBothLanguages(string code, string severity, string[] eventIds)
    {
        var conflicts = await Build(code);
        var c = Assert.Single(conflicts);
        Assert.Equal(code, c.Code);
        Assert.Equal(severity, c.Severity);
        Assert.Equal(eventIds, c.EventIds.ToArray());
        Assert.False(string.IsNullOrWhiteSpace(c.Message));
        Assert.False(string.IsNullOrWhiteSpace(c.MessageEs));
        Assert.NotEqual(c.Message, c.MessageEs);
    }

    [Fact]
    public void EveryCodeTheEngineKnows_HasARow()
    {
        var source = string.Join("\n", new[] { "ScheduleAnalyzer.cs", "VenueCalendar.cs" }.Select(f => File.ReadAllText(Path.Combine(RepoRoot(), "Grains", "Domain", f))));
        var codes = System.Text.RegularExpressions.Regex.Matches(source, "\"([a-z]+(?:-[a-z]+)+)\"").Select(m => m.Groups[1].Value)
            .ToHashSet();
        var rows = Codes.Select(r => (string)r[0]).ToHashSet();
        Assert.Empty(codes.Except(rows));
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "TourPlanner.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }

    [Fact]
    public void VenueBusy_ExplainsInLocalTimeWithZoneAbbreviation_AndHidesTheVenuesEvent()
    {
        var c = Assert.Single(VenueConflicts.Check(ChicagoEvening,
            VenueBusy.Free([new BusyInterval(Instant.FromUtc(2026, 10, 28, 23, 0), Instant.FromUtc(2026, 10, 29, 1, 0))])));
        Assert.Contains("Wed 28 Oct 18:00 CDT–Wed 28 Oct 20:00 CDT", c.Message);
        Assert.Contains("Teamsters Hall", c.MessageEs);
        Assert.Contains("ocupado", c.MessageEs);
    }

    [Fact]
    public void VenueBusy_BesideTheEvent_OrNotConfigured_IsNoConflict()
    {
        // Ends exactly when the event starts (19:00 CDT = 00:00Z), and one starting when it ends (21:00 CDT = 02:00Z).
        var beside = VenueBusy.Free([
            new BusyInterval(Instant.FromUtc(2026, 10, 28, 22, 0), Instant.FromUtc(2026, 10, 29, 0, 0)),
            new BusyInterval(Instant.FromUtc(2026, 10, 29, 2, 0), Instant.FromUtc(2026, 10, 29, 4, 0)),
        ]);
        Assert.Empty(VenueConflicts.Check(ChicagoEvening, beside));
        Assert.Empty(VenueConflicts.Check(ChicagoEvening, VenueBusy.NotConfigured));
    }

    [Fact]
    public void VenueBusy_BackToBackBookings_AreOneStretch()
    {
        var busy = VenueBusy.Free([
            new BusyInterval(Instant.FromUtc(2026, 10, 28, 23, 0), Instant.FromUtc(2026, 10, 29, 0, 30)),
            new BusyInterval(Instant.FromUtc(2026, 10, 29, 0, 30), Instant.FromUtc(2026, 10, 29, 1, 0)),
        ]);
        Assert.Contains("18:00 CDT–Wed 28 Oct 20:00 CDT", Assert.Single(VenueConflicts.Check(ChicagoEvening, busy)).Message);
    }

    [Fact]
    public async Task StartInGap_SaysWhereTheStartMoved_AndAmbiguousSaysWhichInstantWasTaken()
    {
        var gap = Assert.Single(await Build("start-in-gap"));
        Assert.Contains("2026-03-08T02:30", gap.Message);
        Assert.Equal("Sun 8 Mar 03:30 CDT", gap.Details["start"]);
        var ambiguous = Assert.Single(await Build("start-ambiguous"));
        Assert.Equal("Sun 1 Nov 01:30 CDT", ambiguous.Details["start"]);
        Assert.Contains("not Sun 1 Nov 01:30 CST", ambiguous.Message);
    }

    [Fact]
    public async Task TravelLegAcrossTheDateLine_UsesTheShortGreatCircle_AndEachSidesLocalDate()
    {
        // Auckland → Honolulu crosses 180°: the short way is ~7,080 km, not the ~30,000 km the longitudes suggest.
        var km = GreatCircle.DistanceKm(Auckland, Honolulu);
        Assert.InRange(km, 7000, 7150);
        Assert.Equal(km, GreatCircle.DistanceKm(Honolulu, Auckland), 6);

        // Ends Thu 29 Oct 11:00 NZDT (22:00Z Wed); Honolulu's event is on Wed 28 Oct at 20:00 HST (06:00Z Thu), an
        // earlier local date but eight real hours later — too few for the flight.
        var conflicts = await AnalyzeAsync(Rules with { MinRestMinutes = 0 },
            Stop("a", "Auckland", "Pacific/Auckland", Auckland, ("akl", At(10, 29, 10), 60)),
            Stop("b", "Honolulu", "Pacific/Honolulu", Honolulu, ("hnl", At(10, 28, 20), 60)));
        var c = Assert.Single(conflicts);
        Assert.Equal(("travel-impossible", "fly"), (c.Code, c.Details["mode"]));
        Assert.Equal(["akl", "hnl"], c.EventIds.ToArray());
        Assert.Equal("Thu 29 Oct 11:00 NZDT", c.Details["leavesAt"]);
        Assert.Equal("Wed 28 Oct 20:00 HST", c.Details["nextStart"]);
        var minutes = new GreatCircleTravelEstimator().Estimate(Auckland, Honolulu).Minutes;
        var arrive = (Instant.FromUtc(2026, 10, 28, 22, 0) + Duration.FromMinutes(minutes + 90)).InZone(DateTimeZoneProviders.Tzdb["Pacific/Honolulu"]);
        Assert.Equal(NodaTime.Text.ZonedDateTimePattern.CreateWithInvariantCulture("ddd d MMM HH':'mm x", null).Format(arrive), c.Details["arrivesAt"]);
        Assert.EndsWith("HST", c.Details["arrivesAt"]);

        // A day later in Honolulu there is time.
        Assert.Empty(await AnalyzeAsync(Rules with { MinRestMinutes = 0 },
            Stop("a", "Auckland", "Pacific/Auckland", Auckland, ("akl", At(10, 29, 10), 60)),
            Stop("b", "Honolulu", "Pacific/Honolulu", Honolulu, ("hnl", At(10, 29, 20), 60))));
    }

    [Fact]
    public async Task TravelLegAcrossSpringForward_HasAnHourLessThanTheWallClocksShow()
    {
        // Chicago ends Sun 8 Mar 00:30 CST (06:30Z); Milwaukee starts 03:15 CDT (08:15Z): the clocks differ by 2 h 45
        // but only 105 real minutes pass, less than the ~117 min drive.
        var rules = Rules with { TravelBufferMinutes = 0, MinRestMinutes = 0 };
        var c = Assert.Single(await AnalyzeAsync(rules,
            Stop("a", "Chicago", "America/Chicago", Chicago, ("chi", At(3, 7, 23, 30), 60)),
            Stop("b", "Milwaukee", "America/Chicago", Milwaukee, ("mke", At(3, 8, 3, 15), 60))));
        Assert.Equal("travel-impossible", c.Code);
        Assert.Equal(("Sun 8 Mar 00:30 CST", "Sun 8 Mar 03:15 CDT"), (c.Details["leavesAt"], c.Details["nextStart"]));

        // With the same wall-clock times a week later (no change) the drive fits.
        Assert.Empty(await AnalyzeAsync(rules,
            Stop("a", "Chicago", "America/Chicago", Chicago, ("chi", At(3, 14, 23, 30), 60)),
            Stop("b", "Milwaukee", "America/Chicago", Milwaukee, ("mke", At(3, 15, 3, 15), 60))));
    }
}
