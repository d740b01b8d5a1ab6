using System.Collections.Immutable;

namespace TourPlanner.Grains.Domain.Tours;

/// <summary>What readers get of a stored version of a tour.</summary>
public static class TourViews
{
    public static TourFrame Frame(TourModel tour) => new(tour.Settings.StartDate, tour.Settings.EndDate, tour.Speakers);

    public static TourSnapshot Snapshot(TourModel tour) => new()
    {
        TourId = tour.TourId, Slug = tour.Slug, Name = tour.Settings.Name, Description = tour.Settings.Description,
        TimeZone = tour.Settings.TimeZone, StartDate = tour.Settings.StartDate, EndDate = tour.Settings.EndDate,
        Speakers = [.. tour.Speakers], Rules = tour.Rules, HostIds = [.. tour.HostOrder], Claims = [.. tour.Ledger.Claims],
        CreatedAt = tour.CreatedAt, Language = tour.Settings.Language, RouteVersion = tour.RouteVersion,
        LedgerVersion = tour.LedgerVersion, Version = tour.Version, Organizers = [.. tour.Organizers],
    };

    /// <summary>A host group with its claims, read from the ledger (so the two can never disagree).</summary>
    public static HostSnapshot Host(TourModel tour, HostSnapshot host) =>
        host with { ClaimIds = [.. tour.Ledger.Claims.Where(c => c.HostId == host.HostId).Select(c => c.ClaimId)] };

    public static ImmutableArray<HostSnapshot> Hosts(TourModel tour)
    {
        var claims = tour.Ledger.Claims.GroupBy(c => c.HostId).ToDictionary(g => g.Key, g => g.Select(c => c.ClaimId).ToImmutableArray());
        return [.. tour.HostOrder.Select(id => tour.Hosts[id] with { ClaimIds = claims.TryGetValue(id, out var ids) ? ids : [] })];
    }

    public static ImmutableArray<StopSnapshot> Stops(TourModel tour, bool publishedOnly) =>
        [.. tour.Ledger.Claims
            .Where(c => !publishedOnly || c.Status is ClaimStatus.Confirmed or ClaimStatus.Cancelled && c.ConfirmedAt is not null)
            .Select(tour.Ledger.StopOf)];

    /// <summary>The confirmed route, and the stop <paramref name="subjectId"/> names (a stop id or a claim id) apart from it.</summary>
    public static RouteSnapshot Route(TourModel tour, string? subjectId)
    {
        var candidate = subjectId is null ? null : tour.Ledger.Stop(subjectId) ?? (tour.Ledger.Claim(subjectId) is { } c ? tour.Ledger.StopOf(c) : null);
        return new RouteSnapshot
        {
            RouteVersion = tour.RouteVersion, Rules = tour.Rules, Speakers = [.. tour.Speakers],
            Confirmed = [.. tour.Ledger.ConfirmedStops.Where(s => s.StopId != candidate?.StopId)],
            Candidate = candidate, KnownLegs = [.. tour.KnownLegs.Values],
            StartDate = tour.Settings.StartDate, EndDate = tour.Settings.EndDate,
        };
    }

    public static LinkInfo Link(TokenRecord t) => new()
    {
        TokenId = t.TokenId, PersonId = t.PersonId, Role = t.Role, IssuedAt = t.IssuedAt, IssuedBy = t.IssuedBy, Label = t.Label,
    };

    public static ImmutableArray<LinkInfo> Links(TourModel tour) =>
        [.. tour.Tokens.Values.Where(t => !t.SingleUse).OrderBy(t => t.IssuedAt).ThenBy(t => t.TokenId, StringComparer.Ordinal).Select(Link)];

    /// <summary>A plan reads active stops only, and counts a hold that has run out by the clock as gone.</summary>
    public static PlanningInput PlanningInput(TourModel tour, NodaTime.Instant now)
    {
        var expiredEntry = ClaimDecisions.ExpireDue(tour, now);
        var current = expiredEntry is null ? tour : tour.Apply(expiredEntry);
        return new PlanningInput
        {
            Tour = Snapshot(current) with { LedgerVersion = tour.LedgerVersion },
            Stops = [.. current.Ledger.Claims.Where(c => ClaimLedger.IsActive(c.Status)).Select(current.Ledger.StopOf)],
            LedgerVersion = tour.LedgerVersion,
        };
    }

    /// <summary>The history line of an entry: what happened and to what, never contact details.</summary>
    public static HistoryEntry History(TourEntry entry, long position)
    {
        var (action, subject) = entry switch
        {
            TourSetUp => ("tour-created", (string?)null),
            SettingsChanged => ("settings-changed", null),
            SpeakerAdded e => ("speaker-added", e.Speaker.Id),
            SpeakerChanged e => ("speaker-changed", e.Speaker.Id),
            SpeakerRemoved e => ("speaker-removed", e.SpeakerId),
            OrganizerAdded e => ("organizer-added", e.Organizer.Id),
            OrganizerChanged e => ("organizer-changed", e.Organizer.Id),
            HostAdded e => ("host-invited", e.Host.HostId),
            HostChanged e => ("host-changed", e.Host.HostId),
            LinkIssued { Token.SingleUse: true } e => ("sign-in-link-mailed", e.Token.PersonId),
            LinkIssued e => (e.RevokedOthers ? "links-revoked-and-reissued" : "link-issued", e.Token.PersonId),
            LinkRevoked e => ("link-revoked", e.TokenId),
            ClaimSubmitted e => ("claim-submitted", e.Claim.ClaimId),
            ClaimConfirmed e => ("claim-confirmed", e.ClaimId),
            ClaimEnded { Status: ClaimStatus.Cancelled } e => ("stop-cancelled", e.ClaimId),
            ClaimEnded e => ("claim-released", e.ClaimId),
            HoldsEnding e => ("holds-ending", string.Join(",", e.ClaimIds.Take(20))),
            HoldsExpired e => ("holds-expired", string.Join(",", e.ClaimIds.Take(20))),
            StopChanged e => (e.Change, e.EventId ?? e.Stop.StopId),
            ProposalApplied e => ("plan-applied", e.ProposalId),
            SupporterSignedUp e => ("supporter-signed-up", e.StopId),
            HostWithdrew e => ("host-withdrew", e.HostId),
            PrivateDataPurged e => ("private-data-purged", e.Reason),
            RetentionChanged e => ("retention-changed", e.PurgeOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)),
            TourExported e => ("tour-exported", e.Format),
            _ => (entry.GetType().Name, null),
        };
        return new HistoryEntry
        {
            Position = position, At = entry.At, Action = action, ActorRole = entry.By?.Role ?? Role.Anonymous,
            ActorId = entry.By?.PersonId, TokenId = entry.By?.TokenId, Subject = subject,
        };
    }
}
