using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Calendar;

/// <summary>A Kestrel server on 127.0.0.1 (free port) serving whatever feed bytes the test sets.</summary>
public sealed class LoopbackFeedServer : IAsyncDisposable
{
    private WebApplication _app = null!;
    private volatile byte[] _feed = [];

    public Uri FeedUrl { get; private set; } = null!;

    public int Requests;

    public byte[] Feed { set => _feed = value; }

    public static async Task<LoopbackFeedServer> StartAsync()
    {
        var server = new LoopbackFeedServer();
        var (app, baseUrl) = await LoopbackHost.StartAsync(app => app.MapGet("/tour.ics", () =>
        {
            Interlocked.Increment(ref server.Requests);
            return Results.Bytes(server._feed, "text/calendar; charset=utf-8");
        }));
        server._app = app;
        server.FeedUrl = new Uri(baseUrl, "/tour.ics");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
