using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using TourPlanner.Grains;

namespace TourPlanner.Gateway.Infrastructure;

/// <summary>
/// A request's tour and who is calling, resolved from a capability token in one call to the tour. Bound as a handler
/// parameter (<see cref="BindAsync"/>) and checked once per endpoint by <see cref="TourAccess.RequireRole{TBuilder}"/>.
/// </summary>
public sealed record Caller(string TourId, ITourGrain Tour, Principal Principal, bool PresentedToken, bool TourExists, bool TourGone = false)
{
    private const string ItemKey = "tourplanner.caller";

    public bool IsOrganizer => Principal.Role == Role.Organizer;
    public bool IsHost(string? hostId) => Principal.Role == Role.Host && (hostId is null || Principal.HostId == hostId);
    public bool IsSpeaker(string? speakerId) => Principal.Role == Role.Speaker && (speakerId is null || Principal.SpeakerId == speakerId);

    /// <summary>The command context for this caller: who it is, and the request's idempotency key with a hash of what it asks.</summary>
    public CommandContext Command(HttpContext http, object? body = null) => Idempotency.Context(http, Principal, body);

    /// <summary>Minimal APIs bind a <see cref="Caller"/> parameter through this (route value <c>id</c> is the tour).</summary>
    public static async ValueTask<Caller> BindAsync(HttpContext http) =>
        await Access.ResolveAsync(http.RequestServices.GetRequiredService<IGrainFactory>(), http.Request, http.GetRouteValue("id") as string ?? "")
        ?? new Caller("", null!, Principal.Anonymous, false, TourExists: false);

    internal static Caller? Cached(HttpContext http) => http.Items.TryGetValue(ItemKey, out var c) ? c as Caller : null;
    internal static void Cache(HttpContext http, Caller? caller) => http.Items[ItemKey] = caller;
}

/// <summary>Capability-token access: <c>Authorization: Bearer</c>, or <c>?token=</c> where clients cannot send headers.</summary>
public static partial class Access
{
    public static string? TokenOf(HttpRequest request, bool allowQuery = false)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return header[7..].Trim();
        return allowQuery && request.Query.TryGetValue("token", out var q) ? q.ToString() : null;
    }

    /// <summary>Tour ids are ours ("t_" and 16 URL-safe characters): anything else is unknown without asking a grain.</summary>
    public static bool LooksLikeTourId(string? id) => id is { Length: 18 } && TourIdPattern().IsMatch(id);

    [GeneratedRegex("^t_[A-Za-z0-9_-]{16}$")]
    private static partial Regex TourIdPattern();

    /// <summary>The caller of a tour, or null when the tour does not exist (one call to the tour, cached per request).</summary>
    public static async Task<Caller?> ResolveAsync(IGrainFactory grains, HttpRequest request, string tourId, bool allowQueryToken = false)
    {
        if (Caller.Cached(request.HttpContext) is { TourExists: true } cached && cached.TourId == tourId) return cached;
        if (!LooksLikeTourId(tourId)) return null;
        var tour = grains.GetGrain<ITourGrain>(tourId);
        var token = TokenOf(request, allowQueryToken);
        var principal = await tour.AuthenticateAsync(token);
        var caller = principal is null ? null : new Caller(tourId, tour, principal, !string.IsNullOrEmpty(token), TourExists: true);
        // A deleted tour answers 410 to everyone, whatever link they hold (its links died with it).
        if (caller is null && await grains.GetGrain<IGoneGrain>(IGoneGrain.KeyOf("tour", tourId)).DeletedAtAsync() is not null)
            caller = new Caller(tourId, tour, Principal.Anonymous, !string.IsNullOrEmpty(token), TourExists: false, TourGone: true);
        if (caller is { TourExists: true, PresentedToken: true } && caller.Principal.Role == Role.Anonymous)
            request.HttpContext.RequestServices.GetService<FailedTokenLog>()?.Record(request.HttpContext);
        Caller.Cache(request.HttpContext, caller);
        return caller;
    }

    /// <summary>
    /// The one place that says no: 404 for a missing tour, 401 for a missing or unknown token, 403 for a valid token
    /// of the wrong role. Returns null when <paramref name="allowed"/> accepts the caller.
    /// </summary>
    public static IResult? Deny(Caller? caller, Func<Caller, bool> allowed)
    {
        if (caller is { TourGone: true }) return Outcomes.Problem(410, Text.Of(RequestCodes.TourDeleted));
        if (caller is null or { TourExists: false }) return Outcomes.Problem(404, Text.Of(Codes.TourNotFound));
        if (allowed(caller)) return null;
        if (caller.Principal.Role == Role.Anonymous)
            return new Challenge(Outcomes.Problem(401, Text.Of(caller.PresentedToken ? RequestCodes.TokenInvalid : RequestCodes.TokenRequired)), caller.PresentedToken);
        return Forbidden();
    }

    /// <summary>403: the caller's link is valid but not for this.</summary>
    public static IResult Forbidden() => Outcomes.Problem(403, Text.Of(RequestCodes.AccessDenied));
}

/// <summary>Says once per endpoint who may call it.</summary>
public static class TourAccess
{
    /// <summary>Only callers of the tour in route value <c>id</c> holding one of <paramref name="roles"/> get through.</summary>
    public static TBuilder RequireRole<TBuilder>(this TBuilder builder, params Role[] roles) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var caller = Caller.Cached(http) ?? await Access.ResolveAsync(http.RequestServices.GetRequiredService<IGrainFactory>(), http.Request,
                http.GetRouteValue("id") as string ?? "");
            return Access.Deny(caller, c => roles.Contains(c.Principal.Role)) is { } denied ? denied : await next(context);
        });

    /// <summary>Any caller of an existing tour, token or not (the handler decides what each sees).</summary>
    public static TBuilder RequireTour<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var caller = Caller.Cached(http) ?? await Access.ResolveAsync(http.RequestServices.GetRequiredService<IGrainFactory>(), http.Request,
                http.GetRouteValue("id") as string ?? "");
            return Access.Deny(caller, c => c.Principal.Role != Role.Anonymous || !c.PresentedToken) is { } denied ? denied : await next(context);
        });
}

/// <summary>
/// <c>Idempotency-Key</c> on the POST endpoints that create things: the key and a hash of the request go to the
/// tour with the command, which stores the key in the same write as what it creates.
/// </summary>
public static class Idempotency
{
    public const string Header = "Idempotency-Key";

    public static CommandContext Context(HttpContext http, Principal actor, object? body)
    {
        var key = http.Request.Headers[Header].ToString();
        if (key.Length == 0) return CommandContext.Of(actor);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            $"{http.Request.Method} {http.Request.Path}\n{(body is null ? "" : JsonSerializer.Serialize(body, body.GetType()))}")));
        return new CommandContext { Actor = actor, IdempotencyKey = key, RequestHash = hash };
    }

    /// <summary>A bad key is a field error, checked before anything else.</summary>
    public static IResult? Check(HttpRequest request)
    {
        var values = request.Headers[Header];
        if (values.Count == 0) return null;
        var key = values.ToString();
        if (values.Count > 1 || key.Length is 0 or > 255 || key.Any(c => c is < ' ' or > '~'))
            return Outcomes.Invalid(Header, Text.Of(RequestCodes.IdempotencyKeyBad));
        return null;
    }

    /// <summary>Checks the header on every endpoint of a group.</summary>
    public static TBuilder CheckIdempotencyKey<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) => Check(context.HttpContext.Request) ?? await next(context));
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
