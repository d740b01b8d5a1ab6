using System.Collections.Immutable;
using TourPlanner.Grains.Domain.Tours;

namespace TourPlanner.Grains.Domain.Privacy;

/// <summary>
/// Which parts of a tour's entries are private, and what is left of an entry once they are gone. The tour log stores
/// each entry twice over: what <see cref="Redact"/> keeps, in the clear, and the whole entry sealed with a key of the
/// tour (<see cref="Scope"/> names which). Destroying a key then turns every entry it sealed, in every log segment
/// ever written, back into its redacted form without rewriting history: that is how retention, a host group's
/// withdrawal and deletion forget people, and why a copy of the database alone reveals none of them.
/// </summary>
public static class PrivateData
{
    /// <summary>The key sealing the tour's private data in general (lodging, notes, addresses, sign-ups, organizers, speakers).</summary>
    public const string TourScope = "tour";

    /// <summary>The key sealing one host group's contacts, destroyed alone when the group withdraws.</summary>
    public static string HostScope(string hostId) => "host/" + hostId;

    /// <summary>
    /// True when the entry carries something private (it is then stored sealed beside its redacted form): its own
    /// fields, or the messages it owes, whose stops hold addresses and private events whatever the entry is.
    /// </summary>
    public static bool HasPrivate(TourEntry entry) => !entry.Notices.IsDefaultOrEmpty || entry is TourSetUp or SpeakerAdded
        or SpeakerChanged or SpeakerRemoved or OrganizerAdded or OrganizerChanged or HostAdded or HostChanged or LinkIssued
        or ClaimSubmitted or StopChanged or ProposalApplied or SupporterSignedUp;

    /// <summary>Which key seals the entry: a host group's own for its contacts, the tour's for everything else.</summary>
    public static string Scope(TourEntry entry) => entry switch
    {
        HostAdded e => HostScope(e.Host.HostId),
        HostChanged e => HostScope(e.Host.HostId),
        _ => TourScope,
    };

    /// <summary>
    /// The entry as the public record keeps it: names of people, e-mails, phones, a speaker's home, venue addresses
    /// (unless published in full), venue calendar URLs, private events' titles and descriptions, link labels and
    /// sign-ups removed. Everything else (cities, dates, times, public events, who did what) stays.
    /// The entry's notices stay, one for one (the outbox numbers them), with what they would tell redacted the same way.
    /// </summary>
    public static TourEntry Redact(TourEntry entry) => Fields(entry) is var kept && kept.Notices.IsDefaultOrEmpty
        ? kept : kept with { Notices = [.. kept.Notices.Select(Notice)] };

    private static TourEntry Fields(TourEntry entry) => entry switch
    {
        TourSetUp e => e with { Organizer = Organizer(e.Organizer), Speakers = [.. e.Speakers.Select(Speaker)], Tokens = [.. e.Tokens.Select(Token)] },
        SpeakerAdded e => e with { Speaker = Speaker(e.Speaker), Token = Token(e.Token) },
        SpeakerChanged e => e with { Speaker = Speaker(e.Speaker) },
        SpeakerRemoved e => e with { ChangedStops = Stops(e.ChangedStops) },
        OrganizerAdded e => e with { Organizer = Organizer(e.Organizer), Token = Token(e.Token) },
        OrganizerChanged e => e with { Organizer = Organizer(e.Organizer) },
        HostAdded e => e with { Host = Host(e.Host), Token = Token(e.Token) },
        HostChanged e => e with { Host = Host(e.Host) },
        LinkIssued e => e with { Token = Token(e.Token) },
        ClaimSubmitted e => e with { Stop = Stop(e.Stop) },
        StopChanged e => e with { Stop = Stop(e.Stop) },
        ProposalApplied e => e with { Stops = Stops(e.Stops) },
        SupporterSignedUp e => e with { Email = null, ShareWithHost = false },
        _ => entry,
    };

    public static HostSnapshot Host(HostSnapshot h) => h with { ContactName = null, ContactEmail = null, ContactPhone = null };

    public static OrganizerInfo Organizer(OrganizerInfo o) => o with { Name = "", Email = null };

    public static SpeakerInfo Speaker(SpeakerInfo s) => s with { Email = null, Home = null, HomeCity = null };

    public static StopSnapshot Stop(StopSnapshot s) => s with
    {
        Venue = s.Venue with { Address = s.Venue.PublicAddress, CalendarUrl = null },
        Events = [.. s.Events.Select(Event)],
    };

    /// <summary>A message as the public record keeps it: who and what kind, without the stop's private parts or explanations.</summary>
    public static Notice Notice(Notice n) => n with
    {
        Stop = n.Stop is null ? null : Stop(n.Stop),
        RemovedEvents = n.RemovedEvents.IsDefaultOrEmpty ? n.RemovedEvents : [.. n.RemovedEvents.Select(Event)],
        Conflicts = [],
    };

    private static StopEvent Event(StopEvent e) => e.Public ? e : e with { Title = "", Description = null };

    private static ImmutableArray<StopSnapshot> Stops(ImmutableArray<StopSnapshot> stops) => stops.IsDefault ? stops : [.. stops.Select(Stop)];

    private static TokenRecord Token(TokenRecord t) => t with { Label = null };
}
