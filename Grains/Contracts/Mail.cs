using System.Collections.Immutable;
using NodaTime;

namespace TourPlanner.Grains;

/// <summary>What a notice tells its recipient; stable codes (templates and the organizer's view key on them).</summary>
public static class NoticeKinds
{
    // To a host group's contact.
    public const string ClaimReceived = "claim-received";
    public const string MovedUp = "moved-up";
    public const string HoldEnding = "hold-ending";
    public const string HoldExpired = "hold-expired";
    public const string Confirmed = "claim-confirmed";
    public const string StopCancelled = "stop-cancelled";
    public const string StopChanged = "stop-changed";
    // To organizers: the first two go out batched in a digest.
    public const string ClaimSubmitted = "claim-submitted";
    public const string ClaimReleased = "claim-released";
    public const string QueuedHoldEnding = "queued-hold-ending";
    // To speakers.
    public const string SpeakerConfirmed = "speaker-stop-confirmed";
    public const string SpeakerChanged = "speaker-stop-changed";
    public const string SpeakerCancelled = "speaker-stop-cancelled";
    // Asked for on a page ("e-mail me my link"); not caused by a change of the tour.
    public const string SignInLink = "sign-in-link";
    // To a supporter who signed up for an on-request stop's address (not a person of the tour: no link, no unsubscribe).
    public const string SignupAddress = "signup-address";
    /// <summary>The same, after the host group changed the address while it was on request.</summary>
    public const string SignupAddressChanged = "signup-address-changed";

    public static bool IsForSupporter(string kind) => kind is SignupAddress or SignupAddressChanged;
    /// <summary>The organizer's batch of <see cref="ClaimSubmitted"/> and <see cref="ClaimReleased"/>.</summary>
    public const string Digest = "digest";

    public static bool IsDigestItem(string kind) => kind is ClaimSubmitted or ClaimReleased;

    /// <summary>What <c>List-Unsubscribe</c> turns off: reminders and digests, never confirmations and cancellations.</summary>
    public static bool IsOptional(string kind) => kind is HoldEnding or QueuedHoldEnding or Digest || IsDigestItem(kind);
}

/// <summary>
/// Mail's message codes (the catalogue words them): why a sign-in link was refused, and why a message was not
/// delivered, for the organizer's page. A mail server's own answer is carried as its words, inside one of these.
/// </summary>
public static class MailCodes
{
    public static readonly MessageCode SignInSpent = new("signin.spent");
    public static readonly MessageCode SignInTooManyLinks = new("signin.too-many-links", "count");

    public static readonly MessageCode SkipTooOld = new("mail.skip.too-old");
    public static readonly MessageCode SkipUnsubscribed = new("mail.skip.unsubscribed");
    public static readonly MessageCode SkipTourGone = new("mail.skip.tour-gone");
    public static readonly MessageCode SkipNoAddress = new("mail.skip.no-address");
    public static readonly MessageCode SkipPersonLeft = new("mail.skip.person-left");
    public static readonly MessageCode SkipNotOnRequest = new("mail.skip.not-on-request");
    public static readonly MessageCode FailServerAnswer = new("mail.fail.server-answer", "status", "answer");
    public static readonly MessageCode FailNetwork = new("mail.fail.network", "error");
    public static readonly MessageCode FailTimeout = new("mail.fail.timeout");
    public static readonly MessageCode FailConnectionLost = new("mail.fail.connection-lost");
    public static readonly MessageCode FailAuthentication = new("mail.fail.authentication");
    public static readonly MessageCode FailOther = new("mail.fail.other", "error");
}

