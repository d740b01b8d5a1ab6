using System.Collections.Immutable;
using Orleans.Concurrency;

namespace TourPlanner.Grains;

/// <summary>
/// A tour: its settings, people and links, and the claim ledger that arbitrates every (speaker, date). Commands are
/// one turn each and are acknowledged after their one durable write; reads never wait for a command: they are served
/// from the last stored version (a change in flight is not visible until it is stored).
/// </summary>
public interface ITourGrain : IGrainWithStringKey
{
    /// <summary>Creates the tour once; returns its tokens (the only time they are shown, but a retry with the same idempotency key).</summary>
    Task<Outcome<TourCreated>> CreateAsync(CommandContext context, CreateTour command, string slug);
    /// <summary>The whole tour, or null when no tour has this id.</summary>
    [AlwaysInterleave]
    Task<TourSnapshot?> GetAsync();
    /// <summary>Which version of the tour the calendar feeds show; null when no tour has this id.</summary>
    [AlwaysInterleave]
    Task<FeedStamp?> GetFeedStampAsync();
    /// <summary>Who holds a token: anonymous when it matches none (or has run out), null when no tour has this id.</summary>
    [AlwaysInterleave]
    Task<Principal?> AuthenticateAsync(string? token);
    /// <summary>The tour's host groups with their contacts and claims.</summary>
    [AlwaysInterleave]
    Task<ImmutableArray<HostSnapshot>> GetHostsAsync();
    /// <summary>Every claim with its current rank.</summary>
    [AlwaysInterleave]
    Task<ImmutableArray<ClaimView>> GetClaimsAsync();
    /// <summary>Stops of this tour, optionally only the confirmed and cancelled ones.</summary>
    [AlwaysInterleave]
    Task<ImmutableArray<StopSnapshot>> GetStopsAsync(bool publishedOnly);
    /// <summary>The confirmed route and, when <paramref name="subjectId"/> names a stop or a claim, that stop: what facts a command needs.</summary>
    [AlwaysInterleave]
    Task<RouteSnapshot?> GetRouteAsync(string? subjectId);
    /// <summary>Conflicts among the confirmed stops, checked with the facts the Gateway gathered.</summary>
    [AlwaysInterleave]
    Task<ImmutableArray<Conflict>> GetConflictsAsync(Facts facts);
    /// <summary>Dates on which a claim from a host group's city would fit the confirmed route, best first.</summary>
    [AlwaysInterleave]
    Task<Outcome<DateSuggestions>> SuggestDatesAsync(SuggestionRequest request, Facts facts);
    /// <summary>The links handed out (ids, holders, when), never tokens.</summary>
    [AlwaysInterleave]
    Task<ImmutableArray<LinkInfo>> GetLinksAsync();
    /// <summary>Who did what, newest first, at most <paramref name="limit"/> entries before <paramref name="before"/> (a position).</summary>
    [AlwaysInterleave]
    Task<ImmutableArray<HistoryEntry>> GetHistoryAsync(long? before, int limit);
    /// <summary>A version that rises with every claim or stop change a plan relies on; null when no tour has this id.</summary>
    [AlwaysInterleave]
    Task<int?> GetLedgerVersionAsync();
    /// <summary>The tour, its active stops and the ledger version, all from one stored version; null when no tour has this id.</summary>
    [AlwaysInterleave]
    Task<PlanningInput?> GetPlanningInputAsync();
    /// <summary>Notices of the outbox from position <paramref name="from"/> on, at most <paramref name="max"/>, and how many there are in all.</summary>
    [AlwaysInterleave]
    Task<OutboxPage> GetOutboxAsync(long from, int max);
    /// <summary>The notices at these outbox positions (those that exist).</summary>
    [AlwaysInterleave]
    Task<ImmutableArray<QueuedNotice>> GetNoticesAsync(ImmutableArray<long> seqs);
    /// <summary>The organizers, speakers and host groups whose e-mail address is this one (any case).</summary>
    [AlwaysInterleave]
    Task<ImmutableArray<MailPerson>> FindPeopleByEmailAsync(string email);
    /// <summary>Tells <paramref name="watcher"/> of every stored change until it unsubscribes or goes quiet for a few minutes (subscribe again to stay).</summary>
    [AlwaysInterleave]
    Task WatchAsync(ITourWatcher watcher);
    /// <summary>Stops telling <paramref name="watcher"/>.</summary>
    [AlwaysInterleave]
    Task UnwatchAsync(ITourWatcher watcher);

