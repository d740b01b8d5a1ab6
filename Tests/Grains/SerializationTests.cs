using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Orleans.Serialization;
using TourPlanner.Grains;
using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Grains;

[Collection(ClusterCollection.Name)]
public class SerializationTests(ClusterFixture fixture)
{
    private Serializer Serializer => fixture.Cluster.Client.ServiceProvider.GetRequiredService<Serializer>();

    private T RoundTrip<T>(T value) => Serializer.Deserialize<T>(Serializer.SerializeToArray(value))!;

    [Fact]
    public void NodaTimeValues_RoundTripThroughOrleansSurrogates()
    {
        Assert.Equal(new LocalDate(2026, 10, 28), RoundTrip(new LocalDate(2026, 10, 28)));
        Assert.Equal(new LocalDateTime(2026, 11, 1, 1, 30, 15), RoundTrip(new LocalDateTime(2026, 11, 1, 1, 30, 15)));
        var instant = Instant.FromUtc(2026, 10, 29, 0, 0) + Duration.FromNanoseconds(123_456_789);
        Assert.Equal(instant, RoundTrip(instant));
        var before1970 = Instant.FromUtc(1969, 12, 31, 23, 59, 59) + Duration.FromNanoseconds(1);
        Assert.Equal(before1970, RoundTrip(before1970));
        Assert.Equal(Duration.FromNanoseconds(-7), RoundTrip(Duration.FromNanoseconds(-7)));
        Assert.Equal(Duration.FromMinutes(90), RoundTrip(Duration.FromMinutes(90)));
        Assert.Equal(new LocalTime(19, 30, 5).PlusNanoseconds(7), RoundTrip(new LocalTime(19, 30, 5).PlusNanoseconds(7)));
        Assert.Equal((Instant?)null, RoundTrip<Instant?>(null));
    }

    [Fact]
    public void RecordsCarryingNodaTime_RoundTripWithEveryField()
    {
        var stop = new StopSnapshot
        {
            StopId = "s", TourId = "t", ClaimId = "c", HostId = "h", City = "Chicago", Country = "US", TimeZone = "America/Chicago",
            Location = new GeoPoint(41.88, -87.63), Dates = [new LocalDate(2026, 10, 28)], Venue = new Venue { Name = "Hall" },
            Events = [new StopEvent { EventId = "e", Title = "Meeting", Start = new LocalDateTime(2026, 10, 28, 19, 0), DurationMinutes = 120, SpeakerIds = ["sp"], Created = Instant.FromUtc(2026, 10, 1, 0, 0), LastModified = Instant.FromUtc(2026, 10, 2, 0, 0), Sequence = 3 }],
            Status = ClaimStatus.Confirmed, Created = Instant.FromUtc(2026, 10, 1, 0, 0), LastModified = Instant.FromUtc(2026, 10, 2, 0, 0), Version = 4,
        };
        var back = RoundTrip(stop);
        Assert.Equivalent(stop, back, strict: true);
        Assert.Equal(stop.Events[0].Start, back.Events[0].Start);
        Assert.Equal(stop.Events[0].SpeakerIds.ToArray(), back.Events[0].SpeakerIds.ToArray());
    }

    [Fact]
    public async Task NodaTimeValues_CrossAGrainCallBothWays()
    {
        var scenario = await new Scenario(fixture.Grains).CreateAsync();
        var host = await scenario.HostAsync();
        var dates = new[] { new LocalDate(2026, 10, 28), new LocalDate(2026, 10, 29) };
        var receipt = (await scenario.Tour.SubmitClaimAsync(host, Scenario.Claim(dates))).Value!;
        // Sent in: local dates and times. Sent back: the same local values plus the instants computed in the grain.
        Assert.Equal(dates, receipt.Claim.Dates.ToArray());
        Assert.Equal(new LocalDateTime(2026, 10, 28, 19, 0), receipt.Events[0].LocalStart);
        Assert.Equal(Instant.FromUtc(2026, 10, 29, 0, 0), receipt.Events[0].Start);
        Assert.Equal(fixture.Clock.GetCurrentInstant(), receipt.Claim.CreatedAt);
    }
}
