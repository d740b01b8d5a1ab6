using NodaTime;

namespace TourPlanner.Gateway.Calendar;

/// <summary>Writes one <see cref="FeedEvent"/> as a VEVENT.</summary>
public static class EventWriter
{
    /// <summary>Writes BEGIN:VEVENT … END:VEVENT; an invitation adds its ORGANIZER and ATTENDEE (RFC 5546).</summary>
    public static void Write(ContentLineWriter writer, FeedEvent e, Invitation? invitation = null)
    {
        Validate(e);
        writer.Begin("VEVENT");
        writer.WriteText("UID", e.Uid);
        // DTSTAMP is the last change, not the render time, so an unchanged feed renders to the
        // same bytes and HTTP caches / ETags stay valid between fetches.
        writer.Write("DTSTAMP", IcalFormat.Utc(e.LastModified));
        WriteTime(writer, "DTSTART", e.Start);
        WriteTime(writer, "DTEND", e.End);
        writer.Write("SEQUENCE", e.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture));
        writer.Write("CREATED", IcalFormat.Utc(e.Created));
        writer.Write("LAST-MODIFIED", IcalFormat.Utc(e.LastModified));
        writer.WriteText("SUMMARY", e.Summary);
        if (!string.IsNullOrEmpty(e.Description)) writer.WriteText("DESCRIPTION", e.Description);
        if (!string.IsNullOrEmpty(e.Location)) writer.WriteText("LOCATION", e.Location);
        if (e is { Latitude: { } lat, Longitude: { } lon })
            writer.Write("GEO", $"{IcalFormat.Float(lat)};{IcalFormat.Float(lon)}");
        if (e.Url is not null) writer.Write("URL", IcalText.SanitizeUri(e.Url));
        var categories = e.Categories?.Where(c => !string.IsNullOrWhiteSpace(c)).Select(IcalText.EscapeText).ToList();
        if (categories is { Count: > 0 }) writer.Write("CATEGORIES", string.Join(',', categories));
        writer.Write("STATUS", StatusText(e.Status));
        writer.Write("TRANSP", e.Transparent ? "TRANSPARENT" : "OPAQUE");
        if (invitation is not null)
        {
            writer.Write("ORGANIZER", Named(invitation.OrganizerName), "mailto:" + invitation.OrganizerEmail);
            writer.Write("ATTENDEE", [.. Named(invitation.AttendeeName), ("ROLE", "REQ-PARTICIPANT"), ("PARTSTAT", "NEEDS-ACTION"), ("RSVP", "FALSE")],
                "mailto:" + invitation.AttendeeEmail);
        }
        writer.End("VEVENT");
    }

    // A display name goes in CN; a quote or control character cannot be written in a parameter, so it is dropped.
    private static (string, string)[] Named(string? name) =>
        string.IsNullOrWhiteSpace(name) ? [] : [("CN", new string(name.Where(c => c != '"' && !char.IsControl(c)).ToArray()).Trim())];

    private static void WriteTime(ContentLineWriter writer, string name, ZonedDateTime value)
    {
        if (EventTimeForm.NeedsUtcForm(value))
            writer.Write(name, IcalFormat.Utc(value.ToInstant()));
        else
            writer.Write(name, "TZID", value.Zone.Id, IcalFormat.Local(value.LocalDateTime));
    }

    private static string StatusText(FeedEventStatus status) => status switch
    {
        FeedEventStatus.Confirmed => "CONFIRMED",
        FeedEventStatus.Tentative => "TENTATIVE",
        FeedEventStatus.Cancelled => "CANCELLED",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown status."),
    };

    private static void Validate(FeedEvent e)
    {
        if (string.IsNullOrWhiteSpace(e.Uid)) throw new ArgumentException("An event needs a UID.", nameof(e));
        if (e.End.ToInstant() < e.Start.ToInstant()) throw new ArgumentException($"Event '{e.Uid}' ends before it starts.", nameof(e));
        if (e.Sequence < 0) throw new ArgumentException($"Event '{e.Uid}' has a negative SEQUENCE.", nameof(e));
        if (e.Latitude.HasValue != e.Longitude.HasValue)
            throw new ArgumentException($"Event '{e.Uid}' has only one of latitude and longitude.", nameof(e));
        if (e.Latitude is < -90 or > 90 || e.Longitude is < -180 or > 180)
            throw new ArgumentException($"Event '{e.Uid}' has coordinates out of range.", nameof(e));
        FeedWriter.RequireTzdbZone(e.Start.Zone.Id);
        FeedWriter.RequireTzdbZone(e.End.Zone.Id);
    }
}
