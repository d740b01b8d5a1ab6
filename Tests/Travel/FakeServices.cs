using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Travel;

/// <summary>How the fake answers one request.</summary>
public delegate Task Reply(HttpContext context);

/// <summary>
/// OSRM, Nominatim and a GeoNames-style time-zone lookup on one Kestrel server on 127.0.0.1 (free port). Each service
/// replays the response shapes from its documentation, or a fault a test sets up.
/// </summary>
public sealed class FakeServices : IAsyncDisposable
{
    private WebApplication _app = null!;

    public Uri BaseUrl { get; private set; } = null!;
    public Script Osrm { get; } = new(Replies.Json(200, Samples.OsrmRoute));
    public Script OsrmTable { get; } = new(Replies.Json(200, Samples.OsrmTable));
    public Script Nominatim { get; } = new(Replies.Json(200, Samples.NominatimChicago));
    public Script TimeZones { get; } = new(Replies.Json(200, Samples.GeoNamesChicago));

    public static async Task<FakeServices> StartAsync()
    {
        var fake = new FakeServices();
        (fake._app, fake.BaseUrl) = await LoopbackHost.StartAsync(app =>
        {
            app.MapGet("/route/v1/driving/{**coordinates}", (HttpContext c) => fake.Osrm.AnswerAsync(c));
            app.MapGet("/table/v1/driving/{**coordinates}", (HttpContext c) => fake.OsrmTable.AnswerAsync(c));
            app.MapGet("/search", (HttpContext c) => fake.Nominatim.AnswerAsync(c));
            app.MapGet("/timezoneJSON", (HttpContext c) => fake.TimeZones.AnswerAsync(c));
        });
        return fake;
    }

    public void Reset()
    {
        Osrm.Reset(Replies.Json(200, Samples.OsrmRoute));
        OsrmTable.Reset(Replies.Json(200, Samples.OsrmTable));
        Nominatim.Reset(Replies.Json(200, Samples.NominatimChicago));
        TimeZones.Reset(Replies.Json(200, Samples.GeoNamesChicago));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>One service's replies: queued ones in order, then the standing one; and every request it saw.</summary>
public sealed class Script(Reply standing)
{
    private static readonly Stopwatch Clock = Stopwatch.StartNew();
    private readonly ConcurrentQueue<Reply> _queued = new();
    private volatile Reply _standing = standing;

    public ConcurrentQueue<(string PathAndQuery, TimeSpan At)> Requests { get; } = new();
    public int Count => Requests.Count;

    /// <summary>Answers with these replies in turn, the last one from then on.</summary>
    public void Reset(params Reply[] replies)
    {
        _queued.Clear();
        Requests.Clear();
        foreach (var r in replies[..^1]) _queued.Enqueue(r);
        _standing = replies[^1];
    }

    internal Task AnswerAsync(HttpContext context)
    {
        Requests.Enqueue((context.Request.Path + context.Request.QueryString, Clock.Elapsed));
        return (_queued.TryDequeue(out var next) ? next : _standing)(context);
    }
}

/// <summary>Replies and faults.</summary>
public static class Replies
{
    public static Reply Json(int status, string body, params (string Name, string Value)[] headers) => async c =>
    {
        c.Response.StatusCode = status;
        foreach (var (name, value) in headers) c.Response.Headers[name] = value;
        c.Response.ContentType = "application/json; charset=utf-8";
        await c.Response.WriteAsync(body);
    };

    /// <summary>Never answers; ends when the client gives up.</summary>
    public static Reply Hang => async c =>
    {
        try { await Task.Delay(Timeout.Infinite, c.RequestAborted); } catch (OperationCanceledException) { }
    };

    /// <summary>Promises the whole body, sends half of it, and drops the connection.</summary>
    public static Reply Truncated(string body) => async c =>
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        c.Response.StatusCode = 200;
        c.Response.ContentType = "application/json";
        c.Response.ContentLength = bytes.Length;
        await c.Response.Body.WriteAsync(bytes.AsMemory(0, bytes.Length / 2));
        await c.Response.Body.FlushAsync();
        c.Abort();
    };

    /// <summary>Headers at once, then the start of a valid answer and a space every 100 ms (valid JSON whitespace) until the client leaves.</summary>
    public static Reply SlowDrip(string body) => async c =>
    {
        c.Response.StatusCode = 200;
        c.Response.ContentType = "application/json";
        try
        {
            await c.Response.WriteAsync(body[..(body.Length / 2)], c.RequestAborted);
            await c.Response.Body.FlushAsync(c.RequestAborted);
            while (!c.RequestAborted.IsCancellationRequested)
            {
                await Task.Delay(100, c.RequestAborted);
                await c.Response.WriteAsync(" ", c.RequestAborted);
                await c.Response.Body.FlushAsync(c.RequestAborted);
            }
        }
        catch (OperationCanceledException) { }
        catch (IOException) { }
    };
}

/// <summary>Answers in the shapes the services' documentation shows.</summary>
public static class Samples
{
    /// <summary>Chicago → Milwaukee: 92.01 min (5520.6 s), 147.3 km.</summary>
    public const string OsrmRoute = """
        {"code":"Ok","routes":[{"geometry":"}_l~Fp}dvOzAaB","legs":[{"steps":[],"summary":"","weight":5601.2,"duration":5520.6,"distance":147312.4}],
        "weight_name":"routability","weight":5601.2,"duration":5520.6,"distance":147312.4}],
        "waypoints":[{"hint":"KSoKADRYroqUBAEAEAAAABkAAAAGAAAAAAAAAA==","distance":4.231,"name":"West Jackson Boulevard","location":[-87.629798,41.878114]},
        {"hint":"7UcAgP___38fAAAAUQAAACYAAABUAAAAAAAAAA==","distance":2.795,"name":"East Wisconsin Avenue","location":[-87.906474,43.038902]}]}
        """;
    public const int OsrmMinutes = 93;
    public const double OsrmKm = 147.3;

