using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using NodaTime;
using TourPlanner.Gateway.Calendar;
using TourPlanner.Gateway.Infrastructure;
using TourPlanner.Grains;

namespace TourPlanner.Gateway.Privacy;

/// <summary>Retention of private data as the organizer sees it.</summary>
public sealed record PrivacyDto(LocalDate PurgeOn, Instant PurgeAt, LocalDate LatestPurgeOn, Instant? PurgedAt, int RetentionDays)
{
    public static PrivacyDto From(PrivacyStatus s) => new(s.PurgeOn, s.PurgeAt, s.LatestPurgeOn, s.PurgedAt, s.RetentionDays);
}

/// <summary>Bring the purge of private data forward.</summary>
public sealed record PrivacyPatchRequest(LocalDate? PurgeOn);

/// <summary>A supporter asks for an on-request address: an e-mail and nothing else.</summary>
public sealed record SignupRequestDto(string? Email, bool? ShareWithHost, string? Language);

/// <summary>A stop's sign-ups: how many, and the e-mails its reader may see.</summary>
public sealed record SignupsDto(string StopId, int Count, IReadOnlyList<SignupDto> Signups);

public sealed record SignupDto(string SignupId, string? Email, bool ShareWithHost, Instant At);

/// <summary>Parses <c>addressVisibility</c>: <c>full</c>, <c>city</c> or <c>on-request</c>.</summary>
public static class AddressVisibilities
{
    public static AddressVisibility? Parse(ValidationErrors e, string field, string? text)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case null: return null;
            case "full": return AddressVisibility.Full;
            case "city": return AddressVisibility.City;
            case "on-request": return AddressVisibility.OnRequest;
            default:
                e.Add(field, Text.Of(Codes.FieldAddressVisibility, Arg.Plain("field", field)));
                return null;
        }
    }
}

