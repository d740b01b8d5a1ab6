using NodaTime;
using TourPlanner.Gateway.Calendar;

namespace TourPlanner.Tests.Calendar;

public sealed class VTimeZoneBuilderTests
{
    private static readonly Instant TourStart = Instant.FromUtc(2026, 2, 20, 0, 0);
    private static readonly Instant TourEnd = Instant.FromUtc(2026, 11, 20, 0, 0);

    private static VTimeZoneDefinition Build(string zone, Instant? from = null, Instant? to = null) =>
        VTimeZoneBuilder.Build(DateTimeZoneProviders.Tzdb[zone], from ?? TourStart, to ?? TourEnd);

    [Fact]
    public void New_York_gets_yearly_RRULE_observances()
    {
        var zone = Build("America/New_York");

        Assert.Equal(2, zone.Observances.Count);
        var standard = Assert.Single(zone.Observances, o => o.Kind == ObservanceKind.Standard);
        var daylight = Assert.Single(zone.Observances, o => o.Kind == ObservanceKind.Daylight);
        Assert.Equal(new YearlyRule(11, 1, IsoDayOfWeek.Sunday, null), standard.Rule);
        Assert.Equal(new YearlyRule(3, 2, IsoDayOfWeek.Sunday, null), daylight.Rule);
        Assert.Equal((Offset.FromHours(-4), Offset.FromHours(-5), "EST"), (standard.OffsetFrom, standard.OffsetTo, standard.Name));
        Assert.Equal((Offset.FromHours(-5), Offset.FromHours(-4), "EDT"), (daylight.OffsetFrom, daylight.OffsetTo, daylight.Name));
        Assert.Equal(new LocalTime(2, 0), standard.Start.TimeOfDay);
        Assert.Equal(new LocalTime(2, 0), daylight.Start.TimeOfDay);
        Assert.All(zone.Observances, o => Assert.True(o.Start.InZoneLeniently(DateTimeZoneProviders.Tzdb["America/New_York"]).ToInstant() < TourStart));
        Assert.Equal("FREQ=YEARLY;BYMONTH=11;BYDAY=1SU", VTimeZoneWriter.RuleText(standard.Rule!));
    }

    [Fact]
    public void London_gets_last_Sunday_RRULE_observances()
    {
        var zone = Build("Europe/London");

        var standard = Assert.Single(zone.Observances, o => o.Kind == ObservanceKind.Standard);
        var daylight = Assert.Single(zone.Observances, o => o.Kind == ObservanceKind.Daylight);
        Assert.Equal(new YearlyRule(10, -1, IsoDayOfWeek.Sunday, null), standard.Rule);
        Assert.Equal(new YearlyRule(3, -1, IsoDayOfWeek.Sunday, null), daylight.Rule);
        Assert.Equal((Offset.FromHours(1), Offset.Zero, "GMT", new LocalTime(2, 0)), (standard.OffsetFrom, standard.OffsetTo, standard.Name, standard.Start.TimeOfDay));
        Assert.Equal((Offset.Zero, Offset.FromHours(1), "BST", new LocalTime(1, 0)), (daylight.OffsetFrom, daylight.OffsetTo, daylight.Name, daylight.Start.TimeOfDay));
        Assert.Equal("FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", VTimeZoneWriter.RuleText(daylight.Rule!));
    }

    [Theory]
    [InlineData("America/Managua", -6, "CST")]
    [InlineData("Africa/Johannesburg", 2, "SAST")]
    public void Zone_without_DST_is_one_fixed_offset_STANDARD(string id, int hours, string name)
    {
        var observance = Assert.Single(Build(id).Observances);

        Assert.Equal(ObservanceKind.Standard, observance.Kind);
        Assert.Equal(Offset.FromHours(hours), observance.OffsetFrom);
        Assert.Equal(Offset.FromHours(hours), observance.OffsetTo);
        Assert.Equal(name, observance.Name);
        Assert.Null(observance.Rule);
        Assert.Empty(observance.RecurrenceDates);
    }

