using TourPlanner.Gateway.Infrastructure;
using TourPlanner.Gateway.Tours;
using TourPlanner.Grains;

namespace TourPlanner.Gateway.Hosts;

public sealed record InviteHostRequest(string? Name, string? City, string? ContactName, string? ContactEmail, string? ContactPhone);

public sealed record HostInvitedDto(string HostId, string InviteToken, string InviteUrl);

/// <summary>Inviting host groups and reading their (private) details.</summary>
public static class HostsApi
{
    public static RouteGroupBuilder MapHostsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/tours/{id}/hosts").WithTags("Hosts");
        api.MapPost("/", InviteAsync).WithName("InviteHost").WithSummary("Invite a host group; returns its link once (organizer).")
            .Produces<HostInvitedDto>(201).ProducesValidationProblem();
        api.MapGet("/", ListAsync).WithName("ListHosts").WithSummary("The host groups with their contacts (organizer).");
        api.MapGet("/{hostId}", GetAsync).WithName("GetHost").WithSummary("One host group (organizer, or that group).");
        api.MapPost("/{hostId}/token", RotateAsync).WithName("RotateHostToken").WithSummary("Revoke a host group's link and issue a new one (organizer).");
        return api;
    }

    private static async Task<IResult> InviteAsync(string id, InviteHostRequest? body, HttpRequest request, IGrainFactory grains)
    {
        var caller = await Access.ResolveAsync(grains, request, id);
        if (Access.Deny(caller, c => c.IsOrganizer) is { } denied) return denied;
        if (body is null) return Outcomes.Invalid(new ValidationErrors().Add("body", "A JSON body is required."));
        var outcome = await caller!.Tour.InviteHostAsync(new InviteHost
        {
            Name = body.Name ?? "", City = body.City, ContactName = body.ContactName, ContactEmail = body.ContactEmail, ContactPhone = body.ContactPhone,
        });
        return outcome.ToHttp(h => TypedResults.Created($"/api/tours/{id}/hosts/{h.HostId}",
            new HostInvitedDto(h.HostId, h.InviteToken, Links.Host(id, h.HostId, h.InviteToken))));
    }

    private static async Task<IResult> ListAsync(string id, HttpRequest request, IGrainFactory grains)
    {
        var caller = await Access.ResolveAsync(grains, request, id);
        if (Access.Deny(caller, c => c.IsOrganizer) is { } denied) return denied;
        return TypedResults.Ok(new { hosts = (await caller!.Tour.GetHostsAsync()).Select(HostDto.From) });
    }

    private static async Task<IResult> GetAsync(string id, string hostId, HttpRequest request, IGrainFactory grains)
    {
        var caller = await Access.ResolveAsync(grains, request, id);
        if (Access.Deny(caller, c => c.IsOrganizer || c.IsHost(hostId)) is { } denied) return denied;
        var tour = (await caller!.Tour.GetAsync())!;
        if (!tour.HostIds.Contains(hostId)) return Outcomes.Problem(404, "Not found", $"No host group '{hostId}' in this tour.");
        var host = await grains.GetGrain<IHostOrganizationGrain>(hostId).GetAsync();
        return host is null ? Outcomes.Problem(404, "Not found", "No such host group.") : TypedResults.Ok(HostDto.From(host));
    }

    private static async Task<IResult> RotateAsync(string id, string hostId, HttpRequest request, IGrainFactory grains)
    {
        var caller = await Access.ResolveAsync(grains, request, id);
        if (Access.Deny(caller, c => c.IsOrganizer) is { } denied) return denied;
        return (await caller!.Tour.RotateTokenAsync(TokenSubject.Host, hostId))
            .ToHttp(token => TypedResults.Ok(new { inviteToken = token, inviteUrl = Links.Host(id, hostId, token) }));
    }
}