/// <summary>
/// Protecting the people in a tour: when its private data is purged, taking it out (JSON, CSV), deleting it, a host
/// group withdrawing, and supporters asking for on-request addresses.
/// </summary>
public static class PrivacyApi
{
    public static RouteGroupBuilder MapPrivacyApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/tours/{id}").WithTags("Privacy").CheckIdempotencyKey();
        api.MapDelete("/", DeleteAsync).WithName("DeleteTour")
            .WithSummary("Delete the tour and everything of it; its pages, feeds and links answer 410 afterwards (organizer).")
            .RequireRole(Role.Organizer).Produces(204).ProducesProblem(410);
        api.MapGet("/privacy", GetAsync).WithName("TourPrivacy")
            .WithSummary("When the tour's contacts, lodging, notes and sign-ups are purged (organizer).").RequireRole(Role.Organizer).Produces<PrivacyDto>();
        api.MapPatch("/privacy", SetAsync).WithName("SetTourPurgeDate")
            .WithSummary("Bring the purge of private data forward to purgeOn; a day already begun purges now (organizer).")
            .RequireRole(Role.Organizer).Produces<PrivacyDto>().ProducesValidationProblem();
        api.MapPost("/privacy/purge", PurgeAsync).WithName("PurgeTourPrivateData")
            .WithSummary("Destroy the tour's private data now, keeping the public record (organizer).").RequireRole(Role.Organizer).Produces<PrivacyDto>();
        api.MapGet("/export.json", ExportJsonAsync).WithName("ExportTourJson")
            .WithSummary("Everything the tour holds as JSON, for moving elsewhere (organizer; recorded in the history).").RequireRole(Role.Organizer);
        api.MapGet("/export.csv", ExportCsvAsync).WithName("ExportTourCsv")
            .WithSummary("Stops, events and host groups with contacts as CSV, in the organizer's language (organizer; recorded in the history).")
            .RequireRole(Role.Organizer);
        api.MapPost("/hosts/{hostId}/withdraw", WithdrawAsync).WithName("WithdrawHost")
            .WithSummary("The host group leaves the tour: claims end, links stop, contacts are destroyed (the group or an organizer).")
            .RequireRole(Role.Organizer, Role.Host);
        api.MapPost("/stops/{stopId}/signups", SignUpAsync).WithName("SignUpForAddress")
            .WithSummary("A supporter leaves an e-mail to receive an on-request stop's address (anyone).").RequireTour()
            .Produces(202).ProducesValidationProblem().ProducesProblem(409).ProducesProblem(429);
        api.MapGet("/stops/{stopId}/signups", SignupsAsync).WithName("StopSignups")
            .WithSummary("How many supporters asked for a stop's address, and the e-mails shared with the reader (organizer, or the stop's group).")
            .RequireRole(Role.Organizer, Role.Host).Produces<SignupsDto>();
        return api;
    }

    private static async Task<IResult> DeleteAsync(Caller caller, HttpContext http, FeedCache cache)
    {
        var slug = (await caller.Tour.GetAsync())?.Slug;
        var outcome = await caller.Tour.DeleteAsync(caller.Command(http));
        if (outcome.IsOk && slug is not null) cache.Forget(caller.TourId, slug);
        return outcome.ToHttp(_ => TypedResults.NoContent());
    }

    private static async Task<IResult> GetAsync(Caller caller) =>
        await caller.Tour.GetPrivacyAsync() is { } status ? TypedResults.Ok(PrivacyDto.From(status)) : Outcomes.Problem(404, Text.Of(Codes.TourNotFound));

    private static async Task<IResult> SetAsync(PrivacyPatchRequest? body, Caller caller, HttpContext http)
    {
        if (body?.PurgeOn is not { } purgeOn) return Outcomes.Invalid("purgeOn", Text.Of(Codes.FieldRequired, Arg.Plain("field", "purgeOn")));
        return (await caller.Tour.SetPurgeDateAsync(caller.Command(http), purgeOn)).ToHttp(s => TypedResults.Ok(PrivacyDto.From(s)));
    }

    private static async Task<IResult> PurgeAsync(Caller caller, HttpContext http) =>
        (await caller.Tour.PurgePrivateDataAsync(caller.Command(http))).ToHttp(s => TypedResults.Ok(PrivacyDto.From(s)));

    private static async Task<IResult> ExportJsonAsync(Caller caller, HttpContext http, IOptions<JsonOptions> json)
    {
        var outcome = await caller.Tour.ExportAsync(caller.Command(http), "json");
        if (!outcome.IsOk) return outcome.ToHttp(_ => TypedResults.Ok());
        var export = outcome.Value!;
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{export.Tour.Slug}.json\"";
        http.Response.Headers.CacheControl = "no-store";
        var bytes = JsonSerializer.SerializeToUtf8Bytes(TourExportDocument.From(export), json.Value.SerializerOptions);
        return TypedResults.Bytes(bytes, "application/json");
    }

    private static async Task<IResult> ExportCsvAsync(Caller caller, HttpContext http)
    {
        var outcome = await caller.Tour.ExportAsync(caller.Command(http), "csv");
        if (!outcome.IsOk) return outcome.ToHttp(_ => TypedResults.Ok());
        var export = outcome.Value!;
        // An explicit ?lang= (the organizer page sends its own) wins; otherwise the organizer's chosen language.
        var asked = http.Request.Query["lang"].ToString();
        var language = Catalogue.Languages.Contains(asked) ? asked
            : export.Tour.Organizers.FirstOrDefault(o => o.Id == caller.Principal.PersonId)?.Language ?? export.Tour.Language;
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{export.Tour.Slug}.csv\"";
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.ContentLanguage = language;
        return TypedResults.Bytes(TourCsv.Write(export, language), "text/csv; charset=utf-8");
    }

    private static async Task<IResult> WithdrawAsync(string hostId, Caller caller, HttpContext http) =>
        (await caller.Tour.WithdrawHostAsync(caller.Command(http), hostId)).ToHttp(h => TypedResults.Ok(new
        {
            hostId = h.HostId, name = h.Name, withdrawnAt = h.WithdrawnAt, claimIds = h.ClaimIds,
        }));

    private static async Task<IResult> SignUpAsync(string stopId, SignupRequestDto? body, Caller caller, HttpContext http, SignupLimiter limiter)
    {
        if (body is null) return Outcomes.Invalid("body", Text.Of(Codes.BodyRequired));
        if (!limiter.TryAcquire(http, caller.TourId, body.Email))
        {
            http.Response.Headers.RetryAfter = "3600";
            return Outcomes.Problem(429, Text.Of(RequestCodes.RateSignups));
        }
        var language = body.Language ?? RequestLanguage.Of(http.Request);
        var request = new SignupRequest { StopId = stopId, Email = body.Email ?? "", ShareWithHost = body.ShareWithHost ?? false, Language = language };
        // The answer never carries the address: it goes to the e-mail given, so only its owner reads it.
        return (await caller.Tour.SignUpAsync(caller.Command(http, body), request))
            .ToHttp(s => TypedResults.Accepted((string?)null, new { signupId = s.SignupId, stopId = s.StopId, status = "accepted" }));
    }

    private static async Task<IResult> SignupsAsync(string stopId, Caller caller)
    {
        var stop = (await caller.Tour.GetStopsAsync(publishedOnly: false)).FirstOrDefault(s => s.StopId == stopId);
        if (stop is null) return Outcomes.Problem(404, Text.Of(Codes.StopNotFound, Arg.Plain("id", Grains.Domain.Validation.Clip(stopId))));
        if (!caller.IsOrganizer && !caller.IsHost(stop.HostId)) return Access.Forbidden();
        var signups = await caller.Tour.GetSignupsAsync(stopId, caller.Principal);
        return TypedResults.Ok(new SignupsDto(stopId, signups.Length,
            [.. signups.Where(s => s.Email is not null).Select(s => new SignupDto(s.SignupId, s.Email, s.ShareWithHost, s.At))]));
    }
}
