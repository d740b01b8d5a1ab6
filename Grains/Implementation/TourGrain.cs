using System.Collections.Immutable;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;
using Orleans.Serialization;
using Orleans.Storage;
using Orleans.Utilities;
using TourPlanner.Grains.Domain;
using TourPlanner.Grains.Domain.Mail;
using TourPlanner.Grains.Domain.Privacy;
using TourPlanner.Grains.Domain.Tours;

namespace TourPlanner.Grains.Implementation;

/// <summary>How often the hold-expiry reminder sweeps (Orleans reminders cannot tick faster than the silo allows).</summary>
public sealed class HoldExpiryOptions
{
    public TimeSpan SweepPeriod { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// The tour grain arbitrates every (speaker, date) of its tour. A claim spans several dates and speakers, so
/// arbitration per slot would need a transaction across slot grains; one arbiter per tour makes every claim,
/// confirm, release, expiry and promotion a single turn of a single-threaded activation, so two confirmed claims on a
/// slot or a gap in the ranks cannot happen under any interleaving.
/// <para>
/// The arbiter decides; it does not wait. Outside information (routed travel, venue calendars) is gathered by the
/// Gateway and handed in as <see cref="Facts"/>, checked against the version of the confirmed route it was gathered
/// for. Each command is decided by a pure function of the stored tour (<c>Domain/Tours</c>), stored as one append to
/// the tour's log (<see cref="TourLog"/>), and only then published: reads run interleaved with commands and always
/// see the last stored version, so a storm of claims does not slow the public feed and nobody reads a change that
/// might still be lost.
/// </para>
/// </summary>
public sealed class TourGrain(
    IClock clock,
    IOptions<HoldExpiryOptions> expiryOptions,
    TourLimits limits,
    ITourKeyProtector keyProtector,
    IOptions<PrivacyOptions> privacyOptions,
    ILogger<TourGrain> logger) : Grain, ITourGrain, IRemindable
{
    private const string ExpiryReminder = "hold-expiry";
    private const string RetentionReminder = "privacy-retention";
    private TourModel _model = TourModel.Empty;
    private TourLog _log = null!;
    private TourKeys _keys = null!;
    private bool? _retentionRegistered;
    private ImmutableList<HistoryEntry> _history = [];
    /// <summary>Every notice the stored entries carry, in log order: a notice's index is its place in the outbox.</summary>
    private ImmutableList<Notice> _outbox = [];
    private ObserverManager<ITourWatcher>? _watchers;
    private TourSnapshot? _snapshot;
    private bool? _reminderRegistered;

    private string TourId => this.GetPrimaryKeyString();

    private int RetentionDays => privacyOptions.Value.RetentionDays;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var storage = GrainStorageHelpers.GetGrainStorage(typeof(TourGrain), ServiceProvider);
        _keys = new TourKeys(storage, keyProtector, TourId);
        _log = new TourLog(storage, ServiceProvider.GetRequiredService<Serializer>(), _keys, TourId);
        await LoadAsync();
    }

    /// <summary>Folds the log as stored; after keys are destroyed, the entries they sealed come back redacted.</summary>
    private async Task LoadAsync()
    {
        await _keys.LoadAsync();
        var model = TourModel.Empty with { TourId = TourId };
        var history = ImmutableList.CreateBuilder<HistoryEntry>();
        var outbox = ImmutableList.CreateBuilder<Notice>();
        foreach (var entry in await _log.ReadAllAsync())
        {
            model = model.Apply(entry);
            history.Add(TourViews.History(entry, model.Version));
            if (!entry.Notices.IsDefaultOrEmpty) outbox.AddRange(entry.Notices);
        }
        _model = model;
        _history = history.ToImmutable();
        _outbox = outbox.ToImmutable();
        _snapshot = null;
    }

    // ---- Reads: always the last stored version, interleaved with commands ----

    Task<TourSnapshot?> ITourGrain.GetAsync() => Task.FromResult(Exists() ? Snapshot() : null);

    Task<FeedStamp?> ITourGrain.GetFeedStampAsync() =>
        Task.FromResult(Exists() ? new FeedStamp(_model.FeedVersion, _model.FeedChangedAt) : null);

    Task<Principal?> ITourGrain.AuthenticateAsync(string? token) =>
        Task.FromResult(Exists() ? PeopleDecisions.Authenticate(_model, token, clock.GetCurrentInstant()) : null);

    Task<ImmutableArray<HostSnapshot>> ITourGrain.GetHostsAsync() => Task.FromResult(Exists() ? TourViews.Hosts(_model) : []);

    Task<ImmutableArray<ClaimView>> ITourGrain.GetClaimsAsync() => Task.FromResult(Exists() ? Snapshot().Claims : []);

    Task<ImmutableArray<StopSnapshot>> ITourGrain.GetStopsAsync(bool publishedOnly) =>
        Task.FromResult(Exists() ? TourViews.Stops(_model, publishedOnly) : []);

    Task<RouteSnapshot?> ITourGrain.GetRouteAsync(string? subjectId) => Task.FromResult(Exists() ? TourViews.Route(_model, subjectId) : null);

    Task<ImmutableArray<Conflict>> ITourGrain.GetConflictsAsync(Facts facts) =>
        Task.FromResult(Exists() ? TourChecks.All(_model, TourChecks.TravelFor(_model, facts), facts.Venues) : []);

    async Task<Outcome<DateSuggestions>> ITourGrain.SuggestDatesAsync(SuggestionRequest request, Facts facts) =>
        Exists() ? await TourSuggestions.SuggestAsync(_model, request, facts, clock.GetCurrentInstant()) : Outcome<DateSuggestions>.NotFound(Text.Of(Codes.TourNotFound));

    Task<ImmutableArray<LinkInfo>> ITourGrain.GetLinksAsync() => Task.FromResult(Exists() ? TourViews.Links(_model) : []);

    Task<ImmutableArray<HistoryEntry>> ITourGrain.GetHistoryAsync(long? before, int limit)
    {
        if (!Exists()) return Task.FromResult(ImmutableArray<HistoryEntry>.Empty);
        var end = (int)Math.Clamp(before is { } b ? b - 1 : _history.Count, 0, _history.Count);
        var count = Math.Clamp(limit, 1, 500);
        var start = Math.Max(0, end - count);
        return Task.FromResult(_history.GetRange(start, end - start).Reverse().ToImmutableArray());
    }

    Task<int?> ITourGrain.GetLedgerVersionAsync() => Task.FromResult(Exists() ? _model.LedgerVersion : (int?)null);

    Task<PlanningInput?> ITourGrain.GetPlanningInputAsync() =>
        Task.FromResult(Exists() ? TourViews.PlanningInput(_model, clock.GetCurrentInstant()) : null);

    Task<OutboxPage> ITourGrain.GetOutboxAsync(long from, int max)
    {
        var start = (int)Math.Clamp(from, 0, _outbox.Count);
        var count = Math.Clamp(max, 0, Math.Min(1000, _outbox.Count - start));
        return Task.FromResult(new OutboxPage([.. _outbox.GetRange(start, count).Select((n, i) => new QueuedNotice(start + i, n))], _outbox.Count));
    }

    Task<ImmutableArray<QueuedNotice>> ITourGrain.GetNoticesAsync(ImmutableArray<long> seqs) =>
        Task.FromResult(seqs.Where(s => s >= 0 && s < _outbox.Count).Distinct().Select(s => new QueuedNotice(s, _outbox[(int)s])).ToImmutableArray());

    async Task<SealedData?> ITourGrain.SealAsync(byte[] plain)
    {
        if (!Exists()) return null;
        var (keyId, sealedBytes) = await _keys.SealAsync(PrivateData.TourScope, plain, clock.GetCurrentInstant());
        return new SealedData(keyId, sealedBytes);
    }

    Task<byte[]?> ITourGrain.OpenAsync(SealedData data) => Task.FromResult(Exists() ? _keys.Open(data.KeyId, data.Bytes) : null);

    Task<ImmutableArray<MailPerson>> ITourGrain.FindPeopleByEmailAsync(string email) =>
        Task.FromResult(Exists() ? SignInDecisions.ByEmail(_model, email) : []);

    Task ITourGrain.WatchAsync(ITourWatcher watcher)
    {
        Watchers.Subscribe(watcher, watcher);
        return Task.CompletedTask;
    }

    Task ITourGrain.UnwatchAsync(ITourWatcher watcher)
    {
        Watchers.Unsubscribe(watcher);
        return Task.CompletedTask;
    }

    // ---- Commands: decide on the stored version, append once, then publish ----

    Task<Outcome<TourCreated>> ITourGrain.CreateAsync(CommandContext context, CreateTour command, string slug) =>
        RunAsync(context, (m, now) => PeopleDecisions.Create(m, context, command, slug, now, limits),
            (m, _, tokens) => PeopleDecisions.Created(m, tokens), mustExist: false);

    Task<Outcome<TourSnapshot>> ITourGrain.UpdateSettingsAsync(CommandContext context, TourSettingsPatch patch) =>
        RunAsync(context, (m, now) => PeopleDecisions.UpdateSettings(m, context, patch, now));

    Task<Outcome<SpeakerCredential>> ITourGrain.AddSpeakerAsync(CommandContext context, SpeakerInput speaker) =>
        RunAsync(context, (m, now) => PeopleDecisions.AddSpeaker(m, context, speaker, now, limits),
            (m, stamp, tokens) => new SpeakerCredential(stamp.Subject!, m.Speaker(stamp.Subject)?.Name ?? "", tokens[0].Token));

    Task<Outcome<SpeakerInfo>> ITourGrain.UpdateSpeakerAsync(CommandContext context, string speakerId, SpeakerPatch patch) =>
        RunAsync(context, (m, now) => PeopleDecisions.UpdateSpeaker(m, context, speakerId, patch, now));

    Task<Outcome<SpeakerInfo>> ITourGrain.RemoveSpeakerAsync(CommandContext context, string speakerId) =>
        RunAsync(context, (m, now) => PeopleDecisions.RemoveSpeaker(m, context, speakerId, now));

    Task<Outcome<IssuedLink>> ITourGrain.AddOrganizerAsync(CommandContext context, string name, string? email, string language) =>
        RunAsync(context, (m, now) => PeopleDecisions.AddOrganizer(m, context, name, email, language, now, limits),
            (_, _, tokens) => PeopleDecisions.Link(tokens[0], Role.Organizer, 0));

    Task<Outcome<HostInvited>> ITourGrain.InviteHostAsync(CommandContext context, InviteHost command) =>
        RunAsync(context, (m, now) => PeopleDecisions.InviteHost(m, context, command, now, limits),
            (_, stamp, tokens) => new HostInvited(stamp.Subject!, tokens[0].Token));

    Task<Outcome<HostSnapshot>> ITourGrain.UpdateHostAsync(CommandContext context, string hostId, HostPatch patch) =>
        RunAsync(context, (m, now) => PeopleDecisions.UpdateHost(m, context, hostId, patch, now));

    Task<Outcome<IssuedLink>> ITourGrain.IssueLinkAsync(CommandContext context, Role role, string personId, bool revokeOthers) =>
        RunAsync(context, (m, now) => PeopleDecisions.IssueLink(m, context, role, personId, revokeOthers, now, limits),
            (_, _, tokens) => PeopleDecisions.Link(tokens[0], role, 0));

    async Task<ImmutableArray<SignInToken>> ITourGrain.IssueSignInLinksAsync(ImmutableArray<MailPerson> people)
    {
        var outcome = await RunAsync(CommandContext.System, (m, now) => SignInDecisions.Issue(m, people, now));
        return outcome.IsOk ? outcome.Value : [];
    }

    Task<Outcome<IssuedLink>> ITourGrain.ExchangeSignInAsync(string token) =>
        RunAsync(CommandContext.System, (m, now) => SignInDecisions.Exchange(m, token, now, limits));

    Task<Outcome<LinkInfo>> ITourGrain.RevokeLinkAsync(CommandContext context, string tokenId) =>
        RunAsync(context, (m, now) => PeopleDecisions.RevokeLink(m, context, tokenId, now));

    Task<Outcome<ClaimReceipt>> ITourGrain.SubmitClaimAsync(CommandContext context, ClaimRequest request, Facts facts) =>
        RunAsync(context, (m, now) => ClaimDecisions.Submit(m, context, request, facts, now, limits),
            (m, stamp, _) => ClaimDecisions.Receipt(m, stamp.Subject!, [], []));

    Task<Outcome<ClaimView>> ITourGrain.ConfirmClaimAsync(CommandContext context, string claimId, Facts facts) =>
        RunAsync(context, (m, now) => ClaimDecisions.Confirm(m, context, claimId, facts, now));

    Task<Outcome<ClaimView>> ITourGrain.ReleaseClaimAsync(CommandContext context, string claimId) =>
        RunAsync(context, (m, now) => ClaimDecisions.Release(m, context, claimId, now));

    Task<Outcome<ClaimView>> ITourGrain.CancelStopAsync(CommandContext context, string stopId) =>
        RunAsync(context, (m, now) => ClaimDecisions.Cancel(m, context, stopId, now));

    Task<Outcome<EventChanged>> ITourGrain.AddEventAsync(CommandContext context, string stopId, EventInput input, Facts facts) =>
        RunAsync(context, (m, now) => StopDecisions.AddEvent(m, context, stopId, input, facts, now, limits),
            (m, stamp, _) => m.Ledger.Stop(stopId) is { } s && s.Events.FirstOrDefault(e => e.EventId == stamp.Subject) is { } ev
                ? new EventChanged(EventViews.Of(s, ev), []) : throw new InvalidOperationException("The event of an idempotency key is gone."));

    Task<Outcome<EventChanged>> ITourGrain.UpdateEventAsync(CommandContext context, string stopId, string eventId, EventPatch patch, Facts facts) =>
        RunAsync(context, (m, now) => StopDecisions.UpdateEvent(m, context, stopId, eventId, patch, facts, now));

    Task<Outcome<EventChanged>> ITourGrain.RemoveEventAsync(CommandContext context, string stopId, string eventId) =>
        RunAsync(context, (m, now) => StopDecisions.RemoveEvent(m, context, stopId, eventId, now));

    Task<Outcome<StopSnapshot>> ITourGrain.ChangeVenueAsync(CommandContext context, string stopId, VenuePatch patch, Facts facts) =>
        RunAsync(context, (m, now) => StopDecisions.ChangeVenue(m, context, stopId, patch, facts, now));

    // ---- Privacy: retention, withdrawal, sign-ups, export, deletion ----

    Task<PrivacyStatus?> ITourGrain.GetPrivacyAsync() =>
        Task.FromResult(Exists() ? PrivacyDecisions.Status(_model, RetentionDays) : null);

    Task<ImmutableArray<Signup>> ITourGrain.GetSignupsAsync(string stopId, Principal reader) =>
        Task.FromResult(Exists() ? PrivacyDecisions.Signups(_model, stopId, reader) : []);

    Task<ImmutableArray<Signup>> ITourGrain.GetSignupsByIdAsync(ImmutableArray<string> signupIds)
    {
        if (!Exists() || signupIds.IsDefaultOrEmpty) return Task.FromResult(ImmutableArray<Signup>.Empty);
        var wanted = signupIds.ToHashSet(StringComparer.Ordinal);
        return Task.FromResult(_model.Signups.Where(s => wanted.Contains(s.SignupId)).ToImmutableArray());
    }

    async Task<Outcome<TourExport>> ITourGrain.ExportAsync(CommandContext context, string format)
    {
        var outcome = await RunAsync(context, (_, now) => PrivacyDecisions.Exported(context, format, now));
        if (!outcome.IsOk) return outcome.As<TourExport>();
        return Outcome<TourExport>.Ok(new TourExport
        {
            Tour = Snapshot(), Hosts = TourViews.Hosts(_model), Stops = TourViews.Stops(_model, publishedOnly: false), Links = TourViews.Links(_model),
            History = [.. _history], Signups = [.. _model.Signups], Privacy = PrivacyDecisions.Status(_model, RetentionDays),
        });
    }

    async Task<Outcome<PrivacyStatus>> ITourGrain.SetPurgeDateAsync(CommandContext context, LocalDate purgeOn)
    {
        var outcome = await RunAsync(context, (m, now) => PrivacyDecisions.SetPurgeOn(m, context, purgeOn, RetentionDays, now));
        if (outcome.IsOk && PrivacyDecisions.PurgeDue(_model, RetentionDays, clock.GetCurrentInstant()))
            return await PurgeAsync(context, "organizer");
        return outcome;
    }

    Task<Outcome<PrivacyStatus>> ITourGrain.PurgePrivateDataAsync(CommandContext context) => PurgeAsync(context, "organizer");

    async Task<Outcome<HostSnapshot>> ITourGrain.WithdrawHostAsync(CommandContext context, string hostId)
    {
        var wasWithdrawn = _model.Host(hostId)?.WithdrawnAt is not null;
        var outcome = await RunAsync(context, (m, now) => PrivacyDecisions.Withdraw(m, context, hostId, now));
        if (!outcome.IsOk || wasWithdrawn) return outcome;
        await _keys.DestroyAsync(scope => scope == PrivateData.HostScope(hostId));
        await ForgetLogisticsAsync(s => s.HostId == hostId);
        await LoadAsync();
        return Outcome<HostSnapshot>.Ok(TourViews.Host(_model, _model.Host(hostId)!));
    }

    Task<Outcome<Signup>> ITourGrain.SignUpAsync(CommandContext context, SignupRequest request) =>
        RunAsync(context, (m, now) => PrivacyDecisions.SignUp(m, request, now, limits),
            (m, stamp, _) => m.Signups.First(s => s.SignupId == stamp.Subject));

    async Task<Outcome<bool>> ITourGrain.DeleteAsync(CommandContext context)
    {
        if (!_model.Created) return Outcome<bool>.NotFound(Text.Of(Codes.TourNotFound));
        var now = clock.GetCurrentInstant();
        var (slug, version) = (_model.Slug, _model.Version);
        // Gone first, so that whatever fails below, the tour already answers 410; then the keys, so that nothing
        // private is readable even while the log's rows are still being removed.
        await GrainFactory.GetGrain<IGoneGrain>(IGoneGrain.KeyOf("tour", TourId)).MarkAsync(now);
        if (slug.Length > 0) await GrainFactory.GetGrain<IGoneGrain>(IGoneGrain.KeyOf("slug", slug)).MarkAsync(now);
        await _keys.ClearAsync();
        await _log.ClearAsync();
        if (slug.Length > 0) await GrainFactory.GetGrain<ITourSlugGrain>(slug).ReleaseAsync(TourId);
        await GrainFactory.GetGrain<ITourPlanGrain>(TourId).ForgetAsync();
        await ForgetLogisticsAsync(_ => true);
        await GrainFactory.GetGrain<ITourMailGrain>(TourId).ForgetAsync(deleted: true);
        foreach (var name in new[] { ExpiryReminder, RetentionReminder })
            if (await this.GetReminder(name) is { } reminder) await this.UnregisterReminder(reminder);
        (_reminderRegistered, _retentionRegistered) = (false, false);
        _model = TourModel.Empty with { TourId = TourId };
        _history = [];
        _snapshot = null;
        // Who deleted it is logged by role and person id only (never a name, a token or the tour's id).
        logger.LogInformation("A tour was deleted by {Role} {PersonId} with link {TokenId}", context.Actor.Role, context.Actor.PersonId, context.Actor.TokenId);
        if (_watchers is { Count: > 0 } watchers)
        {
            var change = new TourChange(TourId, version + 1, "tour-deleted", now);
            watchers.Notify(w => { _ = w.ChangedAsync(change); });
        }
        DeactivateOnIdle();
        return Outcome<bool>.Ok(true);
    }

    /// <summary>
    /// Destroys every data key of the tour, then records it: once the keys are gone nothing they sealed can be read,
    /// whatever becomes of the write that records it. The tour is then folded again from its log, redacted.
    /// </summary>
    private async Task<Outcome<PrivacyStatus>> PurgeAsync(CommandContext context, string reason)
    {
        if (!_model.Created) return Outcome<PrivacyStatus>.NotFound(Text.Of(Codes.TourNotFound));
        await _keys.DestroyAsync(_ => true);
        await ForgetLogisticsAsync(_ => true);
        await GrainFactory.GetGrain<ITourMailGrain>(TourId).ForgetAsync(deleted: false);
        var outcome = await RunAsync(context, (m, now) => PrivacyDecisions.Purge(m, context, reason, RetentionDays, now));
        await LoadAsync();
        return outcome.IsOk ? Outcome<PrivacyStatus>.Ok(PrivacyDecisions.Status(_model, RetentionDays)) : outcome;
    }

    /// <summary>
    /// Lodging and notes live in each stop's own grain, outside the log and its keys: destroying keys does not reach
    /// them, so the stops' rows are removed outright.
    /// </summary>
    private Task ForgetLogisticsAsync(Func<StopSnapshot, bool> which) =>
        Task.WhenAll(TourViews.Stops(_model, publishedOnly: false).Where(which).Select(s => GrainFactory.GetGrain<ITourStopGrain>(s.StopId).ForgetAsync()));

    private async Task EnsureRetentionReminderAsync()
    {
        var wanted = _model.Created && _model.PurgedAt is null;
        _retentionRegistered ??= await this.GetReminder(RetentionReminder) is not null;
        if (wanted == _retentionRegistered) return;
        if (wanted)
        {
            var period = privacyOptions.Value.SweepPeriod;
            await this.RegisterOrUpdateReminder(RetentionReminder, period, period);
        }
        else if (await this.GetReminder(RetentionReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
        _retentionRegistered = wanted;
    }

    async Task<int> ITourGrain.ExpireDueHoldsAsync()
    {
        var outcome = await RunAsync(CommandContext.System, (m, _) => Decision<int>.Unchanged(0));
        return outcome.IsOk ? _lastExpired : 0;
    }

    Task<Outcome<PlanApplied>> ITourGrain.ApplyPlanAsync(PlanProposal proposal) =>
        RunAsync(CommandContext.System, (m, now) => PlanDecisions.Apply(m, proposal, now));

    async Task IRemindable.ReceiveReminder(string reminderName, Orleans.Runtime.TickStatus status)
    {
        if (reminderName == RetentionReminder)
        {
            if (!_model.Created)
            {
                // A deleted tour's reminder that fired once more: nothing left to keep.
                if (await this.GetReminder(RetentionReminder) is { } stale) await this.UnregisterReminder(stale);
                return;
            }
            if (PrivacyDecisions.PurgeDue(_model, RetentionDays, clock.GetCurrentInstant()))
            {
                await PurgeAsync(CommandContext.System, "retention");
                logger.LogInformation("Tour {TourId}: private data purged at the end of its retention period", TourId);
            }
            return;
        }
        if (reminderName != ExpiryReminder || !_model.Created) return;
        await RunAsync(CommandContext.System, (_, _) => Decision<int>.Unchanged(0));
        if (_lastExpired > 0) logger.LogInformation("Tour {TourId}: {Count} hold(s) expired", TourId, _lastExpired);
    }

    private int _lastExpired;

    /// <summary>
    /// One command: honour an idempotency key, expire holds that ran out, decide, append everything in one write,
    /// then make it the version readers see and tell watchers.
    /// </summary>
    private async Task<Outcome<T>> RunAsync<T>(CommandContext context, Func<TourModel, Instant, Decision<T>> decide,
        Func<TourModel, IdempotencyStamp, ImmutableArray<IssuedToken>, T>? replay = null, bool mustExist = true)
    {
        var now = clock.GetCurrentInstant();
        _lastExpired = 0;
        if (mustExist && !_model.Created) return Outcome<T>.NotFound(Text.Of(Codes.TourNotFound));
        var model = _model.ForgetKeysBefore(now);

        string? keyHash = null;
        if (context.IdempotencyKey is { } key)
        {
            keyHash = ReplaySeal.KeyHash($"{CallerOf(context)}\n{key}");
            if (model.Idempotency.TryGetValue(keyHash, out var seen))
            {
                if (seen.Stamp.RequestHash != (context.RequestHash ?? "")) return Outcome<T>.KeyReused();
                // A retry of a command that created something answers as the first time did; others simply run
                // again (confirming a confirmed claim or releasing a released one changes nothing).
                if (replay is not null)
                    return Outcome<T>.Ok(replay(model, seen.Stamp, seen.Stamp.SealedTokens is { } sealedTokens ? ReplaySeal.Open(key, sealedTokens) : []));
            }
        }

        var entries = ImmutableArray.CreateBuilder<TourEntry>();
        // Each entry's messages are decided from the tour just before and just after it, and stored with it.
        var notices = ImmutableArray.CreateBuilder<Notice>();
        TourModel Step(TourModel before, TourEntry entry)
        {
            var after = before.Apply(entry);
            notices.AddRange(MailNotices.For(before, entry, after));
            return after;
        }
        if (model.Created && ClaimDecisions.ExpireDue(model, now) is { } expired)
        {
            entries.Add(expired);
            model = Step(model, expired);
            _lastExpired = expired.ClaimIds.Length;
        }
        if (model.Created && MailNotices.HoldsEndingBy(model, now) is { } ending)
        {
            entries.Add(ending);
            model = Step(model, ending);
        }
        var decision = decide(model, now);
        if (decision.Failure is { } failure)
        {
            if (entries.Count > 0) await StoreAsync(entries.ToImmutable(), model, notices.ToImmutable());
            return failure;
        }
        var decided = decision.Entries;
        if (keyHash is not null && decided.Length > 0)
            decided = decided.SetItem(decided.Length - 1, decided[^1] with
            {
                Idempotency = new IdempotencyStamp
                {
                    KeyHash = keyHash, Caller = CallerOf(context), RequestHash = context.RequestHash ?? "", Subject = decision.Subject,
                    SealedTokens = decision.Tokens.IsEmpty ? null : ReplaySeal.Seal(context.IdempotencyKey!, decision.Tokens),
                },
            });
        foreach (var entry in decided) model = Step(model, entry);
        entries.AddRange(decided);
        if (entries.Count > 0) await StoreAsync(entries.ToImmutable(), model, notices.ToImmutable());
        return Outcome<T>.Ok(decision.Answer!(model)) with { Conflicts = decision.Warnings };
    }

    /// <summary>The caller an idempotency key belongs to: the link used, or nobody for anonymous tour creation (the key alone).</summary>
    private static string CallerOf(CommandContext context) => context.Actor.TokenId ?? "anonymous";

    private async Task StoreAsync(ImmutableArray<TourEntry> entries, TourModel next, ImmutableArray<Notice> notices)
    {
        // The change and its messages are one append: the last entry carries them.
        if (!notices.IsEmpty) entries = entries.SetItem(entries.Length - 1, entries[^1] with { Notices = notices });
        try
        {
            await _log.AppendAsync(entries, clock.GetCurrentInstant());
        }
        catch (Exception ex)
        {
            // The write may or may not have landed (a timeout, or another activation wrote first): start afresh
            // from the store on the next call rather than build on a guess.
            logger.LogWarning("Tour {TourId}: storing {Count} entr(ies) failed ({Error}); reloading on next call", TourId, entries.Length, ex.GetType().Name);
            DeactivateOnIdle();
            throw;
        }
        var first = _model.Version;
        _model = next;
        _snapshot = null;
        _history = _history.AddRange(entries.Select((e, i) => TourViews.History(e, first + i + 1)));
        await EnsureReminderAsync();
        if (!notices.IsEmpty)
        {
            _outbox = _outbox.AddRange(notices);
            // Before the change is acknowledged, the cluster's mail desk durably knows this tour has mail, so a sender
            // that starts after a crash finds it without any other request.
            await GrainFactory.GetGrain<IMailDispatchGrain>(0).MarkPendingAsync(TourId, _outbox.Count);
        }
        await EnsureRetentionReminderAsync();
        if (_watchers is { Count: > 0 } watchers)
        {
            var change = new TourChange(TourId, next.Version, TourViews.History(entries[^1], next.Version).Action, entries[^1].At);
            watchers.Notify(w => { _ = w.ChangedAsync(change); }); // one-way: a slow page never holds up the tour
        }
    }

    private async Task EnsureReminderAsync()
    {
        var wanted = _model.Ledger.NextExpiry is not null;
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

    /// <summary>True when the tour exists; an id nobody created does not keep an activation alive.</summary>
    private bool Exists()
    {
        if (_model.Created) return true;
        DeactivateOnIdle();
        return false;
    }

    private TourSnapshot Snapshot() => _snapshot ??= TourViews.Snapshot(_model);

    private ObserverManager<ITourWatcher> Watchers =>
        _watchers ??= new ObserverManager<ITourWatcher>(TimeSpan.FromMinutes(5), logger);
}
