using Ical.Net.Serialization.DataTypes;
using NodaTime;

namespace TourPlanner.Gateway.Calendar;

/// <summary>
/// Renders a tour's calendar feed (RFC 5545 iCalendar) as UTF-8 bytes.
/// </summary>
/// <remarks>
/// The text is produced by our own <see cref="ContentLineWriter"/> and the VTIMEZONEs by
/// <see cref="VTimeZoneBuilder"/> instead of Ical.Net's CalendarSerializer and VTimeZone.FromDateTimeZone:
/// Ical.Net 5.2.4 lets control characters (U+0001, NEL, U+2028) through unescaped, writes its own
/// PRODID and property order, and its VTIMEZONE generator gives a no-DST zone such as Managua a yearly
/// transition and never bounds a rule with UNTIL. Ical.Net is kept where it is right: DURATION values
/// here, and as one of the readers in the tests. Nothing here reads the clock, so equal input gives equal bytes.
/// </remarks>
public static class FeedWriter
{
    /// <summary>PRODID of every feed we publish.</summary>
    public const string ProductId = "-//TourPlanner//Tour Calendar Feed//EN";

    /// <summary>Renders the whole feed, for subscription (webcal).</summary>
    public static byte[] Write(FeedCalendar feed)
    {
        ArgumentNullException.ThrowIfNull(feed);
        var defaultZone = RequireTzdbZone(feed.DefaultTimeZoneId);
        if (feed.RefreshInterval <= Duration.Zero)
            throw new ArgumentOutOfRangeException(nameof(feed), "RefreshInterval must be positive.");

        var events = Sorted(feed.Events);
        var writer = new ContentLineWriter();
        writer.Begin("VCALENDAR");
        WriteCalendarHeader(writer);
        writer.WriteText("NAME", feed.Name);
        writer.WriteText("X-WR-CALNAME", feed.Name);
        if (!string.IsNullOrEmpty(feed.Description))
        {
            writer.WriteText("X-WR-CALDESC", feed.Description);
        }

        writer.Write("URL", IcalText.SanitizeUri(feed.Url));
        writer.WriteText("X-WR-TIMEZONE", defaultZone.Id);
        var refresh = DurationText(feed.RefreshInterval);
        writer.Write("REFRESH-INTERVAL", "VALUE", "DURATION", refresh);
        writer.Write("X-PUBLISHED-TTL", refresh);
        if (feed.Omitted > 0) writer.Write("X-TOURPLANNER-OMITTED", feed.Omitted.ToString(System.Globalization.CultureInfo.InvariantCulture));
        WriteBody(writer, events);
        writer.End("VCALENDAR");
        return writer.ToArray();
    }

    /// <summary>
    /// Renders one event as its own calendar, for a one-off "add to calendar" download.
    /// </summary>
    /// <remarks>No NAME or refresh properties: clients should import the event, not subscribe to a new calendar.</remarks>
    public static byte[] WriteSingleEvent(FeedEvent feedEvent)
    {
        ArgumentNullException.ThrowIfNull(feedEvent);
        var writer = new ContentLineWriter();
        writer.Begin("VCALENDAR");
        WriteCalendarHeader(writer);
        WriteBody(writer, Sorted([feedEvent]));
        writer.End("VCALENDAR");
        return writer.ToArray();
    }

    /// <summary>
    /// Renders one event as an iTIP message (RFC 5546): <c>REQUEST</c> to add or update it, <c>CANCEL</c> to take it
    /// off, with the same UID, VTIMEZONE and escaping as the feeds, the sender as ORGANIZER and the recipient as
    /// ATTENDEE. One event per invitation: Outlook reads only the first event of one.
    /// </summary>
    public static byte[] WriteInvitation(FeedEvent feedEvent, string method, Invitation invitation)
    {
        ArgumentNullException.ThrowIfNull(feedEvent);
        ArgumentNullException.ThrowIfNull(invitation);
        if (method is not ("REQUEST" or "CANCEL")) throw new ArgumentException($"Unsupported iTIP method '{method}'.", nameof(method));
        var writer = new ContentLineWriter();
        writer.Begin("VCALENDAR");
        WriteCalendarHeader(writer, method);
        WriteBody(writer, Sorted([feedEvent]), invitation);
        writer.End("VCALENDAR");
        return writer.ToArray();
    }

    private static void WriteCalendarHeader(ContentLineWriter writer, string method = "PUBLISH")
    {
        writer.Write("VERSION", "2.0");
        writer.WriteText("PRODID", ProductId);
        writer.Write("CALSCALE", "GREGORIAN");
        writer.Write("METHOD", method);
    }

    private static void WriteBody(ContentLineWriter writer, IReadOnlyList<FeedEvent> events, Invitation? invitation = null)
    {
        foreach (var zone in TimeZonesFor(events)) VTimeZoneWriter.Write(writer, zone);
        foreach (var feedEvent in events) EventWriter.Write(writer, feedEvent, invitation);
    }

    private static List<FeedEvent> Sorted(IReadOnlyList<FeedEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var duplicate = events.GroupBy(e => e.Uid, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"Two events share UID '{duplicate.Key}'; clients would merge them.", nameof(events));

        return events
            .OrderBy(e => e.Start.ToInstant())
            .ThenBy(e => e.Uid, StringComparer.Ordinal)
            .ToList();
    }

    // One VTIMEZONE per zone that a DTSTART/DTEND names by TZID, ordered by id, all spanning the whole feed.
    private static IEnumerable<VTimeZoneDefinition> TimeZonesFor(IReadOnlyList<FeedEvent> events)
    {
        if (events.Count == 0) return [];

        var instants = events.SelectMany(e => new[] { e.Start.ToInstant(), e.End.ToInstant() }).ToList();
        var earliest = instants.Min();
        var latest = instants.Max();
        return events
            .SelectMany(e => new[] { e.Start, e.End })
            .Where(t => !EventTimeForm.NeedsUtcForm(t))
            .Select(t => t.Zone.Id)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .Select(id => VTimeZoneBuilder.Build(RequireTzdbZone(id), earliest, latest))
            .ToList();
    }

    /// <summary>The tzdb zone with this IANA id; VTIMEZONEs must come from tzdb, not from the host's zone data.</summary>
    internal static DateTimeZone RequireTzdbZone(string id) =>
        DateTimeZoneProviders.Tzdb.GetZoneOrNull(id)
        ?? throw new ArgumentException($"'{id}' is not an IANA time zone id known to tzdb.", nameof(id));

    /// <summary>DURATION value; kept from Ical.Net, whose Duration serializer spells RFC 5545 durations correctly.</summary>
    internal static string DurationText(Duration duration) =>
        new DurationSerializer().SerializeToString(Ical.Net.DataTypes.Duration.FromTimeSpanExact(duration.ToTimeSpan()))
        ?? throw new InvalidOperationException("Ical.Net could not serialize the duration.");
}
