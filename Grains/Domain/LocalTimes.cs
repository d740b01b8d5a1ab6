using NodaTime;
using NodaTime.Text;
using NodaTime.TimeZones;

namespace TourPlanner.Grains.Domain;

/// <summary>The result of turning what a person typed into an instant in a place.</summary>
public readonly record struct LocalResolution(ZonedDateTime? Value, string? Error, string? Note);

/// <summary>Turns local times people typed into zoned times, explaining gaps and repeated hours.</summary>
public static class LocalTimes
{
    private static readonly LocalDateTimePattern Pattern = LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm");
    private static readonly LocalTimePattern TimePattern = LocalTimePattern.CreateWithInvariantCulture("HH':'mm");

    public static DateTimeZone? FindZone(string? id) =>
        string.IsNullOrWhiteSpace(id) ? null : DateTimeZoneProviders.Tzdb.GetZoneOrNull(id);

    public static string Format(LocalDateTime value) => Pattern.Format(value);

    /// <summary>
    /// A start inside a daylight-saving gap is refused (the person must pick a real time); one in the repeated
    /// hour resolves to the earlier instant, and the note says so.
    /// </summary>
    public static LocalResolution Resolve(LocalDateTime local, DateTimeZone zone)
    {
        var mapping = zone.MapLocal(local);
        switch (mapping.Count)
        {
            case 1:
                return new(mapping.Single(), null, null);
            case 0:
            {
                var before = mapping.EarlyInterval;
                var after = mapping.LateInterval;
                var gapStart = before.IsoLocalEnd;
                var gapEnd = gapStart.PlusSeconds((after.WallOffset - before.WallOffset).Seconds);
                return new(null,
                    $"{Format(local)} does not exist in {zone.Id}: on {LocalDatePattern.Iso.Format(gapStart.Date)} clocks jump from " +
                    $"{TimePattern.Format(gapStart.TimeOfDay)} to {TimePattern.Format(gapEnd.TimeOfDay)} " +
                    $"({before.Name} to {after.Name}). Choose a time outside that gap.", null);
            }
            default:
            {
                var earlier = mapping.First();
                var later = mapping.Last();
                return new(earlier, null,
                    $"{Format(local)} happens twice in {zone.Id} (clocks go back); it was taken as the earlier one, " +
                    $"{earlier.Offset} ({earlier.GetZoneInterval().Name}), not {later.Offset} ({later.GetZoneInterval().Name}).");
            }
        }
    }

    /// <summary>
    /// For times already stored: never fails. Zone rules can change after an event was saved, so a stored
    /// local time may have fallen into a new gap; it then moves forward by the gap's length.
    /// </summary>
    public static ZonedDateTime ResolveStored(LocalDateTime local, DateTimeZone zone) =>
        zone.ResolveLocal(local, Resolvers.CreateMappingResolver(Resolvers.ReturnEarlier, Resolvers.ReturnForwardShifted));
}
