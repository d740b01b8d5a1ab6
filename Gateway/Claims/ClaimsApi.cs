using System.Collections.Immutable;
using NodaTime;
using TourPlanner.Gateway.Gathering;
using TourPlanner.Gateway.Infrastructure;
using TourPlanner.Gateway.Tours;
using TourPlanner.Grains;

namespace TourPlanner.Gateway.Claims;

/// <summary>A venue as typed; <c>addressVisibility</c> is <c>full</c>, <c>city</c> (the default) or <c>on-request</c>.</summary>
public sealed record VenueRequest(string? Name, string? Address, string? CalendarUrl, string? AddressVisibility = null);

public sealed record EventRequest(string? Title, LocalDateTime? Start, int? DurationMinutes, bool? Public, string? Description, List<string>? SpeakerIds)
{
    /// <summary>Checks required fields; the tour grain checks the rest in context.</summary>
    public EventInput? ToInput(ValidationErrors e, string prefix)
    {
        string F(string n) => prefix.Length == 0 ? n : $"{prefix}.{n}";
        if (Start is null) e.Add(F("start"), RequestText.RequiredAs("start", Codes.FormatLocalDateTime));
        if (DurationMinutes is null) e.Add(F("durationMinutes"), RequestText.Required("durationMinutes"));
        if (Start is null || DurationMinutes is null) return null;
        return new EventInput
        {
            Title = Title ?? "", Start = Start.Value, DurationMinutes = DurationMinutes.Value, Public = Public ?? true,
            Description = Description, SpeakerIds = SpeakerIds?.ToImmutableArray(),
        };
    }
}

public sealed record DateWindowRequest(LocalDate? From, LocalDate? To);

public sealed record ClaimRequestDto(string? City, string? Country, string? TimeZone, double? Latitude, double? Longitude,
    List<LocalDate>? Dates, VenueRequest? Venue, List<EventRequest?>? Events,
    List<LocalDate>? AcceptableDates = null, DateWindowRequest? Window = null, int? Priority = null)
{
    /// <summary>
    /// Other first dates the host accepts: the listed ones plus every day of <c>window</c> (a range is the
    /// common way to say "any day that week"); the claim's own first date is always acceptable.
    /// </summary>
    public ImmutableArray<LocalDate> OfferedDates(ValidationErrors e)
    {
        var dates = ImmutableArray.CreateBuilder<LocalDate>();
        if (AcceptableDates is not null) dates.AddRange(AcceptableDates);
        if (Window is { } w)
        {
            if (w.From is null) e.Add("window.from", RequestText.RequiredAs("window.from", Codes.FormatDate));
            if (w.To is null) e.Add("window.to", RequestText.RequiredAs("window.to", Codes.FormatDate));
            if (w.From is { } from && w.To is { } to)
            {
                if (to < from) e.Add("window.to", Text.Of(Codes.FieldBefore, Arg.Plain("field", "window.to"), Arg.Plain("other", "window.from")));
                else if (Period.Between(from, to, PeriodUnits.Days).Days >= Grains.Domain.Validation.MaxAcceptableDates)
                    e.Add("window", Text.Of(Codes.ClaimWindowTooLong, Arg.Number("max", Grains.Domain.Validation.MaxAcceptableDates)));
                else for (var d = from; d <= to; d = d.PlusDays(1)) dates.Add(d);
            }
        }
        return dates.ToImmutable();
    }
}

/// <summary>A new claim; <c>notes</c> as sentences, <c>noteDetails</c> with each note's field and stable code.</summary>
public sealed record ClaimCreatedDto(string ClaimId, string StopId, string HostId, int Rank, string Status, Instant? ExpiresAt,
    IReadOnlyList<EventDto> Events, IReadOnlyList<string> Notes, IReadOnlyList<ConflictDto> Conflicts, IReadOnlyList<FieldMessageDto> NoteDetails);

/// <summary>A confirmed claim and the warnings that did not block it.</summary>
public sealed record ConfirmedDto(string ClaimId, string StopId, string HostId, string City, IReadOnlyList<LocalDate> Dates, int Rank, string Status,
    Instant? ConfirmedAt, IReadOnlyList<ConflictDto> Conflicts)
{
    public ConfirmedDto(ClaimDto c, IReadOnlyList<ConflictDto> conflicts)
        : this(c.ClaimId, c.StopId, c.HostId, c.City, c.Dates, c.Rank, c.Status, c.ConfirmedAt, conflicts) { }
}

