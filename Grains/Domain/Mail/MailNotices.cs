using System.Collections.Immutable;
using NodaTime;
using TourPlanner.Grains.Domain.Tours;

namespace TourPlanner.Grains.Domain.Mail;

/// <summary>
/// Which messages a change of a tour owes whom. A pure function of the tour before an entry, the entry, and the tour
/// the entry made: the tour grain stores its answer on the entry itself, so a confirmed change never exists without
/// its messages. Each notice carries only what its recipient may see: a host group its own stop (private events
/// included, since they are its own), a speaker the events they attend, organizers the claim's city, dates and group.
/// People without an e-mail address get nothing.
/// </summary>
public static class MailNotices
{
    /// <summary>How long before a hold runs out its host group is reminded.</summary>
    public static readonly Duration WarnBefore = Duration.FromHours(24);

    /// <summary>The entry for holds that run out within a day and whose groups were not reminded yet, if any.</summary>
    public static HoldsEnding? HoldsEndingBy(TourModel tour, Instant now)
    {
        var ids = tour.Ledger.HoldsRunningOutBy(now + WarnBefore)
            .Where(c => c.ExpiresAt > now && !tour.WarnedHolds.Contains(c.ClaimId))
            .Select(c => c.ClaimId).ToImmutableArray();
        return ids.IsEmpty ? null : new HoldsEnding { At = now, ClaimIds = ids };
    }

    public static ImmutableArray<Notice> For(TourModel before, TourEntry entry, TourModel after)
    {
        var notices = ImmutableArray.CreateBuilder<Notice>();
        var by = entry.By?.Role ?? Role.Anonymous;
        switch (entry)
        {
            case ClaimSubmitted e when after.Ledger.Claim(e.Claim.ClaimId) is { } claim:
            {
                var stop = after.Ledger.StopOf(claim);
                // What confirming would run into today; other stops' details in the explanations are marked with their
                // owners, so the host group's message shows them only as the API shows them to it.
                var found = TourChecks.Involving(before, stop, stop.Events.Select(x => x.EventId).ToHashSet(),
                    TourChecks.TravelFor(before, Facts.None), []);
                ToHost(notices, after, claim, NoticeKinds.ClaimReceived, e.At, by, conflicts: found);
                ToOrganizers(notices, after, claim, NoticeKinds.ClaimSubmitted, e.At, by);
                break;
            }
            case ClaimConfirmed e when after.Ledger.Claim(e.ClaimId) is { } claim:
                Confirmed(notices, after, claim, e.At, by);
                break;
            case ClaimEnded { Status: ClaimStatus.Cancelled } e:
                Cancelled(notices, before, after, e.ClaimId, e.At, by);
                MovedUp(notices, before, after, e.At, by);
                break;
            case ClaimEnded e when after.Ledger.Claim(e.ClaimId) is { } claim:
                ToOrganizers(notices, after, claim, NoticeKinds.ClaimReleased, e.At, by);
                MovedUp(notices, before, after, e.At, by);
                break;
            case HoldsExpired e:
                foreach (var id in e.ClaimIds)
                    if (after.Ledger.Claim(id) is { } claim) ToHost(notices, after, claim, NoticeKinds.HoldExpired, e.At, by);
                MovedUp(notices, before, after, e.At, by);
                break;
            case HoldsEnding e:
                foreach (var id in e.ClaimIds)
                {
                    if (after.Ledger.Claim(id) is not { } claim) continue;
                    ToHost(notices, after, claim, NoticeKinds.HoldEnding, e.At, by);
                    if (ClaimLedger.Slots(claim).Any(s => after.Ledger.QueueLength(s.SpeakerId, s.Date) > 1))
                        ToOrganizers(notices, after, claim, NoticeKinds.QueuedHoldEnding, e.At, by);
                }
                break;
            case StopChanged e when after.Ledger.ClaimOfStop(e.Stop.StopId) is { } claim:
                Changed(notices, before, after, claim, e, by);
                break;
            case ProposalApplied e:
                foreach (var stop in e.Stops)
                {
                    if (before.Ledger.ClaimOfStop(stop.StopId) is not { } was || after.Ledger.ClaimOfStop(stop.StopId) is not { } claim) continue;
                    if (was.Status == ClaimStatus.Held) Confirmed(notices, after, claim, e.At, by);
                    else if (!stop.Dates.SequenceEqual(before.Ledger.StopOf(was).Dates)) Moved(notices, after, claim, e.At, by);
                }
                if (e.CancelledClaimId is { } cancelled) Cancelled(notices, before, after, cancelled, e.At, by);
                MovedUp(notices, before, after, e.At, by);
                break;
            case SpeakerRemoved e when !e.ReleasedClaims.IsEmpty:
                MovedUp(notices, before, after, e.At, by);
                break;
        }
        Supporters(notices, before, entry, after, by);
        return notices.ToImmutable();
    }

