using System.Collections.Immutable;
using System.Globalization;
using NodaTime;

namespace TourPlanner.Grains.Domain;

/// <summary>A time a venue's own calendar says the venue is taken. No title: the venue's events are not ours to show.</summary>
public readonly record struct BusyInterval(Instant Start, Instant End);

/// <summary>Whether a venue calendar was read.</summary>
public enum VenueCalendarStatus
{
    /// <summary>No reader is configured (the embedded default): nothing to check, nothing to report.</summary>
    NotConfigured,
    /// <summary>Read; <see cref="VenueBusy.Intervals"/> holds every busy interval in the range.</summary>
    Ok,
    /// <summary>The calendar could not be read (network, auth, timeout, not a calendar, too large or complex).</summary>
    Unavailable,
}

/// <summary>A venue calendar's busy intervals over a range, or why they are unknown.</summary>
public sealed record VenueBusy
{
    public required VenueCalendarStatus Status { get; init; }
    public ImmutableArray<BusyInterval> Intervals { get; init; } = [];
    /// <summary>Why the calendar is unavailable, for the log; people are shown one reason whatever it is (<see cref="Unreadable"/>).</summary>
    public string? Reason { get; init; }

    /// <summary>The one reason a host group is given, whatever failed: distinct reasons would let it probe ports through us.</summary>
    public const string UnreadableReason = "the calendar could not be read";

    public static readonly VenueBusy NotConfigured = new() { Status = VenueCalendarStatus.NotConfigured };
    public static readonly VenueBusy Unreadable = Unavailable(UnreadableReason);
    public static VenueBusy Free(IEnumerable<BusyInterval> intervals) => new() { Status = VenueCalendarStatus.Ok, Intervals = [.. intervals] };
    public static VenueBusy Unavailable(string reason) => new() { Status = VenueCalendarStatus.Unavailable, Reason = reason };
}

/// <summary>Reads a venue's own calendar (CalDAV collection or .ics URL). Implementations live outside the domain.</summary>
public interface IVenueCalendar
{
    /// <summary>The busy intervals overlapping [<paramref name="from"/>, <paramref name="to"/>); never throws for a bad calendar.</summary>
    Task<VenueBusy> GetBusyAsync(string calendarUrl, Instant from, Instant to, CancellationToken ct);
}

/// <summary>The default when no reader is registered: venue calendars are not checked, so the embedded silo needs nothing.</summary>
public sealed class NoVenueCalendar : IVenueCalendar
{
    public Task<VenueBusy> GetBusyAsync(string calendarUrl, Instant from, Instant to, CancellationToken ct) => Task.FromResult(VenueBusy.NotConfigured);
}

/// <summary>How long the tour grain waits for a venue calendar before it gives up with a warning.</summary>
public sealed record VenueCalendarOptions
{
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>Pure rules: a stop's events against its venue's busy intervals.</summary>
public static class VenueConflicts
{
    /// <summary>The time range to ask the venue calendar for: from the stop's first event start to its last event end.</summary>
    public static (Instant From, Instant To)? Span(StopSnapshot stop)
    {
        var events = Placed(stop).ToList();
        return events.Count == 0 ? null : (events.Min(e => e.Start.ToInstant()), events.Max(e => e.End.ToInstant()));
    }

    /// <summary><c>venue-busy</c> (error) per event and busy stretch that overlap; <c>venue-calendar-unavailable</c> (warning) when unread.</summary>
    public static ImmutableArray<Conflict> Check(StopSnapshot stop, VenueBusy busy)
    {
        var venue = string.IsNullOrWhiteSpace(stop.Venue.Name) ? null : stop.Venue.Name.Trim();
        var hosts = stop.Events.ToImmutableDictionary(e => e.EventId, _ => stop.HostId);
        var city = Arg.Plain("city", stop.City);
        var found = ImmutableArray.CreateBuilder<Conflict>();
        if (busy.Status == VenueCalendarStatus.Unavailable)
        {
            var reason = busy.Reason ?? "unreadable";
            var of = venue is null ? Text.Of(Codes.VenueOf) : Text.Of(Codes.VenueOfNamed, Arg.Plain("name", venue));
            found.Add(new Conflict
            {
                Code = "venue-calendar-unavailable", Severity = "warning", EventIds = [.. stop.Events.Select(e => e.EventId)], EventHosts = hosts,
                // Why the read failed is for the organizer: distinct reasons would let a host group probe addresses through us.
                Text = Text.Of(Codes.ConflictVenueUnavailable, Arg.Of("venue", of).OwnedBy(stop.HostId, Text.Of(Codes.VenueOf)), city,
                    Arg.Plain("reason", reason).OwnedBy(null, Text.Of(Codes.VenueReasonHidden))),
                Details = ImmutableDictionary<string, string>.Empty.Add("reason", "unreadable"),
            });
            return found.ToImmutable();
        }
        if (busy.Status != VenueCalendarStatus.Ok) return [];

        var subject = venue is null ? Text.Of(Codes.VenueSubject) : Text.Of(Codes.VenueSubjectNamed, Arg.Plain("name", venue));
        var stretches = Merge(busy.Intervals);
        foreach (var e in Placed(stop))
            foreach (var b in stretches.Where(b => b.Start < e.End.ToInstant() && e.Start.ToInstant() < b.End))
            {
                // Busy times are shown in the stop's zone so the host reads them as the venue does.
                var (bs, be) = (b.Start.InZone(e.Start.Zone), b.End.InZone(e.Start.Zone));
                found.Add(new Conflict
                {
                    Code = "venue-busy", Severity = "error", EventIds = [e.Event.EventId], EventHosts = hosts.Where(h => h.Key == e.Event.EventId).ToImmutableDictionary(),
                    Text = Text.Of(Codes.ConflictVenueBusy, Arg.Of("venue", subject).OwnedBy(stop.HostId, Text.Of(Codes.VenueSubject)), city,
                        Arg.Moment("busyStart", bs), Arg.Moment("busyEnd", be), ScheduleAnalyzer.EventArg("event", stop, e.Event, withCity: false),
                        Arg.Moment("start", e.Start), Arg.Moment("end", e.End)),
                    Details = ImmutableDictionary<string, string>.Empty
                        .Add("busyStart", b.Start.ToString("g", CultureInfo.InvariantCulture))
                        .Add("busyEnd", b.End.ToString("g", CultureInfo.InvariantCulture)),
                });
            }
        return found.ToImmutable();
    }

    private static IEnumerable<(StopEvent Event, ZonedDateTime Start, ZonedDateTime End)> Placed(StopSnapshot stop)
    {
        var zone = LocalTimes.FindZone(stop.TimeZone) ?? DateTimeZone.Utc;
        return stop.Events.Select(e =>
        {
            var start = LocalTimes.ResolveStored(e.Start, zone);
            return (e, start, start.Plus(Duration.FromMinutes(e.DurationMinutes)));
        });
    }

    /// <summary>Touching or overlapping intervals become one, so back-to-back bookings read as one stretch.</summary>
    private static List<BusyInterval> Merge(IEnumerable<BusyInterval> intervals)
    {
        var merged = new List<BusyInterval>();
        foreach (var i in intervals.Where(i => i.End > i.Start).OrderBy(i => i.Start))
            if (merged.Count > 0 && i.Start <= merged[^1].End)
                merged[^1] = merged[^1] with { End = Instant.Max(merged[^1].End, i.End) };
            else
                merged.Add(i);
        return merged;
    }
}
