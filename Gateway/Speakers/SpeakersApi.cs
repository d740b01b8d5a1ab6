using System.Collections.Immutable;
using TourPlanner.Gateway.Infrastructure;
using TourPlanner.Gateway.Tours;
using TourPlanner.Grains;

namespace TourPlanner.Gateway.Speakers;

/// <summary>The organizer adds, renames, moves, blacks out and removes speakers, and hands out their links.</summary>
public static class SpeakersApi
{
    public static RouteGroupBuilder MapSpeakersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/tours/{id}/speakers").WithTags("Speakers").RequireRole(Role.Organizer).CheckIdempotencyKey();
        api.MapPost("/", AddAsync).WithName("AddSpeaker").WithSummary("Add a speaker; returns their link once (organizer).")
            .Produces<SpeakerCreatedDto>(201).ProducesValidationProblem();
        api.MapPatch("/{speakerId}", UpdateAsync).WithName("UpdateSpeaker")
            .WithSummary("Rename a speaker, change their home or e-mail, or replace their blackout dates (organizer).").ProducesValidationProblem();
        api.MapDelete("/{speakerId}", RemoveAsync).WithName("RemoveSpeaker")
            .WithSummary("Remove a speaker without confirmed events; held claims lose them (organizer).").ProducesProblem(409);
        api.MapPost("/{speakerId}/token", (string speakerId, Caller caller, HttpContext http) => RotateAsync(speakerId, caller, http))
            .WithName("RotateSpeakerToken").WithSummary("Revoke every link of a speaker and issue one new link (organizer).");
        api.MapPost("/{speakerId}/links", (string speakerId, Caller caller, HttpContext http) =>
                LinkIssuing.IssueAsync(caller, http, Role.Speaker, speakerId, revokeOthers: false))
            .WithName("IssueSpeakerLink").WithSummary("A new link for a speaker; their other links keep working (organizer).");
        return api;
    }

    private static async Task<IResult> AddAsync(SpeakerRequest? body, Caller caller, HttpContext http)
    {
        if (body is null) return Outcomes.Invalid("body", Text.Of(Codes.BodyRequired));
        var e = new ValidationErrors();
        var input = body.ToInput(e, "");
        if (e.Any) return Outcomes.Invalid(e);
        var outcome = await caller.Tour.AddSpeakerAsync(caller.Command(http, body), input);
        if (!outcome.IsOk || body.BlackoutDates is not { Count: > 0 } blackouts)
            return outcome.ToHttp(s => TypedResults.Created($"/api/tours/{caller.TourId}/speakers/{s.Id}",
                new SpeakerCreatedDto(s.Id, s.Name, s.Token, Links.Speaker(caller.TourId, s.Id, s.Token))));
        var speaker = outcome.Value!;
        var withBlackouts = await caller.Tour.UpdateSpeakerAsync(caller.Command(http), speaker.Id, new SpeakerPatch { BlackoutDates = [.. blackouts] });
        return withBlackouts.IsOk
            ? TypedResults.Created($"/api/tours/{caller.TourId}/speakers/{speaker.Id}", new SpeakerCreatedDto(speaker.Id, speaker.Name, speaker.Token, Links.Speaker(caller.TourId, speaker.Id, speaker.Token)))
            : withBlackouts.ToHttp(_ => TypedResults.Ok());
    }

    private static async Task<IResult> UpdateAsync(string speakerId, SpeakerPatchRequest? body, Caller caller, HttpContext http)
    {
        if (body is null) return Outcomes.Invalid("body", Text.Of(Codes.BodyRequired));
        var e = new ValidationErrors();
        var home = Geo.Point(e, "home", body.HomeLatitude, body.HomeLongitude);
        if (e.Any) return Outcomes.Invalid(e);
        var patch = new SpeakerPatch
        {
            Name = body.Name, HomeCity = body.HomeCity, HomeTimeZone = body.HomeTimeZone, Home = home, Email = body.Email,
            BlackoutDates = body.BlackoutDates?.ToImmutableArray(),
        };
        return (await caller.Tour.UpdateSpeakerAsync(caller.Command(http), speakerId, patch)).ToHttp(s => TypedResults.Ok(SpeakerInfoDto.From(s)));
    }

    private static async Task<IResult> RemoveAsync(string speakerId, Caller caller, HttpContext http) =>
        (await caller.Tour.RemoveSpeakerAsync(caller.Command(http), speakerId)).ToHttp(s => TypedResults.Ok(SpeakerInfoDto.From(s)));

    private static async Task<IResult> RotateAsync(string speakerId, Caller caller, HttpContext http) =>
        (await caller.Tour.IssueLinkAsync(caller.Command(http), Role.Speaker, speakerId, revokeOthers: true))
            .ToHttp(l => TypedResults.Ok(new { token = l.Token, tokenId = l.TokenId, url = Links.Speaker(caller.TourId, speakerId, l.Token) }));
}
