using System.Collections.Immutable;
using NodaTime;
using TourPlanner.Grains.Domain.Privacy;

namespace TourPlanner.Grains.Domain.Tours;

/// <summary>
/// Retention, a host group's withdrawal, supporters' sign-ups and exports. What is private, and how it is forgotten,
/// is <see cref="PrivateData"/>'s: these decide when, and record who asked.
/// </summary>
public static class PrivacyDecisions
{
    /// <summary>When the tour's private data goes: the organizer's chosen day, else the last date plus the retention period, at the start of that day in the tour's zone.</summary>
    public static PrivacyStatus Status(TourModel tour, int retentionDays)
    {
        var latest = tour.LastDate.PlusDays(retentionDays);
        var on = tour.PurgeOn is { } chosen && chosen < latest ? chosen : latest;
        var zone = LocalTimes.FindZone(tour.Settings.TimeZone) ?? DateTimeZone.Utc;
        return new PrivacyStatus
        {
            PurgeOn = on, PurgeAt = on.AtStartOfDayInZone(zone).ToInstant(), LatestPurgeOn = latest, PurgedAt = tour.PurgedAt,
            RetentionDays = retentionDays,
        };
    }

    /// <summary>True when the reminder should purge now: the day came and nothing was purged yet.</summary>
    public static bool PurgeDue(TourModel tour, int retentionDays, Instant now) =>
        tour.PurgedAt is null && now >= Status(tour, retentionDays).PurgeAt;

    /// <summary>Private data is destroyed now (the grain shreds the keys before storing this).</summary>
    public static Decision<PrivacyStatus> Purge(TourModel tour, CommandContext context, string reason, int retentionDays, Instant now) =>
        Decision<PrivacyStatus>.Store(new PrivateDataPurged { At = now, By = context.Actor, Reason = reason }, m => Status(m, retentionDays));

    /// <summary>An organizer brings the purge forward (never later than the retention period allows).</summary>
    public static Decision<PrivacyStatus> SetPurgeOn(TourModel tour, CommandContext context, LocalDate purgeOn, int retentionDays, Instant now)
    {
        var status = Status(tour, retentionDays);
        if (purgeOn > status.LatestPurgeOn)
            return Outcome<PrivacyStatus>.Invalid("purgeOn", Text.Of(Codes.PurgeTooLate, Arg.Date("latest", status.LatestPurgeOn), Arg.Number("days", retentionDays)));
        if (tour.PurgeOn == purgeOn) return Decision<PrivacyStatus>.Unchanged(status);
        return Decision<PrivacyStatus>.Store(new RetentionChanged { At = now, By = context.Actor, PurgeOn = purgeOn }, m => Status(m, retentionDays));
    }

    /// <summary>
    /// A host group leaves: its held claims are released and its confirmed stops cancelled (they stay in feeds as
    /// cancelled), its links end; the grain then destroys the key of its contacts.
    /// </summary>
    public static Decision<HostSnapshot> Withdraw(TourModel tour, CommandContext context, string hostId, Instant now)
    {
        if (tour.Host(hostId) is not { } host) return Outcome<HostSnapshot>.NotFound(Text.Of(Codes.HostNotFound, Arg.Plain("id", Validation.Clip(hostId))));
        var actor = context.Actor;
        if (actor.Role != Role.Organizer && !(actor.Role == Role.Host && actor.HostId == hostId))
            return Outcome<HostSnapshot>.Forbidden(Text.Of(Codes.HostWithdrawNotAllowed));
        if (host.WithdrawnAt is not null) return Decision<HostSnapshot>.Unchanged(TourViews.Host(tour, host));
        var entries = ImmutableArray.CreateBuilder<TourEntry>();
        foreach (var claim in tour.Ledger.Claims.Where(c => c.HostId == hostId && ClaimLedger.IsActive(c.Status)))
            entries.Add(new ClaimEnded
            {
                At = now, By = actor, ClaimId = claim.ClaimId, Status = claim.Status == ClaimStatus.Confirmed ? ClaimStatus.Cancelled : ClaimStatus.Released,
            });
        entries.Add(new HostWithdrew { At = now, By = actor, HostId = hostId });
        return Decision<HostSnapshot>.Store(entries.ToImmutable(), m => TourViews.Host(m, m.Host(hostId)!));
    }

    /// <summary>A supporter leaves an e-mail for a published on-request stop; the same e-mail twice for a stop is one sign-up.</summary>
    public static Decision<Signup> SignUp(TourModel tour, SignupRequest request, Instant now, TourLimits limits)
    {
        var stop = tour.Ledger.Stop(request.StopId);
        if (stop is null) return Outcome<Signup>.NotFound(Text.Of(Codes.StopNotFound, Arg.Plain("id", Validation.Clip(request.StopId))));
        if (stop.Status != ClaimStatus.Confirmed || stop.CancelledAt is not null) return Outcome<Signup>.Conflict(Text.Of(Codes.SignupStopNotPublished));
        if (stop.Venue.AddressVisibility != AddressVisibility.OnRequest) return Outcome<Signup>.Conflict(Text.Of(Codes.SignupNotOnRequest, Arg.Plain("city", stop.City)));
        var e = new ValidationErrors();
        if (string.IsNullOrWhiteSpace(request.Email)) e.Add("email", Text.Of(Codes.FieldEmail, Arg.Plain("field", "email")));
        else PeopleDecisions.CheckEmail(e, "email", request.Email);
        PeopleDecisions.CheckLanguage(e, "language", request.Language);
        if (e.Any) return Outcome<Signup>.Invalid(e);
        var email = request.Email.Trim();
        if (tour.Signups.FirstOrDefault(s => s.StopId == stop.StopId && string.Equals(s.Email, email, StringComparison.OrdinalIgnoreCase)) is { } already)
            return Decision<Signup>.Unchanged(already);
        if (tour.Signups.Count >= limits.MaxSignups)
            return Outcome<Signup>.Limit("signups", Text.Of(Codes.LimitSignups, Arg.Number("max", limits.MaxSignups)));
        var id = Tokens.NewId("su_");
        return Decision<Signup>.Store(new SupporterSignedUp
        {
            At = now, By = Principal.Anonymous, SignupId = id, StopId = stop.StopId, Email = email, ShareWithHost = request.ShareWithHost, Language = request.Language,
        }, m => m.Signups.First(s => s.SignupId == id), id);
    }

    /// <summary>The sign-ups of a stop as its reader may see them: the organizer every e-mail, the host group only those shared with it.</summary>
    public static ImmutableArray<Signup> Signups(TourModel tour, string stopId, Principal reader) =>
        [.. tour.Signups.Where(s => s.StopId == stopId).Select(s => reader.Role == Role.Organizer || s.ShareWithHost ? s : s with { Email = null })];

    public static Decision<bool> Exported(CommandContext context, string format, Instant now) =>
        Decision<bool>.Store(new TourExported { At = now, By = context.Actor, Format = format }, _ => true);
}
