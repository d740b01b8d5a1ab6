using System.Collections.Immutable;
using NodaTime;
using TourPlanner.Gateway.Infrastructure;
using TourPlanner.Grains;
using static TourPlanner.Gateway.Tours.RequestText;

namespace TourPlanner.Gateway.Tours;

public sealed record SpeakerRequest(string? Name, string? HomeCity, string? HomeTimeZone, double? HomeLatitude, double? HomeLongitude,
    string? Email = null, List<LocalDate>? BlackoutDates = null)
{
    public SpeakerInput ToInput(ValidationErrors e, string prefix)
    {
        var home = Geo.Point(e, prefix.Length == 0 ? "home" : $"{prefix}.home", HomeLatitude, HomeLongitude);
        return new SpeakerInput { Name = Name ?? "", HomeCity = HomeCity, HomeTimeZone = HomeTimeZone ?? "", Home = home, Email = Email };
    }
}

/// <summary>Body of <c>PATCH /api/tours/{id}/speakers/{speakerId}</c>: null fields stay as they are.</summary>
public sealed record SpeakerPatchRequest(string? Name, string? HomeCity, string? HomeTimeZone, double? HomeLatitude, double? HomeLongitude,
    string? Email, List<LocalDate>? BlackoutDates);

/// <summary>Body of <c>PATCH /api/tours/{id}</c>: null fields stay as they are.</summary>
public sealed record TourPatchRequest(string? Name, string? Description, string? TimeZone, LocalDate? StartDate, LocalDate? EndDate,
    RulesRequest? Rules, string? Language, string? OrganizerEmail);

/// <summary>Body of <c>POST /api/tours/{id}/organizers</c>.</summary>
public sealed record OrganizerRequest(string? Name, string? Email, string? Language);

public sealed record RulesRequest(int? HoldDays, int? TravelBufferMinutes, int? MinRestMinutes, int? MaxEventsPerDay,
    Dictionary<string, List<LocalDate>>? BlackoutDates);

public sealed record CreateTourRequest(string? Name, string? Description, string? TimeZone, LocalDate? StartDate, LocalDate? EndDate,
    List<SpeakerRequest?>? Speakers, RulesRequest? Rules, string? OrganizerEmail = null, string? Language = null, string? OrganizerName = null)
{
    /// <summary>Checks presence of required fields and builds the domain command (the tour grain checks the rest).</summary>
    public CreateTour? ToCommand(ValidationErrors e)
    {
        if (StartDate is null) e.Add("startDate", RequiredAs("startDate", Codes.FormatDate));
        if (EndDate is null) e.Add("endDate", RequiredAs("endDate", Codes.FormatDate));
        var speakers = ImmutableArray.CreateBuilder<SpeakerInput>();
        for (var i = 0; i < (Speakers?.Count ?? 0); i++)
        {
            var s = Speakers![i];
            if (s is null) { e.Add($"speakers[{i}]", Text.Of(Codes.ItemRequired)); continue; }
            speakers.Add(s.ToInput(e, $"speakers[{i}]"));
        }
        var defaults = new PlanningRules();
        var rules = new PlanningRules
        {
            HoldDays = Rules?.HoldDays ?? defaults.HoldDays,
            TravelBufferMinutes = Rules?.TravelBufferMinutes ?? defaults.TravelBufferMinutes,
            MinRestMinutes = Rules?.MinRestMinutes ?? defaults.MinRestMinutes,
            MaxEventsPerDay = Rules?.MaxEventsPerDay ?? defaults.MaxEventsPerDay,
            // A null list ("0": null) is kept as a default array so validation names the field instead of failing.
            BlackoutDates = (Rules?.BlackoutDates ?? []).ToImmutableDictionary(p => p.Key, p => p.Value is null ? default : p.Value.ToImmutableArray()),
        };
        if (StartDate is null || EndDate is null) return null;
        return new CreateTour
        {
            Name = Name ?? "", Description = Description, TimeZone = TimeZone ?? "", StartDate = StartDate.Value,
            EndDate = EndDate.Value, Speakers = speakers.ToImmutable(), Rules = rules, OrganizerEmail = OrganizerEmail,
            Language = Language ?? "en", OrganizerName = OrganizerName,
        };
    }
}

/// <summary>Messages the request readers build.</summary>
public static class RequestText
{
    /// <summary>"{field} is required ({format})."</summary>
    public static Text RequiredAs(string field, MessageCode format) =>
        Text.Of(Codes.FieldRequiredAs, Arg.Plain("field", field), Arg.Of("format", Text.Of(format)));

    public static Text Required(string field) => Text.Of(Codes.FieldRequired, Arg.Plain("field", field));
}

public sealed record SpeakerCreatedDto(string Id, string Name, string Token, string Url);

