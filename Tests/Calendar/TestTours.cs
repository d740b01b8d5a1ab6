using NodaTime;
using TourPlanner.Gateway.Calendar;

namespace TourPlanner.Tests.Calendar;

/// <summary>The feeds every test and every third-party parser reads.</summary>
public static class TestTours
{
    public const string InjectionMarker = "X-INJECTED";

    // Every text field carries this: a client that let a raw CR/LF through would show an
    // X-INJECTED property, an ATTENDEE, or a second event with UID "injected-uid".
    public const string Injection =
        "Evil\r\nX-INJECTED:1\r\nATTENDEE:mailto:victim@example.invalid\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:injected-uid\rX-INJECTED:cr\nX-INJECTED:lf";

    public const string LondonEarlierUid = "london-fallback-earlier@tour.invalid";
    public const string LondonLaterUid = "london-fallback-later@tour.invalid";
    public const string ChicagoEarlierUid = "chicago-fallback-earlier@tour.invalid";
    public const string ChicagoLaterUid = "chicago-fallback-later@tour.invalid";
    public const string TravelLegUid = "travel-lhr-jfk@tour.invalid";
    public const string SpringForwardUid = "ny-spring-forward@tour.invalid";
    public const string InjectionUid = "injection@tour.invalid";
    public const string CancelledUid = "managua-cancelled@tour.invalid";

    public static readonly string[] Zones =
    [
        "America/Los_Angeles", "America/Chicago", "America/New_York",
        "America/Managua", "Europe/London", "Africa/Johannesburg",
    ];

    public static readonly Instant Created = Instant.FromUtc(2026, 1, 5, 9, 0);

    public static DateTimeZone Zone(string id) => DateTimeZoneProviders.Tzdb[id];

    /// <summary>A zoned time given by local time and the offset meant, so ambiguous times are explicit.</summary>
    public static ZonedDateTime At(string zone, int y, int mo, int d, int h, int mi, int offsetHours) =>
        new(new LocalDateTime(y, mo, d, h, mi), Zone(zone), Offset.FromHours(offsetHours));

    public static ZonedDateTime At(string zone, int y, int mo, int d, int h, int mi) =>
        new LocalDateTime(y, mo, d, h, mi).InZoneStrictly(Zone(zone));

    public static FeedEvent Event(string uid, string summary, ZonedDateTime start, ZonedDateTime end,
        FeedEventStatus status = FeedEventStatus.Confirmed, int sequence = 0, string? description = null,
        string? location = null, IReadOnlyList<string>? categories = null) =>
        new(uid, summary, description, location, 51.5, -0.12, new Uri("https://tour.invalid/stops/" + Uri.EscapeDataString(uid)),
            start, end, status, sequence, Created, Created + Duration.FromDays(sequence + 1), false, categories);

    /// <summary>The special cases: DST edges in both directions, travel across zones, hostile text.</summary>
    public static IReadOnlyList<FeedEvent> SpecialEvents() =>
    [
        // US spring forward (8 March 2026): 03:00 wall clock follows 01:59 in New York; this one spans the gap.
        Event(SpringForwardUid, "Sunrise rally across the spring-forward gap",
            At("America/New_York", 2026, 3, 8, 1, 0), At("America/New_York", 2026, 3, 8, 4, 0)),
        // Europe falls back on 25 October 2026: 01:30 in London happens twice.
        Event(LondonEarlierUid, "London night vigil (first 01:30, BST)",
            At("Europe/London", 2026, 10, 25, 1, 30, 1), At("Europe/London", 2026, 10, 25, 1, 45, 1)),
        Event(LondonLaterUid, "London night vigil (second 01:30, GMT)",
            At("Europe/London", 2026, 10, 25, 1, 30, 0), At("Europe/London", 2026, 10, 25, 2, 30, 0)),
        // The US falls back a week later, on 1 November 2026.
        Event(ChicagoEarlierUid, "Chicago late show (first 01:30, CDT)",
            At("America/Chicago", 2026, 11, 1, 1, 30, -5), At("America/Chicago", 2026, 11, 1, 1, 50, -5)),
        Event(ChicagoLaterUid, "Chicago late show (second 01:30, CST)",
            At("America/Chicago", 2026, 11, 1, 1, 30, -6), At("America/Chicago", 2026, 11, 1, 3, 0, -6)),
        // A travel leg departs in one zone and lands in another, between the two fall-backs.
        Event(TravelLegUid, "Flight London → New York",
            At("Europe/London", 2026, 10, 28, 10, 15), At("America/New_York", 2026, 10, 28, 13, 40),
            location: "LHR Terminal 5 → JFK Terminal 4"),
        Event("lax-mga-leg@tour.invalid", "Flight Los Angeles → Managua",
            At("America/Los_Angeles", 2026, 11, 3, 23, 55), At("America/Managua", 2026, 11, 4, 7, 20)),
        Event("jnb-stop@tour.invalid", "Johannesburg town hall, Braamfontein",
            At("Africa/Johannesburg", 2026, 10, 30, 18, 0), At("Africa/Johannesburg", 2026, 10, 30, 21, 0)),
        Event(CancelledUid, "Managua forum (cancelled)",
            At("America/Managua", 2026, 11, 5, 17, 0), At("America/Managua", 2026, 11, 5, 19, 0), FeedEventStatus.Cancelled, 2),
        Event("accents@tour.invalid", "Café Müller — Zürich, São Paulo; Łódź \\ Ñandú 🎤🌍👩🏽‍🚀",
            At("Europe/London", 2026, 10, 22, 19, 0), At("Europe/London", 2026, 10, 22, 21, 0), FeedEventStatus.Tentative, 1,
            description: "Doors at 18:30.\nBring banners, flags; and \\ signs.\n\nÉmoji welcome: 🎉🎉🎉 " + string.Concat(Enumerable.Repeat("ñé😀", 30)),
            location: "Königstraße 1, Zürich; Hall «B»", categories: ["Rally", "Q&A, open", "Ünïcode; test"]),
        Event(InjectionUid, Injection,
            At("America/Los_Angeles", 2026, 10, 10, 12, 0), At("America/Los_Angeles", 2026, 10, 10, 13, 0),
            description: Injection, location: Injection, categories: [Injection]),
    ];

