using System.Collections.Immutable;
using NodaTime;

namespace TourPlanner.Grains.Domain.Tours;

/// <summary>
/// The claim ledger's rules: who may claim, queue order, confirming only the front of the queue and only without
/// conflicts, releasing, cancelling and holds running out.
/// </summary>
public static class ClaimDecisions
{
    public static Decision<ClaimReceipt> Submit(TourModel tour, CommandContext context, ClaimRequest request, Facts facts, Instant now, TourLimits limits)
    {
        if (context.Actor is not { Role: Role.Host, HostId: { } hostId } || tour.Host(hostId) is null)
            return Outcome<ClaimReceipt>.Forbidden(Text.Of(Codes.ClaimHostOnly));
        if (tour.Ledger.Count >= limits.MaxClaims)
            return Outcome<ClaimReceipt>.Limit("claims", Text.Of(Codes.LimitClaims, Arg.Number("max", limits.MaxClaims)));
        if (tour.Ledger.EventCount + request.Events.Length > limits.MaxEvents)
            return Outcome<ClaimReceipt>.Limit("events", Text.Of(Codes.LimitEvents, Arg.Number("max", limits.MaxEvents)));
        var errors = Validation.Check(request, TourViews.Frame(tour), now, out var events, out var notes);
        if (errors.Any) return Outcome<ClaimReceipt>.Invalid(errors);

        var speakerIds = events.IsEmpty
            ? tour.Speakers.Select(s => s.Id).Order(StringComparer.Ordinal).ToImmutableArray()
            : events.SelectMany(e => e.SpeakerIds).Distinct().Order(StringComparer.Ordinal).ToImmutableArray();
        var claimId = Tokens.NewId("c_");
        var stop = new StopSnapshot
        {
            StopId = Tokens.NewId("s_"), TourId = tour.TourId, ClaimId = claimId, HostId = hostId, City = request.City.Trim(),
            Country = request.Country.Trim(), TimeZone = request.TimeZone, Location = request.Location, Dates = request.Dates,
            Venue = request.Venue, Events = events, Status = ClaimStatus.Held, Created = now, LastModified = now,
        };
        var claim = new ClaimView
        {
            ClaimId = claimId, StopId = stop.StopId, HostId = hostId, City = stop.City, Dates = request.Dates,
            SpeakerIds = speakerIds, Status = ClaimStatus.Held, CreatedAt = now,
            AcceptableDates = Validation.AcceptableFirstDates(request.Dates, request.AcceptableDates), Priority = request.Priority,
        };
        // The claim is taken either way; the host learns now what confirming it would run into.
        var conflicts = TourChecks.Involving(tour, stop, stop.Events.Select(e => e.EventId).ToHashSet(), TourChecks.TravelFor(tour, facts), facts.Venues);
        return Decision<ClaimReceipt>.Store(new ClaimSubmitted { At = now, By = context.Actor, Claim = claim, Stop = stop },
            m => Receipt(m, claimId, notes, conflicts), claimId);
    }

    public static ClaimReceipt Receipt(TourModel tour, string claimId, ImmutableArray<FieldText> notes, ImmutableArray<Conflict> conflicts)
    {
        var claim = tour.Ledger.Claim(claimId)!;
        var stop = tour.Ledger.StopOf(claim);
        return new ClaimReceipt { Claim = claim, Events = [.. stop.Events.Select(e => EventViews.Of(stop, e))], Notes = notes, Conflicts = conflicts };
    }

