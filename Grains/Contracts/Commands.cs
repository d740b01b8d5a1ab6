using System.Collections.Immutable;
using NodaTime;

namespace TourPlanner.Grains;

/// <summary>How an operation ended; the Gateway maps each kind to an HTTP status.</summary>
public enum OutcomeKind
{
    Ok, Invalid, NotFound, Forbidden, Conflict,
    /// <summary>The facts handed in were gathered for another version of the confirmed route: gather them again.</summary>
    Stale,
    /// <summary>A per-tour limit is reached (claims, hosts, events, speakers, links).</summary>
    LimitReached,
    /// <summary>The idempotency key was used before with a different request.</summary>
    KeyReused,
    /// <summary>The tour was deleted.</summary>
    Gone,
}

/// <summary>The result of a command: a value, or field errors, or conflicts, never an exception for expected failures.</summary>
[GenerateSerializer, Immutable]
public sealed record Outcome<T>
{
    [Id(0)] public OutcomeKind Kind { get; init; }
    [Id(1)] public T? Value { get; init; }
    /// <summary>Field (camelCase JSON path) → messages, for <see cref="OutcomeKind.Invalid"/>.</summary>
    [Id(2)] public ImmutableDictionary<string, ImmutableArray<Text>> Errors { get; init; } =
        ImmutableDictionary<string, ImmutableArray<Text>>.Empty;
    [Id(3)] public ImmutableArray<Conflict> Conflicts { get; init; } = [];
    /// <summary>Why, as a code and values; the Gateway words it in the caller's language.</summary>
    [Id(4)] public Text? Reason { get; init; }

    /// <summary>The reason in English (logs, tests).</summary>
    public string? Detail => Reason?.ToString();

    public bool IsOk => Kind == OutcomeKind.Ok;
    public static Outcome<T> Ok(T value) => new() { Kind = OutcomeKind.Ok, Value = value };
    public static Outcome<T> NotFound(Text reason) => new() { Kind = OutcomeKind.NotFound, Reason = reason };
    public static Outcome<T> Forbidden(Text reason) => new() { Kind = OutcomeKind.Forbidden, Reason = reason };
    public static Outcome<T> Conflict(Text reason, ImmutableArray<Conflict> conflicts = default) =>
        new() { Kind = OutcomeKind.Conflict, Reason = reason, Conflicts = conflicts.IsDefault ? [] : conflicts };
    public static Outcome<T> Invalid(ValidationErrors errors) =>
        new() { Kind = OutcomeKind.Invalid, Errors = errors.ToImmutable(), Reason = Text.Of(Codes.InvalidFields) };
    public static Outcome<T> Invalid(string field, Text message) => Invalid(new ValidationErrors().Add(field, message));
    public static Outcome<T> Stale(Text reason) => new() { Kind = OutcomeKind.Stale, Reason = reason };
    public static Outcome<T> Limit(string field, Text message) =>
        new() { Kind = OutcomeKind.LimitReached, Errors = new ValidationErrors().Add(field, message).ToImmutable(), Reason = message };
    public static Outcome<T> KeyReused() => new() { Kind = OutcomeKind.KeyReused, Reason = Text.Of(Codes.KeyReused) };

    // Gone: a sentence built as a string reads in English to everyone. Declare a code in Codes with its words in
    // Grains/Text/messages.json and pass Text.Of(code, …) instead.
    private const string NoStrings = "Messages are codes: declare a MessageCode in Codes (EN and ES words in messages.json) and pass Text.Of(code, …).";
    [Obsolete(NoStrings, error: true)] public static Outcome<T> NotFound(string detail) => throw new NotSupportedException(NoStrings);
    [Obsolete(NoStrings, error: true)] public static Outcome<T> Forbidden(string detail) => throw new NotSupportedException(NoStrings);
    [Obsolete(NoStrings, error: true)] public static Outcome<T> Conflict(string detail, ImmutableArray<Conflict> conflicts = default) => throw new NotSupportedException(NoStrings);
    [Obsolete(NoStrings, error: true)] public static Outcome<T> Invalid(string field, string message) => throw new NotSupportedException(NoStrings);
    [Obsolete(NoStrings, error: true)] public static Outcome<T> Stale(string detail) => throw new NotSupportedException(NoStrings);

    /// <summary>Carries a failure over to another value type.</summary>
    public Outcome<TOther> As<TOther>() =>
        new() { Kind = Kind, Errors = Errors, Conflicts = Conflicts, Reason = Reason };
}