    /// <summary>Changes the tour's settings and rules (organizer).</summary>
    Task<Outcome<TourSnapshot>> UpdateSettingsAsync(CommandContext context, TourSettingsPatch patch);
    /// <summary>Adds a speaker and returns their first link (organizer).</summary>
    Task<Outcome<SpeakerCredential>> AddSpeakerAsync(CommandContext context, SpeakerInput speaker);
    /// <summary>Renames a speaker, moves their home or changes their blackout dates (organizer).</summary>
    Task<Outcome<SpeakerInfo>> UpdateSpeakerAsync(CommandContext context, string speakerId, SpeakerPatch patch);
    /// <summary>Removes a speaker who has no confirmed events (organizer).</summary>
    Task<Outcome<SpeakerInfo>> RemoveSpeakerAsync(CommandContext context, string speakerId);
    /// <summary>Adds a co-organizer with a link of their own (organizer).</summary>
    Task<Outcome<IssuedLink>> AddOrganizerAsync(CommandContext context, string name, string? email, string language);
    /// <summary>Invites a host group and returns its first link.</summary>
    Task<Outcome<HostInvited>> InviteHostAsync(CommandContext context, InviteHost command);
    /// <summary>Changes a host group's details (organizer, or the group itself).</summary>
    Task<Outcome<HostSnapshot>> UpdateHostAsync(CommandContext context, string hostId, HostPatch patch);
    /// <summary>Issues a new link for a person; with <paramref name="revokeOthers"/> every other link of that person stops working.</summary>
    Task<Outcome<IssuedLink>> IssueLinkAsync(CommandContext context, Role role, string personId, bool revokeOthers);
    /// <summary>Issues a single-use sign-in link (14 days) for each person, in one write, for the messages about to go out.</summary>
    Task<ImmutableArray<SignInToken>> IssueSignInLinksAsync(ImmutableArray<MailPerson> people);
    /// <summary>Spends a single-use sign-in link and issues a new standing link for the same person; their other links keep working.</summary>
    Task<Outcome<IssuedLink>> ExchangeSignInAsync(string token);
    /// <summary>Revokes one link.</summary>
    Task<Outcome<LinkInfo>> RevokeLinkAsync(CommandContext context, string tokenId);
    /// <summary>A host group claims dates for its city.</summary>
    Task<Outcome<ClaimReceipt>> SubmitClaimAsync(CommandContext context, ClaimRequest request, Facts facts);
    /// <summary>The organizer confirms a rank-1 claim, unless it conflicts; <see cref="OutcomeKind.Stale"/> when the route changed since the facts were gathered.</summary>
    Task<Outcome<ClaimView>> ConfirmClaimAsync(CommandContext context, string claimId, Facts facts);
    /// <summary>The owning host or the organizer gives a claim up.</summary>
    Task<Outcome<ClaimView>> ReleaseClaimAsync(CommandContext context, string claimId);
    /// <summary>The organizer cancels a stop; its events stay visible as cancelled.</summary>
    Task<Outcome<ClaimView>> CancelStopAsync(CommandContext context, string stopId);
    /// <summary>Adds an event to a stop (re-checked for conflicts when confirmed).</summary>
    Task<Outcome<EventChanged>> AddEventAsync(CommandContext context, string stopId, EventInput input, Facts facts);
    /// <summary>Changes an event of a stop (re-checked for conflicts when confirmed).</summary>
    Task<Outcome<EventChanged>> UpdateEventAsync(CommandContext context, string stopId, string eventId, EventPatch patch, Facts facts);
    /// <summary>Removes an event of a stop (a stop keeps at least one event once confirmed).</summary>
    Task<Outcome<EventChanged>> RemoveEventAsync(CommandContext context, string stopId, string eventId);
    /// <summary>Changes a stop's venue (re-checked against the venue calendar when confirmed).</summary>
    Task<Outcome<StopSnapshot>> ChangeVenueAsync(CommandContext context, string stopId, VenuePatch patch, Facts facts);
    /// <summary>Expires every hold whose time has run out by the injected clock; returns how many.</summary>
    Task<int> ExpireDueHoldsAsync();
    /// <summary>When the tour's private data is purged (or was); null when no tour has this id.</summary>
    [AlwaysInterleave]
    Task<PrivacyStatus?> GetPrivacyAsync();
    /// <summary>A stop's sign-ups as <paramref name="reader"/> may see them (a host group: only the e-mails shared with it).</summary>
    [AlwaysInterleave]
    Task<ImmutableArray<Signup>> GetSignupsAsync(string stopId, Principal reader);
    /// <summary>The sign-ups with these ids, e-mails included, for the mail sender addressing their messages.</summary>
    [AlwaysInterleave]
    Task<ImmutableArray<Signup>> GetSignupsByIdAsync(ImmutableArray<string> signupIds);
    /// <summary>Records the export in the history, then returns everything the tour holds (organizer).</summary>
    Task<Outcome<TourExport>> ExportAsync(CommandContext context, string format);
    /// <summary>Brings the purge of private data forward to <paramref name="purgeOn"/> (a day already begun purges now).</summary>
    Task<Outcome<PrivacyStatus>> SetPurgeDateAsync(CommandContext context, NodaTime.LocalDate purgeOn);
    /// <summary>Destroys the tour's private data now, leaving the public record (organizer).</summary>
    Task<Outcome<PrivacyStatus>> PurgePrivateDataAsync(CommandContext context);
    /// <summary>A host group leaves the tour: claims end, links stop, contacts are destroyed (the group itself or an organizer).</summary>
    Task<Outcome<HostSnapshot>> WithdrawHostAsync(CommandContext context, string hostId);
    /// <summary>A supporter asks for an on-request stop's address.</summary>
    Task<Outcome<Signup>> SignUpAsync(CommandContext context, SignupRequest request);
    /// <summary>
    /// Seals bytes that belong to the tour but live in another grain's row (a stop's lodging and notes) with the
    /// tour's data key, so purging or deleting the tour shreds them with the rest; null when no tour has this id.
    /// </summary>
    Task<SealedData?> SealAsync(byte[] plain);
    /// <summary>Opens what <see cref="SealAsync"/> sealed; null when its key was destroyed (purged, deleted).</summary>
    [AlwaysInterleave]
    Task<byte[]?> OpenAsync(SealedData data);
    /// <summary>Deletes the tour: every row, key, reminder and slug; afterwards its id and slug answer as gone.</summary>
    Task<Outcome<bool>> DeleteAsync(CommandContext context);
    /// <summary>Re-dates and confirms what the proposal places (and moves or cancels in a repair), all or nothing; 409 when the ledger changed since.</summary>
    Task<Outcome<PlanApplied>> ApplyPlanAsync(PlanProposal proposal);
}

