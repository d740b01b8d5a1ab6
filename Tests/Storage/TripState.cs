using NodaTime;

namespace TourPlanner.Tests.Storage;

/// <summary>Grain state used by the storage tests, with the NodaTime values our real state carries.</summary>
[GenerateSerializer]
public sealed class TripState
{
    [Id(0)] public string Title { get; set; } = "";
    [Id(1)] public LocalDate StartDate { get; set; }
    [Id(2)] public LocalDateTime Departure { get; set; }
    [Id(3)] public Instant BookedAt { get; set; }
    [Id(4)] public List<string> Stops { get; set; } = [];
}
