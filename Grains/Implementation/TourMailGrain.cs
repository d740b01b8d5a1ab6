using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using NodaTime;

namespace TourPlanner.Grains.Implementation;

/// <summary>A tour's delivery state, stored apart from the tour's log (which is never rewritten for it).</summary>
[GenerateSerializer, Immutable]
public sealed record MailState
{
    /// <summary>How far the tour's outbox has been read.</summary>
    [Id(0)] public long Cursor { get; init; }
    [Id(1)] public ImmutableDictionary<string, MailRecord> Messages { get; init; } = ImmutableDictionary<string, MailRecord>.Empty;
    /// <summary>People who turned reminders and digests off.</summary>
    [Id(2)] public ImmutableHashSet<string> Unsubscribed { get; init; } = ImmutableHashSet<string>.Empty;
    /// <summary>Signs unsubscribe links (they only ever turn reminders off, so a forged one could do no more).</summary>
    [Id(3)] public byte[]? UnsubscribeKey { get; init; }
    /// <summary>When each organizer's last digest went out.</summary>
    [Id(4)] public ImmutableDictionary<string, Instant> LastDigest { get; init; } = ImmutableDictionary<string, Instant>.Empty;
    [Id(5)] public long NextLinkRequest { get; init; }
    [Id(6)] public long SentTotal { get; init; }
}

/// <summary>One message: what it tells (outbox positions), to whom, and where its delivery stands.</summary>
[GenerateSerializer, Immutable]
public sealed record MailRecord
{
    [Id(0)] public required string Key { get; init; }
    [Id(1)] public required string Kind { get; init; }
    [Id(2)] public Role RecipientRole { get; init; }
    [Id(3)] public required string RecipientId { get; init; }
    [Id(4)] public ImmutableArray<long> Seqs { get; init; } = [];
    [Id(5)] public MailStatus Status { get; init; }
    [Id(6)] public int Attempts { get; init; }
    [Id(7)] public Instant NextAttemptAt { get; init; }
    [Id(8)] public Text? LastError { get; init; }
    [Id(9)] public Instant CreatedAt { get; init; }
    [Id(10)] public Instant? SentAt { get; init; }
    /// <summary>No longer written: an address is never stored in the clear (the organizer's view looks it up in the tour).</summary>
    [Id(11)] public string? To { get; init; }
}

