using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using TourPlanner.Grains;
using TourPlanner.Grains.Domain;
using TourPlanner.Grains.Implementation;
using TourPlanner.Grains.Planning;
using TourPlanner.Tests.Infrastructure;
using TourPlanner.Tests.Travel;

namespace TourPlanner.Tests.Planning;

/// <summary>
/// The planner's travel comes from the Gateway: one OSRM <c>table</c> request for all the places a plan needs (fake
/// OSRM on loopback, answering in the documented shape), handed to the plan grain, which makes no call of its own.
/// </summary>
[Collection(TravelCollection.Name)]
public sealed class PlanningTravelTests(TravelFixture fixture) : IDisposable
{
    // The fake services are shared by the collection: leave them answering as documented for the next test.
    public void Dispose() => fixture.Fake.Reset();

    /// <summary>OSRM's table answer for whatever coordinates were asked: every pair 5520.6 s and 147.3 km (Chicago ↔ Milwaukee).</summary>
    private static Reply TableForAnyPlaces => async c =>
    {
        var path = Uri.UnescapeDataString(c.Request.Path.Value!);
        var n = path[(path.LastIndexOf('/') + 1)..].Split(';').Length;
        double[][] Square(double value) => [.. Enumerable.Range(0, n).Select(i => Enumerable.Range(0, n).Select(j => i == j ? 0 : value).ToArray())];
        var body = JsonSerializer.Serialize(new { code = "Ok", durations = Square(5520.6), distances = Square(147312.4) });
        c.Response.ContentType = "application/json";
        await c.Response.WriteAsync(body);
    };

    private async Task<(ApiScenario S, string Milwaukee)> TourAsync()
    {
        // Home in Newark (a flight from Chicago: the built-in model's), Chicago on the 28th, Milwaukee on the 30th (driven).
        var s = await ApiScenario.CreateAsync(fixture.Gateway.CreateClient());
        var claim = await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/claims", s.HostB,
            ApiScenario.ClaimBody("2026-10-30", "Milwaukee", "America/Chicago", Places.Milwaukee.Latitude, Places.Milwaukee.Longitude)), HttpStatusCode.Created);
        return (s, claim.Str("claimId"));
    }

    private static async Task<JsonElement> PlanAsync(ApiScenario s) =>
        await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/plan", s.Organizer, new { seed = 1, maxIterations = 200 }), HttpStatusCode.Created);

    private static JsonElement Stop(JsonElement proposal, string claimId) =>
        proposal.GetProperty("routes")[0].GetProperty("stops").EnumerateArray().Single(x => x.Str("claimId") == claimId);

    [Fact]
    public async Task APlan_AsksOsrmOneTableForAllItsPlaces_AndRecordsEachLegsSource()
    {
        var (s, milwaukee) = await TourAsync();
        fixture.Fake.Reset();
        fixture.Fake.OsrmTable.Reset(TableForAnyPlaces);

        var proposal = await PlanAsync(s);
        var request = Assert.Single(fixture.Fake.OsrmTable.Requests).PathAndQuery;
        var coordinates = Uri.UnescapeDataString(request.Split('?')[0]).Split('/')[^1].Split(';');
        Assert.Equal(3, coordinates.Length); // Newark (home), Chicago, Milwaukee
        Assert.Contains("annotations=duration,distance", request);
        Assert.Equal(0, fixture.Fake.Osrm.Count); // no leg by leg routing from the planner

        var chicago = Stop(proposal, s.ClaimA);
        Assert.Equal(("estimate", "fly"), (chicago.Str("travelSource"), chicago.Str("travelMode"))); // Newark → Chicago: beyond driving
        var leg = Stop(proposal, milwaukee);
        Assert.Equal(("osrm", "drive"), (leg.Str("travelSource"), leg.Str("travelMode")));
        Assert.Equal(Samples.OsrmMinutes, leg.GetProperty("travelMinutesFromPrevious").GetInt32());
    }

    [Fact]
    public async Task WhenOsrmNeverAnswers_ThePlanUsesTheBuiltInModel_MarkedAsAnEstimate()
    {
        var (s, milwaukee) = await TourAsync();
        fixture.Fake.Reset();
        fixture.Fake.OsrmTable.Reset(Replies.Hang);

        var proposal = await PlanAsync(s);
        var leg = Stop(proposal, milwaukee);
        Assert.Equal("estimate", leg.Str("travelSource"));
        var builtIn = new GreatCircleTravelEstimator().Estimate(Places.Chicago, Places.Milwaukee);
        Assert.Equal(builtIn.Minutes, leg.GetProperty("travelMinutesFromPrevious").GetInt32());
    }
}

