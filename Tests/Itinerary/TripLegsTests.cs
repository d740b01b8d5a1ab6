using System.Collections.Immutable;
using NodaTime;
using TourPlanner.Grains;
using TourPlanner.Grains.Domain;

namespace TourPlanner.Tests.Itinerary;

/// <summary>
/// A speaker's trip as the itinerary shows it: from home to the first stop, stop to stop leaving the travel buffer
/// after each event, and home again; the first and last legs checked against the tour's own days.
/// </summary>
public class TripLegsTests
{
    private const string Sp = "sp1";
    private static readonly PlanningRules Rules = new() { TravelBufferMinutes = 90, MinRestMinutes = 600, MaxEventsPerDay = 3 };
    private static readonly GeoPoint Newark = new(40.7357, -74.1724), Chicago = new(41.8781, -87.6298), Milwaukee = new(43.0389, -87.9065),
        LosAngeles = new(34.0522, -118.2437), London = new(51.5072, -0.1276);
    private static readonly SpeakerInfo Speaker = new() { Id = Sp, Name = "Róger Calero", HomeCity = "Newark", HomeTimeZone = "America/New_York", Home = Newark };
    private static readonly LocalDate FirstDay = new(2026, 10, 22), LastDay = new(2026, 11, 15);
    private static readonly GreatCircleTravelEstimator Model = new();

    private static StopSnapshot Stop(string id, string city, string zone, GeoPoint? at, params (string Id, LocalDateTime Start, int Minutes)[] events) => new()
    {
        StopId = id, TourId = "t", ClaimId = "c" + id, HostId = "h" + id, City = city, Country = "US", TimeZone = zone, Location = at,
        Dates = [.. events.Select(e => e.Start.Date).Distinct()],
        Events = [.. events.Select(e => new StopEvent { EventId = e.Id, Title = e.Id, Start = e.Start, DurationMinutes = e.Minutes, SpeakerIds = [Sp] })],
    };

    private static ItineraryView Itinerary(SpeakerInfo speaker, params StopSnapshot[] stops) =>
        ScheduleAnalyzer.Itinerary(Sp, Rules, new TourFrame(FirstDay, LastDay, [speaker]), stops, TravelTable.BuiltIn);

    private static readonly StopSnapshot ChicagoWed = Stop("a", "Chicago", "America/Chicago", Chicago, ("chi", new LocalDateTime(2026, 10, 28, 19, 0), 120));
    private static readonly StopSnapshot MilwaukeeThu = Stop("b", "Milwaukee", "America/Chicago", Milwaukee, ("mke", new LocalDateTime(2026, 10, 29, 19, 0), 120));

    [Fact]
    public void Itinerary_StartsWithTheLegFromHome_AndEndsWithTheWayHome()
    {
        var view = Itinerary(Speaker, ChicagoWed, MilwaukeeThu);

        Assert.Equal(["travel", "event", "travel", "event", "travel"], view.Items.Select(i => i.Kind));
        Assert.Equal(["outbound", null, "between", null, "return"], view.Items.Select(i => i.Leg));
        var (outbound, back) = (view.Items[0], view.Items[^1]);
        Assert.Equal(("Newark", "Chicago", null, "a"), (outbound.FromCity, outbound.ToCity, outbound.FromStopId, outbound.ToStopId));
        Assert.Equal(("Milwaukee", "Newark", "b", null), (back.FromCity, back.ToCity, back.FromStopId, back.ToStopId));
        Assert.Equal(("America/New_York", "America/Chicago"), (outbound.TimeZone, outbound.EndTimeZone));
        Assert.Equal(("America/Chicago", "America/New_York"), (back.TimeZone, back.EndTimeZone));
    }

    [Fact]
    public void ALegBetweenStops_LeavesTheTravelBufferAfterTheEventEnds_AndArrivesItsTravelTimeLater()
    {
        var view = Itinerary(Speaker, ChicagoWed, MilwaukeeThu);
        var leg = view.Items.Single(i => i.Leg == "between");
        var chicagoEnds = view.Items.Single(i => i.EventId == "chi").End;
        var minutes = Model.Estimate(Chicago, Milwaukee).Minutes;

        Assert.Equal(chicagoEnds + Duration.FromMinutes(90), leg.Start);
        Assert.Equal(leg.Start + Duration.FromMinutes(minutes), leg.End);
        Assert.Equal(new LocalDateTime(2026, 10, 28, 22, 30), leg.LocalStart); // 21:00 CDT + 90 min
        Assert.Equal(leg.End.InZone(DateTimeZoneProviders.Tzdb["America/Chicago"]).LocalDateTime, leg.LocalEnd);
        Assert.Equal(("drive", "estimate", minutes), (leg.Mode, leg.Source, leg.Minutes));
    }

    [Fact]
    public void TheLegFromHome_ArrivesTheBufferBeforeTheFirstEvent_AndTheWayHomeLeavesTheBufferAfterTheLast()
    {
        var view = Itinerary(Speaker, ChicagoWed, MilwaukeeThu);
        var (outbound, back) = (view.Items[0], view.Items[^1]);
        var first = view.Items.Single(i => i.EventId == "chi");
        var last = view.Items.Single(i => i.EventId == "mke");

        Assert.Equal(first.Start - Duration.FromMinutes(90), outbound.End);
        Assert.Equal(outbound.End - Duration.FromMinutes(Model.Estimate(Newark, Chicago).Minutes), outbound.Start);
        Assert.Equal(last.End + Duration.FromMinutes(90), back.Start);
        Assert.Equal(back.Start + Duration.FromMinutes(Model.Estimate(Milwaukee, Newark).Minutes), back.End);
        Assert.Equal(back.End.InZone(DateTimeZoneProviders.Tzdb["America/New_York"]).LocalDateTime, back.LocalEnd);
        Assert.DoesNotContain(view.Conflicts, c => c.Code is "home-leg-before-tour" or "return-after-tour");
    }

