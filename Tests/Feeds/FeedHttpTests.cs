using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using TourPlanner.Gateway.Calendar;
using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Feeds;

/// <summary>How the feeds behave over HTTP: validators, 304s, caching, compression, visibility and changes.</summary>
[Collection(GatewayCollection.Name)]
public class FeedHttpTests(GatewayFactory factory)
{
    private async Task<ApiScenario> ConfirmedAsync()
    {
        var s = await ApiScenario.CreateAsync(factory.CreateClient());
        await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/claims/{s.ClaimA}/confirm", s.Organizer), HttpStatusCode.OK);
        return s;
    }

    private static async Task<HttpResponseMessage> GetAsync(HttpClient client, string url, Action<HttpRequestHeaders>? headers = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        headers?.Invoke(request.Headers);
        return await client.SendAsync(request);
    }

    private static string Feed(ApiScenario s) => $"/tours/{s.Slug}/calendar.ics";

    [Theory]
    [InlineData(null)]
    [InlineData("application/json")]
    [InlineData("text/html")]
    public async Task Feed_IsTextCalendarUtf8_WhateverTheAcceptHeader(string? accept)
    {
        var s = await ConfirmedAsync();
        var response = await GetAsync(s.Client, Feed(s), h => { if (accept is not null) h.Accept.ParseAdd(accept); });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/calendar", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.StartsWith("BEGIN:VCALENDAR\r\n", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task UnchangedFeed_HasTheSameBytesAndStrongETag_AndIsRenderedOncePerChange()
    {
        var s = await ConfirmedAsync();
        var cache = factory.Services.GetRequiredService<FeedCache>();
        var first = await GetAsync(s.Client, Feed(s));
        var before = cache.Renders;
        var second = await GetAsync(s.Client, Feed(s));
        var third = await GetAsync(s.Client, Feed(s));
        Assert.Equal(before, cache.Renders);
        Assert.False(first.Headers.ETag!.IsWeak);
        Assert.Equal(first.Headers.ETag, second.Headers.ETag);
        Assert.Equal(await first.Content.ReadAsByteArrayAsync(), await third.Content.ReadAsByteArrayAsync());

        await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Patch, $"/api/tours/{s.TourId}/stops/{s.StopA}/events/{s.EventA}", s.Organizer, new { title = "New title" }), HttpStatusCode.OK);
        var changed = await GetAsync(s.Client, Feed(s));
        await GetAsync(s.Client, Feed(s));
        Assert.Equal(before + 1, cache.Renders);
        Assert.NotEqual(first.Headers.ETag, changed.Headers.ETag);
    }

    [Fact]
    public async Task ConditionalRequests_Get304_AndAnUnparsableDateGetsTheFeed()
    {
        var s = await ConfirmedAsync();
        var full = await GetAsync(s.Client, Feed(s));
        var etag = full.Headers.ETag!;
        var lastModified = full.Content.Headers.LastModified!.Value;

        var byTag = await GetAsync(s.Client, Feed(s), h => h.IfNoneMatch.Add(etag));
        Assert.Equal(HttpStatusCode.NotModified, byTag.StatusCode);
        Assert.Equal(etag, byTag.Headers.ETag);
        Assert.Empty(await byTag.Content.ReadAsByteArrayAsync());

        Assert.Equal(HttpStatusCode.NotModified, (await GetAsync(s.Client, Feed(s), h => h.IfModifiedSince = lastModified)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(s.Client, Feed(s), h => h.IfModifiedSince = lastModified.AddSeconds(-1))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(s.Client, Feed(s), h => h.TryAddWithoutValidation("If-Modified-Since", "yesterday-ish"))).StatusCode);
        // If-None-Match wins over If-Modified-Since.
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(s.Client, Feed(s), h =>
        {
            h.IfNoneMatch.Add(new EntityTagHeaderValue("\"other\""));
            h.IfModifiedSince = lastModified;
        })).StatusCode);
        Assert.Equal("public, max-age=300", full.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task LastModified_RisesWithEachChange_AndNeverMovesBackwards()
    {
        var s = await ConfirmedAsync();
        var seen = new List<DateTimeOffset>();
        async Task Read() => seen.Add((await GetAsync(s.Client, Feed(s))).Content.Headers.LastModified!.Value);
        await Read();
        await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Patch, $"/api/tours/{s.TourId}/stops/{s.StopA}/events/{s.EventA}", s.Organizer, new { title = "One" }), HttpStatusCode.OK);
        await Read();
        await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Patch, $"/api/tours/{s.TourId}/stops/{s.StopA}/events/{s.EventA}", s.Organizer, new { title = "Two" }), HttpStatusCode.OK);
        await Read();
        Assert.True(seen[0] < seen[1] && seen[1] < seen[2], string.Join(", ", seen)); // the clock did not move: one second per change

        // A cancellation stays 30 days, then drops out; Last-Modified still only rises.
        await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/stops/{s.StopA}/cancel", s.Organizer), HttpStatusCode.OK);
        var cancelled = await (await GetAsync(s.Client, Feed(s))).Content.ReadAsStringAsync();
        Assert.Equal("CANCELLED", Ics.ByUid(cancelled, TourFeeds.Uid(s.EventA))["STATUS"]);
        await Read();
        var now = factory.Clock.GetCurrentInstant();
        factory.Clock.Advance(Duration.FromDays(31));
        HttpResponseMessage later;
        // The clock is shared with the other tests of the collection, whose claims must not land in the past.
        try { later = await GetAsync(s.Client, Feed(s)); }
        finally { factory.Clock.Reset(now); }
        Assert.Empty(Ics.Events(await later.Content.ReadAsStringAsync()));
        seen.Add(later.Content.Headers.LastModified!.Value);
        Assert.True(seen.Zip(seen.Skip(1)).All(p => p.First <= p.Second), string.Join(", ", seen));
        Assert.True(seen[^1] > seen[^2]);
    }

    [Theory]
    [InlineData(null, "identity")]
    [InlineData("gzip", "gzip")]
    [InlineData("gzip, br", "br")]
    [InlineData("br;q=0, gzip", "gzip")]
    [InlineData("identity", "identity")]
    public async Task Compression_OnlyWhenAskedFor_AndEachEncodingHasItsOwnETag(string? acceptEncoding, string expected)
    {
        var s = await ConfirmedAsync();
        var client = factory.CreateDefaultClient(); // no automatic decompression: we read the raw bytes
        var plain = await (await GetAsync(client, Feed(s))).Content.ReadAsByteArrayAsync();
        var response = await GetAsync(client, Feed(s), h => { if (acceptEncoding is not null) h.TryAddWithoutValidation("Accept-Encoding", acceptEncoding); });
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.Contains("Accept-Encoding", response.Headers.Vary);
        if (expected == "identity")
        {
            Assert.Empty(response.Content.Headers.ContentEncoding);
            Assert.Equal(plain, body);
            return;
        }
        Assert.Equal(expected, Assert.Single(response.Content.Headers.ContentEncoding));
        using var input = new MemoryStream(body);
        using Stream z = expected == "br" ? new BrotliStream(input, CompressionMode.Decompress) : new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        z.CopyTo(output);
        Assert.Equal(plain, output.ToArray());
        Assert.EndsWith(expected == "br" ? "-br\"" : "-gz\"", response.Headers.ETag!.Tag);
    }

    [Fact]
    public async Task CityFeed_IsASubsetOfTheTourFeedByUid()
    {
        var s = await ConfirmedAsync();
        var (other, _) = await s.FreshClaimAsync("2026-10-31");
        await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/claims/{other}/confirm", s.Organizer), HttpStatusCode.OK);
        var all = Ics.Events(await s.Client.GetStringAsync(Feed(s))).Select(e => e["UID"]).ToHashSet();
        var chicago = Ics.Events(await s.Client.GetStringAsync(Feed(s) + "?city=chicago")).Select(e => e["UID"]).ToList();
        Assert.Equal(2, all.Count);
        Assert.Equal([TourFeeds.Uid(s.EventA)], chicago);
        Assert.Subset(all, chicago.ToHashSet());
    }

    [Fact]
    public async Task PrivateEventsAndTravel_AppearOnlyInThePrivateFeed_ForOrganizerAndSpeaker()
    {
        var s = await ConfirmedAsync();
        await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/stops/{s.StopA}/events", s.HostA,
            new { title = "Lodging: Hotel Secret", start = "2026-10-28T12:00", durationMinutes = 30, @public = false }), HttpStatusCode.Created);
        var (stPaul, _) = await s.FreshClaimAsync("2026-10-30");
        await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/claims/{stPaul}/confirm", s.Organizer), HttpStatusCode.OK);

        var publicFeed = await s.Client.GetStringAsync(Feed(s));
        var speakerFeed = await s.Client.GetStringAsync($"/tours/{s.Slug}/speakers/{s.SpeakerId}/calendar.ics");
        foreach (var text in new[] { publicFeed, speakerFeed })
        {
            Assert.DoesNotContain("Hotel Secret", text);
            Assert.DoesNotContain("Travel", text);
            Assert.DoesNotContain("ana@example.org", text);
            Assert.Equal(2, Ics.Events(text).Count);
        }

        foreach (var token in new[] { s.Organizer, s.Speaker })
        {
            var response = await s.Client.GetAsync($"/tours/{s.Slug}/private.ics?token={token}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("private", response.Headers.CacheControl?.ToString());
            var text = await response.Content.ReadAsStringAsync();
            Assert.Contains("Hotel Secret", text);
            Assert.DoesNotContain("ana@example.org", text);
            // The speaker's trip: from home (Newark), Chicago → St. Paul, and home again.
            var legs = Ics.Events(text).Where(e => e["UID"].StartsWith("travel-", StringComparison.Ordinal)).ToList();
            Assert.Equal(3, legs.Count);
            Assert.All(legs, leg => Assert.Equal("TRANSPARENT", leg["TRANSP"]));
            var between = Assert.Single(legs, e => !e["UID"].Contains("-home"));
            Assert.Contains("TZID=America/Chicago", between["DTSTART@params"]);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await s.Client.GetAsync($"/tours/{s.Slug}/private.ics")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await s.Client.GetAsync($"/tours/{s.Slug}/private.ics?token=nope")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await s.Client.GetAsync($"/tours/{s.Slug}/private.ics?token={s.HostA}")).StatusCode);
    }

    [Fact]
    public async Task Reschedule_KeepsTheUidAndRaisesSequence_AndCancellationStaysAsCancelled()
    {
        var s = await ConfirmedAsync();
        var before = Ics.ByUid(await s.Client.GetStringAsync(Feed(s)), TourFeeds.Uid(s.EventA));
        await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Patch, $"/api/tours/{s.TourId}/stops/{s.StopA}/events/{s.EventA}", s.HostA,
            new { start = "2026-10-28T18:00" }), HttpStatusCode.OK);
        var after = Ics.ByUid(await s.Client.GetStringAsync(Feed(s)), TourFeeds.Uid(s.EventA));
        Assert.Equal(int.Parse(before["SEQUENCE"]) + 1, int.Parse(after["SEQUENCE"]));
        Assert.Equal("20261028T180000", after["DTSTART"]);
        Assert.Equal("CONFIRMED", after["STATUS"]);
        Assert.Equal(before["CREATED"], after["CREATED"]);

        await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/stops/{s.StopA}/cancel", s.Organizer), HttpStatusCode.OK);
        var cancelled = Ics.ByUid(await s.Client.GetStringAsync(Feed(s)), TourFeeds.Uid(s.EventA));
        Assert.Equal("CANCELLED", cancelled["STATUS"]);
        Assert.Equal(int.Parse(after["SEQUENCE"]) + 1, int.Parse(cancelled["SEQUENCE"]));
    }

    [Fact]
    public async Task AnEventDownloads_AsItsOwnCalendarFile_AndPrivateOnesNeedAToken()
    {
        var s = await ConfirmedAsync();
        var response = await s.Client.GetAsync($"/tours/{s.Slug}/events/{s.EventA}.ics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/calendar", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TourFeeds.Uid(s.EventA), Assert.Single(Ics.Events(await response.Content.ReadAsStringAsync()))["UID"]);

        var added = await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/stops/{s.StopA}/events", s.HostA,
            new { title = "Private", start = "2026-10-28T12:00", durationMinutes = 30, @public = false }), HttpStatusCode.Created);
        var privateId = added.GetProperty("event").Str("eventId");
        Assert.Equal(HttpStatusCode.Unauthorized, (await s.Client.GetAsync($"/tours/{s.Slug}/events/{privateId}.ics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await s.Client.GetAsync($"/tours/{s.Slug}/events/{privateId}.ics?token={s.Speaker}")).StatusCode);
    }

    [Fact]
    public async Task ThePublicTourJson_CarriesReadySubscriptionLinks()
    {
        var s = await ConfirmedAsync();
        var view = await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Get, $"/api/tours/{s.TourId}"), HttpStatusCode.OK);
        var links = view.GetProperty("subscribe");
        Assert.Equal($"http://localhost/tours/{s.Slug}/calendar.ics", links.Str("https"));
        Assert.Equal($"webcal://localhost/tours/{s.Slug}/calendar.ics", links.Str("webcal"));
        Assert.Equal($"https://calendar.google.com/calendar/r?cid={Uri.EscapeDataString(links.Str("webcal"))}", links.Str("google"));
        Assert.StartsWith($"https://outlook.live.com/calendar/0/addfromweb?url={Uri.EscapeDataString(links.Str("https"))}", links.Str("outlook"));
    }
}
