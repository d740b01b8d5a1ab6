using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;
using NodaTime;
using NodaTime.Text;

namespace TourPlanner.Grains;

/// <summary>
/// The one place people's words live: every message in English and Spanish, keyed by its code (<see cref="Codes"/>),
/// with <c>{name}</c> placeholders. Dates and times are written with .NET's culture data (ICU), at the place's own
/// wall-clock time with its zone's abbreviation. It ships inside the Grains assembly so the Gateway and a silo running
/// on its own render the same words.
/// </summary>
public sealed class Catalogue
{
    public static readonly string[] Languages = ["en", "es"];

    /// <summary>The catalogue embedded in this assembly (<c>Grains/Text/messages.json</c>).</summary>
    public static Catalogue Default { get; } = Load();

    private readonly FrozenDictionary<string, FrozenDictionary<string, Template>> _templates;

    private Catalogue(FrozenDictionary<string, FrozenDictionary<string, Template>> templates) => _templates = templates;

    /// <summary>Reads a catalogue of the same shape as the pages' strings: <c>{ "en": { code: template }, "es": { … } }</c>.</summary>
    public static Catalogue Parse(ReadOnlySpan<byte> json)
    {
        var doc = JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, string>>>(json)
            ?? throw new InvalidDataException("The message catalogue is empty.");
        return new Catalogue(doc.ToFrozenDictionary(
            l => l.Key, l => l.Value.ToFrozenDictionary(t => t.Key, t => Template.Parse(t.Value), StringComparer.Ordinal), StringComparer.Ordinal));
    }