/// <summary>Collects field errors in the order they are found.</summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<Text>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    /// <summary>How many messages in all.</summary>
    public int Count => _errors.Values.Sum(l => l.Count);

    public bool Has(string field) => _errors.ContainsKey(field);

    public ValidationErrors Add(string field, Text message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(message);
        return this;
    }

    /// <summary>Gone: a string message reads in English to everyone; add a <see cref="Text"/> built from a code.</summary>
    [Obsolete("Messages are codes: declare a MessageCode in Codes (EN and ES words in messages.json) and add Text.Of(code, …).", error: true)]
    public ValidationErrors Add(string field, string message) => throw new NotSupportedException();

    public ImmutableDictionary<string, ImmutableArray<Text>> ToImmutable() =>
        _errors.ToImmutableDictionary(p => p.Key, p => p.Value.ToImmutableArray());
}

/// <summary>A speaker as given when the tour is created.</summary>
[GenerateSerializer, Immutable]
public sealed record SpeakerInput
{
    [Id(0)] public required string Name { get; init; }
    [Id(1)] public string? HomeCity { get; init; }
    [Id(2)] public required string HomeTimeZone { get; init; }
    [Id(3)] public GeoPoint? Home { get; init; }
    [Id(4)] public string? Email { get; init; }
}

/// <summary>Create a tour. Blackout keys may be a speaker index ("0") or, later, a speaker id.</summary>
[GenerateSerializer, Immutable]
public sealed record CreateTour
{
    [Id(0)] public required string Name { get; init; }
    [Id(1)] public string? Description { get; init; }
    [Id(2)] public required string TimeZone { get; init; }
    [Id(3)] public required LocalDate StartDate { get; init; }
    [Id(4)] public required LocalDate EndDate { get; init; }
    [Id(5)] public ImmutableArray<SpeakerInput> Speakers { get; init; } = [];
    [Id(6)] public PlanningRules Rules { get; init; } = new();
    /// <summary>The organizer's e-mail, for notices and lost-link recovery (optional).</summary>
    [Id(7)] public string? OrganizerEmail { get; init; }
    /// <summary><c>en</c> or <c>es</c>: the organizer's language (mail, defaults of pages).</summary>
    [Id(8)] public string Language { get; init; } = "en";
    [Id(9)] public string? OrganizerName { get; init; }
}

/// <summary>A speaker's id with its capability token (shown once).</summary>
[GenerateSerializer, Immutable]
public sealed record SpeakerCredential([property: Id(0)] string Id, [property: Id(1)] string Name, [property: Id(2)] string Token);

/// <summary>The answer to creating a tour: the only time its tokens are shown.</summary>
[GenerateSerializer, Immutable]
public sealed record TourCreated
{
    [Id(0)] public required string TourId { get; init; }
    [Id(1)] public required string Slug { get; init; }
    [Id(2)] public required string OrganizerToken { get; init; }
    [Id(3)] public ImmutableArray<SpeakerCredential> Speakers { get; init; } = [];
    [Id(4)] public string? OrganizerId { get; init; }
}

/// <summary>A whole tour as its grain keeps it, tokens excluded.</summary>
[GenerateSerializer, Immutable]
public sealed record TourSnapshot
{
    [Id(0)] public required string TourId { get; init; }
    [Id(1)] public required string Slug { get; init; }
    [Id(2)] public required string Name { get; init; }
    [Id(3)] public string? Description { get; init; }
    [Id(4)] public required string TimeZone { get; init; }
    [Id(5)] public LocalDate StartDate { get; init; }
    [Id(6)] public LocalDate EndDate { get; init; }
    [Id(7)] public ImmutableArray<SpeakerInfo> Speakers { get; init; } = [];
    [Id(8)] public PlanningRules Rules { get; init; } = new();
    [Id(9)] public ImmutableArray<string> HostIds { get; init; } = [];
    [Id(10)] public ImmutableArray<ClaimView> Claims { get; init; } = [];
    [Id(11)] public Instant CreatedAt { get; init; }
    /// <summary>The organizer's language (<c>en</c> or <c>es</c>).</summary>
    [Id(12)] public string Language { get; init; } = "en";
    /// <summary>Rises with every change of the confirmed route (what confirm's checks depend on).</summary>
    [Id(13)] public int RouteVersion { get; init; }
    [Id(14)] public int LedgerVersion { get; init; }
    /// <summary>How many changes the tour has had: its log position.</summary>
    [Id(15)] public long Version { get; init; }
    [Id(16)] public ImmutableArray<OrganizerInfo> Organizers { get; init; } = [];
}

/// <summary>Invite a host group.</summary>
[GenerateSerializer, Immutable]
public sealed record InviteHost
{
    [Id(0)] public required string Name { get; init; }
    [Id(1)] public string? City { get; init; }
    [Id(2)] public string? ContactName { get; init; }
    [Id(3)] public string? ContactEmail { get; init; }
    [Id(4)] public string? ContactPhone { get; init; }
    /// <summary><c>en</c> or <c>es</c>: the language of the group's page defaults and its mail.</summary>
    [Id(5)] public string Language { get; init; } = "en";
}