    public static Decision<ClaimView> Confirm(TourModel tour, CommandContext context, string claimId, Facts facts, Instant now)
    {
        var claim = tour.Ledger.Claim(claimId);
        if (claim is null) return NoClaim(claimId);
        if (claim.Status == ClaimStatus.Confirmed) return Decision<ClaimView>.Unchanged(claim);
        if (claim.Status != ClaimStatus.Held)
            return Outcome<ClaimView>.Conflict(Text.Of(Codes.ClaimNotConfirmable, Arg.Of("status", Codes.Status(claim.Status))));
        if (claim.Rank != 1)
            return Outcome<ClaimView>.Conflict(Text.Of(Codes.ClaimNotRankOne, Arg.Number("rank", claim.Rank)));
        if (IsStale(tour, facts)) return Outcome<ClaimView>.Stale(Text.Of(Codes.RouteChanged));

        var stop = tour.Ledger.StopOf(claim);
        var conflicts = TourChecks.Involving(tour, stop, stop.Events.Select(e => e.EventId).ToHashSet(), TourChecks.TravelFor(tour, facts), facts.Venues);
        if (conflicts.Any(c => c.Severity == "error"))
            return Outcome<ClaimView>.Conflict(Text.Of(Codes.ClaimBreaksRules), conflicts);
        // Warnings (an unreadable venue calendar, a start in a repeated hour) do not block, but the organizer sees them.
        return Decision<ClaimView>.Store(new ClaimConfirmed { At = now, By = context.Actor, ClaimId = claimId, Legs = facts.Legs },
            m => m.Ledger.Claim(claimId)!) with { Warnings = conflicts };
    }

    /// <summary>Facts gathered for another version of the confirmed route may miss a leg the check now needs.</summary>
    public static bool IsStale(TourModel tour, Facts facts) =>
        (!facts.Legs.IsDefaultOrEmpty || !facts.Venues.IsDefaultOrEmpty) && facts.RouteVersion != tour.RouteVersion;

    public static Decision<ClaimView> Release(TourModel tour, CommandContext context, string claimId, Instant now)
    {
        var claim = tour.Ledger.Claim(claimId);
        if (claim is null) return NoClaim(claimId);
        var actor = context.Actor;
        if (actor.Role != Role.Organizer && !(actor.Role == Role.Host && actor.HostId == claim.HostId))
            return Outcome<ClaimView>.Forbidden(Text.Of(Codes.ClaimReleaseNotAllowed));
        if (claim.Status == ClaimStatus.Released) return Decision<ClaimView>.Unchanged(claim);
        if (claim.Status == ClaimStatus.Confirmed)
            return Outcome<ClaimView>.Conflict(Text.Of(Codes.ClaimReleaseConfirmed));
        if (claim.Status != ClaimStatus.Held)
            return Outcome<ClaimView>.Conflict(Text.Of(Codes.ClaimAlreadyEnded, Arg.Of("status", Codes.Status(claim.Status))));
        return Decision<ClaimView>.Store(new ClaimEnded { At = now, By = actor, ClaimId = claimId, Status = ClaimStatus.Released },
            m => m.Ledger.Claim(claimId)!);
    }

    public static Decision<ClaimView> Cancel(TourModel tour, CommandContext context, string stopId, Instant now)
    {
        var claim = tour.Ledger.ClaimOfStop(stopId);
        if (claim is null) return Outcome<ClaimView>.NotFound(Text.Of(Codes.StopNotFound, Arg.Plain("id", Validation.Clip(stopId))));
        if (claim.Status == ClaimStatus.Cancelled) return Decision<ClaimView>.Unchanged(claim);
        if (!ClaimLedger.IsActive(claim.Status))
            return Outcome<ClaimView>.Conflict(Text.Of(Codes.StopNothingToCancel, Arg.Of("status", Codes.Status(claim.Status))));
        return Decision<ClaimView>.Store(new ClaimEnded { At = now, By = context.Actor, ClaimId = claim.ClaimId, Status = ClaimStatus.Cancelled },
            m => m.Ledger.Claim(claim.ClaimId)!);
    }

    private static Outcome<ClaimView> NoClaim(string claimId) =>
        Outcome<ClaimView>.NotFound(Text.Of(Codes.ClaimNotFound, Arg.Plain("id", Validation.Clip(claimId))));

    /// <summary>The entry for holds that have run out by <paramref name="now"/>, if any.</summary>
    public static HoldsExpired? ExpireDue(TourModel tour, Instant now)
    {
        if (tour.Ledger.NextExpiry is not { } next || next > now) return null;
        tour.Ledger.ExpireDue(now, tour.Rules, out var expired);
        return new HoldsExpired { At = now, ClaimIds = expired };
    }
}
