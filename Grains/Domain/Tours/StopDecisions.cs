using System.Collections.Immutable;
using NodaTime;

namespace TourPlanner.Grains.Domain.Tours;

/// <summary>
/// Changes to a stop after it was claimed: its events and its venue. The host group of the stop or the organizer may
/// make them; a confirmed stop's change must still pass confirm's rules.
/// </summary>
public static class StopDecisions
{
    public static Decision<EventChanged> AddEvent(TourModel tour, CommandContext context, string stopId, EventInput input, Facts facts, Instant now, TourLimits limits) =>
        Change(tour, context, stopId, null, facts, now, (stop, claim) =>
        {
            var e = new ValidationErrors();
            if (tour.Ledger.EventCount >= limits.MaxEvents)
                return (e.Add("events", Text.Of(Codes.LimitEvents, Arg.Number("max", limits.MaxEvents))), null, []);
            if (stop.Events.Length >= Validation.MaxEventsPerClaim)
                return (e.Add("events", Text.Of(Codes.StopTooManyEvents, Arg.Number("max", Validation.MaxEventsPerClaim))), null, []);
            if (input.SpeakerIds is { } ids && ids.Any(id => !claim.SpeakerIds.Contains(id)))
                return (e.Add("speakerIds", Text.Of(Codes.StopSpeakerNotInClaim)), null, []);
            var withDefaults = input with { SpeakerIds = input.SpeakerIds ?? claim.SpeakerIds };
            var ev = Validation.CheckEvent(e, "", withDefaults, LocalTimes.FindZone(stop.TimeZone), stop.Dates, TourViews.Frame(tour), now, out var note);
            return (e, ev, Notes(note));
        });

    public static Decision<EventChanged> UpdateEvent(TourModel tour, CommandContext context, string stopId, string eventId, EventPatch patch, Facts facts, Instant now) =>
        Change(tour, context, stopId, eventId, facts, now, (stop, _) =>
        {
            var e = new ValidationErrors();
            var current = stop.Events.FirstOrDefault(x => x.EventId == eventId);
            if (current is null) return (e.Add("eventId", NoEvent(eventId)), null, []);
            var input = new EventInput
            {
                Title = patch.Title ?? current.Title, Start = patch.Start ?? current.Start,
                DurationMinutes = patch.DurationMinutes ?? current.DurationMinutes, Public = patch.Public ?? current.Public,
                Description = patch.Description ?? current.Description, SpeakerIds = current.SpeakerIds,
            };
            var ev = Validation.CheckEvent(e, "", input, LocalTimes.FindZone(stop.TimeZone), stop.Dates, TourViews.Frame(tour), now, out var note, eventId, current);
            return (e, ev, Notes(note));
        });

    /// <summary>Removes an event; a confirmed stop keeps at least one (cancel the stop instead).</summary>
    public static Decision<EventChanged> RemoveEvent(TourModel tour, CommandContext context, string stopId, string eventId, Instant now)
    {
        if (Locate(tour, context, stopId) is { Failure: { } failure }) return failure.As<EventChanged>();
        var claim = tour.Ledger.ClaimOfStop(stopId)!;
        var stop = tour.Ledger.StopOf(claim);
        var ev = stop.Events.FirstOrDefault(x => x.EventId == eventId);
        if (ev is null) return Outcome<EventChanged>.NotFound(NoEvent(eventId));
        if (claim.Status == ClaimStatus.Confirmed && stop.Events.Length == 1)
            return Outcome<EventChanged>.Conflict(Text.Of(Codes.StopKeepsOneEvent));
        var next = stop with { Events = stop.Events.Remove(ev), LastModified = now };
        var removed = EventViews.Of(stop, ev);
        return Decision<EventChanged>.Store(new StopChanged { At = now, By = context.Actor, Stop = next, Change = "event-removed", EventId = eventId },
            _ => new EventChanged(removed, []));
    }