    private static void Confirmed(ImmutableArray<Notice>.Builder notices, TourModel tour, ClaimView claim, Instant at, Role by)
    {
        ToHost(notices, tour, claim, NoticeKinds.Confirmed, at, by, method: "REQUEST");
        ToSpeakers(notices, tour, tour.Ledger.StopOf(claim), [], NoticeKinds.SpeakerConfirmed, at, by, "REQUEST", claim.ClaimId);
    }

    private static void Moved(ImmutableArray<Notice>.Builder notices, TourModel tour, ClaimView claim, Instant at, Role by)
    {
        ToHost(notices, tour, claim, NoticeKinds.StopChanged, at, by, method: "REQUEST");
        ToSpeakers(notices, tour, tour.Ledger.StopOf(claim), [], NoticeKinds.SpeakerChanged, at, by, "REQUEST", claim.ClaimId);
    }

    private static void Cancelled(ImmutableArray<Notice>.Builder notices, TourModel before, TourModel after, string claimId, Instant at, Role by)
    {
        if (after.Ledger.Claim(claimId) is not { } claim) return;
        var wasConfirmed = before.Ledger.Claim(claimId)?.Status == ClaimStatus.Confirmed;
        // Only events that reached calendars need a CANCEL; a held stop's group just learns it is off.
        ToHost(notices, after, claim, NoticeKinds.StopCancelled, at, by, method: wasConfirmed ? "CANCEL" : null);
        if (wasConfirmed) ToSpeakers(notices, after, after.Ledger.StopOf(claim), [], NoticeKinds.SpeakerCancelled, at, by, "CANCEL", claimId);
    }

    private static void Changed(ImmutableArray<Notice>.Builder notices, TourModel before, TourModel after, ClaimView claim, StopChanged e, Role by)
    {
        var confirmed = claim.Status == ClaimStatus.Confirmed;
        var previous = before.Ledger.Stop(e.Stop.StopId);
        // A removed event leaves calendars with a CANCEL one sequence above what they hold.
        ImmutableArray<StopEvent> removed = e.Change == "event-removed" && previous?.Events.FirstOrDefault(x => x.EventId == e.EventId) is { } gone
            ? [gone with { Sequence = gone.Sequence + 1, LastModified = e.At }]
            : [];
        // The group is told of what the organizer changed; what it changed itself it knows.
        if (by == Role.Organizer)
            ToHost(notices, after, claim, NoticeKinds.StopChanged, e.At, by, method: confirmed ? "REQUEST" : null, removed: removed);
        if (confirmed)
        {
            var stop = after.Ledger.StopOf(claim);
            var touched = e.Change == "venue-changed" ? null : e.EventId;
            ToSpeakers(notices, after, stop, removed, NoticeKinds.SpeakerChanged, e.At, by, "REQUEST", claim.ClaimId, touched);
        }
    }

    /// <summary>
    /// The address of an on-request stop goes to whoever signed up for it: once when they sign up, and again to every
    /// one of them when the host group changes the address while it is still on request. Only while the stop is
    /// confirmed and on request (otherwise the address is either public already or nobody's business yet).
    /// </summary>
    private static void Supporters(ImmutableArray<Notice>.Builder notices, TourModel before, TourEntry entry, TourModel after, Role by)
    {
        switch (entry)
        {
            case SupporterSignedUp e when after.Signups.FirstOrDefault(s => s.SignupId == e.SignupId) is { Email: not null } signup:
                ToSupporter(notices, after, e.StopId, signup, NoticeKinds.SignupAddress, e.At, by);
                break;
            case StopChanged { Change: "venue-changed" } e when before.Ledger.Stop(e.Stop.StopId) is { } was
                && (was.Venue.Address != e.Stop.Venue.Address || was.Venue.Name != e.Stop.Venue.Name)
                && was.Venue.AddressVisibility == AddressVisibility.OnRequest:
                foreach (var signup in after.Signups.Where(s => s.StopId == e.Stop.StopId && s.Email is not null))
                    ToSupporter(notices, after, e.Stop.StopId, signup, NoticeKinds.SignupAddressChanged, e.At, by);
                break;
        }
    }

