using System.Net;
using System.Text.Json;
using TourPlanner.Tests.Calendar;
using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Feeds;

/// <summary>The Atom feed (RFC 4287), read back by Python's xml.etree and Debian's python3-feedparser.</summary>
[Collection(GatewayCollection.Name)]
public sealed class AtomFeedTests(GatewayFactory factory)
{
    private static async Task<JsonElement> ReadAsync(byte[] atom)
    {
        using var dir = new TempDirectory();
        var file = dir.File("feed.xml");
        await File.WriteAllBytesAsync(file, atom);
        var result = (await ExternalTool.RunAsync("/usr/bin/python3", [ClientsDirectory.File("read_atom.py"), file])).EnsureSuccess("read_atom.py");
        return JsonDocument.Parse(result.StdOut).RootElement.Clone();
    }

    private async Task<(ApiScenario S, string StPaulStop)> TourAsync()
    {
        var s = await ApiScenario.CreateAsync(factory.CreateClient());
        await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Patch, $"/api/tours/{s.TourId}/stops/{s.StopA}/events/{s.EventA}", s.Organizer,
            new { title = "Rally <b>now</b> & \"together\"" }), HttpStatusCode.OK);
        await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/claims/{s.ClaimA}/confirm", s.Organizer), HttpStatusCode.OK);
        await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/stops/{s.StopA}/events", s.HostA,
            new { title = "Lodging: Hotel Secret", start = "2026-10-28T12:00", durationMinutes = 30, @public = false }), HttpStatusCode.Created);
        var (stPaul, stPaulStop) = await s.FreshClaimAsync("2026-10-31");
        await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/claims/{stPaul}/confirm", s.Organizer), HttpStatusCode.OK);
        return (s, stPaulStop);
    }

    [Fact]
    public async Task TheAtomFeed_IsValidForTwoParsers_InTheAskedLanguage_WithPublicEventsOnly_AndCancelledOnesMarked()
    {
        var (s, stPaulStop) = await TourAsync();
        await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/stops/{stPaulStop}/cancel", s.Organizer), HttpStatusCode.OK);

        var response = await s.Client.GetAsync($"/tours/{s.Slug}/atom.xml?lang=es");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/atom+xml", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.DoesNotContain("Hotel Secret", System.Text.Encoding.UTF8.GetString(bytes));
        var feed = await ReadAsync(bytes);

        Assert.Equal("es", feed.Str("lang"));
        Assert.Equal("Fight Like Calero — Fight to Win", feed.Str("title"));
        // Links come from the Gateway's own address here (Gateway:PublicBaseUrl unset), never from the request.
        Assert.Matches($"^http://localhost(:\\d+)?/tours/{s.Slug}/atom.xml\\?lang=es$", feed.Str("self"));
        var entries = feed.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(2, entries.Count);
        Assert.Equal("Rally <b>now</b> & \"together\"", entries[0].Str("title"));
        Assert.Contains("mié 28 oct 19:00 CDT", entries[0].Str("summary"));
        Assert.EndsWith($"/t/{s.Slug}?lang=es#{s.EventA}", entries[0].Str("link"));
        Assert.StartsWith("Cancelado: ", entries[1].Str("title"));

        var parsed = feed.GetProperty("feedparser").GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(entries.Select(e => e.Str("id")), parsed.Select(e => e.Str("id")));
        Assert.Equal(entries.Select(e => e.Str("title")), parsed.Select(e => e.Str("title")));
        Assert.Equal(["confirmed", "cancelled"], parsed.Select(e => e.GetProperty("categories")[0].GetString()));
        Assert.All(entries, e => Assert.StartsWith("urn:uuid:", e.Str("id")));
    }

    [Fact]
    public async Task TheAtomFeed_ForOneCity_HasOnlyThatCity_AndRevalidatesWith304()
    {
        var (s, _) = await TourAsync();
        var response = await s.Client.GetAsync($"/tours/{s.Slug}/atom.xml?city=st.%20PAUL");
        var feed = await ReadAsync(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("en", feed.Str("lang"));
        Assert.Equal("Fight Like Calero — Fight to Win — St. Paul", feed.Str("title"));
        Assert.Contains("St. Paul", Assert.Single(feed.GetProperty("entries").EnumerateArray()).Str("summary"));

        using var again = new HttpRequestMessage(HttpMethod.Get, $"/tours/{s.Slug}/atom.xml?city=st.%20PAUL");
        again.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await s.Client.SendAsync(again)).StatusCode);
    }

    [Fact]
    public async Task EntryIds_StayTheSame_WhenTheEventChanges()
    {
        var (s, _) = await TourAsync();
        var before = await ReadAsync(await s.Client.GetByteArrayAsync($"/tours/{s.Slug}/atom.xml"));
        factory.Clock.Advance(NodaTime.Duration.FromMinutes(1));
        await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Patch, $"/api/tours/{s.TourId}/stops/{s.StopA}/events/{s.EventA}", s.Organizer,
            new { title = "Renamed rally" }), HttpStatusCode.OK);
        var after = await ReadAsync(await s.Client.GetByteArrayAsync($"/tours/{s.Slug}/atom.xml"));
        Assert.Equal(before.GetProperty("entries")[0].Str("id"), after.GetProperty("entries")[0].Str("id"));
        Assert.Equal("Renamed rally", after.GetProperty("entries")[0].Str("title"));
        Assert.True(string.CompareOrdinal(after.GetProperty("entries")[0].Str("updated"), before.GetProperty("entries")[0].Str("updated")) > 0);
    }
}