public sealed record TourCreatedDto(string Id, string Slug, string OrganizerToken, string OrganizerUrl, string PublicUrl,
    IReadOnlyList<SpeakerCreatedDto> Speakers, string? OrganizerId = null);

public sealed record PublicSpeakerDto(string Id, string Name);

public sealed record PublicEventDto(string EventId, string Title, Instant Start, Instant End, LocalDateTime LocalStart,
    LocalDateTime LocalEnd, string TimeZone, string? Description, IReadOnlyList<string> SpeakerIds);

/// <summary>A venue as the public sees it: the address only when the host group publishes it (<c>addressVisibility</c> <c>full</c>).</summary>
public sealed record PublicVenueDto(string? Name, string? Address, AddressVisibility AddressVisibility = AddressVisibility.City);

public sealed record PublicStopDto(string StopId, string City, string Country, string TimeZone, IReadOnlyList<LocalDate> Dates,
    PublicVenueDto Venue, IReadOnlyList<PublicEventDto> Events);

/// <summary>What anyone may see: confirmed stops and their public events only.</summary>
public sealed record PublicTourDto(string Id, string Slug, string Name, string? Description, LocalDate StartDate, LocalDate EndDate,
    string TimeZone, string PublicUrl, SubscribeLinks Subscribe, IReadOnlyList<PublicSpeakerDto> Speakers, IReadOnlyList<PublicStopDto> Stops)
{
    public static PublicTourDto From(TourSnapshot t, IEnumerable<StopSnapshot> stops, string baseUrl) => new(
        t.TourId, t.Slug, t.Name, t.Description, t.StartDate, t.EndDate, t.TimeZone, Links.Public(t.Slug), SubscribeLinks.For(baseUrl, t),
        [.. t.Speakers.Select(s => new PublicSpeakerDto(s.Id, s.Name))],
        [.. stops.Where(s => s.Status == ClaimStatus.Confirmed).OrderBy(s => s.Dates.FirstOrDefault()).Select(s => new PublicStopDto(
            s.StopId, s.City, s.Country, s.TimeZone, s.Dates, new PublicVenueDto(s.Venue.Name, s.Venue.PublicAddress, s.Venue.AddressVisibility),
            [.. s.Events.Where(e => e.Public).Select(e => Grains.Domain.EventViews.Of(s, e)).OrderBy(e => e.Start)
                .Select(e => new PublicEventDto(e.EventId, e.Title, e.Start, e.End, e.LocalStart, e.LocalEnd, e.TimeZone, e.Description, e.SpeakerIds))]))]);
}

public sealed record EventDto(string EventId, string StopId, string Title, Instant Start, Instant End, LocalDateTime LocalStart,
    LocalDateTime LocalEnd, string TimeZone, int DurationMinutes, bool Public, string? Description, IReadOnlyList<string> SpeakerIds, int Sequence)
{
    public static EventDto From(EventView e) => new(e.EventId, e.StopId, e.Title, e.Start, e.End, e.LocalStart, e.LocalEnd, e.TimeZone,
        e.DurationMinutes, e.Public, e.Description, e.SpeakerIds, e.Sequence);
}

public sealed record StopDto(string StopId, string ClaimId, string HostId, string City, string Country, string TimeZone,
    double? Latitude, double? Longitude, IReadOnlyList<LocalDate> Dates, Venue Venue, string Status, IReadOnlyList<EventDto> Events,
    Instant? CancelledAt = null)
{
    public static StopDto From(StopSnapshot s) => new(s.StopId, s.ClaimId, s.HostId, s.City, s.Country, s.TimeZone,
        s.Location?.Latitude, s.Location?.Longitude, s.Dates, s.Venue, s.Status.ToString().ToLowerInvariant(),
        [.. s.Events.Select(e => EventDto.From(Grains.Domain.EventViews.Of(s, e))).OrderBy(e => e.Start)], s.CancelledAt);
}

public sealed record ClaimDto(string ClaimId, string StopId, string HostId, string City, IReadOnlyList<LocalDate> Dates,
    IReadOnlyList<string> SpeakerIds, int Rank, string Status, Instant CreatedAt, Instant? ExpiresAt, Instant? ConfirmedAt,
    IReadOnlyList<LocalDate> AcceptableDates, int Priority)
{
    public static ClaimDto From(ClaimView c) => new(c.ClaimId, c.StopId, c.HostId, c.City, c.Dates, c.SpeakerIds, c.Rank,
        c.Status.ToString().ToLowerInvariant(), c.CreatedAt, c.ExpiresAt, c.ConfirmedAt,
        Grains.Domain.PlanModel.AcceptableDates(c), c.Priority);
}

