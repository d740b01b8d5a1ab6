using System.Collections.Immutable;
using Orleans.Concurrency;

namespace TourPlanner.Grains;

/// <summary>A tour: its settings, capability tokens, and the claim ledger that arbitrates every (speaker, date).</summary>
public interface ITourGrain : IGrainWithStringKey
{
    /// <summary>Creates the tour once; returns its tokens (the only time they are shown).</summary>
    Task<Outcome<TourCreated>> CreateAsync(CreateTour command, string slug);
    /// <summary>The whole tour, or null when no tour has this id.</summary>
    [ReadOnly]
    Task<TourSnapshot?> GetAsync();
    /// <summary>Which version of the tour the calendar feeds show; null when no tour has this id.</summary>
    [ReadOnly] // feed readers may interleave with each other; writes still run alone
    Task<FeedStamp?> GetFeedStampAsync();
    /// <summary>Resolves a capability token to who holds it (anonymous when it matches none).</summary>
    [ReadOnly]
    Task<Principal> AuthenticateAsync(string? token);
    /// <summary>Invites a host group and returns its invite token.</summary>
    Task<Outcome<HostInvited>> InviteHostAsync(InviteHost command);
    /// <summary>The tour's host groups with their contacts.</summary>
    Task<ImmutableArray<HostSnapshot>> GetHostsAsync();
    /// <summary>Revokes a token and issues a new one.</summary>
    Task<Outcome<string>> RotateTokenAsync(TokenSubject subject, string? id);
    /// <summary>A host group claims dates for its city.</summary>
    Task<Outcome<ClaimReceipt>> SubmitClaimAsync(string hostId, ClaimRequest request);
    /// <summary>Every claim with its current rank.</summary>
    Task<ImmutableArray<ClaimView>> GetClaimsAsync();
    /// <summary>The organizer confirms a rank-1 claim, unless it conflicts.</summary>
    Task<Outcome<ClaimView>> ConfirmClaimAsync(string claimId);
    /// <summary>The owning host or the organizer gives a claim up.</summary>
    Task<Outcome<ClaimView>> ReleaseClaimAsync(Principal actor, string claimId);
    /// <summary>The organizer cancels a stop; its events stay visible as cancelled.</summary>
    Task<Outcome<ClaimView>> CancelStopAsync(string stopId);
    /// <summary>Adds an event to a stop (re-checked for conflicts when confirmed).</summary>
    Task<Outcome<EventChanged>> AddEventAsync(Principal actor, string stopId, EventInput input);
    /// <summary>Changes an event of a stop (re-checked for conflicts when confirmed).</summary>
    Task<Outcome<EventChanged>> UpdateEventAsync(Principal actor, string stopId, string eventId, EventPatch patch);
    /// <summary>Stops of this tour, optionally only the confirmed and cancelled ones.</summary>
    Task<ImmutableArray<StopSnapshot>> GetStopsAsync(bool publishedOnly);
    /// <summary>Dates on which a claim from a host group's city would fit the confirmed route, best first.</summary>
    Task<Outcome<DateSuggestions>> SuggestDatesAsync(SuggestionRequest request);
    /// <summary>Conflicts among the confirmed stops.</summary>
    Task<ImmutableArray<Conflict>> GetConflictsAsync();
    /// <summary>Expires every hold whose time has run out by the injected clock; returns how many.</summary>
    Task<int> ExpireDueHoldsAsync();
    /// <summary>A version that rises with every claim or stop change a plan relies on; null when no tour has this id.</summary>
    Task<int?> GetLedgerVersionAsync();
    /// <summary>The tour, its active stops and the ledger version, read in one turn; null when no tour has this id.</summary>
    Task<PlanningInput?> GetPlanningInputAsync();
    /// <summary>Re-dates and confirms what the proposal places (and moves or cancels in a repair), all or nothing; 409 when the ledger changed since.</summary>
    Task<Outcome<PlanApplied>> ApplyPlanAsync(PlanProposal proposal);
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
}

/// <summary>One visit to one city; written only by its tour grain, which arbitrates.</summary>
public interface ITourStopGrain : IGrainWithStringKey
{
    /// <summary>Stores the stop the first time.</summary>
    Task CreateAsync(StopSnapshot stop);
    /// <summary>The stop, or null when none exists.</summary>
    Task<StopSnapshot?> GetAsync();
    /// <summary>Replaces the stop if <paramref name="next"/> was derived from the current version; returns the stored one.</summary>
    Task<StopSnapshot> SaveAsync(StopSnapshot next);
}

/// <summary>A host group invited to a tour, with its private contacts.</summary>
public interface IHostOrganizationGrain : IGrainWithStringKey
{
    /// <summary>Stores the host group the first time.</summary>
    Task CreateAsync(HostSnapshot host);
    /// <summary>The host group, or null.</summary>
    Task<HostSnapshot?> GetAsync();
    /// <summary>Records a claim the group made.</summary>
    Task AddClaimAsync(string claimId);
}

/// <summary>One speaker's confirmed events in time order, the travel legs between them and the conflicts; key "{tourId}/{speakerId}".</summary>
public interface ISpeakerItineraryGrain : IGrainWithStringKey
{
    /// <summary>Told by the tour grain which stops the speaker's schedule is made of.</summary>
    Task SetScheduleAsync(PlanningRules rules, ImmutableArray<string> stopIds);
    /// <summary>The itinerary, computed from the stops.</summary>
    Task<ItineraryView> GetAsync();
}

/// <summary>Maps a public slug to its tour id; keyed by the slug.</summary>
public interface ITourSlugGrain : IGrainWithStringKey
{
    /// <summary>Reserves the slug for a tour; false when another tour has it.</summary>
    Task<bool> ReserveAsync(string tourId);
    /// <summary>The tour id, or null.</summary>
    Task<string?> GetTourIdAsync();
}
