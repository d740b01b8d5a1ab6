using System.Collections.Immutable;
using NodaTime;
using TourPlanner.Gateway.Stops;
using TourPlanner.Grains;
using TourPlanner.Grains.Domain;

namespace TourPlanner.Gateway.Itinerary;

/// <summary>
/// Everything printed on a speaker's or the organizer's day sheets, as one answer the page can keep offline.
/// <see cref="Viewer"/> is <c>organizer</c> or <c>speaker</c>: only a speaker's own phone keeps a copy.
/// </summary>
public sealed record DaySheetsDto(string TourId, string TourName, string? SpeakerId, string? SpeakerName, string Viewer, Instant GeneratedAt,
    IReadOnlyList<DaySheetDto> Days);

/// <summary>One day of one stop. <see cref="Host"/> is the host group's contact: the organizer and that stop's speakers only.</summary>
public sealed record DaySheetDto(LocalDate Date, string StopId, string City, string Country, string TimeZone, int DayOfStop, int DaysAtStop,
    SheetVenueDto Venue, SheetHostDto? Host, IReadOnlyList<SheetEventDto> Events, LogisticsDto? Logistics, IReadOnlyList<SheetLegDto> Travel,
    IReadOnlyList<SheetNextDto> Next);

public sealed record SheetVenueDto(string? Name, string? Address);

public sealed record SheetHostDto(string Name, string? ContactName, string? ContactEmail, string? ContactPhone);

/// <summary>An event at the stop's local time, with the zone's abbreviation at that instant (CDT, CET) as the tz database spells it.</summary>
public sealed record SheetEventDto(string EventId, string Title, Instant Start, Instant End, LocalDateTime LocalStart, LocalDateTime LocalEnd,
    string TimeZone, string ZoneAbbreviation, bool Public, string? Description, IReadOnlyList<string> Speakers);

/// <summary>
/// A travel leg into (<c>in</c>) or out of (<c>out</c>) the stop, for one speaker: leaves and arrives in each end's own
/// zone, and says where the figure came from (<c>osrm</c>/<c>cache</c>: routed; <c>estimate</c>: the built-in model).
/// Words are left to the page, in its language: these are codes and values.
/// </summary>
public sealed record SheetLegDto(string SpeakerId, string SpeakerName, string Direction, string Leg, string? FromCity, string? ToCity,
    Instant Start, Instant End, string TimeZone, string EndTimeZone, LocalDateTime LocalStart, LocalDateTime LocalEnd,
    string StartAbbreviation, string EndAbbreviation, string Mode, int Minutes, double DistanceKm, string Source);

/// <summary>Where a speaker goes after this stop: the next stop's city and first day, or home (<see cref="City"/> is then the home city, if named).</summary>
public sealed record SheetNextDto(string SpeakerId, string SpeakerName, bool Home, string? City, LocalDate? Date);

