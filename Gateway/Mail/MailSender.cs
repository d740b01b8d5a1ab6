using System.Collections.Concurrent;
using System.Collections.Immutable;
using MimeKit;
using NodaTime;
using TourPlanner.Gateway.Infrastructure;
using TourPlanner.Grains;

namespace TourPlanner.Gateway.Mail;

/// <summary>
/// Delivers the cluster's mail from the Gateway process, never inside a grain's turn. Every Gateway runs one; the one
/// holding the mail desk's lease works, the others wait. On start (after a crash too) it reads the desk's durable
/// list of tours with mail, so what was queued before the crash goes out without any other request. A message the
/// server accepted is reported sent and never handed out again; a crash between acceptance and that report makes at
/// most one repeat, with the same Message-ID.
/// </summary>
public sealed class MailSender(
    IGrainFactory grains,
    MailSettings settings,
    PublicLinks links,
    MailComposer composer,
    SmtpTransport smtp,
    IClock clock,
    TimeProvider time,
    ILogger<MailSender> logger) : BackgroundService
{
    private const int BatchSize = 20;
    private const int MaxBatchesPerTourAndTick = 10;
    private const int MaxCached = 1000;

    private readonly string _id = Guid.NewGuid().ToString("N");
    /// <summary>Messages written but not yet accepted, kept for their retries so a retry does not mint another sign-in link.</summary>
    private readonly ConcurrentDictionary<string, MimeMessage> _written = new(StringComparer.Ordinal);

    private TimeSpan Lease => settings.PollInterval * 3 > TimeSpan.FromSeconds(30) ? settings.PollInterval * 3 : TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (settings.OffReason(links) is { } off)
        {
            logger.LogInformation("E-mail is off ({Reason}): nothing will be sent.", off);
            return;
        }
        using var timer = new PeriodicTimer(settings.PollInterval, time);
        do
        {
            try
            {
                await TickAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The silo may not be up yet, or a tour may be unreachable for a moment: the next tick tries again.
                logger.LogWarning("Mail sender tick failed: {Error}", ex.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One round: take the lease, then send what is due for each tour with mail.</summary>
    public async Task TickAsync(CancellationToken cancellationToken)
    {
        var desk = grains.GetGrain<IMailDispatchGrain>(0);
        if (!await desk.AcquireLeaseAsync(_id, Lease)) return;
        foreach (var tourId in await desk.GetPendingAsync(200))
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                for (var i = 0; i < MaxBatchesPerTourAndTick && await SendBatchAsync(tourId, cancellationToken) == BatchSize; i++) { }
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning("Mail for tour {TourId} failed this round: {Error}", tourId, ex.Message);
            }
        }
    }

    private async Task<int> SendBatchAsync(string tourId, CancellationToken cancellationToken)
    {
        var mail = grains.GetGrain<ITourMailGrain>(tourId);
        var work = await mail.TakeWorkAsync(clock.GetCurrentInstant(), Duration.FromTimeSpan(settings.DigestPeriod), BatchSize, Lease * 2);
        if (work.IsEmpty) return 0;

        var tour = grains.GetGrain<ITourGrain>(tourId);
        var snapshot = await tour.GetAsync();
        var results = new List<MailResult>();
        if (snapshot is null)
        {
            await mail.ReportAsync([.. work.Select(w => Skip(w, MailCodes.SkipTourGone))], clock.GetCurrentInstant(), Duration.FromTimeSpan(settings.RetryDelay));
            return work.Length;
        }
        var hosts = (await tour.GetHostsAsync()).ToDictionary(h => h.HostId);
        var forSupporters = work.Where(w => w.RecipientRole == Role.Anonymous).ToList();
        var signups = forSupporters.Count == 0 ? new Dictionary<string, Signup>()
            : (await tour.GetSignupsByIdAsync([.. forSupporters.Select(w => w.RecipientId)])).ToDictionary(s => s.SignupId);
        // A supporter is sent the address only while the stop is still confirmed with its address on request.
        var onRequest = forSupporters.Count == 0 ? [] : (await tour.GetStopsAsync(publishedOnly: false))
            .Where(s => s is { Status: ClaimStatus.Confirmed, CancelledAt: null, Venue.AddressVisibility: AddressVisibility.OnRequest })
            .Select(s => s.StopId).ToHashSet(StringComparer.Ordinal);
        var addressed = new List<(MailWork Work, Recipient To)>();
        foreach (var w in work)
        {
            if (w.RecipientRole == Role.Anonymous && !onRequest.Contains(w.Notices.FirstOrDefault()?.Stop?.StopId ?? ""))
                results.Add(Skip(w, MailCodes.SkipNotOnRequest));
            else if (RecipientOf(snapshot, hosts, w, signups) is { } to) addressed.Add((w, to));
            else results.Add(Skip(w, MailCodes.SkipNoAddress));
        }

        // Each new message gets its own single-use sign-in link; a retry reuses the message already written.
        var fresh = addressed.Where(a => !_written.ContainsKey(CacheKey(tourId, a.Work.Key))).ToList();
        if (fresh.Count > 0)
        {
            // Supporters are no people of the tour: their messages carry no sign-in link.
            var people = fresh.Where(a => a.Work.RecipientRole != Role.Anonymous).Select(a => new MailPerson(a.Work.RecipientRole, a.Work.RecipientId)).Distinct().ToList();
            var tokens = (people.Count == 0 ? [] : await tour.IssueSignInLinksAsync([.. people]))
                .ToDictionary(t => (t.Role, t.PersonId), t => t.Token);
            var now = clock.GetCurrentInstant();
            if (_written.Count + fresh.Count > MaxCached) _written.Clear();
            foreach (var (w, to) in fresh)
            {
                if (w.RecipientRole == Role.Anonymous) { _written[CacheKey(tourId, w.Key)] = composer.ComposeForSupporter(w, snapshot, to, now); continue; }
                if (!tokens.TryGetValue((w.RecipientRole, w.RecipientId), out var token)) { results.Add(Skip(w, MailCodes.SkipPersonLeft)); continue; }
                _written[CacheKey(tourId, w.Key)] = composer.Compose(w, snapshot, to, token, now);
            }
        }

        var batch = addressed.Select(a => (a.Work.Key, Message: _written.TryGetValue(CacheKey(tourId, a.Work.Key), out var m) ? m : null))
            .Where(b => b.Message is not null).Select(b => (b.Key, b.Message!)).ToList();
        results.AddRange(await smtp.SendAsync(batch, cancellationToken));
        foreach (var r in results.Where(r => r.Status != MailStatus.Failed || r.Permanent)) _written.TryRemove(CacheKey(tourId, r.Key), out _);
        await mail.ReportAsync([.. results], clock.GetCurrentInstant(), Duration.FromTimeSpan(settings.RetryDelay));
        var sent = results.Count(r => r.Status == MailStatus.Sent);
        if (sent > 0) logger.LogInformation("Tour {TourId}: {Sent} message(s) sent", tourId, sent);
        return work.Length;
    }

    /// <summary>The recipient's address, name and language as the tour has them now (an address changed since the change counts).</summary>
    public static Recipient? RecipientOf(TourSnapshot tour, IReadOnlyDictionary<string, HostSnapshot> hosts, MailWork work,
        IReadOnlyDictionary<string, Signup>? signups = null) =>
        RecipientOf(tour, hosts, work.RecipientRole, work.RecipientId, signups);

    public static Recipient? RecipientOf(TourSnapshot tour, IReadOnlyDictionary<string, HostSnapshot> hosts, Role role, string personId,
        IReadOnlyDictionary<string, Signup>? signups = null) => role switch
    {
        // A supporter who signed up for an address: known by the sign-up only (its e-mail is gone once purged).
        Role.Anonymous when signups is not null && signups.TryGetValue(personId, out var s) && s.Email is { } email =>
            new Recipient(email, "", s.Language),
        Role.Host when hosts.TryGetValue(personId, out var h) && h.ContactEmail is { } email =>
            new Recipient(email, h.ContactName ?? h.Name, h.Language),
        // The tour's language is its first organizer's; a co-organizer chose their own.
        Role.Organizer when tour.Organizers.FirstOrDefault(o => o.Id == personId) is { Email: { } email } o =>
            new Recipient(email, o.Name, tour.Organizers[0].Id == o.Id ? tour.Language : o.Language),
        Role.Speaker when tour.Speakers.FirstOrDefault(s => s.Id == personId) is { Email: { } email } s =>
            new Recipient(email, s.Name, tour.Language),
        _ => null,
    };

    private static MailResult Skip(MailWork w, MessageCode reason) => new() { Key = w.Key, Status = MailStatus.Skipped, Reason = Text.Of(reason) };

    private static string CacheKey(string tourId, string key) => $"{tourId}/{key}";
}