/// <summary>
/// Reads a tour's outbox into messages and keeps their delivery state. It decides what is due (retries back off;
/// an organizer's claims and releases wait for their digest), hands each due message to one sender at a time, and
/// records the outcome: a message the server accepted is marked sent and never handed out again.
/// </summary>
public sealed class TourMailGrain(
    [PersistentState("mail")] IPersistentState<MailState> state,
    TimeProvider time) : Grain, ITourMailGrain
{
    /// <summary>Mail about a change this old when first read (e-mail was off meanwhile) is not sent: it would mislead.</summary>
    public static readonly Duration MaxAge = Duration.FromDays(3);
    /// <summary>Tries before a message is given up on (with doubling delays, about two days with the defaults).</summary>
    public const int MaxAttempts = 12;
    public static readonly Duration MaxRetryDelay = Duration.FromHours(1);
    /// <summary>Delivered and given-up messages kept for the organizer's view; pending ones are always kept.</summary>
    public const int KeepFinished = 200;

    /// <summary>Messages handed to a sender, until when (not stored: after a crash they are simply due again).</summary>
    private readonly Dictionary<string, DateTimeOffset> _claims = new(StringComparer.Ordinal);
    private long _outboxTotal = -1;

    private string TourId => this.GetPrimaryKeyString();
    private ITourGrain Tour => GrainFactory.GetGrain<ITourGrain>(TourId);

    async Task<ImmutableArray<MailWork>> ITourMailGrain.TakeWorkAsync(Instant now, Duration digestPeriod, int max, TimeSpan claimFor)
    {
        var s = state.State;
        var changed = false;
        var page = await Tour.GetOutboxAsync(s.Cursor, 500);
        _outboxTotal = page.Total;
        foreach (var queued in page.Notices) s = Ingest(s, queued, now, digestPeriod);
        if (!page.Notices.IsEmpty)
        {
            s = s with { Cursor = page.Notices[^1].Seq + 1 };
            changed = true;
        }
        if (s.UnsubscribeKey is null)
        {
            s = s with { UnsubscribeKey = RandomNumberGenerator.GetBytes(32) };
            changed = true;
        }

        var wall = time.GetUtcNow();
        foreach (var expired in _claims.Where(c => c.Value <= wall).Select(c => c.Key).ToList()) _claims.Remove(expired);
        var digestsOut = new HashSet<string>(StringComparer.Ordinal);
        var due = s.Messages.Values
            .Where(m => m.Status == MailStatus.Pending && m.NextAttemptAt <= now && !_claims.ContainsKey(m.Key))
            .OrderBy(m => m.NextAttemptAt).ThenBy(m => m.CreatedAt).ThenBy(m => m.Key, StringComparer.Ordinal)
            // An organizer gets at most one digest per period, even when an earlier one had to wait for the server.
            .Where(m => m.Kind != NoticeKinds.Digest
                || (!(s.LastDigest.TryGetValue(m.RecipientId, out var last) && last + digestPeriod > now) && digestsOut.Add(m.RecipientId)))
            .Take(Math.Clamp(max, 1, 200)).ToList();
        ImmutableArray<MailWork> work = [];
        if (due.Count > 0)
        {
            var notices = (await Tour.GetNoticesAsync([.. due.SelectMany(m => m.Seqs)])).ToDictionary(q => q.Seq, q => q.Notice);
            foreach (var m in due) _claims[m.Key] = wall + claimFor;
            work = [.. due.Select(m => new MailWork
            {
                Key = m.Key, Kind = m.Kind, RecipientRole = m.RecipientRole, RecipientId = m.RecipientId, Attempts = m.Attempts,
                Notices = [.. m.Seqs.Where(notices.ContainsKey).Select(q => notices[q])],
                MessageId = $"{m.Key}.{TourId}", UnsubscribeToken = UnsubscribeToken(s.UnsubscribeKey!, m.RecipientId),
            })];
        }
        if (changed) await SaveAsync(s);
        if (work.IsEmpty) await IdleIfDoneAsync();
        return work;
    }

    async Task ITourMailGrain.ReportAsync(ImmutableArray<MailResult> results, Instant now, Duration retryDelay)
    {
        var s = state.State;
        foreach (var result in results)
        {
            _claims.Remove(result.Key);
            if (!s.Messages.TryGetValue(result.Key, out var m) || m.Status != MailStatus.Pending) continue;
            var attempts = m.Attempts + 1;
            var next = result.Status switch
            {
                MailStatus.Sent => m with { Status = MailStatus.Sent, Attempts = attempts, SentAt = now, LastError = null },
                MailStatus.Skipped => m with { Status = MailStatus.Skipped, LastError = result.Reason },
                _ when result.Permanent || attempts >= MaxAttempts => m with { Status = MailStatus.Failed, Attempts = attempts, LastError = result.Reason },
                _ => m with { Attempts = attempts, LastError = result.Reason, NextAttemptAt = now + Backoff(retryDelay, attempts) },
            };
            s = s with { Messages = s.Messages.SetItem(m.Key, next) };
            if (next.Status == MailStatus.Sent)
            {
                s = s with { SentTotal = s.SentTotal + 1 };
                if (m.Kind == NoticeKinds.Digest) s = s with { LastDigest = s.LastDigest.SetItem(m.RecipientId, now) };
            }
        }
        await SaveAsync(s);
        await IdleIfDoneAsync();
    }

    async Task<MailStatusView> ITourMailGrain.GetStatusAsync()
    {
        var s = state.State;
        // Notices not read yet wait too (while e-mail is off nothing reads them).
        var unread = Math.Max(0, (await Tour.GetOutboxAsync(s.Cursor, 0)).Total - s.Cursor);
        return new MailStatusView
        {
            Queued = s.Messages.Values.Count(m => m.Status == MailStatus.Pending) + (int)Math.Min(int.MaxValue, unread),
            Sent = (int)Math.Min(int.MaxValue, s.SentTotal),
            Undelivered = [.. s.Messages.Values.Where(m => m.Status == MailStatus.Failed || m is { Status: MailStatus.Pending, Attempts: > 0 })
                .OrderByDescending(m => m.CreatedAt).Take(50).Select(View)],
            Unsubscribed = [.. s.Unsubscribed.Order(StringComparer.Ordinal)],
        };
    }

    async Task ITourMailGrain.RequestLinkAsync(string email, Instant now)
    {
        var people = await Tour.FindPeopleByEmailAsync(email);
        if (people.IsEmpty) return;
        var s = state.State;
        foreach (var person in people)
        {
            // One waiting link per person is enough, however often they ask.
            if (s.Messages.Values.Any(m => m is { Kind: NoticeKinds.SignInLink, Status: MailStatus.Pending } && m.RecipientId == person.PersonId)) continue;
            var key = $"l{s.NextLinkRequest}";
            s = s with
            {
                NextLinkRequest = s.NextLinkRequest + 1,
                Messages = s.Messages.Add(key, new MailRecord
                {
                    Key = key, Kind = NoticeKinds.SignInLink, RecipientRole = person.Role, RecipientId = person.PersonId,
                    Status = MailStatus.Pending, NextAttemptAt = now, CreatedAt = now,
                }),
            };
        }
        await SaveAsync(s);
        await GrainFactory.GetGrain<IMailDispatchGrain>(0).MarkPendingAsync(TourId, s.Cursor);
    }

    async Task<bool> ITourMailGrain.UnsubscribeAsync(string token)
    {
        var s = state.State;
        var dot = token.LastIndexOf('.');
        if (s.UnsubscribeKey is null || dot <= 0 || token.Length > 200) return false;
        var personId = token[..dot];
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(UnsubscribeToken(s.UnsubscribeKey, personId)), Encoding.ASCII.GetBytes(token)))
            return false;
        if (s.Unsubscribed.Contains(personId)) return true;
        var muted = s.Messages.Values.Where(m => m.Status == MailStatus.Pending && m.RecipientId == personId && NoticeKinds.IsOptional(m.Kind))
            .Select(m => KeyValuePair.Create(m.Key, m with { Status = MailStatus.Skipped, LastError = Text.Of(MailCodes.SkipUnsubscribed) }));
        await SaveAsync(s with { Unsubscribed = s.Unsubscribed.Add(personId), Messages = s.Messages.SetItems(muted) });
        return true;
    }

    async Task ITourMailGrain.ForgetAsync(bool deleted)
    {
        _claims.Clear();
        if (deleted)
        {
            await state.ClearStateAsync();
            await GrainFactory.GetGrain<IMailDispatchGrain>(0).ForgetAsync(TourId);
            DeactivateOnIdle();
            return;
        }
        // Private data purged: every message and who turned reminders off go; how far the outbox was read stays, so
        // nothing it held (now without addresses) is sent after all.
        await SaveAsync(state.State with { Messages = ImmutableDictionary<string, MailRecord>.Empty, Unsubscribed = [], LastDigest = ImmutableDictionary<string, Instant>.Empty });
        await IdleIfDoneAsync();
    }

    private static MailState Ingest(MailState s, QueuedNotice queued, Instant now, Duration digestPeriod)
    {
        var n = queued.Notice;
        var optional = NoticeKinds.IsOptional(n.Kind);
        Text? skip = n.At + MaxAge < now ? Text.Of(MailCodes.SkipTooOld)
            : optional && s.Unsubscribed.Contains(n.RecipientId) ? Text.Of(MailCodes.SkipUnsubscribed) : null;
        if (NoticeKinds.IsDigestItem(n.Kind) && skip is null)
        {
            // Claims and releases join the organizer's open digest, which goes out at most once per period.
            var open = s.Messages.Values.FirstOrDefault(m => m is { Kind: NoticeKinds.Digest, Status: MailStatus.Pending, Attempts: 0 } && m.RecipientId == n.RecipientId);
            if (open is not null) return s with { Messages = s.Messages.SetItem(open.Key, open with { Seqs = open.Seqs.Add(queued.Seq) }) };
            var last = s.LastDigest.TryGetValue(n.RecipientId, out var at) ? at : Instant.MinValue;
            var due = last == Instant.MinValue || last + digestPeriod < now ? now : last + digestPeriod;
            return Add(s, new MailRecord
            {
                Key = $"d{queued.Seq}", Kind = NoticeKinds.Digest, RecipientRole = n.RecipientRole, RecipientId = n.RecipientId,
                Seqs = [queued.Seq], Status = MailStatus.Pending, NextAttemptAt = due, CreatedAt = now,
            });
        }
        return Add(s, new MailRecord
        {
            Key = $"n{queued.Seq}", Kind = n.Kind, RecipientRole = n.RecipientRole, RecipientId = n.RecipientId, Seqs = [queued.Seq],
            Status = skip is null ? MailStatus.Pending : MailStatus.Skipped, LastError = skip, NextAttemptAt = now, CreatedAt = now,
        });
    }

    private static MailState Add(MailState s, MailRecord record) =>
        s.Messages.ContainsKey(record.Key) ? s : s with { Messages = s.Messages.Add(record.Key, record) };

    /// <summary>Doubling delays from <paramref name="first"/>, at most an hour.</summary>
    public static Duration Backoff(Duration first, int attempts)
    {
        var delay = first * Math.Pow(2, Math.Min(attempts - 1, 20));
        return delay > MaxRetryDelay ? MaxRetryDelay : delay;
    }

    private async Task SaveAsync(MailState s)
    {
        // Finished messages beyond what the organizer's view shows go; every pending one stays.
        var finished = s.Messages.Values.Where(m => m.Status != MailStatus.Pending).ToList();
        if (finished.Count > KeepFinished)
            s = s with
            {
                Messages = s.Messages.RemoveRange(finished.OrderByDescending(m => m.SentAt ?? m.CreatedAt).Skip(KeepFinished).Select(m => m.Key)),
            };
        state.State = s;
        await state.WriteStateAsync();
    }

    private async Task IdleIfDoneAsync()
    {
        var s = state.State;
        if (_outboxTotal < 0 || s.Cursor < _outboxTotal || s.Messages.Values.Any(m => m.Status == MailStatus.Pending)) return;
        await GrainFactory.GetGrain<IMailDispatchGrain>(0).MarkIdleAsync(TourId, s.Cursor);
    }

    private static string UnsubscribeToken(byte[] key, string personId) =>
        personId + "." + Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(personId)))[..22].Replace('+', '-').Replace('/', '_');

    private static MailRecordView View(MailRecord m) => new()
    {
        Key = m.Key, Kind = m.Kind, RecipientRole = m.RecipientRole, RecipientId = m.RecipientId, Status = m.Status, Attempts = m.Attempts,
        LastError = m.LastError, NextAttemptAt = m.Status == MailStatus.Pending ? m.NextAttemptAt : null, CreatedAt = m.CreatedAt,
        SentAt = m.SentAt,
    };
}