/// <summary>Who sends a command, and the idempotency key that makes a retry safe.</summary>
[GenerateSerializer, Immutable]
public sealed record CommandContext
{
    [Id(0)] public Principal Actor { get; init; } = Principal.Anonymous;
    /// <summary>The client's <c>Idempotency-Key</c>: a retry with the same key and caller returns the first answer and stores nothing new.</summary>
    [Id(1)] public string? IdempotencyKey { get; init; }
    /// <summary>A hash of the request the key came with; the same key with another request is refused.</summary>
    [Id(2)] public string? RequestHash { get; init; }

    public static CommandContext Of(Principal actor) => new() { Actor = actor };
    public static readonly CommandContext System = new();
}

/// <summary>Computes and keeps a tour's plan and repair proposals (the last few); keyed by the tour id.</summary>
public interface ITourPlanGrain : IGrainWithStringKey
{
    /// <summary>Plans the pending claims around the confirmed stops and stores the proposal.</summary>
    Task<Outcome<PlanProposal>> ProposeAsync(PlanRequest request);
    /// <summary>Proposes the least-change plan after a confirmed stop's date falls through, and stores it.</summary>
    Task<Outcome<PlanProposal>> RepairAsync(RepairRequest request);
    /// <summary>A stored proposal, or null.</summary>
    Task<PlanProposal?> GetAsync(string proposalId);
    /// <summary>Applies a stored proposal through the tour grain.</summary>
    Task<Outcome<PlanApplied>> ApplyAsync(string proposalId);
    /// <summary>Removes every stored proposal (the tour was deleted).</summary>
    Task ForgetAsync();
}

/// <summary>One speaker's confirmed events in time order, the travel legs between them and the conflicts; key "{tourId}/{speakerId}".</summary>
public interface ISpeakerItineraryGrain : IGrainWithStringKey
{
    /// <summary>The itinerary from the tour's stored route, with the travel legs the Gateway looked up; null when there is no such speaker.</summary>
    Task<ItineraryView?> GetAsync(Facts facts);
}

/// <summary>Maps a public slug to its tour id; keyed by the slug.</summary>
public interface ITourSlugGrain : IGrainWithStringKey
{
    /// <summary>Reserves the slug for a tour; false when another tour has it.</summary>
    Task<bool> ReserveAsync(string tourId);
    /// <summary>The tour id, or null.</summary>
    Task<string?> GetTourIdAsync();
    /// <summary>Frees the slug when <paramref name="tourId"/> holds it (the tour was deleted): its row is removed.</summary>
    Task ReleaseAsync(string tourId);
}
