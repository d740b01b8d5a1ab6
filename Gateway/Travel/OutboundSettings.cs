using Microsoft.Extensions.Http.Resilience;

namespace TourPlanner.Gateway.Travel;

/// <summary>
/// Base URL, deadline and resilience settings of one outbound service, read from its configuration section
/// (<c>Travel</c>, <c>Geocoding</c>, <c>TimeZones</c>). Only the base URL turns a client on; the rest has defaults.
/// </summary>
public sealed record OutboundSettings
{
    public required Uri BaseUrl { get; init; }
    /// <summary>Bounds a whole call: every try, back-off and reading the body. A confirm must not wait longer.</summary>
    public TimeSpan Deadline { get; init; } = TimeSpan.FromSeconds(3);
    /// <summary>One try; a route or a geocode answers in well under a second when the server is healthy.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(1);
    public int Retries { get; init; } = 2;
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);
    /// <summary>Calls seen in a sampling window before the breaker may open (Polly's default of 100 suits busier services).</summary>
    public int BreakerMinimumThroughput { get; init; } = 10;
    public double BreakerFailureRatio { get; init; } = 0.5;
    public TimeSpan BreakDuration { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>GeoNames' account name, or another lookup's API key.</summary>
    public string? Username { get; init; }
    /// <summary>Nominatim's usage policy asks for an identifying User-Agent; deployers add a contact here.</summary>
    public string UserAgent { get; init; } = "TourPlanner/1.0";

    /// <summary>The section's settings, or null when its base URL key is not set.</summary>
    public static OutboundSettings? From(IConfiguration config, string section, string baseUrlKey)
    {
        var s = config.GetSection(section);
        if (s[baseUrlKey] is not { Length: > 0 } url) return null;
        if (!Uri.TryCreate(url.EndsWith('/') ? url : url + "/", UriKind.Absolute, out var baseUrl))
            throw new InvalidOperationException($"{section}:{baseUrlKey} '{url}' is not an absolute URL.");
        var d = new OutboundSettings { BaseUrl = baseUrl };
        return d with
        {
            Deadline = s.GetValue(nameof(Deadline), d.Deadline),
            AttemptTimeout = s.GetValue(nameof(AttemptTimeout), d.AttemptTimeout),
            Retries = s.GetValue(nameof(Retries), d.Retries),
            RetryDelay = s.GetValue(nameof(RetryDelay), d.RetryDelay),
            BreakerMinimumThroughput = s.GetValue(nameof(BreakerMinimumThroughput), d.BreakerMinimumThroughput),
            BreakerFailureRatio = s.GetValue(nameof(BreakerFailureRatio), d.BreakerFailureRatio),
            BreakDuration = s.GetValue(nameof(BreakDuration), d.BreakDuration),
            Username = s[nameof(Username)] ?? s["ApiKey"],
            UserAgent = s[nameof(UserAgent)] ?? d.UserAgent,
        };
    }

    /// <summary>
    /// Polly 8 through the standard pipeline: total deadline → retries (exponential, jittered; 5xx, 408, 429 honouring
    /// Retry-After, timeouts, connection errors) → circuit breaker → per-try timeout.
    /// </summary>
    public void Apply(HttpStandardResilienceOptions o)
    {
        o.TotalRequestTimeout.Timeout = Deadline;
        o.AttemptTimeout.Timeout = AttemptTimeout < Deadline ? AttemptTimeout : Deadline / 2;
        o.Retry.MaxRetryAttempts = Math.Max(1, Retries); // Polly refuses 0; Retries=0 is not offered
        o.Retry.Delay = RetryDelay;
        o.Retry.UseJitter = true;
        o.Retry.ShouldRetryAfterHeader = true;
        o.CircuitBreaker.MinimumThroughput = Math.Max(2, BreakerMinimumThroughput);
        o.CircuitBreaker.FailureRatio = BreakerFailureRatio;
        o.CircuitBreaker.BreakDuration = BreakDuration;
        // Polly's validation wants the sampling window at least twice the per-try timeout.
        o.CircuitBreaker.SamplingDuration = TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(30).Ticks, 2 * o.AttemptTimeout.Timeout.Ticks));
    }
}
