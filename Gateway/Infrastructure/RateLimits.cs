using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.RateLimiting;
using TourPlanner.Grains;

namespace TourPlanner.Gateway.Infrastructure;

/// <summary>Limits per client address (<c>RateLimits</c> section); the defaults leave any person's normal use far below them.</summary>
public sealed record RateLimitSettings
{
    /// <summary>Tours one address may create per hour.</summary>
    public int ToursPerHour { get; init; } = 20;
    /// <summary>Wrong or revoked tokens one address may present per minute before it is refused for a while.</summary>
    public int FailedTokensPerMinute { get; init; } = 30;
    /// <summary>Sign-ups for on-request addresses one client address may send per hour, whatever the e-mails and stops.</summary>
    public int SignupsPerClientPerHour { get; init; } = 10;
    /// <summary>Sign-ups one e-mail address may be given per tour and hour, whoever sends them (each one mails it).</summary>
    public int SignupsPerAddressPerHour { get; init; } = 5;
}

/// <summary>Fixed hourly windows per key (a client address, a hashed e-mail address), refusing at once past the limit.</summary>
public static class RateLimits
{
    public static PartitionedRateLimiter<string> PerHour(int permits) => PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits, Window = TimeSpan.FromHours(1), QueueLimit = 0,
        }));
}

/// <summary>
/// Sign-ups send mail to an address someone typed, so they are counted per client and per e-mail address (hashed,
/// per tour): neither one client flooding many addresses nor many clients flooding one victim get through. The
/// domain already makes the same address for the same stop one sign-up, hence one message.
/// </summary>
public sealed class SignupLimiter(RateLimitSettings settings, ILogger<SignupLimiter> logger) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _perClient = RateLimits.PerHour(settings.SignupsPerClientPerHour);
    private readonly PartitionedRateLimiter<string> _perAddress = RateLimits.PerHour(settings.SignupsPerAddressPerHour);

    /// <summary>Counts one sign-up; false (answer 429, store nothing) when the client or the address is over its limit.</summary>
    public bool TryAcquire(HttpContext http, string tourId, string? email)
    {
        var client = FailedTokenLog.ClientOf(http);
        using (var lease = _perClient.AttemptAcquire(client))
        {
            if (!lease.IsAcquired)
            {
                logger.LogWarning("Too many sign-ups from {Client}", client);
                return false;
            }
        }
        var address = email?.Trim().ToLowerInvariant() ?? "";
        if (address.Length == 0) return true;
        var key = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{tourId}\n{address}")));
        using var perAddress = _perAddress.AttemptAcquire(key);
        if (!perAddress.IsAcquired) logger.LogWarning("Too many sign-ups for one address of tour {TourId}", tourId);
        return perAddress.IsAcquired;
    }

    public void Dispose()
    {
        _perClient.Dispose();
        _perAddress.Dispose();
    }
}

/// <summary>
/// Counts wrong tokens per client address with the same limiter primitives ASP.NET Core's rate limiter uses: a
/// client guessing links is refused (429) for the rest of the window, and every refusal is logged.
/// </summary>
public sealed class FailedTokenLog(RateLimitSettings settings, ILogger<FailedTokenLog> logger) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(client =>
        RateLimitPartition.GetFixedWindowLimiter(client, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = settings.FailedTokensPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0,
        }));

    public void Record(HttpContext http)
    {
        var client = ClientOf(http);
        using var lease = _limiter.AttemptAcquire(client);
        if (!lease.IsAcquired) logger.LogWarning("Too many wrong tokens from {Client}", client);
    }

    public bool IsBlocked(HttpContext http) => _limiter.GetStatistics(ClientOf(http)) is { CurrentAvailablePermits: <= 0 };

    public static string ClientOf(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    public void Dispose() => _limiter.Dispose();
}

public static class RateLimitsHosting
{
    public const string TourCreation = "tour-creation";

    /// <summary>
    /// The rate limiter (tour creation per client address), the failed-token log, and forwarded headers trusted only
    /// from the proxies listed in <c>Gateway:KnownProxies</c> (addresses) or <c>Gateway:KnownNetworks</c> (CIDR).
    /// </summary>
    public static WebApplicationBuilder AddTourPlannerRateLimits(this WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection("RateLimits").Get<RateLimitSettings>() ?? new RateLimitSettings();
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton<FailedTokenLog>();
        builder.Services.AddSingleton<SignupLimiter>();
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(TourCreation, http => RateLimitPartition.GetFixedWindowLimiter(FailedTokenLog.ClientOf(http), _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = settings.ToursPerHour, Window = TimeSpan.FromHours(1), QueueLimit = 0,
            }));
            o.OnRejected = async (context, ct) =>
            {
                var http = context.HttpContext;
                http.RequestServices.GetRequiredService<ILogger<FailedTokenLog>>()
                    .LogWarning("Rate limit reached for {Path} from {Client}", http.Request.Path.Value, FailedTokenLog.ClientOf(http));
                http.Response.Headers.RetryAfter = "3600";
                await Outcomes.Problem(429, Text.Of(RequestCodes.RateTours)).ExecuteAsync(http);
            };
        });
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Only the listed proxies are believed; with none listed, X-Forwarded-For is ignored entirely (see UseTrustedForwardedHeaders).
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
#pragma warning disable ASPDEPR005 // the older list is still consulted and holds loopback by default
            o.KnownNetworks.Clear();
#pragma warning restore ASPDEPR005
            foreach (var proxy in builder.Configuration.GetSection("Gateway:KnownProxies").Get<string[]>() ?? [])
                if (IPAddress.TryParse(proxy, out var address)) o.KnownProxies.Add(address);
            foreach (var network in builder.Configuration.GetSection("Gateway:KnownNetworks").Get<string[]>() ?? [])
                if (System.Net.IPNetwork.TryParse(network, out var parsed)) o.KnownIPNetworks.Add(parsed);
        });
        return builder;
    }

    /// <summary>
    /// X-Forwarded-For and -Proto, believed only from the listed proxies. ASP.NET Core trusts every sender when both
    /// lists are empty, so with none listed the middleware is not used at all.
    /// </summary>
    public static IApplicationBuilder UseTrustedForwardedHeaders(this IApplicationBuilder app)
    {
        var options = app.ApplicationServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<ForwardedHeadersOptions>>().Value;
        return options.KnownProxies.Count > 0 || options.KnownIPNetworks.Count > 0 ? app.UseForwardedHeaders() : app;
    }

    /// <summary>Refuses requests that carry a token from an address that presented too many wrong ones.</summary>
    public static IApplicationBuilder UseFailedTokenLimit(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var carriesToken = context.Request.Headers.Authorization.Count > 0 || context.Request.Query.ContainsKey("token");
        if (carriesToken && context.RequestServices.GetRequiredService<FailedTokenLog>().IsBlocked(context))
        {
            context.Response.Headers.RetryAfter = "60";
            await Outcomes.Problem(429, Text.Of(RequestCodes.RateTokens)).ExecuteAsync(context);
            return;
        }
        await next(context);
    });
}
