using System.Net;
using System.Text.Json;
using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Api;

/// <summary>The planning endpoints over HTTP: the whole flow, roles, stale proposals and bad input.</summary>
[Collection(GatewayCollection.Name)]
public class PlanningApiTests(GatewayFactory factory)
{
    private static object Claim(string date, string city, double lat, double lon, string[]? acceptable = null, object? window = null, int? priority = null) => new
    {
        city, country = "US", timeZone = "America/Chicago", latitude = lat, longitude = lon, dates = new[] { date },
        events = new[] { new { title = $"Meeting in {city}", start = $"{date}T19:00", durationMinutes = 120 } },
        acceptableDates = acceptable, window, priority,
    };

    private static async Task AssertFieldAsync(HttpResponseMessage response, string field)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"Expected 400, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(JsonDocument.Parse(text).RootElement.GetProperty("errors").TryGetProperty(field, out _), $"errors should name '{field}': {text}");
    }

    [Fact]
    public async Task PlanThenGetThenApply_ConfirmsThePlacedClaimsOnTheirNewDates()
    {
        var s = await ApiScenario.CreateAsync(factory.CreateClient());
        // Host B wants Oct 28 too, but accepts the following week: the plan moves it instead of queueing it.
        var b = await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/claims", s.HostB,
            Claim("2026-10-28", "St. Paul", 44.9537, -93.09, window: new { from = "2026-11-04", to = "2026-11-06" }, priority: 3)), HttpStatusCode.Created);
        Assert.Equal(2, b.GetProperty("rank").GetInt32());

        var proposal = await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/plan", s.Organizer,
            new { seed = 5, maxIterations = 300 }), HttpStatusCode.Created);
        var id = proposal.Str("proposalId");
        var placed = proposal.GetProperty("placements").EnumerateArray().ToDictionary(p => p.Str("claimId"), p => p.GetProperty("dates")[0].GetString());
        Assert.Equal("2026-10-28", placed[s.ClaimA]);
        Assert.Equal("2026-11-04", placed[b.Str("claimId")]);
        Assert.True(proposal.GetProperty("totalTravelMinutes").GetInt32() > 0);
        Assert.Equal(2, proposal.GetProperty("routes")[0].GetProperty("stops").GetArrayLength());

        var got = await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Get, $"/api/tours/{s.TourId}/plan/{id}", s.Organizer), HttpStatusCode.OK);
        Assert.Equal(proposal.GetRawText(), got.GetRawText());

        var applied = await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/plan/{id}/apply", s.Organizer), HttpStatusCode.OK);
        Assert.Equal(2, applied.GetProperty("confirmed").GetArrayLength());
        var claims = (await s.ClaimsAsync()).GetProperty("claims").EnumerateArray().ToDictionary(c => c.Str("claimId"));
        Assert.Equal("confirmed", claims[b.Str("claimId")].Str("status"));
        Assert.Equal("2026-11-04", claims[b.Str("claimId")].GetProperty("dates")[0].GetString());
        Assert.Equal(3, claims[b.Str("claimId")].GetProperty("priority").GetInt32());
        var conflicts = await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Get, $"/api/tours/{s.TourId}/conflicts", s.Organizer), HttpStatusCode.OK);
        Assert.Equal(0, conflicts.GetProperty("conflicts").GetArrayLength());
    }

    [Fact]
    public async Task ApplyingAStaleProposal_Returns409_AndLeavesTheClaimsAsTheyWere()
    {
        var s = await ApiScenario.CreateAsync(factory.CreateClient());
        var proposal = await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/plan", s.Organizer, new { seed = 1, maxIterations = 100 }), HttpStatusCode.Created);
        await s.FreshClaimAsync("2026-11-09");
        var before = (await s.ClaimsAsync()).GetRawText();

        var response = await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/plan/{proposal.Str("proposalId")}/apply", s.Organizer);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, (await s.ClaimsAsync()).GetRawText());
    }

    [Fact]
    public async Task RepairOverHttp_ListsTheMove_AndApplyCarriesItOut()
    {
        var s = await ApiScenario.CreateAsync(factory.CreateClient());
        var c = await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/claims", s.HostB,
            Claim("2026-11-05", "St. Paul", 44.9537, -93.09, acceptable: ["2026-11-06"])), HttpStatusCode.Created);
        await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/claims/{c.Str("claimId")}/confirm", s.Organizer), HttpStatusCode.OK);

        var proposal = await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/repair", s.Organizer,
            new { stopId = c.Str("stopId"), seed = 2, maxIterations = 200 }), HttpStatusCode.Created);
        Assert.Equal("repair", proposal.Str("kind"));
        var move = Assert.Single(proposal.GetProperty("moves").EnumerateArray());
        Assert.Equal("2026-11-05", move.GetProperty("from")[0].GetString());
        Assert.Equal("2026-11-06", move.GetProperty("to")[0].GetString());

        await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/plan/{proposal.Str("proposalId")}/apply", s.Organizer), HttpStatusCode.OK);
        var claim = (await s.ClaimsAsync()).GetProperty("claims").EnumerateArray().Single(x => x.Str("claimId") == c.Str("claimId"));
        Assert.Equal("2026-11-06", claim.GetProperty("dates")[0].GetString());
        Assert.Equal("confirmed", claim.Str("status"));
    }

    [Fact]
    public async Task OnlyTheOrganizer_CanPlanReadApplyOrRepair()
    {
        var s = await ApiScenario.CreateAsync(factory.CreateClient());
        Assert.Equal(HttpStatusCode.Forbidden, (await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/plan", s.HostA, new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/repair", s.Speaker, new { stopId = s.StopA })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await s.Client.SendAsync(HttpMethod.Get, $"/api/tours/{s.TourId}/plan/p_x")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await s.Client.SendAsync(HttpMethod.Get, $"/api/tours/{s.TourId}/plan/p_x", s.Organizer)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/plan/p_x/apply", s.Organizer)).StatusCode);
    }

    [Fact]
    public async Task BadPlanningInput_Gets400NamingTheField()
    {
        var s = await ApiScenario.CreateAsync(factory.CreateClient());
        var plan = $"/api/tours/{s.TourId}/plan";
        await AssertFieldAsync(await s.Client.SendAsync(HttpMethod.Post, plan, s.Organizer, new { maxIterations = 0 }), "maxIterations");
        await AssertFieldAsync(await s.Client.SendAsync(HttpMethod.Post, plan, s.Organizer, new { timeBudgetMs = 999999 }), "timeBudgetMs");
        await AssertFieldAsync(await s.Client.SendAsync(HttpMethod.Post, plan, s.Organizer, new { seed = -1 }), "seed");
        // Above the server's cap (Planning:MaxIterations, 100,000 by default): refused at once, not computed for minutes.
        await AssertFieldAsync(await s.Client.SendAsync(HttpMethod.Post, plan, s.Organizer, new { maxIterations = 200_000 }), "maxIterations");
        await AssertFieldAsync(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/repair", s.Organizer, new { stopId = s.StopA, maxIterations = 200_000 }), "maxIterations");
        await AssertFieldAsync(await s.Client.SendAsync(HttpMethod.Post, plan, s.Organizer, new { pinned = new[] { new { claimId = "c_nope", date = "2026-10-28" } } }), "pinned[0].claimId");
        await AssertFieldAsync(await s.Client.SendAsync(HttpMethod.Post, plan, s.Organizer, new { pinned = new[] { new { claimId = s.ClaimA, date = "2026-11-12" } } }), "pinned[0].date");
        await AssertFieldAsync(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/repair", s.Organizer, new { }), "stopId");
    }

    [Fact]
    public async Task BadAcceptableDatesOrPriority_OnAClaim_Get400NamingTheField()
    {
        var s = await ApiScenario.CreateAsync(factory.CreateClient());
        var claims = $"/api/tours/{s.TourId}/claims";
        await AssertFieldAsync(await s.Client.SendAsync(HttpMethod.Post, claims, s.HostB,
            Claim("2026-10-29", "St. Paul", 44.9537, -93.09, acceptable: ["2026-12-01"])), "acceptableDates[0]");
        await AssertFieldAsync(await s.Client.SendAsync(HttpMethod.Post, claims, s.HostB,
            Claim("2026-10-29", "St. Paul", 44.9537, -93.09, priority: 0)), "priority");
        await AssertFieldAsync(await s.Client.SendAsync(HttpMethod.Post, claims, s.HostB,
            Claim("2026-10-29", "St. Paul", 44.9537, -93.09, window: new { from = "2026-11-06", to = "2026-11-04" })), "window.to");
        Assert.Equal(1, (await s.ClaimsAsync()).GetProperty("claims").GetArrayLength());
    }
}

/// <summary>The Gateway with tight planning limits: one run per silo, five seconds of search (long enough to meet a run while it computes).</summary>
public sealed class LimitedPlanningGatewayFactory : Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program>
{
    public NodaTime.Testing.FakeClock Clock { get; } = new(ClusterFixture.Epoch);
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "tourplanner-tests", Guid.NewGuid().ToString("N"));
    public TourPlanner.Grains.Domain.PlanningRunGate Gate =>
        Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<TourPlanner.Grains.Domain.PlanningRunGate>(Services);

    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        GatewayFactory.Configure(builder, Clock, DataDirectory);
        builder.UseSetting("Planning:MaxConcurrentRuns", "1");
        // Five seconds of search leave verification 2.5 s (half the wall time): at the start of a full run, with every
        // test class warming up on two cores, 1.5 s was once not enough and the plan was abandoned (503) instead.
        builder.UseSetting("Planning:MaxWallTime", "00:00:05");
        builder.UseSetting("Planning:DefaultTimeBudget", "00:00:05");
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
    }
}