    public static Decision<StopSnapshot> ChangeVenue(TourModel tour, CommandContext context, string stopId, VenuePatch patch, Facts facts, Instant now)
    {
        if (Locate(tour, context, stopId) is { Failure: { } failure }) return failure.As<StopSnapshot>();
        var claim = tour.Ledger.ClaimOfStop(stopId)!;
        var stop = tour.Ledger.StopOf(claim);
        var venue = new Venue
        {
            Name = patch.Name ?? stop.Venue.Name, Address = patch.Address ?? stop.Venue.Address,
            CalendarUrl = patch.CalendarUrl is null ? stop.Venue.CalendarUrl : patch.CalendarUrl.Length == 0 ? null : patch.CalendarUrl,
            AddressVisibility = patch.AddressVisibility ?? stop.Venue.AddressVisibility,
        };
        var e = new ValidationErrors();
        Validation.CheckVenue(e, venue);
        if (e.Any) return Outcome<StopSnapshot>.Invalid(e);
        if (venue == stop.Venue) return Decision<StopSnapshot>.Unchanged(stop);
        var next = stop with { Venue = venue, LastModified = now };
        if (claim.Status == ClaimStatus.Confirmed)
        {
            if (ClaimDecisions.IsStale(tour, facts)) return Outcome<StopSnapshot>.Stale(Text.Of(Codes.RouteChanged));
            var conflicts = TourChecks.Involving(tour, next, next.Events.Select(x => x.EventId).ToHashSet(), TourChecks.TravelFor(tour, facts), facts.Venues)
                .Where(c => c.Code.StartsWith("venue-", StringComparison.Ordinal)).ToImmutableArray();
            if (conflicts.Any(c => c.Severity == "error"))
                return Outcome<StopSnapshot>.Conflict(Text.Of(Codes.StopVenueBusy), conflicts);
        }
        return Decision<StopSnapshot>.Store(new StopChanged { At = now, By = context.Actor, Stop = next, Change = "venue-changed", Legs = facts.Legs },
            m => m.Ledger.Stop(stopId)!);
    }

    private static Decision<EventChanged> Change(TourModel tour, CommandContext context, string stopId, string? eventId, Facts facts, Instant now,
        Func<StopSnapshot, ClaimView, (ValidationErrors Errors, StopEvent? Event, ImmutableArray<FieldText> Notes)> build)
    {
        if (Locate(tour, context, stopId) is { Failure: { } failure }) return failure.As<EventChanged>();
        var claim = tour.Ledger.ClaimOfStop(stopId)!;
        var stop = tour.Ledger.StopOf(claim);
        var (errors, ev, notes) = build(stop, claim);
        if (eventId is not null && errors.Any && stop.Events.All(x => x.EventId != eventId))
            return Outcome<EventChanged>.NotFound(NoEvent(eventId));
        if (errors.Any || ev is null) return Outcome<EventChanged>.Invalid(errors);

        var next = stop with
        {
            Events = eventId is null ? stop.Events.Add(ev) : stop.Events.Replace(stop.Events.Single(x => x.EventId == eventId), ev),
            LastModified = now,
        };
        ImmutableArray<Conflict> warnings = [];
        if (claim.Status == ClaimStatus.Confirmed)
        {
            if (ClaimDecisions.IsStale(tour, facts)) return Outcome<EventChanged>.Stale(Text.Of(Codes.RouteChanged));
            var conflicts = TourChecks.Involving(tour, next, new HashSet<string> { ev.EventId }, TourChecks.TravelFor(tour, facts), facts.Venues);
            if (conflicts.Any(c => c.Severity == "error"))
                return Outcome<EventChanged>.Conflict(Text.Of(Codes.StopChangeBreaksRules), conflicts);
            warnings = conflicts;
        }
        var view = EventViews.Of(next, ev);
        return Decision<EventChanged>.Store(new StopChanged
        {
            At = now, By = context.Actor, Stop = next, Change = eventId is null ? "event-added" : "event-changed", EventId = ev.EventId,
            Legs = claim.Status == ClaimStatus.Confirmed ? facts.Legs : [],
        }, _ => new EventChanged(view, notes), ev.EventId) with { Warnings = warnings };
    }

    /// <summary>The stop exists, is active, and the caller is its host group or the organizer.</summary>
    private static Decision<object> Locate(TourModel tour, CommandContext context, string stopId)
    {
        var claim = tour.Ledger.ClaimOfStop(stopId);
        if (claim is null) return Outcome<object>.NotFound(Text.Of(Codes.StopNotFound, Arg.Plain("id", Validation.Clip(stopId))));
        var actor = context.Actor;
        if (actor.Role != Role.Organizer && !(actor.Role == Role.Host && actor.HostId == claim.HostId))
            return Outcome<object>.Forbidden(Text.Of(Codes.StopChangeNotAllowed));
        if (!ClaimLedger.IsActive(claim.Status))
            return Outcome<object>.Conflict(Text.Of(Codes.StopInactive, Arg.Of("status", Codes.Status(claim.Status))));
        return Decision<object>.Unchanged(claim);
    }

    // A stop's event is changed one at a time, so its note is on "start" itself.
    private static ImmutableArray<FieldText> Notes(Text? note) => note is null ? [] : [new FieldText("start", note)];

    private static Text NoEvent(string eventId) => Text.Of(Codes.EventNotFound, Arg.Plain("id", Validation.Clip(eventId)));
}
