using NodaTime;
using NodaTime.Testing.TimeZones;
using TourPlanner.Grains;
using TourPlanner.Grains.Domain;

namespace TourPlanner.Tests.Domain;

public class LocalTimesTests
{
    private static readonly DateTimeZone Chicago = DateTimeZoneProviders.Tzdb["America/Chicago"];

    [Fact]
    public void StartInsideSpringForwardGap_IsRefused_WithAMessageNamingTheGap()
    {
        var r = LocalTimes.Resolve(new LocalDateTime(2026, 3, 8, 2, 30), Chicago);
        Assert.Null(r.Value);
        Assert.Equal("time.gap", r.Error!.Code);
        var english = r.Error.ToString();
        Assert.Contains("does not exist in America/Chicago", english);
        Assert.Contains("clocks jump from 02:00 to 03:00", english);
        Assert.Contains("CST to CDT", english);
        var spanish = Catalogue.Default.Render(r.Error, "es");
        Assert.Contains("no existe en America/Chicago", spanish);
        Assert.Contains("los relojes saltan de las 02:00 a las 03:00", spanish);
    }

    [Fact]
    public void StartInRepeatedHour_ResolvesToTheEarlierInstant_WithANote()
    {
        var r = LocalTimes.Resolve(new LocalDateTime(2026, 11, 1, 1, 30), Chicago);
        Assert.Equal(Instant.FromUtc(2026, 11, 1, 6, 30), r.Value!.Value.ToInstant()); // 01:30 CDT (-5), not CST (-6)
        Assert.Contains("earlier", r.Note!.ToString());
        Assert.Contains("se tomó la primera", Catalogue.Default.Render(r.Note, "es"));
        Assert.Null(r.Error);
    }

    [Fact]
    public void OrdinaryTime_ResolvesWithoutNote()
    {
        var r = LocalTimes.Resolve(new LocalDateTime(2026, 10, 28, 19, 0), Chicago);
        Assert.Equal(Instant.FromUtc(2026, 10, 29, 0, 0), r.Value!.Value.ToInstant());
        Assert.Null(r.Note);
    }

    [Fact]
    public void HandBuiltZone_GapAndOverlapAreDetected()
    {
        // A zone that jumps forward two hours at 2026-06-01T00:00Z: local 00:00–02:00 does not exist.
        var transition = Instant.FromUtc(2026, 6, 1, 0, 0);
        var forward = new SingleTransitionDateTimeZone(transition, Offset.Zero, Offset.FromHours(2));
        Assert.NotNull(LocalTimes.Resolve(new LocalDateTime(2026, 6, 1, 1, 0), forward).Error);
        Assert.Null(LocalTimes.Resolve(new LocalDateTime(2026, 6, 1, 2, 0), forward).Error);

        var back = new SingleTransitionDateTimeZone(transition, Offset.FromHours(2), Offset.Zero);
        var r = LocalTimes.Resolve(new LocalDateTime(2026, 6, 1, 1, 0), back);
        Assert.Equal(Instant.FromUtc(2026, 5, 31, 23, 0), r.Value!.Value.ToInstant());
        Assert.NotNull(r.Note);
    }

    [Fact]
    public void StoredTimeThatFellIntoANewGap_MovesForwardInsteadOfFailing()
    {
        var z = LocalTimes.ResolveStored(new LocalDateTime(2026, 3, 8, 2, 30), Chicago);
        Assert.Equal(new LocalDateTime(2026, 3, 8, 3, 30), z.LocalDateTime);
    }
}
