using System.Collections.Immutable;
using TourPlanner.Grains;

namespace TourPlanner.Gateway.Infrastructure;

/// <summary>A message about one field, with its stable code, as the API shows it beside <c>errors</c> and <c>notes</c>.</summary>
public sealed record FieldMessageDto(string Field, string Code, string Message);

/// <summary>
/// The words of one request: the catalogue, the request's language (<see cref="RequestLanguage"/>) and who reads them
/// (<see cref="Audience"/>: a host group reads other stops' events only as their city and times). Every message the
/// API answers with goes through here, so no handler decides wording or redaction on its own.
/// </summary>
public sealed class Wording(Catalogue catalogue, string language, Audience audience)
{
    public string Language { get; } = language;
    public Audience Audience { get; } = audience;

    /// <summary>The words for this request, for the caller the request resolved (call it after the caller is known).</summary>
    public static Wording Of(HttpContext http) =>
        new(http.RequestServices.GetService<Catalogue>() ?? Catalogue.Default, RequestLanguage.Of(http.Request), AudienceOf(Caller.Cached(http)?.Principal));

    public static Audience AudienceOf(Principal? principal) => principal?.Role switch
    {
        Role.Organizer or Role.Speaker => Audience.Everyone,
        Role.Host when principal.HostId is { } hostId => Audience.HostGroup(hostId),
        _ => Audience.Public,
    };

    public string Say(Text text) => catalogue.Render(text, Language, Audience);

    /// <summary>Spanish whatever was asked, for the <c>…Es</c> fields pages read today.</summary>
    public string Spanish(Text text) => catalogue.Render(text, "es", Audience);

    public string Say(MessageCode code) => Say(Text.Of(code));

    /// <summary>Notes as the API has always listed them (<c>"events[0].start: …"</c>).</summary>
    public IReadOnlyList<string> Notes(ImmutableArray<FieldText> notes) =>
        notes.IsDefaultOrEmpty ? [] : [.. notes.Select(n => $"{n.Field}: {Say(n.Text)}")];

    public IReadOnlyList<FieldMessageDto> Details(ImmutableArray<FieldText> notes) =>
        notes.IsDefaultOrEmpty ? [] : [.. notes.Select(n => new FieldMessageDto(n.Field, n.Text.Code, Say(n.Text)))];

    public IReadOnlyList<FieldMessageDto> Details(IEnumerable<KeyValuePair<string, ImmutableArray<Text>>> errors) =>
        [.. errors.SelectMany(p => p.Value.Select(t => new FieldMessageDto(p.Key, t.Code, Say(t))))];

    public Dictionary<string, string[]> Errors(IEnumerable<KeyValuePair<string, ImmutableArray<Text>>> errors) =>
        errors.ToDictionary(p => p.Key, p => p.Value.Select(Say).ToArray());

    public IReadOnlyList<ConflictDto> Conflicts(ImmutableArray<Conflict> conflicts) =>
        conflicts.IsDefaultOrEmpty ? [] : [.. conflicts.Select(Conflict)];

    /// <summary>
    /// A conflict as this reader may see it: the organizer and speakers everything; a host group its own events in full,
    /// other stops' only as city and times, no ids of others' events and no reason a venue calendar failed.
    /// </summary>
    public ConflictDto Conflict(Conflict c)
    {
        var full = Audience.SeesEverything;
        var eventIds = full ? c.EventIds : [.. c.EventIds.Where(id => Audience.Sees(c.EventHosts.GetValueOrDefault(id, "")))];
        var details = full ? c.Details : c.Details.Remove("reason");
        var (message, spanish) = c.Text is { } text ? (Say(text), Spanish(text))
            : full ? (Language == "es" ? c.MessageEs ?? c.Message : c.Message, c.MessageEs)
            : (c.Code, c.Code); // a sentence worded elsewhere cannot be redacted, so a host group gets its code only
        return new ConflictDto(c.Code, c.Severity, message, spanish, eventIds, c.SpeakerId, details.Count == 0 ? null : details);
    }
}
