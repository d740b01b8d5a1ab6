using System.Text.Json;
using System.Text.Json.Serialization;
using TourPlanner.Gateway.Calendar;

namespace TourPlanner.Tests.Calendar;

/// <summary>What a third-party parser read from a feed (the JSON the client scripts print).</summary>
public sealed record ParsedFeed(
    [property: JsonPropertyName("calendarName")] string? CalendarName,
    [property: JsonPropertyName("timezones")] IReadOnlyList<string> Timezones,
    [property: JsonPropertyName("properties")] IReadOnlyList<string> Properties,
    [property: JsonPropertyName("events")] IReadOnlyList<ParsedEvent> Events)
{
    public static ParsedFeed FromJson(string json, string parser) =>
        JsonSerializer.Deserialize<ParsedFeed>(json) ?? throw new InvalidOperationException($"{parser} printed no JSON.");
}

/// <summary>One event as a parser read it; times in Unix seconds (UTC).</summary>
public sealed record ParsedEvent(
    [property: JsonPropertyName("uid")] string Uid,
    [property: JsonPropertyName("start")] long Start,
    [property: JsonPropertyName("end")] long End,
    [property: JsonPropertyName("startTzid")] string? StartTzid,
    [property: JsonPropertyName("summary")] string? Summary,
    [property: JsonPropertyName("description")] string? Description,
    [property: JsonPropertyName("location")] string? Location,
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("sequence")] int Sequence,
    [property: JsonPropertyName("categories")] IReadOnlyList<string> Categories);

/// <summary>Checks a parser's reading of a feed against NodaTime and the input model.</summary>
public static class ParsedFeedAssert
{
    /// <param name="splitsEscapedCommas">
    /// Debian's icalendar 4.0.3 unescapes CATEGORIES before splitting on commas, so "Q&amp;A\, open"
    /// comes back as two categories (fixed in icalendar 5); for it we compare the joined text.
    /// </param>
    public static void MatchesFeed(FeedCalendar feed, ParsedFeed parsed, string parser, bool splitsEscapedCommas = false)
    {
        Assert.Equal(TestTours.ExpectedText(feed.Name), parsed.CalendarName);
        Assert.Equal(feed.Events.Count, parsed.Events.Count);
        Assert.Equal(parsed.Timezones.Count, parsed.Timezones.Distinct().Count());

        NoInjectedProperty(parsed.Properties, parser);
        Assert.DoesNotContain(parsed.Events, e => e.Uid == "injected-uid");

        var byUid = parsed.Events.ToDictionary(e => e.Uid);
        foreach (var expected in feed.Events)
        {
            Assert.True(byUid.TryGetValue(expected.Uid, out var actual), $"{parser} lost event {expected.Uid}.");
            Assert.True(expected.Start.ToInstant().ToUnixTimeSeconds() == actual.Start,
                $"{parser}: {expected.Uid} starts at {Show(actual.Start)}, NodaTime says {expected.Start.ToInstant()} ({expected.Start}).");
            Assert.True(expected.End.ToInstant().ToUnixTimeSeconds() == actual.End,
                $"{parser}: {expected.Uid} ends at {Show(actual.End)}, NodaTime says {expected.End.ToInstant()} ({expected.End}).");
            Assert.Equal(TestTours.ExpectedText(expected.Summary), actual.Summary);
            Assert.Equal(expected.Description is null ? null : TestTours.ExpectedText(expected.Description), actual.Description);
            Assert.Equal(expected.Location is null ? null : TestTours.ExpectedText(expected.Location), actual.Location);
            Assert.Equal(expected.Status.ToString().ToUpperInvariant(), actual.Status);
            Assert.Equal(expected.Sequence, actual.Sequence);
            var categories = (expected.Categories ?? []).Select(TestTours.ExpectedText).ToList();
            if (splitsEscapedCommas)
                Assert.Equal(string.Join(',', categories), string.Join(',', actual.Categories));
            else
                Assert.Equal(categories, actual.Categories);
        }
    }

    public static void NoInjectedProperty(IEnumerable<string> propertyPaths, string parser)
    {
        var injected = propertyPaths.Where(p =>
            p.EndsWith("." + TestTours.InjectionMarker, StringComparison.OrdinalIgnoreCase) ||
            p.EndsWith(".ATTENDEE", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.True(injected.Count == 0, $"{parser} saw injected properties: {string.Join(", ", injected)}");
    }

    private static string Show(long unixSeconds) => NodaTime.Instant.FromUnixTimeSeconds(unixSeconds).ToString();
}