/// <summary>A host group's id and invite token (shown once).</summary>
[GenerateSerializer, Immutable]
public sealed record HostInvited([property: Id(0)] string HostId, [property: Id(1)] string InviteToken);

/// <summary>A host group with its private contacts.</summary>
[GenerateSerializer, Immutable]
public sealed record HostSnapshot
{
    [Id(0)] public required string HostId { get; init; }
    [Id(1)] public required string TourId { get; init; }
    [Id(2)] public required string Name { get; init; }
    [Id(3)] public string? City { get; init; }
    [Id(4)] public string? ContactName { get; init; }
    [Id(5)] public string? ContactEmail { get; init; }
    [Id(6)] public string? ContactPhone { get; init; }
    /// <summary>The group's claims, read from the tour's ledger (the one source of truth).</summary>
    [Id(7)] public ImmutableArray<string> ClaimIds { get; init; } = [];
    [Id(8)] public Instant CreatedAt { get; init; }
    [Id(9)] public string Language { get; init; } = "en";
    /// <summary>When the group withdrew from the tour (its contacts are gone, its links stopped).</summary>
    [Id(10)] public Instant? WithdrawnAt { get; init; }
}

/// <summary>Whose token to re-issue.</summary>
public enum TokenSubject { Organizer, Speaker, Host }

/// <summary>An event as a host types it.</summary>
[GenerateSerializer, Immutable]
public sealed record EventInput
{
    [Id(0)] public required string Title { get; init; }
    [Id(1)] public required LocalDateTime Start { get; init; }
    [Id(2)] public required int DurationMinutes { get; init; }
    [Id(3)] public bool Public { get; init; } = true;
    [Id(4)] public string? Description { get; init; }
    /// <summary>Null means every speaker of the tour.</summary>
    [Id(5)] public ImmutableArray<string>? SpeakerIds { get; init; }
}

/// <summary>A host group's claim on dates for its city.</summary>
[GenerateSerializer, Immutable]
public sealed record ClaimRequest
{
    [Id(0)] public required string City { get; init; }
    [Id(1)] public required string Country { get; init; }
    [Id(2)] public required string TimeZone { get; init; }
    [Id(3)] public GeoPoint? Location { get; init; }
    [Id(4)] public ImmutableArray<LocalDate> Dates { get; init; } = [];
    [Id(5)] public Venue Venue { get; init; } = new();
    [Id(6)] public ImmutableArray<EventInput> Events { get; init; } = [];
    /// <summary>Other first dates the host can accept (the planner may move the whole visit there); <see cref="Dates"/>[0] is always acceptable.</summary>
    [Id(7)] public ImmutableArray<LocalDate> AcceptableDates { get; init; } = [];
    /// <summary>How much placing this claim is worth to the planner (1 when not given).</summary>
    [Id(8)] public int Priority { get; init; } = 1;
}

/// <summary>An event with its instants computed in its stop's zone.</summary>
[GenerateSerializer, Immutable]
public sealed record EventView
{
    [Id(0)] public required string EventId { get; init; }
    [Id(1)] public required string StopId { get; init; }
    [Id(2)] public required string Title { get; init; }
    [Id(3)] public Instant Start { get; init; }
    [Id(4)] public Instant End { get; init; }
    [Id(5)] public LocalDateTime LocalStart { get; init; }
    [Id(6)] public LocalDateTime LocalEnd { get; init; }
    [Id(7)] public required string TimeZone { get; init; }
    [Id(8)] public int DurationMinutes { get; init; }
    [Id(9)] public bool Public { get; init; }
    [Id(10)] public string? Description { get; init; }
    [Id(11)] public ImmutableArray<string> SpeakerIds { get; init; } = [];
    [Id(12)] public int Sequence { get; init; }
}

/// <summary>What a host gets back for a claim.</summary>
[GenerateSerializer, Immutable]
public sealed record ClaimReceipt
{
    [Id(0)] public required ClaimView Claim { get; init; }
    [Id(1)] public ImmutableArray<EventView> Events { get; init; } = [];
    /// <summary>How inputs were resolved, e.g. an ambiguous local time, per field.</summary>
    [Id(2)] public ImmutableArray<FieldText> Notes { get; init; } = [];
    /// <summary>What confirming this claim today would run into (nothing blocks the claim itself).</summary>
    [Id(3)] public ImmutableArray<Conflict> Conflicts { get; init; } = [];
}

/// <summary>A partial change to an event; null fields stay as they are.</summary>
[GenerateSerializer, Immutable]
public sealed record EventPatch
{
    [Id(0)] public string? Title { get; init; }
    [Id(1)] public LocalDateTime? Start { get; init; }
    [Id(2)] public int? DurationMinutes { get; init; }
    [Id(3)] public string? Description { get; init; }
    [Id(4)] public bool? Public { get; init; }
}