/// <summary>
/// Builds day sheets from a tour's confirmed stops, its speakers' itineraries (the same legs their pages show), the
/// host groups and the stops' logistics. Pure, so what a sheet says is tested without a cluster.
/// </summary>
public static class DaySheets
{
    /// <param name="speakers">Whose sheets: one speaker (their days only, their events only), or every speaker (the organizer's: every day of every stop).</param>
    public static DaySheetsDto Build(string tourId, string tourName, string? speakerId, string viewer, Instant now, IReadOnlyList<SpeakerInfo> speakers,
        IEnumerable<StopSnapshot> confirmed, IReadOnlyDictionary<string, ItineraryView> itineraries, IEnumerable<HostSnapshot> hosts,
        IReadOnlyDictionary<string, StopLogistics> logistics)
    {
        var hostById = hosts.ToDictionary(h => h.HostId);
        var names = speakers.ToDictionary(s => s.Id, s => s.Name);
        var days = new List<DaySheetDto>();
        foreach (var stop in confirmed.OrderBy(s => s.Dates.IsDefaultOrEmpty ? default : s.Dates.Min()).ThenBy(s => s.StopId, StringComparer.Ordinal))
        {
            var zone = LocalTimes.FindZone(stop.TimeZone) ?? DateTimeZone.Utc;
            // Who is at this stop, and on which of its days (by their own events there).
            var stays = speakers
                .Select(s => (Speaker: s, Days: stop.Events.Where(e => e.SpeakerIds.Contains(s.Id)).Select(e => e.Start.Date).ToImmutableSortedSet()))
                .Where(x => x.Days.Count > 0).ToList();
            if (speakerId is not null && stays.Count == 0) continue;
            var dates = stop.Dates.Distinct().Order().ToList();
            if (speakerId is not null) dates = [.. dates.Where(d => d >= stays[0].Days.Min && d <= stays[0].Days.Max)];
            var logisticsOf = logistics.TryGetValue(stop.StopId, out var l) && !l.IsEmpty ? LogisticsDto.From(stop.StopId, l) : null;
            var host = hostById.TryGetValue(stop.HostId, out var h) ? new SheetHostDto(h.Name, h.ContactName, h.ContactEmail, h.ContactPhone) : null;
            foreach (var date in dates)
            {
                var events = stop.Events
                    .Where(e => e.Start.Date == date && (speakerId is null || e.SpeakerIds.Contains(speakerId)))
                    .Select(e => EventOf(stop, e, zone, names)).OrderBy(e => e.Start).ToList();
                var travel = new List<SheetLegDto>();
                var next = new List<SheetNextDto>();
                foreach (var (speaker, stay) in stays)
                {
                    if (!itineraries.TryGetValue(speaker.Id, out var view)) continue;
                    if (date == stay.Min)
                        travel.AddRange(view.Items.Where(i => i.Kind == "travel" && i.ToStopId == stop.StopId).Select(i => LegOf(speaker, "in", i)));
                    if (date == stay.Max)
                        travel.AddRange(view.Items.Where(i => i.Kind == "travel" && i.FromStopId == stop.StopId).Select(i => LegOf(speaker, "out", i)));
                    if (date >= stay.Min && date <= stay.Max) next.Add(NextOf(speaker, stop, view));
                }
                days.Add(new DaySheetDto(date, stop.StopId, stop.City, stop.Country, stop.TimeZone, dates.IndexOf(date) + 1, dates.Count,
                    new SheetVenueDto(stop.Venue.Name, stop.Venue.Address), host, events, logisticsOf,
                    [.. travel.OrderBy(t => t.Start)], next));
            }
        }
        return new DaySheetsDto(tourId, tourName, speakerId, speakerId is null ? null : names.GetValueOrDefault(speakerId), viewer, now, [.. days.OrderBy(d => d.Date).ThenBy(d => d.Events.Count == 0 ? Instant.MaxValue : d.Events[0].Start)]);
    }

    /// <summary>The zone's abbreviation at an instant, from the tz database (CDT, BST; "-03" where the zone has none).</summary>
    public static string Abbreviation(string zoneId, Instant at) => (LocalTimes.FindZone(zoneId) ?? DateTimeZone.Utc).GetZoneInterval(at).Name;

    private static SheetEventDto EventOf(StopSnapshot stop, StopEvent e, DateTimeZone zone, IReadOnlyDictionary<string, string> names)
    {
        var start = LocalTimes.ResolveStored(e.Start, zone);
        var end = start.Plus(Duration.FromMinutes(e.DurationMinutes));
        return new SheetEventDto(e.EventId, e.Title, start.ToInstant(), end.ToInstant(), start.LocalDateTime, end.LocalDateTime, stop.TimeZone,
            start.GetZoneInterval().Name, e.Public, e.Description, [.. e.SpeakerIds.Select(id => names.GetValueOrDefault(id, id))]);
    }

    private static SheetLegDto LegOf(SpeakerInfo speaker, string direction, ItineraryItem i) => new(speaker.Id, speaker.Name, direction, i.Leg ?? "between",
        i.FromCity, i.ToCity, i.Start, i.End, i.TimeZone, i.EndTimeZone ?? i.TimeZone, i.LocalStart, i.LocalEnd,
        Abbreviation(i.TimeZone, i.Start), Abbreviation(i.EndTimeZone ?? i.TimeZone, i.End), i.Mode ?? "drive", i.Minutes ?? 0, i.DistanceKm ?? 0, i.Source ?? "estimate");

    /// <summary>The first event after this stop at another stop, or home.</summary>
    private static SheetNextDto NextOf(SpeakerInfo speaker, StopSnapshot stop, ItineraryView view)
    {
        var events = view.Items.Where(i => i.Kind == "event").ToList();
        var last = events.FindLastIndex(i => i.StopId == stop.StopId);
        var after = last < 0 ? null : events.Skip(last + 1).FirstOrDefault(i => i.StopId != stop.StopId);
        return after is null
            ? new SheetNextDto(speaker.Id, speaker.Name, Home: true, speaker.HomeCity, null)
            : new SheetNextDto(speaker.Id, speaker.Name, Home: false, after.City, after.LocalStart.Date);
    }
}