    [Fact]
    public void ALegFromHomeThatMustLeaveBeforeTheTourStarts_IsAWarningWithTheTimes()
    {
        // Noon in London on the tour's first day: from Newark, a ten-hour trip that leaves the evening before.
        var view = Itinerary(Speaker, Stop("ldn", "London", "Europe/London", London, ("early", new LocalDateTime(2026, 10, 22, 12, 0), 60)));

        var c = Assert.Single(view.Conflicts, x => x.Code == "home-leg-before-tour");
        Assert.Equal("warning", c.Severity);
        Assert.Equal(["early"], c.EventIds.ToArray());
        Assert.Equal("2026-10-22", c.Details["tourStart"]);
        var outbound = view.Items[0];
        Assert.True(outbound.Start < Instant.FromUtc(2026, 10, 22, 4, 0)); // before midnight EDT
        Assert.Contains("must leave Newark by Wed 21 Oct", c.Message);
        Assert.Contains("debe salir de Newark a más tardar", c.MessageEs);
    }

    [Fact]
    public void AHomeWithNoCityName_IsCalledHome_InEachLanguage()
    {
        var unnamed = Speaker with { HomeCity = null };
        var view = Itinerary(unnamed, Stop("ldn", "London", "Europe/London", London, ("early", new LocalDateTime(2026, 10, 22, 12, 0), 60)));
        var c = Assert.Single(view.Conflicts, x => x.Code == "home-leg-before-tour");
        Assert.Equal("conflict.home-leg-before-tour", c.Text!.Code);
        Assert.Contains("must leave home by", c.Message);
        Assert.Contains("debe salir de casa a más tardar", c.MessageEs);
    }

    [Fact]
    public void TheWayHomeArrivingAfterTheToursLastDay_IsAWarning_AndArrivingThatDayIsNot()
    {
        var late = Itinerary(Speaker, Stop("la", "Los Angeles", "America/Los_Angeles", LosAngeles, ("last", new LocalDateTime(2026, 11, 15, 19, 0), 120)));
        var c = Assert.Single(late.Conflicts, x => x.Code == "return-after-tour");
        Assert.Equal("warning", c.Severity);
        Assert.Equal("2026-11-15", c.Details["tourEnd"]);
        Assert.Contains("reaches Newark at Mon 16 Nov", c.Message);

        var inTime = Itinerary(Speaker, Stop("la", "Los Angeles", "America/Los_Angeles", LosAngeles, ("last", new LocalDateTime(2026, 11, 15, 9, 0), 60)));
        Assert.DoesNotContain(inTime.Conflicts, x => x.Code == "return-after-tour");
        Assert.Equal("return", inTime.Items[^1].Leg);
    }

    [Fact]
    public void ASpeakerWithoutAHomeOnTheMap_HasNoLegsFromOrToHome()
    {
        var view = Itinerary(Speaker with { Home = null }, ChicagoWed, MilwaukeeThu);
        Assert.Equal(["event", "travel", "event"], view.Items.Select(i => i.Kind));
        Assert.Empty(ScheduleAnalyzer.TripLegPairs(Speaker with { Home = null }, ScheduleAnalyzer.Timeline(Sp, [ChicagoWed])));
    }

    [Fact]
    public void ASpeakerWhoLivesAtTheFirstStop_HasNoLegFromHome_ButStillGoesHomeFromTheLast()
    {
        var view = Itinerary(Speaker with { Home = Chicago, HomeCity = "Chicago", HomeTimeZone = "America/Chicago" }, ChicagoWed, MilwaukeeThu);
        Assert.Equal(["event", "travel", "event", "travel"], view.Items.Select(i => i.Kind));
        Assert.Equal("return", view.Items[^1].Leg);
    }

    [Fact]
    public void TheGatewayIsAskedForEveryLegOfTheTrip_HomeIncluded()
    {
        var pairs = ScheduleAnalyzer.TripLegPairs(Speaker, ScheduleAnalyzer.Timeline(Sp, [ChicagoWed, MilwaukeeThu])).ToList();
        Assert.Equal([(Chicago, Milwaukee), (Newark, Chicago), (Milwaukee, Newark)], pairs);
    }

    [Fact]
    public void RoutedLegsHandedIn_AreTheOnesTheItineraryShows_ForHomeLegsToo()
    {
        var routed = new TravelEstimate { Mode = "drive", DistanceKm = 1300, Minutes = 777, Source = "osrm" };
        var view = ScheduleAnalyzer.Itinerary(Sp, Rules, new TourFrame(FirstDay, LastDay, [Speaker]), [ChicagoWed],
            TravelTable.From([new LegFact(Newark, Chicago, routed)]));
        Assert.Equal((777, "osrm"), (view.Items[0].Minutes, view.Items[0].Source));
        Assert.Equal("estimate", view.Items[^1].Source);
    }

    [Fact]
    public async Task TheFeedsTrip_IsTheItinerarysTrip()
    {
        var t = ScheduleAnalyzer.Timeline(Sp, [ChicagoWed, MilwaukeeThu]);
        var fromEstimator = await ScheduleAnalyzer.TripAsync(Speaker, Rules, t, Model);
        var view = Itinerary(Speaker, ChicagoWed, MilwaukeeThu);
        Assert.Equal(view.Items.Where(i => i.Kind == "travel").Select(i => (i.Start, i.End, i.Leg)),
            fromEstimator.Select(l => (l.Depart.ToInstant(), l.Arrive.ToInstant(), (string?)l.Kind)));
    }
}