    private static void ToSupporter(ImmutableArray<Notice>.Builder notices, TourModel tour, string stopId, Signup signup, string kind, Instant at, Role by)
    {
        if (tour.Ledger.Stop(stopId) is not { Status: ClaimStatus.Confirmed, CancelledAt: null } stop
            || stop.Venue.AddressVisibility != AddressVisibility.OnRequest) return;
        // A supporter reads what the public page shows, plus the venue's address: public events only, no calendar URL.
        notices.Add(new Notice
        {
            Kind = kind, RecipientRole = Role.Anonymous, RecipientId = signup.SignupId, At = at,
            ClaimId = tour.Ledger.ClaimOfStop(stopId)?.ClaimId,
            Stop = stop with { Events = [.. stop.Events.Where(x => x.Public)], Venue = stop.Venue with { CalendarUrl = null } },
            ByRole = by,
        });
    }

    /// <summary>Held claims that reached the front of their queues with this entry.</summary>
    private static void MovedUp(ImmutableArray<Notice>.Builder notices, TourModel before, TourModel after, Instant at, Role by)
    {
        foreach (var claim in after.Ledger.Claims)
            if (claim is { Status: ClaimStatus.Held, Rank: 1 } && before.Ledger.Claim(claim.ClaimId) is { Rank: > 1 })
                ToHost(notices, after, claim, NoticeKinds.MovedUp, at, by);
    }

    private static void ToHost(ImmutableArray<Notice>.Builder notices, TourModel tour, ClaimView claim, string kind, Instant at, Role by,
        string? method = null, ImmutableArray<Conflict> conflicts = default, ImmutableArray<StopEvent> removed = default)
    {
        if (tour.Host(claim.HostId) is not { ContactEmail: not null } host) return;
        notices.Add(new Notice
        {
            Kind = kind, RecipientRole = Role.Host, RecipientId = host.HostId, At = at, ClaimId = claim.ClaimId, Stop = tour.Ledger.StopOf(claim),
            Rank = claim.Rank, ExpiresAt = claim.ExpiresAt, Method = method,
            ConflictCodes = conflicts.IsDefault ? [] : [.. conflicts.Select(c => c.Code).Distinct()],
            // A sentence built without a code (none of these checks builds one) would not redact: its code stands in.
            Conflicts = conflicts.IsDefault ? [] : [.. conflicts.Select(c => c.Text ?? Text.Of(Codes.ConflictUnexplained, Arg.Plain("code", c.Code))).Distinct()],
            RemovedEvents = removed.IsDefault ? [] : removed, ByRole = by,
        });
    }

    private static void ToOrganizers(ImmutableArray<Notice>.Builder notices, TourModel tour, ClaimView claim, string kind, Instant at, Role by)
    {
        var stop = tour.Ledger.StopOf(claim);
        // Organizers see every stop anyway; the digest names the city, dates and group, not the events.
        var brief = stop with { Events = [], Venue = new Venue { Name = stop.Venue.Name } };
        foreach (var organizer in tour.Organizers.Where(o => o.Email is not null))
            notices.Add(new Notice
            {
                Kind = kind, RecipientRole = Role.Organizer, RecipientId = organizer.Id, At = at, ClaimId = claim.ClaimId, Stop = brief,
                Rank = claim.Rank, ExpiresAt = claim.ExpiresAt, HostName = tour.Host(claim.HostId)?.Name, ByRole = by,
            });
    }

    // With onlyEvent set, only the speakers of that event (before or after the change) are told.
    private static void ToSpeakers(ImmutableArray<Notice>.Builder notices, TourModel tour, StopSnapshot stop, ImmutableArray<StopEvent> removed,
        string kind, Instant at, Role by, string method, string claimId, string? onlyEvent = null)
    {
        var attending = stop.Events.Concat(removed).Where(e => onlyEvent is null || e.EventId == onlyEvent)
            .SelectMany(e => e.SpeakerIds).Distinct().Order(StringComparer.Ordinal);
        foreach (var speakerId in attending)
        {
            if (tour.Speaker(speakerId) is not { Email: not null } speaker) continue;
            notices.Add(new Notice
            {
                Kind = kind, RecipientRole = Role.Speaker, RecipientId = speaker.Id, At = at, ClaimId = claimId,
                Stop = stop with { Events = [.. stop.Events.Where(e => e.SpeakerIds.Contains(speakerId))] },
                Method = method, RemovedEvents = [.. removed.Where(e => e.SpeakerIds.Contains(speakerId))], ByRole = by,
            });
        }
    }
}
