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
        if (proposal.TourId != tour.TourId) return Outcome<PlanApplied>.NotFound("The proposal belongs to another tour.");
        if (proposal.BasedOnVersion != tour.LedgerVersion)
            return Outcome<PlanApplied>.Conflict($"The tour's claims changed since this proposal was made (it read version {proposal.BasedOnVersion}, the tour is at {tour.LedgerVersion}); ask for a new plan.");

        var changes = proposal.Placements.Select(p => (p.ClaimId, p.Dates, Expected: ClaimStatus.Held))
            .Concat(proposal.Moves.Select(m => (m.ClaimId, Dates: m.To, Expected: ClaimStatus.Confirmed))).ToList();
        var next = new List<StopSnapshot>();
        foreach (var (claimId, dates, expected) in changes)
        {
            var claim = tour.Ledger.Claim(claimId);
            if (claim is null || claim.Status != expected || dates.IsDefaultOrEmpty)
                return Outcome<PlanApplied>.Conflict($"Claim '{Validation.Clip(claimId)}' is no longer {expected.ToString().ToLowerInvariant()}; ask for a new plan.");
            var stop = tour.Ledger.StopOf(claim);
            var shift = Period.Between(stop.Dates[0], dates[0], PeriodUnits.Days).Days;
            var (moved, error) = PlanModel.Redate(stop, shift);
            if (moved is null) return Outcome<PlanApplied>.Conflict($"{claim.City} cannot move to {Validation.Iso(dates[0])}: {error}");
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
            if (cancel is null) return Outcome<PlanApplied>.Conflict("The stop to cancel is no longer confirmed; ask for a new plan.");
        }

        var entry = new ProposalApplied { At = now, ProposalId = proposal.ProposalId, Stops = [.. next], CancelledClaimId = cancel };
        var after = tour.Apply(entry);
        var changedIds = changes.Select(c => c.ClaimId).ToHashSet();
        if (changedIds.Select(id => after.Ledger.Claim(id)!).FirstOrDefault(c => c.Rank != 1) is { } queued)
            return Outcome<PlanApplied>.Conflict($"{queued.City} would queue behind another claim on its dates; ask for a new plan.");

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
            return Outcome<PlanApplied>.Conflict("Applying this proposal would break the tour's rules.", conflicts.ToImmutable());

        return Decision<PlanApplied>.Store(entry, m => new PlanApplied
        {
            ProposalId = proposal.ProposalId, Confirmed = [.. proposal.Placements.Select(p => p.ClaimId)], Moved = proposal.Moves,
            Cancelled = cancel is null ? [] : [proposal.RepairStopId!], LedgerVersion = m.LedgerVersion,
        });
    }
}