/// <summary>The changed or added event, with resolution notes.</summary>
[GenerateSerializer, Immutable]
public sealed record EventChanged([property: Id(0)] EventView Event, [property: Id(1)] ImmutableArray<FieldText> Notes);

/// <summary>One line of a speaker's itinerary: an event or a travel leg.</summary>
[GenerateSerializer, Immutable]
public sealed record ItineraryItem
{
    /// <summary><c>event</c> or <c>travel</c>.</summary>
    [Id(0)] public required string Kind { get; init; }
    [Id(1)] public required string Title { get; init; }
    [Id(2)] public string? City { get; init; }
    [Id(3)] public Instant Start { get; init; }
    [Id(4)] public Instant End { get; init; }
    [Id(5)] public required string TimeZone { get; init; }
    [Id(6)] public LocalDateTime LocalStart { get; init; }
    [Id(7)] public LocalDateTime LocalEnd { get; init; }
    /// <summary>Arrival zone of a travel leg (departure zone is <see cref="TimeZone"/>).</summary>
    [Id(8)] public string? EndTimeZone { get; init; }
    [Id(9)] public string? Mode { get; init; }
    [Id(10)] public double? DistanceKm { get; init; }
    [Id(11)] public int? Minutes { get; init; }
    [Id(12)] public string? Source { get; init; }
    [Id(13)] public string? EventId { get; init; }
    [Id(14)] public string? StopId { get; init; }
    [Id(15)] public bool Public { get; init; }
    /// <summary>A travel leg's place in the trip: <c>outbound</c> (from home), <c>between</c> two stops, or <c>return</c> (the way home).</summary>
    [Id(16)] public string? Leg { get; init; }
    /// <summary>Where a travel leg starts and ends (the speaker's home city on the first and last legs; null when the home has no name).</summary>
    [Id(17)] public string? FromCity { get; init; }
    [Id(18)] public string? ToCity { get; init; }
    /// <summary>The stops a travel leg joins; null at the speaker's home.</summary>
    [Id(19)] public string? FromStopId { get; init; }
    [Id(20)] public string? ToStopId { get; init; }
}

/// <summary>A speaker's confirmed schedule with travel and conflicts.</summary>
[GenerateSerializer, Immutable]
public sealed record ItineraryView
{
    [Id(0)] public required string SpeakerId { get; init; }
    [Id(1)] public ImmutableArray<ItineraryItem> Items { get; init; } = [];
    [Id(2)] public ImmutableArray<Conflict> Conflicts { get; init; } = [];
}

/// <summary>Ask which dates would work for a claim from a host group's city.</summary>
[GenerateSerializer, Immutable]
public sealed record SuggestionRequest
{
    [Id(0)] public required string HostId { get; init; }
    [Id(1)] public LocalDate? From { get; init; }
    [Id(2)] public LocalDate? To { get; init; }
    /// <summary>Use this claim's place and events as the model; otherwise the group's latest claim, or the fields below.</summary>
    [Id(3)] public string? TemplateClaimId { get; init; }
    [Id(4)] public string? TimeZone { get; init; }
    [Id(5)] public GeoPoint? Location { get; init; }
    [Id(6)] public LocalTime? StartTime { get; init; }
    [Id(7)] public int? DurationMinutes { get; init; }
}

/// <summary>A date that would fit, with what it costs.</summary>
[GenerateSerializer, Immutable]
public sealed record DateSuggestion
{
    [Id(0)] public LocalDate Date { get; init; }
    [Id(1)] public int AddedTravelMinutes { get; init; }
    [Id(2)] public required Text Reason { get; init; }
    /// <summary>1 when nobody holds the date; n when n-1 groups hold it already.</summary>
    [Id(4)] public int QueuePosition { get; init; } = 1;
}

/// <summary>A date that would not fit, and why.</summary>
[GenerateSerializer, Immutable]
public sealed record RejectedDate
{
    [Id(0)] public LocalDate Date { get; init; }
    [Id(1)] public required Text Reason { get; init; }
    /// <summary>Why, as a stable code: <c>outside-tour</c>, <c>start-in-gap</c>, <c>date-confirmed</c> or a conflict code.</summary>
    [Id(3)] public string? Code { get; init; }
}

/// <summary>Dates for a host group, best first, with the reason for each other date.</summary>
[GenerateSerializer, Immutable]
public sealed record DateSuggestions
{
    [Id(0)] public ImmutableArray<DateSuggestion> Suggestions { get; init; } = [];
    [Id(1)] public ImmutableArray<RejectedDate> Rejected { get; init; } = [];
}
