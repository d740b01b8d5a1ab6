using TourPlanner.Grains;

namespace TourPlanner.Gateway.Infrastructure;

/// <summary>A request's tour and who is calling, resolved from a capability token.</summary>
public sealed record Caller(string TourId, ITourGrain Tour, Principal Principal, bool PresentedToken)
{
    public bool IsOrganizer => Principal.Role == Role.Organizer;
    public bool IsHost(string? hostId) => Principal.Role == Role.Host && (hostId is null || Principal.HostId == hostId);
    public bool IsSpeaker(string? speakerId) => Principal.Role == Role.Speaker && (speakerId is null || Principal.SpeakerId == speakerId);
}

/// <summary>Capability-token access: <c>Authorization: Bearer</c>, or <c>?token=</c> where clients cannot send headers.</summary>
public static class Access
{
    public static string? TokenOf(HttpRequest request, bool allowQuery = false)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return header[7..].Trim();
        return allowQuery && request.Query.TryGetValue("token", out var q) ? q.ToString() : null;
    }

    /// <summary>The caller of a tour, or null when the tour does not exist.</summary>
    public static async Task<Caller?> ResolveAsync(IGrainFactory grains, HttpRequest request, string tourId, bool allowQueryToken = false)
    {
        if (tourId.Length is 0 or > 64) return null;
        var tour = grains.GetGrain<ITourGrain>(tourId);
        var token = TokenOf(request, allowQueryToken);
        var principal = await tour.AuthenticateAsync(token);
        if (principal.Role == Role.Anonymous && await tour.GetAsync() is null) return null;
        return new Caller(tourId, tour, principal, !string.IsNullOrEmpty(token));
    }

    /// <summary>
    /// The one place that says no: 404 for a missing tour, 401 for a missing or unknown token, 403 for a valid token
    /// of the wrong role. Returns null when <paramref name="allowed"/> accepts the caller.
    /// </summary>
    public static IResult? Deny(Caller? caller, Func<Caller, bool> allowed)
    {
        if (caller is null) return Outcomes.Problem(404, "Not found", "No such tour.");
        if (allowed(caller)) return null;
        if (caller.Principal.Role == Role.Anonymous)
            return new Challenge(TypedResults.Problem(caller.PresentedToken ? "The token is not valid for this tour (it may have been revoked)." : "This needs a token: send Authorization: Bearer <token>.",
                statusCode: 401, title: "Unauthorized"), caller.PresentedToken);
        return Outcomes.Problem(403, "Forbidden", "Your link does not give access to this.");
    }
}

/// <summary>A 401 problem that also tells the client how to authenticate (RFC 6750 §3).</summary>
internal sealed class Challenge(IResult problem, bool invalidToken) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.Headers.WWWAuthenticate = invalidToken ? "Bearer error=\"invalid_token\"" : "Bearer";
        return problem.ExecuteAsync(httpContext);
    }
}
