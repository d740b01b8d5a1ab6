using System.Collections.Immutable;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Orleans.Serialization;
using TourPlanner.Grains;
using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Grains;

/// <summary>Messages cross grain calls as codes and values, with who may read each value, and render the same after.</summary>
[Collection(ClusterCollection.Name)]
public class TextSerializationTests(ClusterFixture fixture)
{
    private Serializer Serializer => fixture.Cluster.Client.ServiceProvider.GetRequiredService<Serializer>();

    private T RoundTrip<T>(T value) => Serializer.Deserialize<T>(Serializer.SerializeToArray(value))!;

    [Fact]
    public void AConflict_KeepsItsValuesOwnersAndRedactions_AndRendersTheSameForEachReader()
    {
        var zone = DateTimeZoneProviders.Tzdb["America/Denver"];
        var start = new LocalDateTime(2026, 10, 28, 22, 0).InZoneStrictly(zone);
        var conflict = new Conflict
        {
            Code = "speaker-double-booked", Severity = "error", EventIds = ["e_a", "e_b"], SpeakerId = "sp",
            EventHosts = ImmutableDictionary<string, string>.Empty.Add("e_a", "h_a").Add("e_b", "h_b"),
            Text = Text.Of(Codes.ConflictDoubleBooked,
                Arg.Of("a", Text.Of(Codes.EventInCity, Arg.Plain("title", "All day"), Arg.Plain("city", "Denver")))
                    .OwnedBy("h_a", Text.Of(Codes.EventOtherInCity, Arg.Plain("city", "Denver"))),
                Arg.Moment("aStart", start.Date.AtStartOfDayInZone(zone)), Arg.Moment("aEnd", start.PlusHours(1)),
                Arg.Of("b", Text.Of(Codes.EventInCity, Arg.Plain("title", "Lawyer meeting"), Arg.Plain("city", "Denver")))
                    .OwnedBy("h_b", Text.Of(Codes.EventOtherInCity, Arg.Plain("city", "Denver"))),
                Arg.Moment("bStart", start), Arg.Moment("bEnd", start.PlusHours(1))),
        };
        var back = RoundTrip(conflict);
        foreach (var reader in new[] { Audience.Everyone, Audience.HostGroup("h_a"), Audience.HostGroup("h_b") })
            foreach (var language in Catalogue.Languages)
                Assert.Equal(Catalogue.Default.Render(conflict.Text!, language, reader), Catalogue.Default.Render(back.Text!, language, reader));
        Assert.DoesNotContain("Lawyer", Catalogue.Default.Render(back.Text!, "en", Audience.HostGroup("h_a")));
        Assert.Equal(conflict.EventHosts, back.EventHosts);
        Assert.Contains("Lawyer meeting", back.Message);
        Assert.Contains("se superpone con «Lawyer meeting»", back.MessageEs);
    }

    [Fact]
    public void ASentenceStillWordedElsewhere_CrossesAsItWasWritten()
    {
        var back = RoundTrip(new Conflict { Code = "plan-running", Severity = "error", Message = "A plan is running.", MessageEs = "Hay un plan en curso." });
        Assert.Equal(("A plan is running.", "Hay un plan en curso.", (Text?)null), (back.Message, back.MessageEs, back.Text));
    }

    [Fact]
    public void AnOutcome_CarriesItsReasonAndFieldErrorsAsCodes()
    {
        var outcome = Outcome<int>.Invalid(new ValidationErrors()
            .Add("dates[0]", Text.Of(Codes.DateOutsideTour, Arg.Date("date", new LocalDate(2026, 12, 1)), Arg.Date("start", new LocalDate(2026, 10, 22)),
                Arg.Date("end", new LocalDate(2026, 11, 15))))
            .Add("events[0].start", Text.Of(Codes.TimeGap, Arg.Plain("local", "2027-03-14T02:30"), Arg.Plain("zone", "America/Chicago"),
                Arg.Date("date", new LocalDate(2027, 3, 14)), Arg.Clock("from", new LocalTime(2, 0)), Arg.Clock("to", new LocalTime(3, 0)),
                Arg.Plain("before", "CST"), Arg.Plain("after", "CDT"))));
        var back = RoundTrip(outcome);
        Assert.Equal("problem.invalid-fields", back.Reason!.Code);
        Assert.Equal("time.gap", back.Errors["events[0].start"][0].Code);
        Assert.Contains("los relojes saltan de las 02:00 a las 03:00", Catalogue.Default.Render(back.Errors["events[0].start"][0], "es"));
        Assert.Equal(outcome.Errors["dates[0]"][0].ToString(), back.Errors["dates[0]"][0].ToString());
    }
}