/// <summary>Host groups claiming dates; the organizer confirming; either releasing.</summary>
public static class ClaimsApi
{
    public static RouteGroupBuilder MapClaimsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/tours/{id}/claims").WithTags("Claims").CheckIdempotencyKey();
        api.MapPost("/", SubmitAsync).WithName("SubmitClaim").WithSummary("A host group claims dates for its city (host link).")
            .RequireRole(Role.Host).Produces<ClaimCreatedDto>(201).ProducesValidationProblem().ProducesProblem(409).ProducesProblem(422);
        api.MapGet("/", ListAsync).WithName("ListClaims").WithSummary("All claims (organizer) or the group's own (host).")
            .RequireRole(Role.Organizer, Role.Host);
        api.MapPost("/{claimId}/confirm", ConfirmAsync).WithName("ConfirmClaim")
            .WithSummary("Confirm a rank-1 claim (organizer); 409 with the conflicts when it breaks a rule.").RequireRole(Role.Organizer).ProducesProblem(409);
        api.MapPost("/{claimId}/release", ReleaseAsync).WithName("ReleaseClaim").WithSummary("Give up a held claim (its host group or the organizer).")
            .RequireRole(Role.Organizer, Role.Host);
        return api;
    }

    private static async Task<IResult> SubmitAsync(ClaimRequestDto? body, Caller caller, HttpContext http, FactGatherer facts)
    {
        if (body is null) return Outcomes.Invalid("body", Text.Of(Codes.BodyRequired));
        var e = new ValidationErrors();
        var location = Geo.Point(e, "", body.Latitude, body.Longitude);
        var offered = body.OfferedDates(e);
        var events = ImmutableArray.CreateBuilder<EventInput>();
        for (var i = 0; i < (body.Events?.Count ?? 0); i++)
        {
            if (body.Events![i] is not { } ev) { e.Add($"events[{i}]", Text.Of(Codes.ItemRequired)); continue; }
            if (ev.ToInput(e, $"events[{i}]") is { } input) events.Add(input);
        }
        var visibility = Privacy.AddressVisibilities.Parse(e, "venue.addressVisibility", body.Venue?.AddressVisibility);
        if (e.Any) return Outcomes.Invalid(e);
        var request = new ClaimRequest
        {
            City = body.City ?? "", Country = body.Country ?? "", TimeZone = body.TimeZone ?? "", Location = location,
            Dates = body.Dates?.ToImmutableArray() ?? [],
            Venue = new Venue
            {
                Name = body.Venue?.Name, Address = body.Venue?.Address, CalendarUrl = body.Venue?.CalendarUrl,
                AddressVisibility = visibility ?? AddressVisibility.City,
            },
            Events = events.ToImmutable(), AcceptableDates = offered, Priority = body.Priority ?? 1,
        };
        var context = caller.Command(http, body);
        // Outside facts only when there is something outside to ask: routed travel or the venue's own calendar.
        var outcome = facts.RoutesTravel || !string.IsNullOrWhiteSpace(request.Venue.CalendarUrl)
            ? await facts.RunAsync(caller.Tour, null, route => facts.ForStopAsync(route, Provisional(request, route), http.RequestAborted),
                f => caller.Tour.SubmitClaimAsync(context, request, f))
            : await caller.Tour.SubmitClaimAsync(context, request, Grains.Facts.None);
        var words = Wording.Of(http);
        return outcome.ToHttp(r => TypedResults.Created($"/api/tours/{caller.TourId}/claims/{r.Claim.ClaimId}", new ClaimCreatedDto(
            r.Claim.ClaimId, r.Claim.StopId, r.Claim.HostId, r.Claim.Rank, r.Claim.Status.ToString().ToLowerInvariant(), r.Claim.ExpiresAt,
            [.. r.Events.Select(EventDto.From)], words.Notes(r.Notes), words.Conflicts(r.Conflicts), words.Details(r.Notes))));
    }

    /// <summary>The stop a claim would make, to work out which facts it needs before the tour gives it an id.</summary>
    private static StopSnapshot Provisional(ClaimRequest r, RouteSnapshot route) => new()
    {
        StopId = "new", TourId = "", ClaimId = "new", HostId = "", City = r.City, Country = r.Country, TimeZone = r.TimeZone,
        Location = r.Location, Dates = r.Dates, Venue = r.Venue,
        Events = [.. r.Events.Select((ev, i) => new StopEvent
        {
            EventId = $"new-{i}", Title = ev.Title, Start = ev.Start, DurationMinutes = Math.Clamp(ev.DurationMinutes, 1, 1440),
            SpeakerIds = ev.SpeakerIds ?? [.. route.Speakers.Select(s => s.Id)],
        })],
    };

    private static async Task<IResult> ListAsync(Caller caller)
    {
        var claims = await caller.Tour.GetClaimsAsync();
        var visible = caller.IsOrganizer ? claims : claims.Where(c => c.HostId == caller.Principal.HostId);
        return TypedResults.Ok(new { claims = visible.Select(ClaimDto.From) });
    }

    private static async Task<IResult> ConfirmAsync(string claimId, Caller caller, HttpContext http, FactGatherer facts)
    {
        var context = caller.Command(http);
        var outcome = await facts.RunAsync(caller.Tour, claimId,
            route => route.Candidate is { } stop ? facts.ForStopAsync(route, stop, http.RequestAborted) : Task.FromResult(Grains.Facts.None),
            f => caller.Tour.ConfirmClaimAsync(context, claimId, f));
        // A refusal for conflicts comes with the dates that would work for that city instead.
        var extras = outcome.Kind == OutcomeKind.Conflict && !outcome.Conflicts.IsDefaultOrEmpty
            ? new Dictionary<string, object?> { ["suggestions"] = await Suggestions.SuggestionsApi.ForRefusedClaimAsync(caller.Tour, claimId, facts, Wording.Of(http), http.RequestAborted) }
            : null;
        return outcome.ToHttp(c => TypedResults.Ok(new ConfirmedDto(ClaimDto.From(c), Wording.Of(http).Conflicts(outcome.Conflicts))), extras);
    }

    private static async Task<IResult> ReleaseAsync(string claimId, Caller caller, HttpContext http) =>
        (await caller.Tour.ReleaseClaimAsync(caller.Command(http), claimId)).ToHttp(c => TypedResults.Ok(ClaimDto.From(c)));
}
