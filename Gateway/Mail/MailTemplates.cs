using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using NodaTime;
using NodaTime.Text;

namespace TourPlanner.Gateway.Mail;

/// <summary>
/// The words of every message and mail page, in English and Spanish, from <c>Mail/Templates/{lang}.json</c>
/// (embedded). A placeholder is <c>{name}</c>; values are filled in as given (the caller escapes for HTML).
/// </summary>
public sealed partial class MailTemplates
{
    public static readonly FrozenDictionary<string, MailTemplates> ByLanguage = Load();

    private readonly JsonElement _root;

    private MailTemplates(string language, JsonElement root)
    {
        Language = language;
        _root = root;
        Culture = CultureInfo.GetCultureInfo(root.GetProperty("culture").GetString()!);
        DatePattern = LocalDatePattern.Create(root.GetProperty("datePattern").GetString()!, Culture);
        DateTimePattern = LocalDateTimePattern.Create(root.GetProperty("dateTimePattern").GetString()!, Culture);
    }

    public string Language { get; }
    public CultureInfo Culture { get; }
    private LocalDatePattern DatePattern { get; }
    private LocalDateTimePattern DateTimePattern { get; }

    public static MailTemplates For(string? language) => ByLanguage.TryGetValue(language ?? "en", out var t) ? t : ByLanguage["en"];

    /// <summary>A top-level text, or one under a section (<c>kinds.digest.subject</c>), filled with <paramref name="values"/>.</summary>
    public string Text(string path, IReadOnlyDictionary<string, string>? values = null)
    {
        var node = _root;
        foreach (var part in path.Split('.'))
            if (!node.TryGetProperty(part, out node)) return ByLanguage["en"] == this ? path : ByLanguage["en"].Text(path, values);
        return Fill(node.GetString() ?? "", values);
    }

    public bool Has(string path)
    {
        var node = _root;
        foreach (var part in path.Split('.'))
            if (!node.TryGetProperty(part, out node)) return false;
        return true;
    }

    /// <summary>A day as people of this language write it.</summary>
    public string Date(LocalDate date) => Capitalize(DatePattern.Format(date));

    /// <summary>A wall-clock time with its zone, e.g. "Wednesday, October 28, 2026 at 7:00 PM (America/Chicago)".</summary>
    public string DateTime(LocalDateTime local, string zoneId) => $"{DateTimePattern.Format(local)} ({zoneId})";

    public string Dates(IEnumerable<LocalDate> dates) => string.Join(", ", dates.Select(d => DatePattern.Format(d)));

    public static string Fill(string template, IReadOnlyDictionary<string, string>? values) =>
        values is null ? template : Placeholder().Replace(template, m => values.TryGetValue(m.Groups[1].Value, out var v) ? v : m.Value);

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpper(text[0], CultureInfo.InvariantCulture) + text[1..];

    [GeneratedRegex(@"\{([a-zA-Z]+)\}")]
    private static partial Regex Placeholder();

    private static FrozenDictionary<string, MailTemplates> Load()
    {
        var assembly = typeof(MailTemplates).Assembly;
        var all = new Dictionary<string, MailTemplates>(StringComparer.Ordinal);
        foreach (var language in new[] { "en", "es" })
        {
            using var stream = assembly.GetManifestResourceStream($"mail/{language}.json")
                ?? throw new InvalidOperationException($"The mail template for '{language}' is not embedded.");
            all[language] = new MailTemplates(language, JsonDocument.Parse(stream).RootElement.Clone());
        }
        return all.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