/// <summary>The plan grain's travel model without a cluster: the table first, the built-in model for what it lacks.</summary>
public sealed class PlanTravelEstimatorTests
{
    private static readonly GeoPoint A = new(41.8781, -87.6298), B = new(43.0389, -87.9065), C = new(44.9537, -93.09);

    private static TravelEstimate Leg(int minutes) => new() { Mode = "drive", Minutes = minutes, DistanceKm = 1, Source = "osrm" };

    [Fact]
    public void ALegInTheTable_IsUsed_APairItLacks_ComesFromTheBuiltInModel()
    {
        var table = new PlanTravel { Places = [A, B], Legs = [null, Leg(500), Leg(501), null] };
        var estimator = new PlanTravelEstimator(table, new GreatCircleTravelEstimator());
        Assert.Equal(500, estimator.Estimate(A, B).Minutes);
        Assert.Equal(501, estimator.Estimate(B, A).Minutes);
        Assert.Equal(new GreatCircleTravelEstimator().Estimate(A, C), estimator.Estimate(A, C));
        Assert.Equal("estimate", estimator.Estimate(A, A).Source);
    }

    [Fact]
    public void ATableOfTheWrongShape_IsIgnoredAsAWhole()
    {
        var table = new PlanTravel { Places = [A, B], Legs = [null, Leg(500), Leg(501)] };
        Assert.Equal("estimate", new PlanTravelEstimator(table, new GreatCircleTravelEstimator()).Estimate(A, B).Source);
    }

    [Fact]
    public void ThePlanGrain_DependsOnNoTravelEstimator_SoItCannotCallOutside()
    {
        var parameters = typeof(TourPlanGrain).GetConstructors().Single().GetParameters().Select(p => p.ParameterType).ToList();
        Assert.DoesNotContain(parameters, t => typeof(ITravelTimeEstimator).IsAssignableFrom(t) || t == typeof(IServiceProvider));
        Assert.Contains(typeof(TravelModelOptions), parameters); // the pure built-in model's settings only
    }

    [Fact]
    public void TheBuilderListsHomesAndStops_EachOnce()
    {
        var input = new PlanningInput
        {
            Tour = new TourSnapshot
            {
                TourId = "t", Name = "t", Slug = "t", TimeZone = "America/Chicago", StartDate = new NodaTime.LocalDate(2026, 10, 22), EndDate = new NodaTime.LocalDate(2026, 11, 15),
                Speakers = [new SpeakerInfo { Id = "s1", Name = "One", HomeTimeZone = "America/New_York", Home = C }, new SpeakerInfo { Id = "s2", Name = "Two", HomeTimeZone = "America/New_York", Home = A }],
            },
            Stops = [Stop("x", A), Stop("y", B), Stop("z", null)],
        };
        Assert.Equal([C, A, B], Gateway.Travel.PlanTravelBuilder.Places(input));
    }

    private static StopSnapshot Stop(string id, GeoPoint? at) => new()
    {
        StopId = id, TourId = "t", ClaimId = "c" + id, HostId = "h", City = id, Country = "US", TimeZone = "America/Chicago", Location = at,
        Dates = [new NodaTime.LocalDate(2026, 10, 28)], Events = [],
    };
}
