using System.Collections.Immutable;
using NodaTime;

namespace TourPlanner.Grains.Domain.Tours;

/// <summary>Applying a plan or repair proposal: all of it in one entry, or nothing.</summary>
public static class PlanDecisions
{
    /// <summary>
    /// Refused when anything changed since the proposal was computed (its ledger version); otherwise every change is
    /// checked first (still held/confirmed, first in every queue after re-dating, no conflict under confirm's rules
    /// with the final set of confirmed stops), so it is all or nothing.
    /// </summary>
    public static Decision<PlanApplied> Apply(TourModel tour, PlanProposal proposal, Instant now)
    {
        if (proposal.TourId != tour.TourId) return Outcome<PlanApplied>.NotFound(Text.Of(Codes.PlanOtherTour));
        if (proposal.BasedOnVersion != tour.LedgerVersion)
            return Outcome<PlanApplied>.Conflict(Text.Of(Codes.PlanStale, Arg.Number("read", proposal.BasedOnVersion), Arg.Number("current", tour.LedgerVersion)));

        var changes = proposal.Placements.Select(p => (p.ClaimId, p.Dates, Expected: ClaimStatus.Held))
            .Concat(proposal.Moves.Select(m => (m.ClaimId, Dates: m.To, Expected: ClaimStatus.Confirmed))).ToList();
        var next = new List<StopSnapshot>();
        foreach (var (claimId, dates, expected) in changes)
        {
            var claim = tour.Ledger.Claim(claimId);
            if (claim is null || claim.Status != expected || dates.IsDefaultOrEmpty)
                return Outcome<PlanApplied>.Conflict(Text.Of(Codes.PlanClaimChanged, Arg.Plain("id", Validation.Clip(claimId)), Arg.Of("status", Codes.Status(expected))));
            var stop = tour.Ledger.StopOf(claim);
            var shift = Period.Between(stop.Dates[0], dates[0], PeriodUnits.Days).Days;
            var (moved, _) = PlanModel.Redate(stop, shift);
            if (moved is null)
                return Outcome<PlanApplied>.Conflict(Text.Of(Codes.PlanCannotMove, Arg.Plain("city", claim.City), Arg.Date("date", dates[0]), Arg.Of("reason", WhyNot(stop, shift))));
            // A moved event is a changed event for calendars: its sequence rises so subscribers update it.
            next.Add(moved with
            {
                LastModified = now,
                Events = shift == 0 ? moved.Events : [.. moved.Events.Select(e => e with { Sequence = e.Sequence + 1, LastModified = now })],
            });
        }
        string? cancel = null;
        if (proposal is { Kind: "repair", CancelsRepairStop: true, RepairStopId: { } cancelStop })
        {
            cancel = tour.Ledger.ClaimOfStop(cancelStop) is { Status: ClaimStatus.Confirmed } c ? c.ClaimId : null;
            if (cancel is null) return Outcome<PlanApplied>.Conflict(Text.Of(Codes.PlanRepairStopGone));
        }

        var entry = new ProposalApplied { At = now, ProposalId = proposal.ProposalId, Stops = [.. next], CancelledClaimId = cancel };
        var after = tour.Apply(entry);
        var changedIds = changes.Select(c => c.ClaimId).ToHashSet();
        if (changedIds.Select(id => after.Ledger.Claim(id)!).FirstOrDefault(c => c.Rank != 1) is { } queued)
            return Outcome<PlanApplied>.Conflict(Text.Of(Codes.PlanWouldQueue, Arg.Plain("city", queued.City)));

        var finalStops = after.Ledger.ConfirmedStops.ToList();
        var focus = next.SelectMany(s => s.Events.Select(e => e.EventId)).ToHashSet();
        var travel = TravelTable.From([], tour.KnownLegs.Values);
        var conflicts = ImmutableArray.CreateBuilder<Conflict>();
        foreach (var speaker in tour.Speakers)
        {
            var t = ScheduleAnalyzer.Timeline(speaker.Id, finalStops);
            conflicts.AddRange(ScheduleAnalyzer.Check(speaker.Id, tour.Rules, t, ScheduleAnalyzer.Legs(t, travel))
                .Where(c => c.Severity == "error" && c.EventIds.Any(focus.Contains)));
        }
        if (conflicts.Count > 0)
            return Outcome<PlanApplied>.Conflict(Text.Of(Codes.PlanBreaksRules), conflicts.ToImmutable());

        return Decision<PlanApplied>.Store(entry, m => new PlanApplied
        {
            ProposalId = proposal.ProposalId, Confirmed = [.. proposal.Placements.Select(p => p.ClaimId)], Moved = proposal.Moves,
            Cancelled = cancel is null ? [] : [proposal.RepairStopId!], LedgerVersion = m.LedgerVersion,
        });
    }

    /// <summary>Why a stop cannot be re-dated: the first event whose local start does not exist on the new date.</summary>
    private static Text WhyNot(StopSnapshot stop, int shift)
    {
        var zone = LocalTimes.FindZone(stop.TimeZone) ?? DateTimeZone.Utc;
        foreach (var e in stop.Events)
            if (LocalTimes.Resolve(e.Start.PlusDays(shift), zone).Error is { } error)
                return Text.Of(Codes.PlanEventInGap, Arg.Plain("title", e.Title), Arg.Of("reason", error));
        return Text.Of(Codes.RouteChanged);
    }
}
