using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;
using TourPlanner.Grains.Domain;

namespace TourPlanner.Grains.Implementation;

/// <summary>How often the hold-expiry reminder sweeps (Orleans reminders cannot tick faster than the silo allows).</summary>
public sealed class HoldExpiryOptions
{
    public TimeSpan SweepPeriod { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>A speaker with the hash of its token.</summary>
[GenerateSerializer, Immutable]
public sealed record SpeakerEntry([property: Id(0)] SpeakerInfo Info, [property: Id(1)] byte[] TokenHash);

/// <summary>A host group id with the hash of its invite token.</summary>
[GenerateSerializer, Immutable]
public sealed record HostEntry([property: Id(0)] string HostId, [property: Id(1)] byte[] TokenHash);

/// <summary>The tour's durable state: settings, token hashes and the claim ledger in arrival order.</summary>
[GenerateSerializer, Immutable]
public sealed record TourState
{
    [Id(0)] public bool Created { get; init; }
    [Id(1)] public string Slug { get; init; } = "";
    [Id(2)] public string Name { get; init; } = "";
    [Id(3)] public string? Description { get; init; }
    [Id(4)] public string TimeZone { get; init; } = "UTC";
    [Id(5)] public LocalDate StartDate { get; init; }
    [Id(6)] public LocalDate EndDate { get; init; }
    [Id(7)] public ImmutableArray<SpeakerEntry> Speakers { get; init; } = [];
    [Id(8)] public PlanningRules Rules { get; init; } = new();
    [Id(9)] public byte[] OrganizerTokenHash { get; init; } = [];
    [Id(10)] public ImmutableArray<HostEntry> Hosts { get; init; } = [];
    [Id(11)] public ImmutableArray<ClaimView> Claims { get; init; } = [];
    [Id(12)] public Instant CreatedAt { get; init; }
    /// <summary>Rises with every change a calendar feed can show.</summary>
    [Id(13)] public int FeedVersion { get; init; }
    /// <summary>When the feeds last changed; never moves backwards.</summary>
    [Id(14)] public Instant FeedChangedAt { get; init; }
    /// <summary>
    /// Rises with every change a plan relies on (a claim submitted, confirmed, released, expired, cancelled,
    /// re-dated, or a stop's events changed). Separate from <see cref="FeedVersion"/>, which only counts what feeds show.
    /// </summary>
    [Id(15)] public int LedgerVersion { get; init; }
}

/// <summary>
/// The tour grain arbitrates every (speaker, date) of its tour. A claim spans several dates and speakers, so
/// arbitration per slot would need a transaction across slot grains; one arbiter per tour makes every claim,
/// confirm, release, expiry and promotion a single turn of a single-threaded activation, so two confirmed claims
/// on a slot or a gap in the ranks cannot happen under any interleaving. A tour has tens of stops and at most a
/// few hundred claims, well within one activation's throughput. The ledger is written before a claim is
/// acknowledged, so an acknowledged claim survives a restart.
/// </summary>
public sealed partial class TourGrain(
    [PersistentState("tour")] IPersistentState<TourState> state,
    IClock clock,
    ITravelTimeEstimator travel,
    IOptions<HoldExpiryOptions> expiryOptions,
    ILogger<TourGrain> logger) : Grain, ITourGrain, IRemindable
{
    private const string ExpiryReminder = "hold-expiry";
    private bool? _reminderRegistered;

    private TourState S => state.State;
    private string TourId => this.GetPrimaryKeyString();

    async Task<Outcome<TourCreated>> ITourGrain.CreateAsync(CreateTour command, string slug)
    {
        if (S.Created) return Outcome<TourCreated>.Conflict("A tour with this id exists already.");
        var errors = Validation.Check(command);
        if (errors.Any) return Outcome<TourCreated>.Invalid(errors);

        var organizerToken = Tokens.New();
        var speakers = command.Speakers.Select(s => (Info: new SpeakerInfo
        {
            Id = Tokens.NewId("sp_"), Name = s.Name.Trim(), HomeCity = s.HomeCity, HomeTimeZone = s.HomeTimeZone, Home = s.Home,
        }, Token: Tokens.New())).ToList();
        // Blackout keys arrive as speaker indexes; store them by speaker id, which never changes.
        var blackouts = command.Rules.BlackoutDates.ToImmutableDictionary(
            p => speakers[int.Parse(p.Key, System.Globalization.CultureInfo.InvariantCulture)].Info.Id, p => p.Value);

        state.State = new TourState
        {
            Created = true, Slug = slug, Name = command.Name.Trim(), Description = command.Description,
            TimeZone = command.TimeZone, StartDate = command.StartDate, EndDate = command.EndDate,
            Speakers = [.. speakers.Select(s => new SpeakerEntry(s.Info, Tokens.Hash(s.Token)))],
            Rules = command.Rules with { BlackoutDates = blackouts },
            OrganizerTokenHash = Tokens.Hash(organizerToken), CreatedAt = clock.GetCurrentInstant(),
            FeedVersion = 1, FeedChangedAt = clock.GetCurrentInstant(),
        };
        await state.WriteStateAsync();
        return Outcome<TourCreated>.Ok(new TourCreated
        {
            TourId = TourId, Slug = slug, OrganizerToken = organizerToken,
            Speakers = [.. speakers.Select(s => new SpeakerCredential(s.Info.Id, s.Info.Name, s.Token))],
        });
    }

    Task<TourSnapshot?> ITourGrain.GetAsync() => Task.FromResult(S.Created ? Snapshot() : null);

    Task<FeedStamp?> ITourGrain.GetFeedStampAsync() =>
        Task.FromResult(S.Created ? new FeedStamp(S.FeedVersion, S.FeedChangedAt) : null);

    Task<Principal> ITourGrain.AuthenticateAsync(string? token)
    {
        if (!S.Created || string.IsNullOrEmpty(token) || token.Length > 128) return Task.FromResult(Principal.Anonymous);
        if (Tokens.Matches(token, S.OrganizerTokenHash)) return Task.FromResult(Principal.Organizer);
        foreach (var s in S.Speakers)
            if (Tokens.Matches(token, s.TokenHash)) return Task.FromResult(Principal.ForSpeaker(s.Info.Id));
        foreach (var h in S.Hosts)
            if (Tokens.Matches(token, h.TokenHash)) return Task.FromResult(Principal.ForHost(h.HostId));
        return Task.FromResult(Principal.Anonymous);
    }

    async Task<Outcome<HostInvited>> ITourGrain.InviteHostAsync(InviteHost command)
    {
        if (!S.Created) return Outcome<HostInvited>.NotFound("No such tour.");
        var e = new ValidationErrors();
        Validation.RequireText(e, "name", command.Name);
        Validation.OptionalText(e, "city", command.City, 120);
        Validation.OptionalText(e, "contactName", command.ContactName, Validation.MaxTextLength);
        Validation.OptionalText(e, "contactPhone", command.ContactPhone, 40);
        if (command.ContactEmail is { } mail && (mail.Length > 254 || !System.Net.Mail.MailAddress.TryCreate(mail, out _)))
            e.Add("contactEmail", "contactEmail is not an e-mail address.");
        if (e.Any) return Outcome<HostInvited>.Invalid(e);

        var hostId = Tokens.NewId("h_");
        var token = Tokens.New();
        await GrainFactory.GetGrain<IHostOrganizationGrain>(hostId).CreateAsync(new HostSnapshot
        {
            HostId = hostId, TourId = TourId, Name = command.Name.Trim(), City = command.City, ContactName = command.ContactName,
            ContactEmail = command.ContactEmail, ContactPhone = command.ContactPhone, CreatedAt = clock.GetCurrentInstant(),
        });
        state.State = S with { Hosts = S.Hosts.Add(new HostEntry(hostId, Tokens.Hash(token))) };
        await state.WriteStateAsync();
        return Outcome<HostInvited>.Ok(new HostInvited(hostId, token));
    }

    async Task<ImmutableArray<HostSnapshot>> ITourGrain.GetHostsAsync()
    {
        var hosts = await Task.WhenAll(S.Hosts.Select(h => GrainFactory.GetGrain<IHostOrganizationGrain>(h.HostId).GetAsync()));
        return [.. hosts.OfType<HostSnapshot>()];
    }

    async Task<Outcome<string>> ITourGrain.RotateTokenAsync(TokenSubject subject, string? id)
    {
        if (!S.Created) return Outcome<string>.NotFound("No such tour.");
        var token = Tokens.New();
        var hash = Tokens.Hash(token);
        switch (subject)
        {
            case TokenSubject.Organizer:
                state.State = S with { OrganizerTokenHash = hash };
                break;
            case TokenSubject.Speaker when S.Speakers.FirstOrDefault(s => s.Info.Id == id) is { } sp:
                state.State = S with { Speakers = S.Speakers.Replace(sp, sp with { TokenHash = hash }) };
                break;
            case TokenSubject.Host when S.Hosts.FirstOrDefault(h => h.HostId == id) is { } h:
                state.State = S with { Hosts = S.Hosts.Replace(h, h with { TokenHash = hash }) };
                break;
            default:
                return Outcome<string>.NotFound($"No {subject.ToString().ToLowerInvariant()} '{id}' in this tour.");
        }
        await state.WriteStateAsync();
        return Outcome<string>.Ok(token);
    }

    async Task<Outcome<ClaimReceipt>> ITourGrain.SubmitClaimAsync(string hostId, ClaimRequest request)
    {
        if (!S.Created) return Outcome<ClaimReceipt>.NotFound("No such tour.");
        if (S.Hosts.All(h => h.HostId != hostId)) return Outcome<ClaimReceipt>.Forbidden("Only an invited host group can claim dates.");
        await SweepAsync();
        var now = clock.GetCurrentInstant();
        var snapshot = Snapshot();
        var errors = Validation.Check(request, snapshot, now, out var events, out var notes);
        if (errors.Any) return Outcome<ClaimReceipt>.Invalid(errors);

        var speakerIds = events.IsEmpty
            ? snapshot.Speakers.Select(s => s.Id).ToImmutableArray()
            : events.SelectMany(e => e.SpeakerIds).Distinct().OrderBy(x => x, StringComparer.Ordinal).ToImmutableArray();
        var claimId = Tokens.NewId("c_");
        var stop = new StopSnapshot
        {
            StopId = Tokens.NewId("s_"), TourId = TourId, ClaimId = claimId, HostId = hostId, City = request.City.Trim(),
            Country = request.Country.Trim(), TimeZone = request.TimeZone, Location = request.Location, Dates = request.Dates,
            Venue = request.Venue, Events = events, Status = ClaimStatus.Held, Created = now, LastModified = now,
        };
        await GrainFactory.GetGrain<ITourStopGrain>(stop.StopId).CreateAsync(stop);

        var claim = new ClaimView
        {
            ClaimId = claimId, StopId = stop.StopId, HostId = hostId, City = stop.City, Dates = request.Dates,
            SpeakerIds = speakerIds, Status = ClaimStatus.Held, CreatedAt = now,
            AcceptableDates = Validation.AcceptableFirstDates(request.Dates, request.AcceptableDates), Priority = request.Priority,
        };
        state.State = LedgerChanged(S with { Claims = ClaimLedger.Recompute(S.Claims.Add(claim), now, S.Rules) });
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<IHostOrganizationGrain>(hostId).AddClaimAsync(claimId);
        await EnsureReminderAsync();
        // The claim is taken either way; the host learns now what confirming it would run into.
        var conflicts = await ConflictsInvolvingAsync(stop, stop);
        return Outcome<ClaimReceipt>.Ok(new ClaimReceipt
        {
            Claim = S.Claims.Single(c => c.ClaimId == claimId),
            Events = [.. stop.Events.Select(e => EventViews.Of(stop, e))],
            Notes = notes,
            Conflicts = conflicts,
        });
    }

    Task<ImmutableArray<ClaimView>> ITourGrain.GetClaimsAsync() => Task.FromResult(S.Claims);

    async Task<Outcome<ClaimView>> ITourGrain.ConfirmClaimAsync(string claimId)
    {
        if (!S.Created) return Outcome<ClaimView>.NotFound("No such tour.");
        await SweepAsync();
        var claim = S.Claims.FirstOrDefault(c => c.ClaimId == claimId);
        if (claim is null) return Outcome<ClaimView>.NotFound($"No claim '{claimId}' in this tour.");
        if (claim.Status == ClaimStatus.Confirmed) return Outcome<ClaimView>.Ok(claim);
        if (claim.Status != ClaimStatus.Held)
            return Outcome<ClaimView>.Conflict($"The claim is {claim.Status.ToString().ToLowerInvariant()} and can no longer be confirmed.");
        if (claim.Rank != 1)
            return Outcome<ClaimView>.Conflict($"The claim is rank {claim.Rank} for its dates; only the rank-1 claim can be confirmed. Release or let expire the claims ahead of it first.");

        var candidate = await Stop(claim.StopId);
        var conflicts = await ConflictsInvolvingAsync(candidate, candidate);
        if (conflicts.Any(c => c.Severity == "error"))
            return Outcome<ClaimView>.Conflict("Confirming this claim would break the tour's rules.", conflicts);

        var now = clock.GetCurrentInstant();
        state.State = S with
        {
            Claims = ClaimLedger.Recompute(S.Claims.Replace(claim, claim with { Status = ClaimStatus.Confirmed, ConfirmedAt = now, ExpiresAt = null }), now, S.Rules),
        };
        state.State = LedgerChanged(FeedChanged(S, now));
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<ITourStopGrain>(candidate.StopId).SaveAsync(candidate with { Status = ClaimStatus.Confirmed, LastModified = now });
        await PublishItinerariesAsync();
        await EnsureReminderAsync();
        // Warnings (an unreadable venue calendar, a start in a repeated hour) do not block, but the organizer sees them.
        return Outcome<ClaimView>.Ok(S.Claims.Single(c => c.ClaimId == claimId)) with { Conflicts = conflicts };
    }

    async Task<Outcome<ClaimView>> ITourGrain.ReleaseClaimAsync(Principal actor, string claimId)
    {
        if (!S.Created) return Outcome<ClaimView>.NotFound("No such tour.");
        await SweepAsync();
        var claim = S.Claims.FirstOrDefault(c => c.ClaimId == claimId);
        if (claim is null) return Outcome<ClaimView>.NotFound($"No claim '{claimId}' in this tour.");
        if (actor.Role != Role.Organizer && !(actor.Role == Role.Host && actor.HostId == claim.HostId))
            return Outcome<ClaimView>.Forbidden("Only the host group that made the claim, or the organizer, can release it.");
        if (claim.Status == ClaimStatus.Released) return Outcome<ClaimView>.Ok(claim);
        if (claim.Status == ClaimStatus.Confirmed)
            return Outcome<ClaimView>.Conflict("The stop is confirmed; ask the organizer to cancel it instead (a cancellation stays visible in calendars).");
        if (claim.Status != ClaimStatus.Held)
            return Outcome<ClaimView>.Conflict($"The claim is {claim.Status.ToString().ToLowerInvariant()} already.");
        await EndClaimAsync(claim, ClaimStatus.Released);
        return Outcome<ClaimView>.Ok(S.Claims.Single(c => c.ClaimId == claimId));
    }

    async Task<Outcome<ClaimView>> ITourGrain.CancelStopAsync(string stopId)
    {
        if (!S.Created) return Outcome<ClaimView>.NotFound("No such tour.");
        await SweepAsync();
        var claim = S.Claims.FirstOrDefault(c => c.StopId == stopId);
        if (claim is null) return Outcome<ClaimView>.NotFound($"No stop '{stopId}' in this tour.");
        if (claim.Status == ClaimStatus.Cancelled) return Outcome<ClaimView>.Ok(claim);
        if (!ClaimLedger.IsActive(claim.Status))
            return Outcome<ClaimView>.Conflict($"The stop's claim is {claim.Status.ToString().ToLowerInvariant()}; there is nothing to cancel.");
        var stop = await Stop(stopId);
        var now = clock.GetCurrentInstant();
        if (claim.Status == ClaimStatus.Confirmed) state.State = FeedChanged(S, now);
        await EndClaimAsync(claim, ClaimStatus.Cancelled);
        // The stop keeps its events so feeds can publish them as cancelled; each event's sequence rises.
        await GrainFactory.GetGrain<ITourStopGrain>(stopId).SaveAsync(stop with
        {
            Status = ClaimStatus.Cancelled, CancelledAt = now, LastModified = now,
            Events = [.. stop.Events.Select(e => e with { Sequence = e.Sequence + 1, LastModified = now })],
        });
        await PublishItinerariesAsync();
        return Outcome<ClaimView>.Ok(S.Claims.Single(c => c.StopId == stopId));
    }

    Task<Outcome<EventChanged>> ITourGrain.AddEventAsync(Principal actor, string stopId, EventInput input) =>
        ChangeEventAsync(actor, stopId, null, (stop, claim, now) =>
        {
            var e = new ValidationErrors();
            if (input.SpeakerIds is { } ids && ids.Any(id => !claim.SpeakerIds.Contains(id)))
                e.Add("speakerIds", "This stop holds dates for its claim's speakers only; make a new claim for another speaker.");
            if (e.Any) return (e, null, []);
            var withDefaults = input with { SpeakerIds = input.SpeakerIds ?? claim.SpeakerIds };
            var ev = Validation.CheckEvent(e, "", withDefaults, LocalTimes.FindZone(stop.TimeZone), stop.Dates, Snapshot(), now, out var note);
            return (e, ev, NoteList(note));
        });

    Task<Outcome<EventChanged>> ITourGrain.UpdateEventAsync(Principal actor, string stopId, string eventId, EventPatch patch) =>
        ChangeEventAsync(actor, stopId, eventId, (stop, claim, now) =>
        {
            var e = new ValidationErrors();
            var current = stop.Events.FirstOrDefault(x => x.EventId == eventId);
            if (current is null) return (e.Add("eventId", $"No event '{eventId}' in this stop."), null, []);
            var input = new EventInput
            {
                Title = patch.Title ?? current.Title, Start = patch.Start ?? current.Start,
                DurationMinutes = patch.DurationMinutes ?? current.DurationMinutes, Public = patch.Public ?? current.Public,
                Description = patch.Description ?? current.Description, SpeakerIds = current.SpeakerIds,
            };
            var ev = Validation.CheckEvent(e, "", input, LocalTimes.FindZone(stop.TimeZone), stop.Dates, Snapshot(), now, out var note, eventId, current);
            return (e, ev, NoteList(note));
        });

    async Task<ImmutableArray<StopSnapshot>> ITourGrain.GetStopsAsync(bool publishedOnly)
    {
        var claims = S.Claims.Where(c => !publishedOnly || c.Status is ClaimStatus.Confirmed or ClaimStatus.Cancelled && c.ConfirmedAt is not null);
        return await StopsOf(claims);
    }

    async Task<ImmutableArray<Conflict>> ITourGrain.GetConflictsAsync()
    {
        var confirmed = await StopsOf(S.Claims.Where(c => c.Status == ClaimStatus.Confirmed));
        var all = ImmutableArray.CreateBuilder<Conflict>();
        foreach (var speaker in S.Speakers)
        {
            var t = ScheduleAnalyzer.Timeline(speaker.Info.Id, confirmed);
            all.AddRange(ScheduleAnalyzer.Check(speaker.Info.Id, S.Rules, t, await ScheduleAnalyzer.LegsAsync(t, travel)));
        }
        all.AddRange(await VenueConflictsAsync(confirmed));
        return all.ToImmutable();
    }

    async Task<int> ITourGrain.ExpireDueHoldsAsync() => S.Created ? await SweepAsync() : 0;

    Task<int?> ITourGrain.GetLedgerVersionAsync() => Task.FromResult(S.Created ? S.LedgerVersion : (int?)null);

    async Task<PlanningInput?> ITourGrain.GetPlanningInputAsync()
    {
        if (!S.Created) return null;
        // Expire first so a plan never counts on a hold that has already run out.
        await SweepAsync();
        return new PlanningInput
        {
            Tour = Snapshot(), Stops = await StopsOf(S.Claims.Where(c => ClaimLedger.IsActive(c.Status))), LedgerVersion = S.LedgerVersion,
        };
    }

    /// <summary>
    /// One turn of the arbiter: refuse when anything changed since the proposal was computed (its ledger version),
    /// otherwise check every change first (still held/confirmed, first in every queue after re-dating, no conflict
    /// under confirm's rules with the final set of confirmed stops) and only then write, so it is all or nothing.
    /// </summary>
    async Task<Outcome<PlanApplied>> ITourGrain.ApplyPlanAsync(PlanProposal proposal)
    {
        if (!S.Created) return Outcome<PlanApplied>.NotFound("No such tour.");
        await SweepAsync();
        if (proposal.TourId != TourId) return Outcome<PlanApplied>.NotFound("The proposal belongs to another tour.");
        if (proposal.BasedOnVersion != S.LedgerVersion)
            return Outcome<PlanApplied>.Conflict($"The tour's claims changed since this proposal was made (it read version {proposal.BasedOnVersion}, the tour is at {S.LedgerVersion}); ask for a new plan.");

        var now = clock.GetCurrentInstant();
        var changes = proposal.Placements.Select(p => (p.ClaimId, p.Dates, Expected: ClaimStatus.Held))
            .Concat(proposal.Moves.Select(m => (m.ClaimId, Dates: m.To, Expected: ClaimStatus.Confirmed))).ToList();
        var claims = S.Claims;
        var next = new List<StopSnapshot>();
        foreach (var (claimId, dates, expected) in changes)
        {
            var claim = claims.FirstOrDefault(c => c.ClaimId == claimId);
            if (claim is null || claim.Status != expected || dates.IsDefaultOrEmpty)
                return Outcome<PlanApplied>.Conflict($"Claim '{claimId}' is no longer {expected.ToString().ToLowerInvariant()}; ask for a new plan.");
            var stop = await Stop(claim.StopId);
            var shift = Period.Between(stop.Dates[0], dates[0], PeriodUnits.Days).Days;
            var (moved, error) = PlanModel.Redate(stop, shift);
            if (moved is null) return Outcome<PlanApplied>.Conflict($"{claim.City} cannot move to {Validation.Iso(dates[0])}: {error}");
            // A moved event is a changed event for calendars: its sequence rises so subscribers update it.
            next.Add(moved with
            {
                Status = ClaimStatus.Confirmed, LastModified = now,
                Events = shift == 0 ? moved.Events : [.. moved.Events.Select(e => e with { Sequence = e.Sequence + 1, LastModified = now })],
            });
            claims = claims.Replace(claim, claim with
            {
                Dates = moved.Dates, Status = ClaimStatus.Confirmed, ConfirmedAt = claim.ConfirmedAt ?? now, ExpiresAt = null,
            });
        }
        ClaimView? cancel = null;
        if (proposal is { Kind: "repair", CancelsRepairStop: true, RepairStopId: { } cancelId })
        {
            cancel = claims.FirstOrDefault(c => c.StopId == cancelId && c.Status == ClaimStatus.Confirmed);
            if (cancel is null) return Outcome<PlanApplied>.Conflict("The stop to cancel is no longer confirmed; ask for a new plan.");
            claims = ClaimLedger.End(claims, cancel.ClaimId, ClaimStatus.Cancelled, now, S.Rules);
        }
        claims = ClaimLedger.Recompute(claims, now, S.Rules);
        var changedIds = changes.Select(c => c.ClaimId).ToHashSet();
        if (claims.FirstOrDefault(c => changedIds.Contains(c.ClaimId) && c.Rank != 1) is { } queued)
            return Outcome<PlanApplied>.Conflict($"{queued.City} would queue behind another claim on its dates; ask for a new plan.");

        var others = await StopsOf(claims.Where(c => c.Status == ClaimStatus.Confirmed && !changedIds.Contains(c.ClaimId)));
        var finalStops = others.AddRange(next);
        var focus = next.SelectMany(s => s.Events.Select(e => e.EventId)).ToHashSet();
        var conflicts = ImmutableArray.CreateBuilder<Conflict>();
        foreach (var speaker in S.Speakers)
        {
            var t = ScheduleAnalyzer.Timeline(speaker.Info.Id, finalStops);
            conflicts.AddRange(ScheduleAnalyzer.Check(speaker.Info.Id, S.Rules, t, await ScheduleAnalyzer.LegsAsync(t, travel))
                .Where(c => c.Severity == "error" && c.EventIds.Any(focus.Contains)));
        }
        if (conflicts.Count > 0)
            return Outcome<PlanApplied>.Conflict("Applying this proposal would break the tour's rules.", conflicts.ToImmutable());

        state.State = LedgerChanged(FeedChanged(S with { Claims = claims }, now));
        await state.WriteStateAsync();
        foreach (var stop in next) await GrainFactory.GetGrain<ITourStopGrain>(stop.StopId).SaveAsync(stop);
        if (cancel is not null)
        {
            var stop = await Stop(cancel.StopId);
            await GrainFactory.GetGrain<ITourStopGrain>(cancel.StopId).SaveAsync(stop with
            {
                Status = ClaimStatus.Cancelled, CancelledAt = now, LastModified = now,
                Events = [.. stop.Events.Select(e => e with { Sequence = e.Sequence + 1, LastModified = now })],
            });
        }
        await PublishItinerariesAsync();
        await EnsureReminderAsync();
        return Outcome<PlanApplied>.Ok(new PlanApplied
        {
            ProposalId = proposal.ProposalId, Confirmed = [.. proposal.Placements.Select(p => p.ClaimId)], Moved = proposal.Moves,
            Cancelled = cancel is null ? [] : [cancel.StopId], LedgerVersion = S.LedgerVersion,
        });
    }

    async Task IRemindable.ReceiveReminder(string reminderName, Orleans.Runtime.TickStatus status)
    {
        if (reminderName != ExpiryReminder) return;
        var expired = await SweepAsync();
        if (expired > 0) logger.LogInformation("Tour {TourId}: {Count} hold(s) expired", TourId, expired);
    }

    private async Task<Outcome<EventChanged>> ChangeEventAsync(Principal actor, string stopId, string? eventId,
        Func<StopSnapshot, ClaimView, Instant, (ValidationErrors Errors, StopEvent? Event, ImmutableArray<string> Notes)> build)
    {
        if (!S.Created) return Outcome<EventChanged>.NotFound("No such tour.");
        await SweepAsync();
        var claim = S.Claims.FirstOrDefault(c => c.StopId == stopId);
        if (claim is null) return Outcome<EventChanged>.NotFound($"No stop '{stopId}' in this tour.");
        if (actor.Role != Role.Organizer && !(actor.Role == Role.Host && actor.HostId == claim.HostId))
            return Outcome<EventChanged>.Forbidden("Only the host group of this stop, or the organizer, can change its events.");
        if (!ClaimLedger.IsActive(claim.Status))
            return Outcome<EventChanged>.Conflict($"The stop's claim is {claim.Status.ToString().ToLowerInvariant()}; its events can no longer change.");

        var stop = await Stop(stopId);
        var now = clock.GetCurrentInstant();
        var (errors, ev, notes) = build(stop, claim, now);
        if (eventId is not null && errors.Any && stop.Events.All(x => x.EventId != eventId))
            return Outcome<EventChanged>.NotFound($"No event '{eventId}' in this stop.");
        if (errors.Any || ev is null) return Outcome<EventChanged>.Invalid(errors);
        if (stop.Events.Length >= Validation.MaxEventsPerClaim && eventId is null)
            return Outcome<EventChanged>.Invalid("events", $"A stop may have at most {Validation.MaxEventsPerClaim} events.");

        var next = stop with
        {
            Events = eventId is null ? stop.Events.Add(ev) : stop.Events.Replace(stop.Events.Single(x => x.EventId == eventId), ev),
            LastModified = now,
        };
        if (claim.Status == ClaimStatus.Confirmed)
        {
            var conflicts = await ConflictsInvolvingAsync(next, ev);
            if (conflicts.Any(c => c.Severity == "error"))
                return Outcome<EventChanged>.Conflict("This change would break the tour's rules.", conflicts);
        }
        var saved = await GrainFactory.GetGrain<ITourStopGrain>(stopId).SaveAsync(next);
        // A plan relies on every active stop's event times, held ones included.
        state.State = LedgerChanged(claim.Status == ClaimStatus.Confirmed ? FeedChanged(S, now) : S);
        await state.WriteStateAsync();
        if (claim.Status == ClaimStatus.Confirmed) await PublishItinerariesAsync();
        return Outcome<EventChanged>.Ok(new EventChanged(EventViews.Of(saved, ev), notes));
    }

    /// <summary>Conflicts of the confirmed route with <paramref name="candidate"/> in place, limited to those touching <paramref name="focus"/>.</summary>
    private async Task<ImmutableArray<Conflict>> ConflictsInvolvingAsync(StopSnapshot candidate, object focus)
    {
        var others = await StopsOf(S.Claims.Where(c => c.Status == ClaimStatus.Confirmed && c.StopId != candidate.StopId));
        var stops = others.Add(candidate);
        var focusIds = focus switch
        {
            StopSnapshot s => s.Events.Select(e => e.EventId).ToHashSet(),
            StopEvent e => [e.EventId],
            _ => [],
        };
        var found = ImmutableArray.CreateBuilder<Conflict>();
        foreach (var speakerId in candidate.Events.SelectMany(e => e.SpeakerIds).Distinct())
        {
            var t = ScheduleAnalyzer.Timeline(speakerId, stops);
            var conflicts = ScheduleAnalyzer.Check(speakerId, S.Rules, t, await ScheduleAnalyzer.LegsAsync(t, travel));
            found.AddRange(conflicts.Where(c => c.EventIds.Any(focusIds.Contains)));
        }
        found.AddRange((await VenueConflictsAsync([candidate])).Where(c => c.EventIds.Any(focusIds.Contains)));
        return found.ToImmutable();
    }

    private async Task EndClaimAsync(ClaimView claim, ClaimStatus status)
    {
        state.State = LedgerChanged(S with { Claims = ClaimLedger.End(S.Claims, claim.ClaimId, status, clock.GetCurrentInstant(), S.Rules) });
        await state.WriteStateAsync();
        await EnsureReminderAsync();
    }

    /// <summary>Expires due holds by the injected clock and promotes the claims behind them.</summary>
    private async Task<int> SweepAsync()
    {
        var next = ClaimLedger.ExpireDue(S.Claims, clock.GetCurrentInstant(), S.Rules, out var expired);
        if (expired == 0) return 0;
        state.State = LedgerChanged(S with { Claims = next });
        await state.WriteStateAsync();
        await EnsureReminderAsync();
        return expired;
    }

    private async Task EnsureReminderAsync()
    {
        var wanted = ClaimLedger.NextExpiry(S.Claims) is not null;
        _reminderRegistered ??= await this.GetReminder(ExpiryReminder) is not null;
        if (wanted == _reminderRegistered) return;
        if (wanted)
        {
            var period = expiryOptions.Value.SweepPeriod;
            await this.RegisterOrUpdateReminder(ExpiryReminder, period, period);
        }
        else if (await this.GetReminder(ExpiryReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
        _reminderRegistered = wanted;
    }

    private async Task PublishItinerariesAsync()
    {
        foreach (var speaker in S.Speakers)
        {
            var stopIds = S.Claims.Where(c => c.Status == ClaimStatus.Confirmed && c.SpeakerIds.Contains(speaker.Info.Id))
                .Select(c => c.StopId).ToImmutableArray();
            await GrainFactory.GetGrain<ISpeakerItineraryGrain>($"{TourId}/{speaker.Info.Id}").SetScheduleAsync(S.Rules, stopIds);
        }
    }

    private async Task<StopSnapshot> Stop(string stopId) =>
        await GrainFactory.GetGrain<ITourStopGrain>(stopId).GetAsync()
        ?? throw new InvalidOperationException($"Stop {stopId} of tour {TourId} is missing.");

    /// <summary>The stops of the given claims; the ledger's status wins over the stop's copy.</summary>
    private async Task<ImmutableArray<StopSnapshot>> StopsOf(IEnumerable<ClaimView> claims)
    {
        var list = claims.ToList();
        var stops = await Task.WhenAll(list.Select(c => GrainFactory.GetGrain<ITourStopGrain>(c.StopId).GetAsync()));
        return [.. stops.Zip(list).Where(p => p.First is not null).Select(p => p.First! with { Status = p.Second.Status })];
    }

    private TourSnapshot Snapshot() => new()
    {
        TourId = TourId, Slug = S.Slug, Name = S.Name, Description = S.Description, TimeZone = S.TimeZone,
        StartDate = S.StartDate, EndDate = S.EndDate, Speakers = [.. S.Speakers.Select(s => s.Info)], Rules = S.Rules,
        HostIds = [.. S.Hosts.Select(h => h.HostId)], Claims = S.Claims, CreatedAt = S.CreatedAt,
    };

    /// <summary>
    /// Marks a change the feeds show. The stamp's time moves forward by at least a second per change, even if the
    /// clock does not, because HTTP dates have one-second resolution and If-Modified-Since must see every change.
    /// </summary>
    private static TourState FeedChanged(TourState s, Instant now)
    {
        var next = s.FeedChangedAt + Duration.FromSeconds(1);
        return s with { FeedVersion = s.FeedVersion + 1, FeedChangedAt = now >= next ? now : next };
    }

    private static TourState LedgerChanged(TourState s) => s with { LedgerVersion = s.LedgerVersion + 1 };

    private static ImmutableArray<string> NoteList(string? note) => note is null ? [] : [note];
}
