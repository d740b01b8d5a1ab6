using NodaTime;
using NodaTime.Text;
using NodaTime.TimeZones;

namespace TourPlanner.Grains.Domain;

/// <summary>The result of turning what a person typed into an instant in a place: the instant, or why not, and a note on how it was read.</summary>
public readonly record struct LocalResolution(ZonedDateTime? Value, Text? Error, Text? Note);

/// <summary>Turns local times people typed into zoned times, explaining gaps and repeated hours.</summary>
public static class LocalTimes
{
    private static readonly LocalDateTimePattern Pattern = LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm");

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
                return new(null, Text.Of(Codes.TimeGap, Arg.Plain("local", Format(local)), Arg.Plain("zone", zone.Id),
                    Arg.Date("date", gapStart.Date), Arg.Clock("from", gapStart.TimeOfDay), Arg.Clock("to", gapEnd.TimeOfDay),
                    Arg.Plain("before", before.Name), Arg.Plain("after", after.Name)), null);
            }
            default:
            {
                var earlier = mapping.First();
                var later = mapping.Last();
                return new(earlier, null, Text.Of(Codes.TimeRepeated, Arg.Plain("local", Format(local)), Arg.Plain("zone", zone.Id),
                    Arg.Plain("earlier", OffsetPattern.GeneralInvariant.Format(earlier.Offset)), Arg.Plain("earlierName", earlier.GetZoneInterval().Name),
                    Arg.Plain("later", OffsetPattern.GeneralInvariant.Format(later.Offset)), Arg.Plain("laterName", later.GetZoneInterval().Name)));
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
