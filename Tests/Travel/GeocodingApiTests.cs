using System.Diagnostics;
using System.Net;
using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Travel;

/// <summary><c>GET /api/geocode</c> against the fake Nominatim and time-zone lookup.</summary>
[Collection(TravelCollection.Name)]
public sealed class GeocodingApiTests : IDisposable
{
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(1.5);
    private readonly TravelFixture _f;
    private readonly HttpClient _client;

    public GeocodingApiTests(TravelFixture fixture)
    {
        _f = fixture;
        _f.Fake.Reset();
        _client = _f.Gateway.CreateClient();
    }

    public void Dispose() => _f.Fake.Reset();

    [Fact]
    public async Task Geocode_WhenServicesAnswer_ReturnsCoordinatesAndTheLookedUpZone()
    {
        var body = await ApiScenario.Ok(await _client.GetAsync("/api/geocode?q=Chicago%2C%20IL"), HttpStatusCode.OK);

        Assert.Equal("nominatim", body.Str("source"));
        var place = Assert.Single(body.GetProperty("results").EnumerateArray());
        Assert.Equal(41.8755616, place.GetProperty("latitude").GetDouble());
        Assert.Equal(-87.6244212, place.GetProperty("longitude").GetDouble());
        Assert.Equal("Chicago, Cook County, Illinois, United States", place.Str("displayName"));
        Assert.Equal(("America/Chicago", "lookup"), (place.Str("timeZone"), place.Str("timeZoneSource")));
        var (search, _) = Assert.Single(_f.Fake.Nominatim.Requests);
        Assert.Contains("format=jsonv2", search);
        Assert.Contains("q=Chicago%2C%20IL", search);
        var (lookup, _) = Assert.Single(_f.Fake.TimeZones.Requests);
        Assert.Contains("lat=41.875562", lookup);
        Assert.Contains("lng=-87.624421", lookup);
        Assert.Contains("username=tourplanner-test", lookup);
    }

    [Fact]
    public async Task Geocode_WhenTheLookupAnswersWithAnAccountError_ReturnsCoordinatesWithoutAZone()
    {
        _f.Fake.TimeZones.Reset(Replies.Json(200, Samples.GeoNamesAccountError));

        var body = await ApiScenario.Ok(await _client.GetAsync("/api/geocode?q=Chicago"), HttpStatusCode.OK);

        var place = Assert.Single(body.GetProperty("results").EnumerateArray());
        Assert.Equal(41.8755616, place.GetProperty("latitude").GetDouble());
        Assert.True(!place.TryGetProperty("timeZone", out var zone) || zone.ValueKind == System.Text.Json.JsonValueKind.Null);
        Assert.Equal("unavailable", place.Str("timeZoneSource"));
    }

    [Fact]
    public async Task Geocode_WhenTheLookupHangs_StillAnswersWithinTheDeadlineWithoutAZone()
    {
        _f.Fake.TimeZones.Reset(Replies.Hang);
        var watch = Stopwatch.StartNew();

        var body = await ApiScenario.Ok(await _client.GetAsync("/api/geocode?q=Chicago"), HttpStatusCode.OK);

        Assert.Equal("unavailable", Assert.Single(body.GetProperty("results").EnumerateArray()).Str("timeZoneSource"));
        Assert.True(watch.Elapsed < TravelFixture.Deadline + Margin, $"answered after {watch.ElapsedMilliseconds} ms");
    }

    public static TheoryData<string> NominatimFaults() => ["500", "timeout", "malformed", "slow drip"];

    [Theory]
    [MemberData(nameof(NominatimFaults))]
    public async Task Geocode_WhenNominatimFails_Returns503WithinTheDeadlineSayingItDidNotAnswer(string fault)
    {
        _f.Fake.Nominatim.Reset(fault switch
        {
            "500" => Replies.Json(500, """{"error":"Internal Server Error"}"""),
            "timeout" => Replies.Hang,
            "malformed" => Replies.Json(200, """[{"place_id":1,"lat":"41.8","lon":"""),
            _ => Replies.SlowDrip(Samples.NominatimChicago),
        });
        var watch = Stopwatch.StartNew();

        var response = await _client.GetAsync("/api/geocode?q=Chicago");

        var body = await ApiScenario.Ok(response, HttpStatusCode.ServiceUnavailable);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("did not answer", body.Str("detail"));
        Assert.True(watch.Elapsed < TravelFixture.Deadline + Margin, $"{fault}: answered after {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task Geocode_WithoutAQuery_Returns400NamingQ()
    {
        var body = await ApiScenario.Ok(await _client.GetAsync("/api/geocode"), HttpStatusCode.BadRequest);

        Assert.True(body.GetProperty("errors").TryGetProperty("q", out _));
        Assert.Equal(0, _f.Fake.Nominatim.Count);
    }
}

public sealed class GeocodingNotConfiguredTests(OsrmOnlyGateway f) : IClassFixture<OsrmOnlyGateway>
{
    [Fact]
    public async Task Geocode_WhenNominatimIsNotConfigured_Returns503SayingSo()
    {
        var body = await ApiScenario.Ok(await f.Gateway.CreateClient().GetAsync("/api/geocode?q=Chicago"), HttpStatusCode.ServiceUnavailable);

        Assert.Contains("not configured", body.Str("detail"));
        Assert.Equal(0, f.Fake.Nominatim.Count);
    }
}
