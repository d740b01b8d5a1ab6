using NodaTime;
using TourPlanner.Grains;
using TourPlanner.Grains.Domain;

namespace TourPlanner.Tests.Itinerary;

/// <summary>What a host group may write as its stop's lodging and notes.</summary>
public class StopLogisticsRulesTests
{
    private static readonly Instant Now = Instant.FromUtc(2026, 10, 1, 12, 0);
    private static readonly Principal Host = Principal.ForHost("h_1");

    [Fact]
    public void AChange_KeepsWhatItDoesNotName_ClearsWhatIsEmpty_AndCountsAVersion()
    {
        var first = StopLogisticsRules.Apply("s_1", StopLogistics.Empty, "t_1", new LogisticsPatch { Lodging = "  Casa de Ana\r\n12 Elm St  ", Parking = "Back lot" }, Host, Now);
        Assert.True(first.IsOk);
        Assert.Equal(("Casa de Ana\n12 Elm St", "Back lot", 1, "t_1", Role.Host), (first.Value!.Lodging, first.Value.Parking, first.Value.Version, first.Value.TourId, first.Value.UpdatedByRole));

        var second = StopLogisticsRules.Apply("s_1", first.Value, "t_1", new LogisticsPatch { Parking = "", Interpreter = "María" }, Principal.ForOrganizer("o_1"), Now);
        Assert.Equal(("Casa de Ana\n12 Elm St", null, "María", 2, Role.Organizer),
            (second.Value!.Lodging, second.Value.Parking, second.Value.Interpreter, second.Value.Version, second.Value.UpdatedByRole));
    }

    [Fact]
    public void SavingTheSameText_IsNotAChange()
    {
        var saved = StopLogisticsRules.Apply("s_1", StopLogistics.Empty, "t_1", new LogisticsPatch { Notes = "Bring the banner" }, Host, Now).Value!;
        var again = StopLogisticsRules.Apply("s_1", saved, "t_1", new LogisticsPatch { Notes = "Bring the banner " }, Host, Now + Duration.FromHours(1));
        Assert.Same(saved, again.Value);
    }

    [Theory]
    [InlineData("lodging")]
    [InlineData("notes")]
    public void TextOverTheLimit_IsRefusedByField_AndNothingChanges(string field)
    {
        var tooLong = new string('x', StopLogisticsRules.MaxLength + 1);
        var patch = field == "lodging" ? new LogisticsPatch { Lodging = tooLong, Parking = "ok" } : new LogisticsPatch { Notes = tooLong };
        var outcome = StopLogisticsRules.Apply("s_1", StopLogistics.Empty, "t_1", patch, Host, Now);
        Assert.Equal(OutcomeKind.Invalid, outcome.Kind);
        Assert.Equal([field], outcome.Errors.Keys);
        Assert.Null(outcome.Value);
    }

    [Fact]
    public void ControlCharacters_AreRefused_ButLineBreaksAndTabsAreText()
    {
        Assert.Equal(OutcomeKind.Invalid, StopLogisticsRules.Apply("s_1", StopLogistics.Empty, "t_1", new LogisticsPatch { Entrance = "Door\u0007 B" }, Host, Now).Kind);
        Assert.True(StopLogisticsRules.Apply("s_1", StopLogistics.Empty, "t_1", new LogisticsPatch { Entrance = "Door B\n\tsecond floor" }, Host, Now).IsOk);
    }

    [Fact]
    public void AStopsLogistics_BelongToOneTour()
    {
        var saved = StopLogisticsRules.Apply("s_1", StopLogistics.Empty, "t_1", new LogisticsPatch { Notes = "x" }, Host, Now).Value!;
        Assert.Equal(OutcomeKind.NotFound, StopLogisticsRules.Apply("s_1", saved, "t_2", new LogisticsPatch { Notes = "y" }, Host, Now).Kind);
    }
}