/// <summary>
/// One message a change of a tour owes a person, recorded in the same append as the change (the tour's log is the
/// outbox). It carries what the recipient may see of the tour as that change made it, and nothing else: a host
/// group's notice holds its own stop only, a speaker's the events they attend.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record Notice
{
    [Id(0)] public required string Kind { get; init; }
    [Id(1)] public Role RecipientRole { get; init; }
    [Id(2)] public required string RecipientId { get; init; }
    [Id(3)] public Instant At { get; init; }
    [Id(4)] public string? ClaimId { get; init; }
    /// <summary>The recipient's view of the stop after the change (its events filtered for a speaker).</summary>
    [Id(5)] public StopSnapshot? Stop { get; init; }
    [Id(6)] public int Rank { get; init; }
    [Id(7)] public Instant? ExpiresAt { get; init; }
    /// <summary>Codes of what confirming the claim would run into.</summary>
    [Id(8)] public ImmutableArray<string> ConflictCodes { get; init; } = [];
    /// <summary>
    /// The same, explained: other stops' details in them are marked with their owner, so the message renders them for
    /// its host group as the API does (another stop only as its city and times).
    /// </summary>
    [Id(13)] public ImmutableArray<Text> Conflicts { get; init; } = [];
    /// <summary><c>REQUEST</c> (invite to or update the stop's events), <c>CANCEL</c>, or null (no calendar part).</summary>
    [Id(9)] public string? Method { get; init; }
    /// <summary>Events taken off the stop by this change: a CANCEL for each, whatever <see cref="Method"/> says.</summary>
    [Id(10)] public ImmutableArray<StopEvent> RemovedEvents { get; init; } = [];
    /// <summary>For organizers: the host group's name.</summary>
    [Id(11)] public string? HostName { get; init; }
    /// <summary>Who made the change (a history action code names what).</summary>
    [Id(12)] public Role ByRole { get; init; }
}

/// <summary>A notice with its place in the tour's outbox.</summary>
[GenerateSerializer, Immutable]
public sealed record QueuedNotice([property: Id(0)] long Seq, [property: Id(1)] Notice Notice);

/// <summary>A stretch of a tour's outbox and how many notices it holds in all.</summary>
[GenerateSerializer, Immutable]
public sealed record OutboxPage([property: Id(0)] ImmutableArray<QueuedNotice> Notices, [property: Id(1)] long Total);

/// <summary>Someone of a tour a message can be addressed to.</summary>
[GenerateSerializer, Immutable]
public sealed record MailPerson([property: Id(0)] Role Role, [property: Id(1)] string PersonId);

/// <summary>A single-use sign-in link for a message, shown once (only its hash is stored).</summary>
[GenerateSerializer, Immutable]
public sealed record SignInToken([property: Id(0)] Role Role, [property: Id(1)] string PersonId, [property: Id(2)] string Token,
    [property: Id(3)] Instant ExpiresAt);

/// <summary>Where one message stands.</summary>
public enum MailStatus { Pending, Sent, Failed, Skipped }

/// <summary>One message to deliver, as the mail grain hands it to the sender.</summary>
[GenerateSerializer, Immutable]
public sealed record MailWork
{
    [Id(0)] public required string Key { get; init; }
    [Id(1)] public required string Kind { get; init; }
    [Id(2)] public Role RecipientRole { get; init; }
    [Id(3)] public required string RecipientId { get; init; }
    /// <summary>The notices the message tells of (several for a digest, none for a sign-in link).</summary>
    [Id(4)] public ImmutableArray<Notice> Notices { get; init; } = [];
    [Id(5)] public int Attempts { get; init; }
    /// <summary>The same for every attempt, so a repeat after a crash is recognisable as the same message.</summary>
    [Id(6)] public required string MessageId { get; init; }
    /// <summary>The token of the recipient's List-Unsubscribe link.</summary>
    [Id(7)] public required string UnsubscribeToken { get; init; }
}

/// <summary>How one delivery attempt went.</summary>
[GenerateSerializer, Immutable]
public sealed record MailResult
{
    [Id(0)] public required string Key { get; init; }
    [Id(1)] public MailStatus Status { get; init; }
    /// <summary>Why it failed or was skipped (<see cref="MailCodes"/>: the server's answer, or no address).</summary>
    [Id(2)] public Text? Reason { get; init; }
    /// <summary>A refusal that will not change by retrying (the server refused the recipient).</summary>
    [Id(3)] public bool Permanent { get; init; }
    /// <summary>Where it went, for the sender's log only: the mail grain does not store it.</summary>
    [Id(4)] public string? To { get; init; }
}

