using System.Collections.Immutable;
using NodaTime;

namespace TourPlanner.Grains;

/// <summary>
/// A sentence a person reads, as a stable code and the values it names. The words, in English and Spanish, come from
/// the one catalogue (<see cref="Catalogue"/>, <c>Grains/Text/messages.json</c>): rules return codes and values, never
/// words, so the same refusal reads right in either language and to each reader.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record Text
{
    /// <summary>The catalogue key, stable across releases (e.g. <c>field.required</c>).</summary>
    [Id(0)] public required string Code { get; init; }
    [Id(1)] public ImmutableArray<TextArg> Args { get; init; } = [];

    /// <summary>The code with its values; in Debug builds the values must be exactly the code's placeholders.</summary>
    public static Text Of(MessageCode code, params ReadOnlySpan<TextArg> args)
    {
#if DEBUG
        // Tests run Debug: a message built with a missing or extra value fails where it is built, not on a page.
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var a in args) names.Add(a.Name);
        if (!names.SetEquals(code.Placeholders))
            throw new ArgumentException($"{code.Code} takes {{{string.Join("}, {", code.Placeholders)}}}, got {{{string.Join("}, {", names)}}}.");
#endif
        return new Text { Code = code.Code, Args = [.. args] };
    }

    /// <summary>English, for logs, test messages and callers that have not moved to per-request rendering.</summary>
    public override string ToString() => Catalogue.Default.Render(this, "en");
}

/// <summary>How an argument's value is written out in the reader's language.</summary>
public enum TextArgKind
{
    /// <summary>As given: a name, a city, an id, something the person typed.</summary>
    Plain,
    /// <summary>A whole number.</summary>
    Number,
    /// <summary>A calendar date, with the day and month names of the reader's language.</summary>
    Date,
    /// <summary>Several dates (ISO, comma-separated in <see cref="TextArg.Plain"/>), each written as <see cref="Date"/>.</summary>
    Dates,
    /// <summary>An instant shown at the wall-clock time of a place's zone, with that zone's abbreviation then.</summary>
    Moment,
    /// <summary>A time of day (HH:mm).</summary>
    Clock,
    /// <summary>A length of time in minutes, written in hours and minutes.</summary>
    Minutes,
    /// <summary>Another message (a status word, an event named or not, a venue).</summary>
    Nested,
    /// <summary>Several messages, joined.</summary>
    List,
}

/// <summary>
/// One named value of a <see cref="Text"/>. A value that belongs to one host group (another stop's event title, a
/// venue's reason) carries <see cref="Owner"/> and what everyone else reads instead (<see cref="Redacted"/>), so one
/// conflict renders in full for the organizer and as "another event in Denver, 19:00–21:00" for other groups.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record TextArg
{
    [Id(0)] public required string Name { get; init; }
    [Id(1)] public TextArgKind Kind { get; init; }
    [Id(2)] public string? Plain { get; init; }
    [Id(3)] public long Number { get; init; }
    [Id(4)] public LocalDate Date { get; init; }
    [Id(5)] public Instant At { get; init; }
    /// <summary>The IANA zone a <see cref="TextArgKind.Moment"/> is shown in.</summary>
    [Id(6)] public string? Zone { get; init; }
    [Id(7)] public LocalTime Clock { get; init; }
    [Id(8)] public Text? Nested { get; init; }
    [Id(9)] public ImmutableArray<Text> Items { get; init; } = [];
    /// <summary>
    /// Null: anyone may read the value. Otherwise the host group whose value it is ("" for none: the organizer's and
    /// speakers' eyes only); other host groups read <see cref="Redacted"/>.
    /// </summary>
    [Id(10)] public string? Owner { get; init; }
    [Id(11)] public Text? Redacted { get; init; }

    /// <summary>This value is only for <paramref name="hostId"/> (and the organizer and speakers); others read <paramref name="instead"/>.</summary>
    public TextArg OwnedBy(string? hostId, Text instead) => this with { Owner = hostId ?? "", Redacted = instead };
}

/// <summary>Builders for <see cref="TextArg"/>, one per kind.</summary>
public static class Arg
{
    public static TextArg Plain(string name, string? value) => new() { Name = name, Kind = TextArgKind.Plain, Plain = value ?? "" };
    public static TextArg Number(string name, long value) => new() { Name = name, Kind = TextArgKind.Number, Number = value };
    public static TextArg Date(string name, LocalDate value) => new() { Name = name, Kind = TextArgKind.Date, Date = value };
    public static TextArg Dates(string name, IEnumerable<LocalDate> values) =>
        new() { Name = name, Kind = TextArgKind.Dates, Plain = string.Join(",", values.Select(d => NodaTime.Text.LocalDatePattern.Iso.Format(d))) };
    public static TextArg Moment(string name, ZonedDateTime value) => new() { Name = name, Kind = TextArgKind.Moment, At = value.ToInstant(), Zone = value.Zone.Id };
    public static TextArg Clock(string name, LocalTime value) => new() { Name = name, Kind = TextArgKind.Clock, Clock = value };
    public static TextArg Minutes(string name, long minutes) => new() { Name = name, Kind = TextArgKind.Minutes, Number = minutes };
    public static TextArg Of(string name, Text value) => new() { Name = name, Kind = TextArgKind.Nested, Nested = value };
    public static TextArg List(string name, IEnumerable<Text> values) => new() { Name = name, Kind = TextArgKind.List, Items = [.. values] };
}

/// <summary>A catalogue key and the placeholders its templates use, in both languages.</summary>
public sealed class MessageCode(string code, params string[] placeholders)
{
    public string Code { get; } = code;
    public ImmutableArray<string> Placeholders { get; } = [.. placeholders];
    public override string ToString() => Code;
}

/// <summary>A message about one field of a request: a field error, or a note on how a value was read.</summary>
[GenerateSerializer, Immutable]
public sealed record FieldText([property: Id(0)] string Field, [property: Id(1)] Text Text);

/// <summary>
/// Who reads a message. The organizer and speakers read everything; a host group reads its own stops' values in full
/// and other stops' only as their redacted form; the public reads no one's.
/// </summary>
public sealed record Audience
{
    public bool SeesEverything { get; private init; }
    public string? HostId { get; private init; }

    public static readonly Audience Everyone = new() { SeesEverything = true };
    public static readonly Audience Public = new();
    public static Audience HostGroup(string hostId) => new() { HostId = hostId };

    /// <summary>Whether a value owned by <paramref name="owner"/> (see <see cref="TextArg.Owner"/>) is shown as it is.</summary>
    public bool Sees(string? owner) => owner is null || SeesEverything || (HostId is not null && owner == HostId);
}