/// <summary>The mail desk's durable part: the tours with mail to send.</summary>
[GenerateSerializer, Immutable]
public sealed record MailDeskState
{
    [Id(0)] public ImmutableHashSet<string> Pending { get; init; } = ImmutableHashSet<string>.Empty;
}

/// <summary>
/// Which tours have mail, and who may send it. A tour is added (durably) in the turn that queued its first waiting
/// notice, before the change is acknowledged; it is removed when its mail grain has read everything and has nothing
/// waiting, unless the tour announced more meanwhile. The lease lives in memory: it is short, and a desk that
/// restarts simply lets the next sender that asks take it.
/// </summary>
public sealed class MailDispatchGrain(
    [PersistentState("maildesk")] IPersistentState<MailDeskState> state,
    TimeProvider time) : Grain, IMailDispatchGrain
{
    private readonly Dictionary<string, long> _announced = new(StringComparer.Ordinal);
    private (string Holder, DateTimeOffset Until)? _lease;
    private long _rounds;

    async Task IMailDispatchGrain.MarkPendingAsync(string tourId, long outboxCount)
    {
        _announced[tourId] = Math.Max(outboxCount, _announced.GetValueOrDefault(tourId));
        if (state.State.Pending.Contains(tourId)) return;
        state.State = state.State with { Pending = state.State.Pending.Add(tourId) };
        await state.WriteStateAsync();
    }

    async Task IMailDispatchGrain.ForgetAsync(string tourId)
    {
        _announced.Remove(tourId);
        if (!state.State.Pending.Contains(tourId)) return;
        state.State = state.State with { Pending = state.State.Pending.Remove(tourId) };
        await state.WriteStateAsync();
    }

    async Task IMailDispatchGrain.MarkIdleAsync(string tourId, long cursor)
    {
        if (_announced.TryGetValue(tourId, out var announced) && announced > cursor) return;
        _announced.Remove(tourId);
        if (!state.State.Pending.Contains(tourId)) return;
        state.State = state.State with { Pending = state.State.Pending.Remove(tourId) };
        await state.WriteStateAsync();
    }

    Task<ImmutableArray<string>> IMailDispatchGrain.GetPendingAsync(int max)
    {
        // Round by round the window moves on, so with more tours than one round takes, none waits forever.
        var all = state.State.Pending.Order(StringComparer.Ordinal).ToList();
        var take = Math.Clamp(max, 1, 1000);
        if (all.Count <= take) return Task.FromResult(all.ToImmutableArray());
        var start = (int)(_rounds++ * take % all.Count);
        return Task.FromResult(all.Skip(start).Concat(all.Take(start)).Take(take).ToImmutableArray());
    }

    Task<bool> IMailDispatchGrain.AcquireLeaseAsync(string holder, TimeSpan duration)
    {
        var now = time.GetUtcNow();
        if (_lease is { } lease && lease.Holder != holder && lease.Until > now) return Task.FromResult(false);
        _lease = (holder, now + duration);
        return Task.FromResult(true);
    }
}