public sealed record HostDto(string HostId, string Name, string? City, string? ContactName, string? ContactEmail, string? ContactPhone,
    IReadOnlyList<string> ClaimIds, Instant CreatedAt, string Language)
{
    public static HostDto From(HostSnapshot h) => new(h.HostId, h.Name, h.City, h.ContactName, h.ContactEmail, h.ContactPhone, h.ClaimIds, h.CreatedAt, h.Language);
}

public sealed record OrganizerDto(string Id, string Name, string? Email, string Language, Instant AddedAt)
{
    public static OrganizerDto From(OrganizerInfo o) => new(o.Id, o.Name, o.Email, o.Language, o.AddedAt);
}

public sealed record LinkDto(string TokenId, string PersonId, string Role, Instant IssuedAt, string? IssuedBy)
{
    public static LinkDto From(LinkInfo l) => new(l.TokenId, l.PersonId, l.Role.ToString().ToLowerInvariant(), l.IssuedAt, l.IssuedBy);
}

public sealed record HistoryDto(long Position, Instant At, string Action, string ActorRole, string? ActorId, string? TokenId, string? Subject)
{
    public static HistoryDto From(HistoryEntry h) => new(h.Position, h.At, h.Action, h.ActorRole.ToString().ToLowerInvariant(), h.ActorId, h.TokenId, h.Subject);
}

/// <summary>The organizer's view: everything.</summary>
public sealed record OrganizerTourDto(string Id, string Slug, string Name, string? Description, LocalDate StartDate, LocalDate EndDate,
    string TimeZone, string PublicUrl, IReadOnlyList<SpeakerInfoDto> Speakers, RulesDto Rules, IReadOnlyList<HostDto> Hosts,
    IReadOnlyList<ClaimDto> Claims, IReadOnlyList<StopDto> Stops, string Language, IReadOnlyList<OrganizerDto> Organizers, long Version);

public sealed record SpeakerInfoDto(string Id, string Name, string? HomeCity, string HomeTimeZone, double? HomeLatitude, double? HomeLongitude,
    string? Email = null)
{
    public static SpeakerInfoDto From(SpeakerInfo s) => new(s.Id, s.Name, s.HomeCity, s.HomeTimeZone, s.Home?.Latitude, s.Home?.Longitude, s.Email);
}

public sealed record RulesDto(int HoldDays, int TravelBufferMinutes, int MinRestMinutes, int MaxEventsPerDay, IReadOnlyDictionary<string, ImmutableArray<LocalDate>> BlackoutDates)
{
    public static RulesDto From(PlanningRules r) => new(r.HoldDays, r.TravelBufferMinutes, r.MinRestMinutes, r.MaxEventsPerDay, r.BlackoutDates);
}

/// <summary>Ready links to subscribe to the tour's public calendar in the common apps.</summary>
public sealed record SubscribeLinks(string Https, string Webcal, string Google, string Outlook)
{
    public static SubscribeLinks For(string baseUrl, TourSnapshot t)
    {
        var https = $"{baseUrl}/tours/{Uri.EscapeDataString(t.Slug)}/calendar.ics";
        var webcal = "webcal://" + https[(https.IndexOf("://", StringComparison.Ordinal) + 3)..];
        return new SubscribeLinks(https, webcal,
            // Google's add-by-URL takes the feed in cid; Outlook's addfromweb takes url and a display name.
            $"https://calendar.google.com/calendar/r?cid={Uri.EscapeDataString(webcal)}",
            $"https://outlook.live.com/calendar/0/addfromweb?url={Uri.EscapeDataString(https)}&name={Uri.EscapeDataString(t.Name)}");
    }
}

/// <summary>Both coordinates or neither.</summary>
public static class Geo
{
    public static GeoPoint? Point(ValidationErrors e, string prefix, double? lat, double? lon)
    {
        string Name(string n) => prefix.Length == 0 ? n.ToLowerInvariant() : prefix + n;
        if (lat is null && lon is null) return null;
        if (lat is null) { e.Add(Name("Latitude"), Text.Of(Codes.LatitudeMissing)); return null; }
        if (lon is null) { e.Add(Name("Longitude"), Text.Of(Codes.LongitudeMissing)); return null; }
        return new GeoPoint(lat.Value, lon.Value);
    }
}

/// <summary>The pages a person opens. Tokens travel in the URL fragment, which browsers never send to a server or in a Referer.</summary>
public static class Links
{
    public static string Public(string slug) => $"/t/{Uri.EscapeDataString(slug)}";
    public static string Organizer(string tourId, string token) => $"/organize/{tourId}#token={token}";
    public static string Speaker(string tourId, string speakerId, string token) => $"/speak/{tourId}/{speakerId}#token={token}";
    public static string Host(string tourId, string hostId, string token) => $"/host/{tourId}/{hostId}#token={token}";
}