/// <summary>The review's hostile planning requests over HTTP: every one answers within the server's limits, never 500.</summary>
public class PlanningLimitApiTests : IClassFixture<LimitedPlanningGatewayFactory>
{
    private readonly LimitedPlanningGatewayFactory _factory;

    public PlanningLimitApiTests(LimitedPlanningGatewayFactory factory) => _factory = factory;

    /// <summary>A tour with 25 held claims, each accepting a few other dates: what the review planned with.</summary>
    private async Task<ApiScenario> BusyTourAsync()
    {
        var s = await ApiScenario.CreateAsync(_factory.CreateClient());
        var rng = new Random(7);
        for (var i = 0; i < 24; i++)
        {
            var date = new NodaTime.LocalDate(2026, 10, 22).PlusDays(i + 1);
            if (date == new NodaTime.LocalDate(2026, 10, 28) || date == new NodaTime.LocalDate(2026, 11, 3)) date = date.PlusDays(-1);
            var others = Enumerable.Range(1, 3).Select(k => new NodaTime.LocalDate(2026, 10, 22).PlusDays((i + 5 * k) % 24).ToString("yyyy-MM-dd", null))
                .Where(d => d != "2026-11-03").ToArray();
            await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/claims", s.HostB, new
            {
                city = $"City {i}", country = "US", timeZone = "America/Chicago", latitude = 41 + rng.NextDouble() * 4, longitude = -93 + rng.NextDouble() * 10,
                dates = new[] { date.ToString("yyyy-MM-dd", null) }, acceptableDates = others, priority = 1 + i % 3,
                events = new[] { new { title = $"Meeting {i}", start = $"{date:yyyy-MM-dd}T19:00", durationMinutes = 120 } },
            }), HttpStatusCode.Created);
        }
        return s;
    }

    [Fact]
    public async Task APlanAtTheIterationCap_With25Claims_AnswersWithinTheWallTimeCap_SayingWhatStoppedIt()
    {
        var s = await BusyTourAsync();
        var plan = s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/plan", s.Organizer, new { seed = 3, maxIterations = 100_000 });
        await Grains.PlanningGrainTests.EventuallyAsync(() => _factory.Gate.Active == 1 || plan.IsCompleted, "the run computes");
        // The tour stays readable for anyone while the planner computes.
        Assert.Equal(HttpStatusCode.OK, (await _factory.CreateClient().GetAsync($"/api/tours/{s.TourId}")).StatusCode);

        var proposal = await ApiScenario.Ok(await plan, HttpStatusCode.Created);
        Assert.Equal("server-time", proposal.Str("stoppedBy"));
        Assert.Contains("límite de tiempo del servidor", proposal.Str("stopMessageEs"));
        Assert.True(proposal.GetProperty("iterations").GetInt64() < 100_000);
        await Grains.PlanningGrainTests.EventuallyAsync(() => _factory.Gate.Active == 0, "the run's work has ended");
    }

    [Fact]
    public async Task WhileARunComputes_TheSameTourGets409_AndAnotherTourGets503WithRetryAfter()
    {
        var s = await BusyTourAsync();
        var other = await ApiScenario.CreateAsync(_factory.CreateClient());
        var plan = s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/plan", s.Organizer, new { });
        await Grains.PlanningGrainTests.EventuallyAsync(() => _factory.Gate.Active == 1 || plan.IsCompleted, "the run computes");
        Assert.False(plan.IsCompleted, plan.IsCompleted ? await (await plan).Content.ReadAsStringAsync() : "");

        var same = await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/plan", s.Organizer, new { });
        Assert.Equal(HttpStatusCode.Conflict, same.StatusCode);
        Assert.Equal("application/problem+json", same.Content.Headers.ContentType?.MediaType);
        Assert.Contains("plan-running", await same.Content.ReadAsStringAsync());

        var busy = await other.Client.SendAsync(HttpMethod.Post, $"/api/tours/{other.TourId}/repair", other.Organizer, new { stopId = other.StopA });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, busy.StatusCode);
        Assert.Equal("application/problem+json", busy.Content.Headers.ContentType?.MediaType);
        Assert.True(busy.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), $"Retry-After: {busy.Headers.RetryAfter}");
        var body = await busy.JsonAsync();
        Assert.Equal("planner-busy", body.Str("code"));
        Assert.False(string.IsNullOrWhiteSpace(body.Str("messageEs")));

        await ApiScenario.Ok(await plan, HttpStatusCode.Created);
    }
}