    private static Catalogue Load()
    {
        using var stream = typeof(Catalogue).Assembly.GetManifestResourceStream("messages.json")
            ?? throw new InvalidOperationException("messages.json is not embedded in the Grains assembly.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return Parse(buffer.ToArray());
    }

    /// <summary>The codes this catalogue has words for in <paramref name="language"/>.</summary>
    public IReadOnlyCollection<string> KnownCodes(string language) => _templates.TryGetValue(language, out var t) ? t.Keys : [];

    /// <summary>The placeholders the template of <paramref name="code"/> uses in <paramref name="language"/>, or null when there is none.</summary>
    public IReadOnlySet<string>? Placeholders(string language, string code) =>
        _templates.TryGetValue(language, out var t) && t.TryGetValue(code, out var template) ? template.Names : null;

    /// <summary>The message in <paramref name="language"/> (English when it has no words there) as <paramref name="audience"/> may read it.</summary>
    public string Render(Text text, string language, Audience? audience = null)
    {
        var sb = new StringBuilder();
        Append(sb, text, Languages.Contains(language) ? language : "en", audience ?? Audience.Everyone, depth: 0);
        return sb.ToString();
    }

    private void Append(StringBuilder sb, Text text, string language, Audience audience, int depth)
    {
        var template = Find(language, text.Code);
        if (template is null || depth > 8) { sb.Append(text.Code); return; }
        foreach (var part in template.Parts)
        {
            if (part.Literal is { } literal) { sb.Append(literal); continue; }
            var arg = text.Args.FirstOrDefault(a => a.Name == part.Name);
            if (arg is null) sb.Append('{').Append(part.Name).Append('}');
            else AppendArg(sb, arg, language, audience, depth);
        }
    }

    private Template? Find(string language, string code) =>
        _templates.TryGetValue(language, out var t) && t.TryGetValue(code, out var found) ? found
        : _templates.TryGetValue("en", out var en) && en.TryGetValue(code, out var english) ? english
        : null;

    private void AppendArg(StringBuilder sb, TextArg arg, string language, Audience audience, int depth)
    {
        if (!audience.Sees(arg.Owner))
        {
            // Never fall back to the value itself: a missing redaction reads as an ellipsis, not as the secret.
            if (arg.Redacted is { } instead) Append(sb, instead, language, audience, depth + 1);
            else sb.Append('…');
            return;
        }
        var culture = CultureOf(language);
        switch (arg.Kind)
        {
            case TextArgKind.Number:
                sb.Append(arg.Number.ToString(CultureInfo.InvariantCulture));
                break;
            case TextArgKind.Date:
                sb.Append(FormatDate(arg.Date, culture));
                break;
            case TextArgKind.Dates:
                sb.AppendJoin(", ", (arg.Plain ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)
                    .Select(d => LocalDatePattern.Iso.Parse(d) is { Success: true } p ? FormatDate(p.Value, culture) : d));
                break;
            case TextArgKind.Moment:
                sb.Append(FormatMoment(arg.At, arg.Zone, language));
                break;
            case TextArgKind.Clock:
                sb.Append(ClockPattern.Format(arg.Clock));
                break;
            case TextArgKind.Minutes:
                sb.Append(FormatMinutes(arg.Number));
                break;
            case TextArgKind.Nested when arg.Nested is { } nested:
                Append(sb, nested, language, audience, depth + 1);
                break;
            case TextArgKind.List:
                for (var i = 0; i < arg.Items.Length; i++)
                {
                    if (i > 0) sb.Append("; ");
                    Append(sb, arg.Items[i], language, audience, depth + 1);
                }
                break;
            default:
                sb.Append(arg.Plain);
                break;
        }
    }

    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en");
    private static readonly CultureInfo Spanish = CultureInfo.GetCultureInfo("es");
    private static readonly LocalTimePattern ClockPattern = LocalTimePattern.CreateWithInvariantCulture("HH':'mm");
    // "Wed 28 Oct 19:00 CDT" / "mié 28 oct 19:00 CDT": the place's wall clock and its zone's abbreviation at that instant.
    private static readonly FrozenDictionary<string, ZonedDateTimePattern> MomentPatterns = new Dictionary<string, ZonedDateTimePattern>
    {
        ["en"] = ZonedDateTimePattern.Create("ddd d MMM HH':'mm x", English, null, DateTimeZoneProviders.Tzdb, default),
        ["es"] = ZonedDateTimePattern.Create("ddd d MMM HH':'mm x", Spanish, null, DateTimeZoneProviders.Tzdb, default),
    }.ToFrozenDictionary();

    public static CultureInfo CultureOf(string language) => language == "es" ? Spanish : English;

    /// <summary>"Wed 28 Oct 2026" / "mié 28 oct 2026".</summary>
    public static string FormatDate(LocalDate date, CultureInfo culture) => date.ToString("ddd d MMM yyyy", culture);

    /// <summary>An instant at the wall-clock time of <paramref name="zoneId"/>, with its abbreviation (UTC for an unknown zone).</summary>
    public static string FormatMoment(Instant at, string? zoneId, string language)
    {
        var zone = zoneId is null ? DateTimeZone.Utc : DateTimeZoneProviders.Tzdb.GetZoneOrNull(zoneId) ?? DateTimeZone.Utc;
        return MomentPatterns[language == "es" ? "es" : "en"].Format(at.InZone(zone));
    }

    /// <summary>"45 min", "8 h", "2 h 30 min" (the same symbols in both languages).</summary>
    public static string FormatMinutes(long minutes) =>
        minutes < 60 ? $"{minutes} min" : minutes % 60 == 0 ? $"{minutes / 60} h" : $"{minutes / 60} h {minutes % 60} min";

    /// <summary>A template split once into literal text and <c>{name}</c> placeholders (<c>{{</c> and <c>}}</c> are literal braces).</summary>
    private sealed class Template
    {
        public required ImmutableArray<(string? Literal, string? Name)> Parts { get; init; }
        public required FrozenSet<string> Names { get; init; }

        public static Template Parse(string text)
        {
            var parts = ImmutableArray.CreateBuilder<(string?, string?)>();
            var literal = new StringBuilder();
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if ((c == '{' || c == '}') && i + 1 < text.Length && text[i + 1] == c) { literal.Append(c); i++; continue; }
                var close = c == '{' ? text.IndexOf('}', i + 1) : -1;
                if (close < 0) { literal.Append(c); continue; }
                if (literal.Length > 0) { parts.Add((literal.ToString(), null)); literal.Clear(); }
                parts.Add((null, text[(i + 1)..close]));
                i = close;
            }
            if (literal.Length > 0) parts.Add((literal.ToString(), null));
            var built = parts.ToImmutable();
            return new Template { Parts = built, Names = built.Where(p => p.Item2 is not null).Select(p => p.Item2!).ToFrozenSet(StringComparer.Ordinal) };
        }
    }
}
