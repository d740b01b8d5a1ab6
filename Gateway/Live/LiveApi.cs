using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using NodaTime;
using TourPlanner.Gateway.Infrastructure;
using TourPlanner.Grains;

namespace TourPlanner.Gateway.Live;

/// <summary>One change notice: which version of the tour is now stored, and what kind of change made it (never its details).</summary>
public sealed record LiveChangeDto(long Version, string Action, Instant? At);

/// <summary>The pages' live updates: Server-Sent Events while a stream can be had, and a cheap versioned poll when not.</summary>
public static class LiveApi
{
    public static WebApplicationBuilder AddTourPlannerLive(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<LiveOptions>(builder.Configuration.GetSection(LiveOptions.Section));
        builder.Services.AddSingleton<TourChangeHub>();
        return builder;
    }

    public static RouteGroupBuilder MapLiveApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/tours/{id}").WithTags("Live");
        api.MapGet("/changes", StreamAsync).WithName("TourChanges")
            .WithSummary("A text/event-stream of the tour's stored changes (version and kind only), for the pages to refresh; 503 when the server has no stream to spare (poll /version then).")
            .RequireRole(Role.Organizer, Role.Host, Role.Speaker).ProducesProblem(503);
        api.MapGet("/version", VersionAsync).WithName("TourVersion")
            .WithSummary("The tour's stored version with an ETag; 304 while it has not changed (organizer, host group or speaker).")
            .RequireRole(Role.Organizer, Role.Host, Role.Speaker);
        return api;
    }

    private static async Task<IResult> StreamAsync(Caller caller, TourChangeHub hub, HttpContext http)
    {
        var subscription = await hub.SubscribeAsync(caller.TourId);
        if (subscription is null)
        {
            http.Response.Headers.RetryAfter = "60";
            return Outcomes.Problem(503, Text.Of(RequestCodes.LiveBusy));
        }
        var version = (await caller.Tour.GetAsync())?.Version ?? 0;
        // Proxies such as nginx buffer responses unless told not to; a buffered event stream is no stream at all.
        http.Response.Headers["X-Accel-Buffering"] = "no";
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.ServerSentEvents(EventsAsync(caller, hub, subscription, version, Access.TokenOf(http.Request), http.RequestAborted));
    }

    private static async IAsyncEnumerable<SseItem<LiveChangeDto>> EventsAsync(Caller caller, TourChangeHub hub, TourChangeHub.Subscription subscription,
        long version, string? token, [EnumeratorCancellation] CancellationToken aborted)
    {
        await using var _ = subscription;
        using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(aborted, hub.Stopping);
        lifetime.CancelAfter(hub.Options.MaxStreamDuration);
        // The first event says which version the stream starts from, so a page that loaded an older one refreshes at once.
        yield return new SseItem<LiveChangeDto>(new LiveChangeDto(version, "hello", null), "hello") { ReconnectionInterval = TimeSpan.FromSeconds(5) };
        while (!lifetime.IsCancellationRequested)
        {
            var waited = await WaitAsync(subscription, hub.Options.KeepAlive, lifetime.Token);
            if (waited is null) yield break; // the hub completed the stream, or its time is up
            if (waited is false) { yield return new SseItem<LiveChangeDto>(new LiveChangeDto(version, "ping", null), "ping"); continue; }
            TourChange? last = null;
            while (subscription.Changes.TryRead(out var change)) last = change;
            if (last is null) continue;
            // A link revoked while its page was open stops hearing about the tour at its next change.
            if (await caller.Tour.AuthenticateAsync(token) is not { Role: not Role.Anonymous })
            {
                yield return new SseItem<LiveChangeDto>(new LiveChangeDto(last.Version, "revoked", last.At), "revoked");
                yield break;
            }
            version = last.Version;
            yield return new SseItem<LiveChangeDto>(new LiveChangeDto(last.Version, last.Action, last.At), "change");
        }
    }

    /// <summary>True when a change is waiting, false after <paramref name="keepAlive"/> without one, null when the stream is over.</summary>
    private static async Task<bool?> WaitAsync(TourChangeHub.Subscription subscription, TimeSpan keepAlive, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(keepAlive);
        try { return await subscription.Changes.WaitToReadAsync(timeout.Token) ? true : null; }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested) { return false; }
        catch (OperationCanceledException) { return null; }
    }

    private static async Task<IResult> VersionAsync(Caller caller, HttpContext http)
    {
        var version = (await caller.Tour.GetAsync())?.Version ?? 0;
        var etag = $"\"v{version}\"";
        http.Response.Headers.ETag = etag;
        http.Response.Headers.CacheControl = "no-cache";
        if (http.Request.Headers.IfNoneMatch.ToString() == etag) return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        return TypedResults.Ok(new { version });
    }
}
