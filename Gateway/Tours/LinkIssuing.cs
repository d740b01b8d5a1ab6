using TourPlanner.Gateway.Infrastructure;
using TourPlanner.Grains;

namespace TourPlanner.Gateway.Tours;

/// <summary>A new link for a person (shown once), as the organizer's "copy link" and "revoke" buttons ask for it.</summary>
public sealed record LinkIssuedDto(string PersonId, string Role, string TokenId, string Token, string Url, int Revoked);

public static class LinkIssuing
{
    /// <summary>Issues a link; with <paramref name="revokeOthers"/> every other link of that person stops working.</summary>
    public static async Task<IResult> IssueAsync(Caller caller, HttpContext http, Role role, string personId, bool revokeOthers) =>
        (await caller.Tour.IssueLinkAsync(caller.Command(http), role, personId, revokeOthers))
            .ToHttp(l => TypedResults.Ok(new LinkIssuedDto(l.PersonId, role.ToString().ToLowerInvariant(), l.TokenId, l.Token, UrlOf(caller.TourId, role, l), l.Revoked)));

    public static string UrlOf(string tourId, Role role, IssuedLink link) => role switch
    {
        Role.Organizer => Links.Organizer(tourId, link.Token),
        Role.Speaker => Links.Speaker(tourId, link.PersonId, link.Token),
        _ => Links.Host(tourId, link.PersonId, link.Token),
    };
}
