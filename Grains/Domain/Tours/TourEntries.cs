using System.Collections.Immutable;
using NodaTime;

namespace TourPlanner.Grains.Domain.Tours;

/// <summary>
/// One stored change of a tour. A tour is the sequence of its entries (see <see cref="TourModel.Apply"/>): each
/// command appends its entries in one durable write, so a change and everything it implies (a hold that ran out on
/// the way, the idempotency key, who did it) land together or not at all, and the history of who did what is the log
/// itself. Entries are never rewritten, so a write costs the size of the change, not of the tour.
/// </summary>
[GenerateSerializer, Immutable]
public abstract record TourEntry
{
    [Id(0)] public Instant At { get; init; }
    /// <summary>Who did it; null for what the tour does by itself (holds running out).</summary>
    [Id(1)] public Principal? By { get; init; }
    /// <summary>The idempotency key the command came with, so a retry finds its first answer.</summary>
    [Id(2)] public IdempotencyStamp? Idempotency { get; init; }
    /// <summary>The messages this change owes people (the tour's outbox), stored in the same append as the change.</summary>
    [Id(3)] public ImmutableArray<Notice> Notices { get; init; } = [];
}

/// <summary>
/// An idempotency key as stored: its hash (the key itself is a secret of the client's), the caller it belongs to,
/// a hash of the request, and, when the first answer held tokens, those tokens encrypted with a key derived from the
/// idempotency key: only the client that holds the key can read them again, and never after 24 hours.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record IdempotencyStamp
{
    [Id(0)] public required string KeyHash { get; init; }
    [Id(1)] public required string Caller { get; init; }
    [Id(2)] public required string RequestHash { get; init; }
    /// <summary>What the command created (a claim, host, event, speaker or link id), to rebuild the answer.</summary>
    [Id(3)] public string? Subject { get; init; }
    [Id(4)] public byte[]? SealedTokens { get; init; }
}

/// <summary>A capability token as stored: only its SHA-256 hash.</summary>
[GenerateSerializer, Immutable]
public sealed record TokenRecord
{
    [Id(0)] public required string TokenId { get; init; }
    [Id(1)] public required byte[] Hash { get; init; }
    [Id(2)] public required string PersonId { get; init; }
    [Id(3)] public required Role Role { get; init; }
    [Id(4)] public Instant IssuedAt { get; init; }
    [Id(5)] public string? IssuedBy { get; init; }
    [Id(6)] public string? Label { get; init; }
    /// <summary>A sign-in link from a message: it works until this instant and only once.</summary>
    [Id(7)] public Instant? ExpiresAt { get; init; }
    [Id(8)] public bool SingleUse { get; init; }
}

[GenerateSerializer, Immutable]
public sealed record TourSetUp : TourEntry
{
    [Id(0)] public required string Slug { get; init; }
    [Id(1)] public required TourSettings Settings { get; init; }
    [Id(2)] public ImmutableArray<SpeakerInfo> Speakers { get; init; } = [];
    [Id(3)] public required OrganizerInfo Organizer { get; init; }
    [Id(4)] public ImmutableArray<TokenRecord> Tokens { get; init; } = [];
}

/// <summary>The tour's settings as the organizer set them.</summary>
[GenerateSerializer, Immutable]
public sealed record TourSettings
{
    [Id(0)] public required string Name { get; init; }
    [Id(1)] public string? Description { get; init; }
    [Id(2)] public required string TimeZone { get; init; }
    [Id(3)] public LocalDate StartDate { get; init; }
    [Id(4)] public LocalDate EndDate { get; init; }
    [Id(5)] public string Language { get; init; } = "en";
    [Id(6)] public PlanningRules Rules { get; init; } = new();
}

[GenerateSerializer, Immutable]
public sealed record SettingsChanged : TourEntry
{
    [Id(0)] public required TourSettings Settings { get; init; }
}

[GenerateSerializer, Immutable]
public sealed record SpeakerAdded : TourEntry
{
    [Id(0)] public required SpeakerInfo Speaker { get; init; }
    [Id(1)] public required TokenRecord Token { get; init; }
}

[GenerateSerializer, Immutable]
public sealed record SpeakerChanged : TourEntry
{
    [Id(0)] public required SpeakerInfo Speaker { get; init; }
    [Id(1)] public ImmutableArray<LocalDate> BlackoutDates { get; init; } = [];
}

/// <summary>A speaker leaves the tour: held claims lose them (a claim left with nobody is released), their links stop.</summary>
[GenerateSerializer, Immutable]
public sealed record SpeakerRemoved : TourEntry
{
    [Id(0)] public required string SpeakerId { get; init; }
    [Id(1)] public ImmutableArray<StopSnapshot> ChangedStops { get; init; } = [];
    [Id(2)] public ImmutableArray<string> ReleasedClaims { get; init; } = [];
}

[GenerateSerializer, Immutable]
public sealed record OrganizerAdded : TourEntry
{
    [Id(0)] public required OrganizerInfo Organizer { get; init; }
    [Id(1)] public required TokenRecord Token { get; init; }
}