/// <summary>One message as the organizer sees it: what, to whom, where it stands and why.</summary>
[GenerateSerializer, Immutable]
public sealed record MailRecordView
{
    [Id(0)] public required string Key { get; init; }
    [Id(1)] public required string Kind { get; init; }
    [Id(2)] public Role RecipientRole { get; init; }
    [Id(3)] public required string RecipientId { get; init; }
    [Id(4)] public MailStatus Status { get; init; }
    [Id(5)] public int Attempts { get; init; }
    [Id(6)] public Text? LastError { get; init; }
    [Id(7)] public Instant? NextAttemptAt { get; init; }
    [Id(8)] public Instant CreatedAt { get; init; }
    [Id(9)] public Instant? SentAt { get; init; }
    [Id(10)] public string? To { get; init; }
}

/// <summary>A tour's mail: what waits, what failed and why, how much went out.</summary>
[GenerateSerializer, Immutable]
public sealed record MailStatusView
{
    [Id(0)] public int Queued { get; init; }
    [Id(1)] public int Sent { get; init; }
    /// <summary>Messages that failed at least once and are still retried, or that were given up on.</summary>
    [Id(2)] public ImmutableArray<MailRecordView> Undelivered { get; init; } = [];
    [Id(3)] public ImmutableArray<string> Unsubscribed { get; init; } = [];
}

/// <summary>
/// A tour's deliveries, kept apart from the tour's log (key: the tour id): how far the outbox was read, each
/// message's state (sent, failed with the reason, attempts, next try), the organizers' digests and who turned
/// reminders off. It never sends; the Gateway's sender asks it for work and reports back.
/// </summary>
public interface ITourMailGrain : IGrainWithStringKey
{
    /// <summary>Reads new notices from the tour and hands out messages that are due, each to one sender for <paramref name="claimFor"/>.</summary>
    Task<ImmutableArray<MailWork>> TakeWorkAsync(Instant now, Duration digestPeriod, int max, TimeSpan claimFor);
    /// <summary>Records how the attempts went; a sent message is never handed out again.</summary>
    Task ReportAsync(ImmutableArray<MailResult> results, Instant now, Duration retryDelay);
    /// <summary>What waits, what failed and why (organizer).</summary>
    Task<MailStatusView> GetStatusAsync();
    /// <summary>"E-mail me my link": queues a sign-in link for every person of the tour with this address; never says whether there was one.</summary>
    Task RequestLinkAsync(string email, Instant now);
    /// <summary>Turns reminders and digests off for the holder of an unsubscribe token; false when the token is not one of this tour's.</summary>
    Task<bool> UnsubscribeAsync(string token);
    /// <summary>
    /// The tour was deleted (its row goes, and the desk forgets it) or its private data purged (its messages and
    /// unsubscriptions go; the outbox is not read again).
    /// </summary>
    Task ForgetAsync(bool deleted);
}

/// <summary>
/// The cluster's mail desk (one, key 0): which tours have mail to send, recorded durably before the change that
/// queued it is acknowledged, so a sender that starts after a crash finds it; and the lease that lets one sender at a
/// time work, however many Gateways run.
/// </summary>
public interface IMailDispatchGrain : IGrainWithIntegerKey
{
    /// <summary>A tour has queued notices up to <paramref name="outboxCount"/> (or asked for a link).</summary>
    Task MarkPendingAsync(string tourId, long outboxCount);
    /// <summary>The tour's mail grain has read its outbox up to <paramref name="cursor"/> and has nothing waiting.</summary>
    Task MarkIdleAsync(string tourId, long cursor);
    /// <summary>The tour was deleted: it has no mail any more.</summary>
    Task ForgetAsync(string tourId);
    /// <summary>Tours with mail to send.</summary>
    [Orleans.Concurrency.AlwaysInterleave]
    Task<ImmutableArray<string>> GetPendingAsync(int max);
    /// <summary>Takes or renews the sender's lease; false while another sender holds it.</summary>
    Task<bool> AcquireLeaseAsync(string holder, TimeSpan duration);
}
