namespace TourPlanner.Tests.Feeds;

/// <summary>A tiny reader for assertions on our own output (the real parsers are exercised in the conformance suite).</summary>
public static class Ics
{
    public static string Unfold(string text) => text.Replace("\r\n ", "", StringComparison.Ordinal).Replace("\r\n\t", "", StringComparison.Ordinal);

    /// <summary>Each VEVENT as property name → value (first occurrence; parameters dropped from the name).</summary>
    public static List<Dictionary<string, string>> Events(string text)
    {
        var events = new List<Dictionary<string, string>>();
        Dictionary<string, string>? current = null;
        foreach (var line in Unfold(text).Split("\r\n"))
        {
            if (line == "BEGIN:VEVENT") current = new(StringComparer.Ordinal);
            else if (line == "END:VEVENT" && current is not null) { events.Add(current); current = null; }
            else if (current is not null && line.IndexOf(':') is var colon and > 0)
            {
                var name = line[..colon].Split(';')[0];
                current.TryAdd(name, line[(colon + 1)..]);
                if (name is "DTSTART" or "DTEND") current.TryAdd(name + "@params", line[..colon]);
            }
        }
        return events;
    }

    public static Dictionary<string, string> ByUid(string text, string uid) => Assert.Single(Events(text), e => e["UID"] == uid);
}