    [Fact]
    public void A_rule_change_ends_the_old_RRULE_with_UNTIL()
    {
        // The US moved its DST dates in 2007.
        var zone = Build("America/New_York", Instant.FromUtc(2006, 6, 1, 0, 0), Instant.FromUtc(2007, 6, 1, 0, 0));

        Assert.Contains(zone.Observances, o => o.Rule == new YearlyRule(10, -1, IsoDayOfWeek.Sunday, Instant.FromUtc(2006, 10, 29, 6, 0)));
        Assert.Contains(zone.Observances, o => o.Rule == new YearlyRule(3, 2, IsoDayOfWeek.Sunday, null));
        Assert.Contains(zone.Observances, o => o.Rule == new YearlyRule(11, 1, IsoDayOfWeek.Sunday, null));
        Assert.Contains(zone.Observances, o => o.Rule == new YearlyRule(4, 1, IsoDayOfWeek.Sunday, Instant.FromUtc(2006, 4, 2, 7, 0)));
        Assert.Contains("FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU;UNTIL=20061029T060000Z",
            zone.Observances.Where(o => o.Rule?.Until is not null).Select(o => VTimeZoneWriter.RuleText(o.Rule!)));
        AssertMatchesTzdb(zone, "America/New_York", Instant.FromUtc(2005, 6, 1, 0, 0), Instant.FromUtc(2008, 6, 1, 0, 0));
    }

    [Fact]
    public void Irregular_changes_are_listed_with_DTSTART_and_RDATE()
    {
        // Morocco suspended DST for Ramadan: four changes a year on no yearly rule.
        var zone = Build("Africa/Casablanca", Instant.FromUtc(2013, 1, 1, 0, 0), Instant.FromUtc(2015, 1, 1, 0, 0));

        Assert.Contains(zone.Observances, o => o.Rule is null && o.RecurrenceDates.Count > 0);
        AssertMatchesTzdb(zone, "Africa/Casablanca", Instant.FromUtc(2013, 1, 1, 0, 0), Instant.FromUtc(2015, 1, 1, 0, 0));
    }

    [Theory]
    [InlineData("America/New_York")]
    [InlineData("Europe/London")]
    [InlineData("America/Sao_Paulo")]
    [InlineData("Australia/Lord_Howe")]
    public void Observances_reproduce_every_tzdb_offset_in_the_span(string id)
    {
        var from = Instant.FromUtc(2017, 1, 1, 0, 0);
        var to = Instant.FromUtc(2020, 1, 1, 0, 0);

        AssertMatchesTzdb(Build(id, from, to), id, from, to);
    }

    // Expands the observances as a client would (latest onset at or before the instant wins)
    // and compares the offset with NodaTime every hour of the span.
    private static void AssertMatchesTzdb(VTimeZoneDefinition definition, string id, Instant from, Instant to)
    {
        var onsets = definition.Observances.SelectMany(o => Expand(o, to + Duration.FromDays(400))).OrderBy(x => x.At).ToList();
        var zone = DateTimeZoneProviders.Tzdb[id];
        for (var t = from; t < to; t += Duration.FromHours(1))
        {
            var current = onsets.LastOrDefault(o => o.At <= t);
            Assert.True(current.At <= t && current.Observance is not null, $"{id}: no observance in force at {t}");
            Assert.True(zone.GetUtcOffset(t) == current.Observance.OffsetTo, $"{id} at {t}: tzdb {zone.GetUtcOffset(t)}, VTIMEZONE {current.Observance.OffsetTo}");
        }
    }

    private static IEnumerable<(Instant At, TimeZoneObservance Observance)> Expand(TimeZoneObservance o, Instant until)
    {
        Instant Onset(LocalDateTime local) => local.InZoneStrictly(DateTimeZone.ForOffset(o.OffsetFrom)).ToInstant();
        yield return (Onset(o.Start), o);
        foreach (var rdate in o.RecurrenceDates) yield return (Onset(rdate), o);
        if (o.Rule is not { } rule) yield break;
        for (var year = o.Start.Year + 1; ; year++)
        {
            var date = rule.WeekOfMonth == -1
                ? DateAdjusters.PreviousOrSame(rule.Day)(new LocalDate(year, rule.Month, 1).PlusMonths(1).PlusDays(-1))
                : DateAdjusters.NextOrSame(rule.Day)(new LocalDate(year, rule.Month, 1)).PlusWeeks(rule.WeekOfMonth - 1);
            var at = Onset(date + o.Start.TimeOfDay);
            if (at > until || (rule.Until is { } u && at > u)) yield break;
            yield return (at, o);
        }
    }
}