[GenerateSerializer, Immutable]
public sealed record OrganizerChanged : TourEntry
{
    [Id(0)] public required OrganizerInfo Organizer { get; init; }
}

[GenerateSerializer, Immutable]
public sealed record HostAdded : TourEntry
{
    [Id(0)] public required HostSnapshot Host { get; init; }
    [Id(1)] public required TokenRecord Token { get; init; }
}

[GenerateSerializer, Immutable]
public sealed record HostChanged : TourEntry
{
    [Id(0)] public required HostSnapshot Host { get; init; }
}

/// <summary>A new link for a person; with <see cref="RevokedOthers"/> their other links stop working.</summary>
[GenerateSerializer, Immutable]
public sealed record LinkIssued : TourEntry
{
    [Id(0)] public required TokenRecord Token { get; init; }
    [Id(1)] public bool RevokedOthers { get; init; }
}

[GenerateSerializer, Immutable]
public sealed record LinkRevoked : TourEntry
{
    [Id(0)] public required string TokenId { get; init; }
}

[GenerateSerializer, Immutable]
public sealed record ClaimSubmitted : TourEntry
{
    [Id(0)] public required ClaimView Claim { get; init; }
    [Id(1)] public required StopSnapshot Stop { get; init; }
}

/// <summary>A claim confirmed, with the travel legs it was checked with (the itinerary shows the same ones).</summary>
[GenerateSerializer, Immutable]
public sealed record ClaimConfirmed : TourEntry
{
    [Id(0)] public required string ClaimId { get; init; }
    [Id(1)] public ImmutableArray<LegFact> Legs { get; init; } = [];
}

/// <summary>A claim released by its host or the organizer, or its stop cancelled.</summary>
[GenerateSerializer, Immutable]
public sealed record ClaimEnded : TourEntry
{
    [Id(0)] public required string ClaimId { get; init; }
    [Id(1)] public required ClaimStatus Status { get; init; }
}

/// <summary>Holds that will run out within a day: their host groups (and organizers, when others queue) were told.</summary>
[GenerateSerializer, Immutable]
public sealed record HoldsEnding : TourEntry
{
    [Id(0)] public ImmutableArray<string> ClaimIds { get; init; } = [];
}

[GenerateSerializer, Immutable]
public sealed record HoldsExpired : TourEntry
{
    [Id(0)] public ImmutableArray<string> ClaimIds { get; init; } = [];
}

/// <summary>A stop's events or venue changed; <see cref="Change"/> says how (for the history).</summary>
[GenerateSerializer, Immutable]
public sealed record StopChanged : TourEntry
{
    [Id(0)] public required StopSnapshot Stop { get; init; }
    /// <summary><c>event-added</c>, <c>event-changed</c>, <c>event-removed</c> or <c>venue-changed</c>.</summary>
    [Id(1)] public required string Change { get; init; }
    [Id(2)] public string? EventId { get; init; }
    [Id(3)] public ImmutableArray<LegFact> Legs { get; init; } = [];
}

/// <summary>A plan or repair applied: stops re-dated and confirmed, perhaps one cancelled.</summary>
[GenerateSerializer, Immutable]
public sealed record ProposalApplied : TourEntry
{
    [Id(0)] public required string ProposalId { get; init; }
    [Id(1)] public ImmutableArray<StopSnapshot> Stops { get; init; } = [];
    [Id(2)] public string? CancelledClaimId { get; init; }
}

/// <summary>A supporter asked for the address of an on-request stop; the e-mail is sealed with the tour's key.</summary>
[GenerateSerializer, Immutable]
public sealed record SupporterSignedUp : TourEntry
{
    [Id(0)] public required string SignupId { get; init; }
    [Id(1)] public required string StopId { get; init; }
    [Id(2)] public string? Email { get; init; }
    /// <summary>The supporter agreed that the host group sees the address they left.</summary>
    [Id(3)] public bool ShareWithHost { get; init; }
    [Id(4)] public string Language { get; init; } = "en";
}

/// <summary>A host group left the tour: its held claims are released, its confirmed stops cancelled (entries beside this one), its links end and its contacts' key is destroyed.</summary>
[GenerateSerializer, Immutable]
public sealed record HostWithdrew : TourEntry
{
    [Id(0)] public required string HostId { get; init; }
}

/// <summary>The tour's private data was destroyed (its keys shredded): by the retention date or brought forward by an organizer.</summary>
[GenerateSerializer, Immutable]
public sealed record PrivateDataPurged : TourEntry
{
    /// <summary><c>retention</c> (the date came) or <c>organizer</c> (brought forward).</summary>
    [Id(0)] public required string Reason { get; init; }
}

/// <summary>An organizer moved the date the tour's private data is purged (never later than the retention period allows).</summary>
[GenerateSerializer, Immutable]
public sealed record RetentionChanged : TourEntry
{
    [Id(0)] public LocalDate PurgeOn { get; init; }
}

/// <summary>An organizer downloaded the tour (the history says who took the data out, and when).</summary>
[GenerateSerializer, Immutable]
public sealed record TourExported : TourEntry
{
    /// <summary><c>json</c> or <c>csv</c>.</summary>
    [Id(0)] public required string Format { get; init; }
}