    /// <summary>A 2×2 table, Chicago and Milwaukee, with <c>annotations=duration,distance</c>.</summary>
    public const string OsrmTable = """
        {"code":"Ok","durations":[[0,5520.6],[5498.2,0]],"distances":[[0,147312.4],[146988.1,0]],
        "sources":[{"hint":"KSoKADRYroqUBAEAEAAAABkAAAAGAAAAAAAAAA==","distance":4.231,"name":"West Jackson Boulevard","location":[-87.629798,41.878114]},
        {"hint":"7UcAgP___38fAAAAUQAAACYAAABUAAAAAAAAAA==","distance":2.795,"name":"East Wisconsin Avenue","location":[-87.906474,43.038902]}],
        "destinations":[{"hint":"KSoKADRYroqUBAEAEAAAABkAAAAGAAAAAAAAAA==","distance":4.231,"name":"West Jackson Boulevard","location":[-87.629798,41.878114]},
        {"hint":"7UcAgP___38fAAAAUQAAACYAAABUAAAAAAAAAA==","distance":2.795,"name":"East Wisconsin Avenue","location":[-87.906474,43.038902]}]}
        """;

    public const string OsrmInvalidQuery = """{"code":"InvalidQuery","message":"Query string malformed close to position 28"}""";
    public const string OsrmNoRoute = """{"code":"NoRoute","message":"Impossible route between points"}""";
    public const string OsrmMalformed = """{"code":"Ok","routes":[{"duration":5520.6,"distance":}]""";

    public const string NominatimChicago = """
        [{"place_id":333165914,"licence":"Data © OpenStreetMap contributors, ODbL 1.0. http://osm.org/copyright","osm_type":"relation",
        "osm_id":122604,"lat":"41.8755616","lon":"-87.6244212","category":"boundary","type":"administrative","place_rank":16,
        "importance":0.8515,"addresstype":"city","name":"Chicago","display_name":"Chicago, Cook County, Illinois, United States",
        "boundingbox":["41.6443350","42.0230400","-87.9402670","-87.5240812"]}]
        """;

    public const string GeoNamesChicago = """
        {"sunrise":"2026-10-01 06:48","lng":-87.6244212,"countryCode":"US","gmtOffset":-6,"rawOffset":-6,"sunset":"2026-10-01 18:37",
        "timezoneId":"America/Chicago","dstOffset":-5,"countryName":"United States","time":"2026-10-01 07:00","lat":41.8755616}
        """;

    public const string GeoNamesAccountError = """
        {"status":{"message":"user account not enabled to use the free webservice. Please enable it on your account page: https://www.geonames.org/manageaccount ","value":10}}
        """;
}
