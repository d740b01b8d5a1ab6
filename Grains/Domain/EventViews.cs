using NodaTime;

namespace TourPlanner.Grains.Domain;

/// <summary>Computes the instants of a stored event in its stop's zone.</summary>
public static class EventViews
{
    public static EventView Of(StopSnapshot stop, StopEvent e)
    {
        var zone = LocalTimes.FindZone(stop.TimeZone) ?? DateTimeZone.Utc;
        var start = LocalTimes.ResolveStored(e.Start, zone);
        var end = start.Plus(Duration.FromMinutes(e.DurationMinutes));
        return new EventView
        {
            EventId = e.EventId, StopId = stop.StopId, Title = e.Title, Start = start.ToInstant(), End = end.ToInstant(),
            LocalStart = e.Start, LocalEnd = end.LocalDateTime, TimeZone = stop.TimeZone, DurationMinutes = e.DurationMinutes,
            Public = e.Public, Description = e.Description, SpeakerIds = e.SpeakerIds, Sequence = e.Sequence,
        };
    }
}
