using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TourPlanner.Tests.Calendar;

/// <summary>A Kestrel server on 127.0.0.1 (free port) serving whatever feed bytes the test sets.</summary>
public sealed class LoopbackFeedServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private volatile byte[] _feed = [];

    private LoopbackFeedServer(WebApplication app) => _app = app;

    public Uri FeedUrl { get; private set; } = null!;

    public int Requests;

    public byte[] Feed { set => _feed = value; }

    public static async Task<LoopbackFeedServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new LoopbackFeedServer(app);
        app.MapGet("/tour.ics", () =>
        {
            Interlocked.Increment(ref server.Requests);
            return Results.Bytes(server._feed, "text/calendar; charset=utf-8");
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.FeedUrl = new Uri(new Uri(address), "/tour.ics");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
