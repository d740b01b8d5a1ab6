using System.Globalization;
using System.Text;
using TourPlanner.Gateway.Infrastructure;
using TourPlanner.Grains;
using TourPlanner.Grains.Domain;

namespace TourPlanner.Gateway.Tours;

/// <summary>Creating tours, reading them (organizer or public view), and re-issuing tokens.</summary>
public static class ToursApi
{
    public static RouteGroupBuilder MapToursApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/tours").WithTags("Tours");
        api.MapPost("/", CreateAsync).WithName("CreateTour").WithSummary("Create a tour; returns the organizer's and speakers' links once.")
            .Produces<TourCreatedDto>(201).ProducesValidationProblem();
        api.MapGet("/{id}", GetAsync).WithName("GetTour").WithSummary("The whole tour for its organizer; the public view for anyone else.")
            .Produces<OrganizerTourDto>().Produces<PublicTourDto>().ProducesProblem(404);
        api.MapPost("/{id}/tokens/organizer", RotateOrganizerAsync).WithName("RotateOrganizerToken")
            .WithSummary("Revoke the organizer link and issue a new one.");
        api.MapPost("/{id}/speakers/{speakerId}/token", RotateSpeakerAsync).WithName("RotateSpeakerToken")
            .WithSummary("Revoke a speaker's link and issue a new one (organizer).");
        app.MapGet("/api/slugs/{slug}", GetBySlugAsync).WithTags("Tours").WithName("GetTourBySlug")
            .WithSummary("The public view of a tour by its slug.");
        return api;
    }

    private static async Task<IResult> CreateAsync(CreateTourRequest? body, IGrainFactory grains)
    {
        if (body is null) return Outcomes.Invalid(new ValidationErrors().Add("body", "A JSON body is required."));
        var errors = new ValidationErrors();
        var command = body.ToCommand(errors);
        if (command is not null) foreach (var (field, messages) in Validation.Check(command).ToImmutable())
            foreach (var m in messages) errors.Add(field, m);
        if (errors.Any || command is null) return Outcomes.Invalid(errors);

        var tourId = Tokens.NewId("t_");
        var slug = await ReserveSlugAsync(grains, Slugify(command.Name), tourId);
        var outcome = await grains.GetGrain<ITourGrain>(tourId).CreateAsync(command, slug);
        return outcome.ToHttp(created => TypedResults.Created($"/api/tours/{created.TourId}", new TourCreatedDto(
            created.TourId, created.Slug, created.OrganizerToken, Links.Organizer(created.TourId, created.OrganizerToken),
            Links.Public(created.Slug),
            [.. created.Speakers.Select(s => new SpeakerCreatedDto(s.Id, s.Name, s.Token, Links.Speaker(created.TourId, s.Id, s.Token)))])));
    }

    private static async Task<IResult> GetAsync(string id, HttpRequest request, IGrainFactory grains)
    {
        var caller = await Access.ResolveAsync(grains, request, id);
        if (Access.Deny(caller, c => c.Principal.Role != Role.Anonymous || !c.PresentedToken) is { } denied) return denied;
        var tour = (await caller!.Tour.GetAsync())!;
        if (!caller.IsOrganizer)
            return TypedResults.Ok(PublicTourDto.From(tour, await caller.Tour.GetStopsAsync(publishedOnly: true), Links.Base(request)));

        var stops = await caller.Tour.GetStopsAsync(publishedOnly: false);
        var hosts = await caller.Tour.GetHostsAsync();
        return TypedResults.Ok(new OrganizerTourDto(tour.TourId, tour.Slug, tour.Name, tour.Description, tour.StartDate, tour.EndDate,
            tour.TimeZone, Links.Public(tour.Slug),
            [.. tour.Speakers.Select(s => new SpeakerInfoDto(s.Id, s.Name, s.HomeCity, s.HomeTimeZone, s.Home?.Latitude, s.Home?.Longitude))],
            RulesDto.From(tour.Rules), [.. hosts.Select(HostDto.From)], [.. tour.Claims.Select(ClaimDto.From)],
            [.. stops.Select(StopDto.From)]));
    }

    private static async Task<IResult> GetBySlugAsync(string slug, HttpRequest request, IGrainFactory grains)
    {
        if (slug.Length > 64 || await grains.GetGrain<ITourSlugGrain>(slug).GetTourIdAsync() is not { } tourId)
            return Outcomes.Problem(404, "Not found", "No tour has this address.");
        var tour = grains.GetGrain<ITourGrain>(tourId);
        return TypedResults.Ok(PublicTourDto.From((await tour.GetAsync())!, await tour.GetStopsAsync(publishedOnly: true), Links.Base(request)));
    }

    private static async Task<IResult> RotateOrganizerAsync(string id, HttpRequest request, IGrainFactory grains)
    {
        var caller = await Access.ResolveAsync(grains, request, id);
        if (Access.Deny(caller, c => c.IsOrganizer) is { } denied) return denied;
        return (await caller!.Tour.RotateTokenAsync(TokenSubject.Organizer, null))
            .ToHttp(token => TypedResults.Ok(new { token, organizerUrl = Links.Organizer(id, token) }));
    }

    private static async Task<IResult> RotateSpeakerAsync(string id, string speakerId, HttpRequest request, IGrainFactory grains)
    {
        var caller = await Access.ResolveAsync(grains, request, id);
        if (Access.Deny(caller, c => c.IsOrganizer) is { } denied) return denied;
        return (await caller!.Tour.RotateTokenAsync(TokenSubject.Speaker, speakerId))
            .ToHttp(token => TypedResults.Ok(new { token, url = Links.Speaker(id, speakerId, token) }));
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
