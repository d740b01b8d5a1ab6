using NodaTime;

namespace TourPlanner.Gateway.Calendar;

/// <summary>A tour's subscribable calendar: feed-level metadata plus the stops and travel legs it publishes.</summary>
/// <param name="Name">Calendar name shown by clients (NAME / X-WR-CALNAME).</param>
/// <param name="Description">Optional calendar description (X-WR-CALDESC).</param>
/// <param name="DefaultTimeZoneId">IANA id of the zone clients should display the calendar in (X-WR-TIMEZONE).</param>
/// <param name="Url">Public tour page.</param>
/// <param name="RefreshInterval">How often subscribers should re-fetch (REFRESH-INTERVAL / X-PUBLISHED-TTL).</param>
/// <param name="Events">The events; order does not matter, the writer sorts them.</param>
/// <param name="Omitted">How many events were left out to keep the feed within its size cap (X-TOURPLANNER-OMITTED).</param>
public sealed record FeedCalendar(
    string Name,
    string? Description,
    string DefaultTimeZoneId,
    Uri Url,
    Duration RefreshInterval,
    IReadOnlyList<FeedEvent> Events,
    int Omitted = 0);

/// <summary>One tour stop or travel leg as published in the feed.</summary>
/// <param name="Uid">Stable identifier; must never change for the life of the event.</param>
/// <param name="Summary">Title.</param>
/// <param name="Description">Optional free text.</param>
/// <param name="Location">Optional venue / address.</param>
/// <param name="Latitude">Optional WGS84 latitude; given together with <paramref name="Longitude"/>.</param>
/// <param name="Longitude">Optional WGS84 longitude; given together with <paramref name="Latitude"/>.</param>
/// <param name="Url">Optional link to the event page.</param>
/// <param name="Start">Start, in the zone where it happens.</param>
/// <param name="End">End, possibly in another zone than the start (travel legs).</param>
/// <param name="Status">Confirmed, tentative or cancelled.</param>
/// <param name="Sequence">Revision number; raise it on every significant change (time, place, status).</param>
/// <param name="Created">When the event was first created.</param>
/// <param name="LastModified">When the event last changed; also used as DTSTAMP so unchanged events render identically.</param>
/// <param name="Transparent">True when the event should not block the subscriber's free/busy time.</param>
/// <param name="Categories">Optional category labels.</param>
public sealed record FeedEvent(
    string Uid,
    string Summary,
    string? Description,
    string? Location,
    double? Latitude,
    double? Longitude,
    Uri? Url,
    ZonedDateTime Start,
    ZonedDateTime End,
    FeedEventStatus Status,
    int Sequence,
    Instant Created,
    Instant LastModified,
    bool Transparent,
    IReadOnlyList<string>? Categories);

/// <summary>Publication status of a feed event (iCalendar STATUS).</summary>
public enum FeedEventStatus
{
    /// <summary>The event will happen.</summary>
    Confirmed,

    /// <summary>The event is planned but not yet certain.</summary>
    Tentative,

    /// <summary>The event was called off; it stays in the feed so clients learn of the cancellation.</summary>
    Cancelled,
}

/// <summary>Who sends an iTIP invitation (ORGANIZER) and to whom (ATTENDEE): plain e-mail addresses, optional names.</summary>
public sealed record Invitation(string OrganizerEmail, string? OrganizerName, string AttendeeEmail, string? AttendeeName);
