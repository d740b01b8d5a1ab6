using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using TourPlanner.Gateway.Infrastructure;
using TourPlanner.Grains;
using TourPlanner.Grains.Domain;

namespace TourPlanner.Gateway.Tours;

/// <summary>Creating tours, reading them (organizer or public view), changing their settings, and the organizers' own links.</summary>
public static class ToursApi
{
    public const string CreationKeyHeader = "X-Tour-Creation-Key";

    public static RouteGroupBuilder MapToursApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/tours").WithTags("Tours").CheckIdempotencyKey();
        api.MapPost("/", CreateAsync).WithName("CreateTour").WithSummary("Create a tour; returns the organizer's and speakers' links once.")
            .RequireRateLimiting(RateLimitsHosting.TourCreation)
            .Produces<TourCreatedDto>(201).ProducesValidationProblem().ProducesProblem(401).ProducesProblem(422).ProducesProblem(429);
        api.MapGet("/{id}", GetAsync).WithName("GetTour").WithSummary("The whole tour for its organizer; the public view for anyone else.")
            .RequireTour().Produces<OrganizerTourDto>().Produces<PublicTourDto>().ProducesProblem(404);
        api.MapPatch("/{id}", UpdateAsync).WithName("UpdateTour").WithSummary("Change the tour's settings and rules (organizer).")
            .RequireRole(Role.Organizer).Produces<OrganizerTourDto>().ProducesValidationProblem();
        api.MapPost("/{id}/tokens/organizer", RotateOrganizerAsync).WithName("RotateOrganizerToken")
            .WithSummary("Revoke every link of the calling organizer and issue one new link.").RequireRole(Role.Organizer);
        api.MapGet("/{id}/organizers", ListOrganizersAsync).WithName("ListOrganizers").WithSummary("The tour's organizers (organizer).")
            .RequireRole(Role.Organizer);
        api.MapPost("/{id}/organizers", AddOrganizerAsync).WithName("AddOrganizer")
            .WithSummary("Invite a co-organizer with a link of their own, shown once (organizer).").RequireRole(Role.Organizer)
            .ProducesValidationProblem();
        api.MapPost("/{id}/organizers/{organizerId}/links", (string organizerId, Caller caller, HttpContext http) =>
                LinkIssuing.IssueAsync(caller, http, Role.Organizer, organizerId, revokeOthers: false))
            .WithName("IssueOrganizerLink").WithSummary("A new link for an organizer; their other links keep working (organizer).")
            .RequireRole(Role.Organizer);
        api.MapGet("/{id}/links", ListLinksAsync).WithName("ListLinks").WithSummary("Every live link of the tour: who holds it and when it was issued, never the token; `you` names the caller's own (organizer).")
            .RequireRole(Role.Organizer);
        api.MapDelete("/{id}/links/{tokenId}", RevokeLinkAsync).WithName("RevokeLink").WithSummary("Revoke one link (organizer).")
            .RequireRole(Role.Organizer);
        api.MapGet("/{id}/history", HistoryAsync).WithName("TourHistory").WithSummary("Who did what, newest first (organizer).")
            .RequireRole(Role.Organizer);
        app.MapGet("/api/slugs/{slug}", GetBySlugAsync).WithTags("Tours").WithName("GetTourBySlug")
            .WithSummary("The public view of a tour by its slug.");
        return api;
    }

    private static async Task<IResult> CreateAsync(CreateTourRequest? body, HttpContext http, IGrainFactory grains, IConfiguration config)
    {
        if (config["Gateway:TourCreationKey"] is { Length: > 0 } required
            && !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(http.Request.Headers[CreationKeyHeader].ToString()), Encoding.UTF8.GetBytes(required)))
            return new ProblemResult(401, RequestCodes.TitleUnauthorized, Text.Of(RequestCodes.CreationKeyNeeded, Arg.Plain("header", CreationKeyHeader)))
            {
                Errors = ImmutableDictionary<string, ImmutableArray<Text>>.Empty.Add(CreationKeyHeader, [Text.Of(RequestCodes.CreationKeyWrong)]),
            };
        if (body is null) return Outcomes.Invalid("body", Text.Of(Codes.BodyRequired));
        var errors = new ValidationErrors();
        var command = body.ToCommand(errors);
        if (command is not null) foreach (var (field, messages) in Validation.Check(command).ToImmutable())
            foreach (var m in messages) errors.Add(field, m);
        if (errors.Any || command is null) return Outcomes.Invalid(errors);

        var context = Idempotency.Context(http, Principal.Anonymous, body);
        // With an idempotency key the tour's id comes from the key, so a retry reaches the same tour and gets the
        // first answer back; without one, a fresh id.
        var tourId = context.IdempotencyKey is { } key ? TourIdFor(key) : Tokens.NewId("t_");
        var slug = await ReserveSlugAsync(grains, Slugify(command.Name), tourId);
        var outcome = await grains.GetGrain<ITourGrain>(tourId).CreateAsync(context, command, slug);
        return outcome.ToHttp(created => TypedResults.Created($"/api/tours/{created.TourId}", new TourCreatedDto(
            created.TourId, created.Slug, created.OrganizerToken, Links.Organizer(created.TourId, created.OrganizerToken),
            Links.Public(created.Slug),
            [.. created.Speakers.Select(s => new SpeakerCreatedDto(s.Id, s.Name, s.Token, Links.Speaker(created.TourId, s.Id, s.Token)))],
            created.OrganizerId)));
    }

    /// <summary>A tour id only the holder of the idempotency key can name in advance.</summary>
    public static string TourIdFor(string idempotencyKey) =>
        "t_" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes("tour:" + idempotencyKey)))[..16].Replace('+', '-').Replace('/', '_');

    private static async Task<IResult> GetAsync(Caller caller, PublicLinks links)
    {
        var tour = (await caller.Tour.GetAsync())!;
        if (!caller.IsOrganizer)
            return TypedResults.Ok(PublicTourDto.From(tour, await caller.Tour.GetStopsAsync(publishedOnly: true), links.BaseUrl));
        return TypedResults.Ok(await OrganizerViewAsync(caller.Tour, tour));
    }

    private static async Task<OrganizerTourDto> OrganizerViewAsync(ITourGrain grain, TourSnapshot tour)
    {
        var stops = await grain.GetStopsAsync(publishedOnly: false);
        var hosts = await grain.GetHostsAsync();
        return new OrganizerTourDto(tour.TourId, tour.Slug, tour.Name, tour.Description, tour.StartDate, tour.EndDate,
            tour.TimeZone, Links.Public(tour.Slug), [.. tour.Speakers.Select(SpeakerInfoDto.From)],
            RulesDto.From(tour.Rules), [.. hosts.Select(HostDto.From)], [.. tour.Claims.Select(ClaimDto.From)],
            [.. stops.Select(StopDto.From)], tour.Language, [.. tour.Organizers.Select(OrganizerDto.From)], tour.Version);
    }

    private static async Task<IResult> UpdateAsync(TourPatchRequest? body, Caller caller, HttpContext http)
    {
        if (body is null) return Outcomes.Invalid("body", Text.Of(Codes.BodyRequired));
        var patch = new TourSettingsPatch
        {
            Name = body.Name, Description = body.Description, TimeZone = body.TimeZone, StartDate = body.StartDate, EndDate = body.EndDate,
            HoldDays = body.Rules?.HoldDays, TravelBufferMinutes = body.Rules?.TravelBufferMinutes, MinRestMinutes = body.Rules?.MinRestMinutes,
            MaxEventsPerDay = body.Rules?.MaxEventsPerDay, Language = body.Language, OrganizerEmail = body.OrganizerEmail,
        };
        if (body.Rules?.BlackoutDates is not null)
            return Outcomes.Invalid("rules.blackoutDates", Text.Of(RequestCodes.BlackoutsElsewhere, Arg.Plain("path", "PATCH /api/tours/{id}/speakers/{speakerId}")));
        var outcome = await caller.Tour.UpdateSettingsAsync(caller.Command(http), patch);
        if (!outcome.IsOk) return outcome.ToHttp(_ => TypedResults.Ok());
        return TypedResults.Ok(await OrganizerViewAsync(caller.Tour, outcome.Value!));
    }

    private static async Task<IResult> RotateOrganizerAsync(Caller caller, HttpContext http)
    {
        var outcome = await caller.Tour.IssueLinkAsync(caller.Command(http), Role.Organizer, caller.Principal.PersonId!, revokeOthers: true);
        return outcome.ToHttp(l => TypedResults.Ok(new { token = l.Token, tokenId = l.TokenId, organizerUrl = Links.Organizer(caller.TourId, l.Token) }));
    }

    private static async Task<IResult> ListOrganizersAsync(Caller caller) =>
        TypedResults.Ok(new { organizers = (await caller.Tour.GetAsync())!.Organizers.Select(OrganizerDto.From) });

    private static async Task<IResult> AddOrganizerAsync(OrganizerRequest? body, Caller caller, HttpContext http)
    {
        if (body is null) return Outcomes.Invalid("body", Text.Of(Codes.BodyRequired));
        var outcome = await caller.Tour.AddOrganizerAsync(caller.Command(http, body), body.Name ?? "", body.Email, body.Language ?? "en");
        return outcome.ToHttp(l => TypedResults.Created($"/api/tours/{caller.TourId}/organizers/{l.PersonId}",
            new { id = l.PersonId, token = l.Token, tokenId = l.TokenId, organizerUrl = Links.Organizer(caller.TourId, l.Token) }));
    }

    // `you` names the caller's own link, so a page can warn before its holder revokes the link they are using.
    private static async Task<IResult> ListLinksAsync(Caller caller) =>
        TypedResults.Ok(new
        {
            links = (await caller.Tour.GetLinksAsync()).Select(LinkDto.From),
            you = new { personId = caller.Principal.PersonId, tokenId = caller.Principal.TokenId },
        });

    private static async Task<IResult> RevokeLinkAsync(string tokenId, Caller caller, HttpContext http) =>
        (await caller.Tour.RevokeLinkAsync(caller.Command(http), tokenId)).ToHttp(l => TypedResults.Ok(LinkDto.From(l)));

    private static async Task<IResult> HistoryAsync(long? before, int? limit, Caller caller)
    {
        if (limit is < 1 or > 500) return Outcomes.Invalid("limit", Validation.Range("limit", 1, 500));
        return TypedResults.Ok(new { history = (await caller.Tour.GetHistoryAsync(before, limit ?? 100)).Select(HistoryDto.From) });
    }

    private static async Task<IResult> GetBySlugAsync(string slug, IGrainFactory grains, PublicLinks links)
    {
        if (!Slugs.LooksLikeSlug(slug) || await grains.GetGrain<ITourSlugGrain>(slug).GetTourIdAsync() is not { } tourId
            || await grains.GetGrain<ITourGrain>(tourId).GetAsync() is not { } tour)
            return Slugs.LooksLikeSlug(slug) ? await Calendar.CalendarApi.MissingAsync(grains, slug) : Outcomes.Problem(404, Text.Of(RequestCodes.NoTourAtAddress));
        return TypedResults.Ok(PublicTourDto.From(tour, await grains.GetGrain<ITourGrain>(tourId).GetStopsAsync(publishedOnly: true), links.BaseUrl));
    }

    /// <summary>A readable, URL-safe slug: accents folded, lower-case, dashes.</summary>
    public static string Slugify(string name)
    {
        var sb = new StringBuilder();
        foreach (var ch in name.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(ch) == UnicodeCategory.NonSpacingMark) continue;
            var c = char.ToLowerInvariant(ch);
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9') sb.Append(c);
            else if (sb.Length > 0 && sb[^1] != '-') sb.Append('-');
            if (sb.Length >= 48) break;
        }
        var slug = sb.ToString().Trim('-');
        return slug.Length == 0 ? "tour" : slug;
    }

    private static async Task<string> ReserveSlugAsync(IGrainFactory grains, string baseSlug, string tourId)
    {
        for (var n = 1; n <= 20; n++)
        {
            var candidate = n == 1 ? baseSlug : $"{baseSlug}-{n}";
            if (await grains.GetGrain<ITourSlugGrain>(candidate).ReserveAsync(tourId)) return candidate;
        }
        var unique = $"{baseSlug}-{tourId[2..10].ToLowerInvariant()}";
        await grains.GetGrain<ITourSlugGrain>(unique).ReserveAsync(tourId);
        return unique;
    }
}

/// <summary>What a slug can look like; anything else is unknown without asking a grain.</summary>
public static class Slugs
{
    public static bool LooksLikeSlug(string? slug) =>
        slug is { Length: > 0 and <= 64 } && slug.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '_');
}
