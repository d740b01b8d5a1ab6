using TourPlanner.Gateway.Infrastructure;
using TourPlanner.Gateway.Tours;
using TourPlanner.Grains;

namespace TourPlanner.Gateway.Hosts;

public sealed record InviteHostRequest(string? Name, string? City, string? ContactName, string? ContactEmail, string? ContactPhone, string? Language = null);

public sealed record HostPatchRequest(string? Name, string? City, string? ContactName, string? ContactEmail, string? ContactPhone, string? Language);

public sealed record HostInvitedDto(string HostId, string InviteToken, string InviteUrl);

/// <summary>Inviting host groups, their (private) details, and their links.</summary>
public static class HostsApi
{
    public static RouteGroupBuilder MapHostsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/tours/{id}/hosts").WithTags("Hosts").CheckIdempotencyKey();
        api.MapPost("/", InviteAsync).WithName("InviteHost").WithSummary("Invite a host group; returns its link once (organizer).")
            .RequireRole(Role.Organizer).Produces<HostInvitedDto>(201).ProducesValidationProblem();
        api.MapGet("/", ListAsync).WithName("ListHosts").WithSummary("The host groups with their contacts and claims (organizer).")
            .RequireRole(Role.Organizer);
        api.MapGet("/{hostId}", GetAsync).WithName("GetHost").WithSummary("One host group (organizer, or that group).")
            .RequireRole(Role.Organizer, Role.Host);
        api.MapPatch("/{hostId}", UpdateAsync).WithName("UpdateHost").WithSummary("Change a host group's details or language (organizer, or that group).")
            .RequireRole(Role.Organizer, Role.Host).ProducesValidationProblem();
        api.MapPost("/{hostId}/token", RotateAsync).WithName("RotateHostToken")
            .WithSummary("Revoke every link of a host group and issue one new link (organizer).").RequireRole(Role.Organizer);
        api.MapPost("/{hostId}/links", (string hostId, Caller caller, HttpContext http) =>
                LinkIssuing.IssueAsync(caller, http, Role.Host, hostId, revokeOthers: false))
            .WithName("IssueHostLink").WithSummary("A new link for a host group; its other links keep working (organizer).").RequireRole(Role.Organizer);
        return api;
    }

    private static async Task<IResult> InviteAsync(InviteHostRequest? body, Caller caller, HttpContext http)
    {
        if (body is null) return Outcomes.Invalid("body", Text.Of(Codes.BodyRequired));
        var outcome = await caller.Tour.InviteHostAsync(caller.Command(http, body), new InviteHost
        {
            Name = body.Name ?? "", City = body.City, ContactName = body.ContactName, ContactEmail = body.ContactEmail, ContactPhone = body.ContactPhone,
            Language = body.Language ?? "en",
        });
        return outcome.ToHttp(h => TypedResults.Created($"/api/tours/{caller.TourId}/hosts/{h.HostId}",
            new HostInvitedDto(h.HostId, h.InviteToken, Links.Host(caller.TourId, h.HostId, h.InviteToken))));
    }

    private static async Task<IResult> ListAsync(Caller caller) =>
        TypedResults.Ok(new { hosts = (await caller.Tour.GetHostsAsync()).Select(HostDto.From) });

    private static async Task<IResult> GetAsync(string hostId, Caller caller)
    {
        if (!caller.IsOrganizer && !caller.IsHost(hostId)) return Access.Forbidden();
        var host = (await caller.Tour.GetHostsAsync()).FirstOrDefault(h => h.HostId == hostId);
        return host is null ? Outcomes.Problem(404, Text.Of(RequestCodes.NoSuchHost)) : TypedResults.Ok(HostDto.From(host));
    }

    private static async Task<IResult> UpdateAsync(string hostId, HostPatchRequest? body, Caller caller, HttpContext http)
    {
        if (!caller.IsOrganizer && !caller.IsHost(hostId)) return Access.Forbidden();
        if (body is null) return Outcomes.Invalid("body", Text.Of(Codes.BodyRequired));
        var patch = new HostPatch
        {
            Name = body.Name, City = body.City, ContactName = body.ContactName, ContactEmail = body.ContactEmail, ContactPhone = body.ContactPhone,
            Language = body.Language,
        };
        return (await caller.Tour.UpdateHostAsync(caller.Command(http), hostId, patch)).ToHttp(h => TypedResults.Ok(HostDto.From(h)));
    }

    private static async Task<IResult> RotateAsync(string hostId, Caller caller, HttpContext http) =>
        (await caller.Tour.IssueLinkAsync(caller.Command(http), Role.Host, hostId, revokeOthers: true))
            .ToHttp(l => TypedResults.Ok(new { inviteToken = l.Token, tokenId = l.TokenId, inviteUrl = Links.Host(caller.TourId, hostId, l.Token) }));
}
