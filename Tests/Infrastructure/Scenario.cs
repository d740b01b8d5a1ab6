using System.Collections.Immutable;
using NodaTime;
using TourPlanner.Grains;
using TourPlanner.Grains.Domain;

namespace TourPlanner.Tests.Infrastructure;

/// <summary>Builds tours and claims straight on grains, with a fresh tour id per test.</summary>
public sealed class Scenario(IGrainFactory grains)
{
    public static readonly LocalDate Start = new(2026, 10, 22), End = new(2026, 11, 15);
    public static readonly GeoPoint Chicago = new(41.8781, -87.6298), StPaul = new(44.9537, -93.09), LosAngeles = new(34.0522, -118.2437);

    public string TourId { get; } = Tokens.NewId("t_");
    public ITourGrain Tour => grains.GetGrain<ITourGrain>(TourId);
    public TourCreated Created { get; private set; } = null!;
    public string SpeakerId => Created.Speakers[0].Id;

    public async Task<Scenario> CreateAsync(PlanningRules? rules = null, int speakers = 1)
    {
        var outcome = await Tour.CreateAsync(CommandContext.System, new CreateTour
        {
            Name = "Test tour", TimeZone = "America/New_York", StartDate = Start, EndDate = End, Rules = rules ?? new PlanningRules(),
            Speakers = [.. Enumerable.Range(0, speakers).Select(i => new SpeakerInput { Name = $"Speaker {i}", HomeTimeZone = "America/New_York" })],
        }, "slug-" + TourId);
        Assert.True(outcome.IsOk, outcome.Detail);
        Created = outcome.Value!;
        return this;
    }

    public async Task<string> HostAsync(string name = "Host")
    {
        var outcome = await Tour.InviteHostAsync(CommandContext.Of(TourGrainCalls.Organizer), new InviteHost { Name = name, ContactEmail = "contact@example.org" });
        return outcome.Value!.HostId;
    }

    public static ClaimRequest Claim(LocalDate[] dates, string city = "Chicago", string zone = "America/Chicago", GeoPoint? at = null,
        int hour = 19, int minutes = 120, ImmutableArray<string>? speakers = null) => new()
    {
        City = city, Country = "US", TimeZone = zone, Location = at ?? Chicago, Dates = [.. dates],
        Events = [new EventInput { Title = $"Meeting in {city}", Start = dates[0].At(new LocalTime(hour, 0)), DurationMinutes = minutes, SpeakerIds = speakers }],
    };
}