    /// <summary>The full tour: the special cases plus ordinary stops, 300 events in all.</summary>
    public static FeedCalendar Tour(int eventCount = 300, string? name = null)
    {
        var events = SpecialEvents().ToList();
        var day = new LocalDate(2026, 2, 20);
        for (var i = 0; events.Count < eventCount; i++)
        {
            var zone = Zones[i % Zones.Length];
            var date = day.PlusDays(i * 274 / eventCount);
            var start = (date + new LocalTime(10 + i % 9, i * 7 % 60)).InZoneLeniently(Zone(zone));
            events.Add(Event($"stop-{i:D3}@tour.invalid", $"Stop {i}: {zone.Split('/')[1].Replace('_', ' ')}, town hall #{i}",
                start, start.PlusHours(2), i % 17 == 0 ? FeedEventStatus.Tentative : FeedEventStatus.Confirmed, i % 3,
                description: $"Stop {i} of the tour.\nTickets: free; RSVP, please.", location: $"Main Square {i}, {zone}"));
        }

        return new FeedCalendar(
            name ?? "Speaker Tour 2026 — Día de campaña 🎤",
            "Every stop of the 2026 tour.\nTimes are local to each city; commas, semicolons; and \\ are fine.",
            "America/New_York",
            new Uri("https://tour.invalid/speaker-2026"),
            Duration.FromHours(12),
            events);
    }

    /// <summary>
    /// Events in zones whose rules change or follow no yearly pattern, so a parser that uses our
    /// VTIMEZONEs (ical.js) must get the UNTIL-bounded RRULEs and RDATE lists right.
    /// </summary>
    public static FeedCalendar IrregularZones()
    {
        var events = new List<FeedEvent>();
        void Add(string zone, int y, int mo, int d, int h)
        {
            var start = new LocalDateTime(y, mo, d, h, 15).InZoneLeniently(Zone(zone));
            events.Add(Event($"{zone}-{y}{mo:D2}{d:D2}{h:D2}@tour.invalid", $"{zone} {y}-{mo}-{d}", start, start.PlusHours(1)));
        }

        foreach (var (y, mo, d) in new[] { (2006, 3, 20), (2006, 4, 10), (2006, 10, 31), (2007, 3, 20), (2007, 4, 1), (2007, 10, 30), (2007, 11, 10) })
            Add("America/New_York", y, mo, d, 12);
        foreach (var (y, mo, d) in new[] { (2013, 6, 1), (2013, 7, 20), (2013, 8, 15), (2013, 11, 1), (2014, 6, 30), (2014, 7, 15), (2014, 8, 1) })
            Add("Africa/Casablanca", y, mo, d, 12);
        foreach (var (y, mo, d) in new[] { (2018, 1, 10), (2018, 11, 10), (2019, 3, 1), (2019, 11, 10) })
            Add("America/Sao_Paulo", y, mo, d, 12);
        foreach (var (y, mo, d) in new[] { (2018, 1, 10), (2018, 4, 1), (2018, 10, 7), (2018, 12, 1) })
            Add("Australia/Lord_Howe", y, mo, d, 1);

        return new FeedCalendar("Irregular zones", null, "UTC", new Uri("https://tour.invalid/irregular"), Duration.FromDays(1), events);
    }

    /// <summary>What a correct parser gives back for a TEXT value we wrote (newlines normalised, controls dropped).</summary>
    public static string ExpectedText(string written) =>
        new string(written.Replace("\r\n", "\n").Replace('\r', '\n')
            .Where(c => c is '\n' or '\t' || !char.IsControl(c)).ToArray());
}
