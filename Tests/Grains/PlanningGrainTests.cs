using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using TourPlanner.Grains;
using TourPlanner.Grains.Domain;
using TourPlanner.Grains.Planning;
using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Grains;

/// <summary>The planner over the real tour grain: oracle agreement, confirm's rules, determinism, repair, stale proposals.</summary>
[Collection(ClusterCollection.Name)]
public class PlanningGrainTests(ClusterFixture fixture)
{
    private static LocalDate Oct(int day) => new(2026, 10, day);
    private static LocalDate Nov(int day) => new(2026, 11, day);

    private static readonly GeoPoint Milwaukee = new(43.0389, -87.9065), Detroit = new(42.3314, -83.0458),
        Cleveland = new(41.4993, -81.6944), Indianapolis = new(39.7684, -86.1581);

    private static readonly PlanSearch Fixed = new() { Seed = 7, MaxIterations = 400 };

    private static ClaimRequest Claim(string city, GeoPoint at, LocalDate date, LocalDate[] acceptable, int hour = 19, int minutes = 120,
        int priority = 1, string zone = "America/Chicago") =>
        Scenario.Claim([date], city, zone, at, hour, minutes) with { AcceptableDates = [.. acceptable], Priority = priority };

    private async Task<(Scenario S, string Host)> TourAsync()
    {
        var s = await new Scenario(fixture.Grains).CreateAsync();
        return (s, await s.HostAsync());
    }

    private static async Task<ClaimView> SubmitAsync(Scenario s, string host, ClaimRequest request)
    {
        var outcome = await s.Tour.SubmitClaimAsync(host, request);
        Assert.True(outcome.IsOk, outcome.Detail + string.Join("; ", outcome.Errors.Select(p => $"{p.Key}: {string.Join(",", p.Value)}")));
        return outcome.Value!.Claim;
    }

    private static async Task<ClaimView> ConfirmedAsync(Scenario s, string host, ClaimRequest request)
    {
        var claim = await SubmitAsync(s, host, request);
        var confirmed = await s.Tour.ConfirmClaimAsync(claim.ClaimId);
        Assert.True(confirmed.IsOk, confirmed.Detail);
        return confirmed.Value!;
    }

    private PlanGrainCalls Plans(Scenario s) => new PlanGrainCalls(fixture.Grains.GetGrain<ITourPlanGrain>(s.TourId));

    private sealed record PlanGrainCalls(ITourPlanGrain Grain)
    {
        public async Task<PlanProposal> ProposeAsync(PlanSearch search)
        {
            var outcome = await Grain.ProposeAsync(new PlanRequest { Search = search });
            Assert.True(outcome.IsOk, outcome.Detail);
            return outcome.Value!;
        }

        public async Task<PlanProposal> RepairAsync(string stopId)
        {
            var outcome = await Grain.RepairAsync(new RepairRequest { StopId = stopId, Search = Fixed });
            Assert.True(outcome.IsOk, outcome.Detail);
            return outcome.Value!;
        }
    }

    /// <summary>A small tour with choices: five pending claims with overlapping acceptable dates around one confirmed stop.</summary>
    private async Task<Scenario> SmallTourAsync()
    {
        var (s, host) = await TourAsync();
        await ConfirmedAsync(s, host, Claim("Chicago", Scenario.Chicago, Oct(27), []));
        await SubmitAsync(s, host, Claim("St. Paul", Scenario.StPaul, Oct(28), [Oct(30), Nov(2)], priority: 2));
        await SubmitAsync(s, host, Claim("Milwaukee", Milwaukee, Oct(29), [Oct(28), Oct(31)]));
        await SubmitAsync(s, host, Claim("Detroit", Detroit, Oct(30), [Oct(26), Nov(1)], zone: "America/Detroit"));
        await SubmitAsync(s, host, Claim("Cleveland", Cleveland, Oct(31), [Oct(25), Nov(2)], zone: "America/New_York"));
        await SubmitAsync(s, host, Claim("Indianapolis", Indianapolis, Nov(1), [Oct(26), Oct(29)], zone: "America/Indiana/Indianapolis"));
        return s;
    }

    private static string Fingerprint(PlanProposal p) => string.Join(" | ",
        p.Routes.SelectMany(r => r.Stops).Select(x => $"{x.City}@{Validation.Iso(x.Dates[0])}")
            .Concat(p.Unplaced.Select(u => $"x{u.City}:{u.Code}"))
            .Append($"travel={p.TotalTravelMinutes}"));

    [Fact]
    public async Task ThePlannersTravel_OnASmallTour_AgreesWithTheExactSolverOnTheSameBuiltProblem()
    {
        var s = await SmallTourAsync();
        var input = (await s.Tour.GetPlanningInputAsync())!;
        var problems = await PlanModel.BuildProblemsAsync(input, new PlanSpec(), new GreatCircleTravelEstimator());
        var problem = Assert.Single(problems).Problem;
        Assert.Equal(7, problem.NodeCount); // home + the confirmed stop + five claims

        var heuristic = TourSolver.Solve(problem, TourPlanGrainOptions(Fixed));
        var exact = ExactTourSolver.Solve(problem);
        Assert.True(exact.Feasible);
        Assert.Equal(exact.PlacedPriority, heuristic.PlacedPriority);
        Assert.Equal(exact.TotalTravel, heuristic.TotalTravel);

        // The stored proposal describes that same optimum (nothing here breaks a rule the TSPTW leaves out).
        var proposal = await Plans(s).ProposeAsync(Fixed);
        Assert.Empty(proposal.Unplaced);
        Assert.Equal(exact.TotalTravel, Assert.Single(proposal.Routes).SolverTravel);
    }

    // What the plan grain gives its one solver run for a search with an iteration cap and no time budget.
    private static SolverOptions TourPlanGrainOptions(PlanSearch search) => new() { Seed = search.Seed, MaxIterations = search.MaxIterations, TimeBudget = null };

    [Fact]
    public async Task EveryPlacementOfAProposal_PassesConfirmsRules_WhenApplied()
    {
        var s = await SmallTourAsync();
        var proposal = await Plans(s).ProposeAsync(Fixed);
        Assert.NotEmpty(proposal.Placements);

        var applied = await Plans(s).Grain.ApplyAsync(proposal.ProposalId);
        Assert.True(applied.IsOk, applied.Detail + string.Join("; ", applied.Conflicts.Select(c => c.Message)));
        Assert.Empty(await s.Tour.GetConflictsAsync());
        var claims = (await s.Tour.GetClaimsAsync()).ToDictionary(c => c.ClaimId);
        foreach (var p in proposal.Placements)
        {
            Assert.Equal(ClaimStatus.Confirmed, claims[p.ClaimId].Status);
            Assert.Equal<LocalDate>(p.Dates, claims[p.ClaimId].Dates);
            var stop = (await s.Tour.StopAsync(p.StopId))!;
            Assert.Equal<LocalDate>(p.Dates, stop.Dates);
            Assert.All(stop.Events, e => Assert.Contains(e.Start.Date, p.Dates));
        }
    }

    [Fact]
    public async Task APlacementThatBreaksTheRestRule_IsLeftOutWithTheReason_SoTheProposalStillApplies()
    {
        // Same city, so no travel leg: the TSPTW accepts both, only the rest rule (not in the model) forbids it.
        var (s, host) = await TourAsync();
        var late = await SubmitAsync(s, host, Claim("Chicago", Scenario.Chicago, Oct(28), [], hour: 21, priority: 5));
        var early = await SubmitAsync(s, host, Claim("Chicago", Scenario.Chicago, Oct(29), [], hour: 7));

        var proposal = await Plans(s).ProposeAsync(Fixed);
        Assert.Equal([late.ClaimId], proposal.Placements.Select(p => p.ClaimId));
        var left = Assert.Single(proposal.Unplaced);
        Assert.Equal(early.ClaimId, left.ClaimId);
        Assert.Equal("rest-too-short", left.Code);

        Assert.True((await Plans(s).Grain.ApplyAsync(proposal.ProposalId)).IsOk);
        Assert.Empty(await s.Tour.GetConflictsAsync());
    }

    [Fact]
    public async Task TheSameSeedAndIterationCap_GiveTheSameProposal()
    {
        var s = await SmallTourAsync();
        var first = await Plans(s).ProposeAsync(Fixed);
        var second = await Plans(s).ProposeAsync(Fixed);
        Assert.NotEqual(first.ProposalId, second.ProposalId);
        Assert.Equal(Fingerprint(first), Fingerprint(second));
        Assert.Equal(first.BasedOnVersion, second.BasedOnVersion);
    }

    [Fact]
    public async Task Repair_WhenTheStopHasAFreeOtherDate_MovesOnlyThatStop()
    {
        var (s, host) = await TourAsync();
        var chicago = await ConfirmedAsync(s, host, Claim("Chicago", Scenario.Chicago, Oct(28), [Oct(29)]));
        var stPaul = await ConfirmedAsync(s, host, Claim("St. Paul", Scenario.StPaul, Oct(30), [Oct(31)]));

        var proposal = await Plans(s).RepairAsync(chicago.StopId);
        var move = Assert.Single(proposal.Moves);
        Assert.Equal((chicago.ClaimId, Oct(28), Oct(29)), (move.ClaimId, move.From[0], move.To[0]));
        Assert.False(proposal.CancelsRepairStop);

        Assert.True((await Plans(s).Grain.ApplyAsync(proposal.ProposalId)).IsOk);
        var claims = (await s.Tour.GetClaimsAsync()).ToDictionary(c => c.ClaimId);
        Assert.Equal<LocalDate>([Oct(29)], claims[chicago.ClaimId].Dates);
        Assert.Equal<LocalDate>([Oct(30)], claims[stPaul.ClaimId].Dates);
        Assert.Empty(await s.Tour.GetConflictsAsync());
    }

    [Fact]
    public async Task Repair_WhenTheOnlyOtherDateIsTaken_MovesExactlyOneOtherConfirmedStop()
    {
        var (s, host) = await TourAsync();
        var chicago = await ConfirmedAsync(s, host, Claim("Chicago", Scenario.Chicago, Oct(28), [Oct(30)]));
        var stPaul = await ConfirmedAsync(s, host, Claim("St. Paul", Scenario.StPaul, Oct(30), [Oct(31)]));
        var milwaukee = await ConfirmedAsync(s, host, Claim("Milwaukee", Milwaukee, Nov(4), [Nov(5)]));

        var proposal = await Plans(s).RepairAsync(chicago.StopId);
        Assert.Equal(
            [(chicago.ClaimId, Oct(28), Oct(30)), (stPaul.ClaimId, Oct(30), Oct(31))],
            proposal.Moves.Select(m => (m.ClaimId, m.From[0], m.To[0])));

        Assert.True((await Plans(s).Grain.ApplyAsync(proposal.ProposalId)).IsOk);
        var claims = (await s.Tour.GetClaimsAsync()).ToDictionary(c => c.ClaimId);
        Assert.Equal<LocalDate>([Oct(30)], claims[chicago.ClaimId].Dates);
        Assert.Equal<LocalDate>([Oct(31)], claims[stPaul.ClaimId].Dates);
        Assert.Equal<LocalDate>([Nov(4)], claims[milwaukee.ClaimId].Dates);
        Assert.All(claims.Values, c => Assert.Equal(ClaimStatus.Confirmed, c.Status));
        Assert.Empty(await s.Tour.GetConflictsAsync());
    }

    [Fact]
    public async Task Repair_WhenNoOtherDateWorks_ProposesToCancelTheStop_AndMovesNothing()
    {
        var (s, host) = await TourAsync();
        var chicago = await ConfirmedAsync(s, host, Claim("Chicago", Scenario.Chicago, Oct(28), []));
        var proposal = await Plans(s).RepairAsync(chicago.StopId);
        Assert.True(proposal.CancelsRepairStop);
        Assert.Empty(proposal.Moves);
        Assert.True((await Plans(s).Grain.ApplyAsync(proposal.ProposalId)).IsOk);
        Assert.Equal(ClaimStatus.Cancelled, (await s.Tour.GetClaimsAsync()).Single().Status);
    }

    [Theory]
    [InlineData("submit")]
    [InlineData("release")]
    public async Task ApplyingAProposal_AfterTheClaimsChanged_IsRefusedWith409_AndChangesNothing(string change)
    {
        var s = await SmallTourAsync();
        var proposal = await Plans(s).ProposeAsync(Fixed);
        var host = await s.HostAsync("Latecomer");
        if (change == "submit") await SubmitAsync(s, host, Claim("Gary", new GeoPoint(41.5934, -87.3464), Nov(10), []));
        else Assert.True((await s.Tour.ReleaseClaimAsync(TourGrainCalls.Organizer, proposal.Placements[0].ClaimId)).IsOk);
        var before = await s.Tour.GetClaimsAsync();

        var applied = await Plans(s).Grain.ApplyAsync(proposal.ProposalId);
        Assert.Equal(OutcomeKind.Conflict, applied.Kind);
        Assert.Contains("changed since this proposal", applied.Detail);
        Assert.Equal(before, await s.Tour.GetClaimsAsync(), ClaimComparer.Instance);
        Assert.Single(before, c => c.Status == ClaimStatus.Confirmed);
    }

    [Fact]
    public async Task PinningADateTheClaimDoesNotAccept_IsRefusedNamingTheField()
    {
        var s = await SmallTourAsync();
        var claim = (await s.Tour.GetClaimsAsync()).First(c => c.Status == ClaimStatus.Held);
        var outcome = await fixture.Grains.GetGrain<ITourPlanGrain>(s.TourId)
            .ProposeAsync(new PlanRequest { Search = Fixed, Pinned = [new PinnedClaim(claim.ClaimId, Nov(14))] });
        Assert.Equal(OutcomeKind.Invalid, outcome.Kind);
        Assert.True(outcome.Errors.ContainsKey("pinned[0].date"));
    }

    [Fact]
    public async Task APinnedClaim_IsPlacedOnItsPinnedDate()
    {
        var s = await SmallTourAsync();
        var stPaul = (await s.Tour.GetClaimsAsync()).Single(c => c.City == "St. Paul");
        var outcome = await fixture.Grains.GetGrain<ITourPlanGrain>(s.TourId)
            .ProposeAsync(new PlanRequest { Search = Fixed, Pinned = [new PinnedClaim(stPaul.ClaimId, Nov(2))] });
        Assert.True(outcome.IsOk, outcome.Detail);
        Assert.Equal<LocalDate>([Nov(2)], outcome.Value!.Placements.Single(p => p.ClaimId == stPaul.ClaimId).Dates);
    }

    private PlanningRunGate Gate => fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<PlanningRunGate>();
    private PlanningLimits Limits => fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<PlanningLimits>();

    /// <summary>Waits for a condition on the running system (never for a fixed time); the bound only keeps a broken run from hanging.</summary>
    internal static async Task EventuallyAsync(Func<bool> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"never happened: {what}");
            await Task.Delay(5);
        }
    }

    [Fact]
    public async Task AProposal_SaysWhichLimitStoppedTheSearch_InBothLanguages()
    {
        var s = await SmallTourAsync();
        var proposal = await Plans(s).ProposeAsync(Fixed);
        Assert.Equal("iterations", proposal.StoppedBy);
        Assert.Contains("maxIterations", proposal.StopMessage);
        Assert.Contains("iteraciones", proposal.StopMessageEs);
        Assert.InRange(proposal.Iterations, 1, Fixed.MaxIterations!.Value);
        Assert.All(proposal.Unplaced, u => Assert.False(string.IsNullOrWhiteSpace(u.ReasonEs)));
    }

    [Fact]
    public async Task ASecondRequestForTheSameTour_WhileOneComputes_IsTold409ThatAPlanIsBeingComputed()
    {
        var s = await SmallTourAsync();
        var grain = fixture.Grains.GetGrain<ITourPlanGrain>(s.TourId);
        var first = grain.ProposeAsync(new PlanRequest { Search = new PlanSearch { TimeBudgetMs = 2000 } });
        await EventuallyAsync(() => Gate.Active == 1, "the first run computes");

        var second = await grain.ProposeAsync(new PlanRequest { Search = Fixed });
        Assert.Equal(OutcomeKind.Conflict, second.Kind);
        var refusal = Assert.Single(second.Conflicts);
        Assert.Equal(PlanLimits.PlanRunningCode, refusal.Code);
        Assert.Contains("se está calculando", refusal.MessageEs);
        // A read of the stored proposals is not held up by the run either (the grain interleaves).
        Assert.Null(await grain.GetAsync("p_none"));

        var done = await first;
        Assert.True(done.IsOk, done.Detail);
        Assert.Equal("time", done.Value!.StoppedBy);
        await EventuallyAsync(() => Gate.Active == 0, "the run's work has ended");
        Assert.True((await grain.ProposeAsync(new PlanRequest { Search = Fixed })).IsOk); // and the tour can plan again
    }

    [Fact]
    public async Task SearchLimitsAboveTheServersCaps_AreRefusedNamingTheField()
    {
        var s = await SmallTourAsync();
        var grain = fixture.Grains.GetGrain<ITourPlanGrain>(s.TourId);
        var iterations = await grain.ProposeAsync(new PlanRequest { Search = new PlanSearch { MaxIterations = Limits.MaxIterations + 1 } });
        Assert.True(iterations.Errors.ContainsKey("maxIterations"));
        var time = await grain.RepairAsync(new RepairRequest { StopId = "s_x", Search = new PlanSearch { TimeBudgetMs = (int)Limits.MaxWallTime.TotalMilliseconds + 1 } });
        Assert.True(time.Errors.ContainsKey("timeBudgetMs"));
    }

    [Fact]
    public async Task TheTravelTableHandedIn_IsWhatThePlannerUses_LegByLeg()
    {
        var (s, host) = await TourAsync();
        await ConfirmedAsync(s, host, Claim("Chicago", Scenario.Chicago, Oct(27), []));
        var stPaul = await SubmitAsync(s, host, Claim("St. Paul", Scenario.StPaul, Oct(30), []));
        // A figure the built-in model would never give (it says about 9 hours' drive), marked as OSRM's.
        var routed = new TravelEstimate { Mode = "drive", Minutes = 1234, DistanceKm = 560, Source = "osrm" };
        var table = new PlanTravel { Places = [Scenario.Chicago, Scenario.StPaul], Legs = [null, routed, routed, null] };

        var outcome = await fixture.Grains.GetGrain<ITourPlanGrain>(s.TourId).ProposeAsync(new PlanRequest { Search = Fixed, Travel = table });
        Assert.True(outcome.IsOk, outcome.Detail);
        var leg = Assert.Single(outcome.Value!.Placements, p => p.ClaimId == stPaul.ClaimId);
        Assert.Equal((1234, "osrm", "drive"), (leg.TravelMinutesFromPrevious, leg.TravelSource, leg.TravelMode));
    }

    // ---- Multi-speaker claims: one date for all of a claim's speakers, checked against the exact solver. ----

    private static ClaimRequest For(ClaimRequest claim, params string[] speakers) =>
        claim with { Events = [.. claim.Events.Select(e => e with { SpeakerIds = speakers.Length == 0 ? null : [.. speakers] })] };

    /// <summary>
    /// The best plan by brute force: every open date of the multi-speaker claim (and leaving it out), each speaker's
    /// route solved exactly; most placed priority, then least travel.
    /// </summary>
    private static async Task<(long Priority, long Travel, LocalDate? Date)> OracleAsync(PlanningInput input, ClaimView multi)
    {
        var travel = new GreatCircleTravelEstimator();
        (long Priority, long Travel, LocalDate? Date) best = (-1, 0, null);
        var choices = PlanModel.MultiSpeakerDates(input, new PlanSpec(), multi.ClaimId).Select(d => (LocalDate?)d).Prepend(null);
        foreach (var date in choices)
        {
            var dates = date is { } d ? new Dictionary<string, LocalDate> { [multi.ClaimId] = d } : null;
            long priority = date is null ? 0 : multi.Priority, total = 0;
            var feasible = true;
            foreach (var sp in await PlanModel.BuildProblemsAsync(input, new PlanSpec(), travel, dates))
            {
                var exact = ExactTourSolver.Solve(sp.Problem);
                feasible &= exact.Feasible;
                priority += exact.PlacedPriority;
                total += exact.TotalTravel;
            }
            if (feasible && (priority > best.Priority || (priority == best.Priority && total < best.Travel))) best = (priority, total, date);
        }
        return best;
    }

    private async Task AssertAgreesWithTheOracleAndAppliesAsync(Scenario s, ClaimView multi)
    {
        var input = (await s.Tour.GetPlanningInputAsync())!;
        var oracle = await OracleAsync(input, multi);
        var proposal = await Plans(s).ProposeAsync(Fixed);

        var placed = proposal.Placements.ToDictionary(p => p.ClaimId);
        Assert.Equal(oracle.Priority, placed.Values.Sum(p => (long)p.Priority));
        Assert.Equal(oracle.Travel, proposal.Routes.Sum(r => r.SolverTravel));
        Assert.Equal(oracle.Date, placed.TryGetValue(multi.ClaimId, out var m) ? m.Dates[0] : null);
        if (oracle.Date is { } date)
        {
            // The same date in the route of every one of its speakers.
            Assert.All(multi.SpeakerIds, id => Assert.Contains(proposal.Routes.Single(r => r.SpeakerId == id).Stops, x => x.ClaimId == multi.ClaimId && x.Dates[0] == date));
            Assert.Equal(multi.SpeakerIds.Order(), placed[multi.ClaimId].SpeakerIds.Order());
        }
        else Assert.Contains(proposal.Unplaced, u => u.ClaimId == multi.ClaimId);

        var applied = await Plans(s).Grain.ApplyAsync(proposal.ProposalId);
        Assert.True(applied.IsOk, applied.Detail + string.Join("; ", applied.Conflicts.Select(c => c.Message)));
        Assert.Empty(await s.Tour.GetConflictsAsync());
    }

    [Fact]
    public async Task AMultiSpeakerClaim_LandsOnTheOneDateThatWorksForBothRoutes()
    {
        var s = await new Scenario(fixture.Grains).CreateAsync(speakers: 2);
        var host = await s.HostAsync();
        var (one, two) = (s.Created.Speakers[0].Id, s.Created.Speakers[1].Id);
        await ConfirmedAsync(s, host, For(Claim("Chicago", Scenario.Chicago, Oct(27), []), one));
        await ConfirmedAsync(s, host, For(Claim("St. Paul", Scenario.StPaul, Oct(27), []), two));
        await SubmitAsync(s, host, For(Claim("Indianapolis", Indianapolis, Oct(28), [], priority: 2, zone: "America/Indiana/Indianapolis"), two));
        await SubmitAsync(s, host, For(Claim("Detroit", Detroit, Oct(29), [], priority: 2, zone: "America/Detroit"), one));
        // Both speakers; its own date clashes with Indianapolis for the second, the 29th with Detroit for the first.
        var multi = await SubmitAsync(s, host, For(Claim("Milwaukee", Milwaukee, Oct(28), [Oct(29), Nov(1)], priority: 3)));
        Assert.Equal(2, multi.SpeakerIds.Length);

        var proposal = await Plans(s).ProposeAsync(Fixed);
        Assert.Equal(Nov(1), proposal.Placements.Single(p => p.ClaimId == multi.ClaimId).Dates[0]);
        Assert.Equal(3, proposal.Placements.Length);
        await AssertAgreesWithTheOracleAndAppliesAsync(s, multi);
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    public async Task RandomToursWithAMultiSpeakerClaim_AgreeWithTheExactOracle(int seed)
    {
        var rng = new Random(seed);
        var s = await new Scenario(fixture.Grains).CreateAsync(speakers: 2);
        var host = await s.HostAsync();
        var speakers = s.Created.Speakers.Select(x => x.Id).ToArray();
        GeoPoint[] cities = [Scenario.Chicago, Scenario.StPaul, Milwaukee, Detroit, Cleveland, Indianapolis];
        // Each claim holds a date of its own; the dates they may move to are never another claim's own date, so no
        // claim the planner leaves out can queue ahead of one it places (a ledger rule outside the routing model).
        var own = Enumerable.Range(0, 9).Select(i => Oct(23).PlusDays(i)).ToArray();
        var free = Enumerable.Range(0, 8).Select(i => Nov(2).PlusDays(i)).ToArray();
        LocalDate[] Some() => [.. free.OrderBy(_ => rng.Next()).Take(1 + rng.Next(3))];
        var next = 0;
        foreach (var speaker in speakers)
        {
            await ConfirmedAsync(s, host, For(Claim("Home stop", cities[rng.Next(cities.Length)], own[next++], []), speaker));
            for (var i = 0; i < 3; i++)
                await SubmitAsync(s, host, For(Claim($"City {next}", cities[rng.Next(cities.Length)], own[next++], Some(), priority: 1 + rng.Next(3)), speaker));
        }
        var multi = await SubmitAsync(s, host, For(Claim("Together", cities[rng.Next(cities.Length)], own[next], Some(), priority: 1 + rng.Next(4))));
        await AssertAgreesWithTheOracleAndAppliesAsync(s, multi);
    }

    private sealed class ClaimComparer : IEqualityComparer<ClaimView>
    {
        public static readonly ClaimComparer Instance = new();
        public bool Equals(ClaimView? a, ClaimView? b) =>
            a is not null && b is not null && a.ClaimId == b.ClaimId && a.Status == b.Status && a.Rank == b.Rank && a.Dates.SequenceEqual(b.Dates);
        public int GetHashCode(ClaimView c) => c.ClaimId.GetHashCode(StringComparison.Ordinal);
    }
}

/// <summary>A silo with tight planning limits: one run at a time, one second of search, so the limits themselves are what a test meets.</summary>
public sealed class LimitedPlanningClusterFixture : IAsyncLifetime
{
    public NodaTime.Testing.FakeClock Clock { get; } = new(ClusterFixture.Epoch);
    public Orleans.TestingHost.InProcessTestCluster Cluster { get; private set; } = null!;
    public IGrainFactory Grains => Cluster.Client;
    public PlanningRunGate Gate => Cluster.Silos[0].ServiceProvider.GetRequiredService<PlanningRunGate>();
    public PlanningLimits Limits => Cluster.Silos[0].ServiceProvider.GetRequiredService<PlanningLimits>();
    private readonly string _data = Path.Combine(Path.GetTempPath(), "tourplanner-tests", Guid.NewGuid().ToString("N"));

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_data);
        var settings = ClusterFixture.Settings(_data);
        settings["Planning:MaxConcurrentRuns"] = "1";
        settings["Planning:MaxWallTime"] = "00:00:01";
        settings["Planning:DefaultTimeBudget"] = "00:00:01";
        settings["Planning:MaxIterations"] = "50000000";
        Cluster = ClusterFixture.Build(Clock, settings);
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
    }
}

[CollectionDefinition(Name)]
public sealed class LimitedPlanningCollection : ICollectionFixture<LimitedPlanningClusterFixture>
{
    public const string Name = "limited-planning";
}

/// <summary>The server's planning limits met head on: the silo's run limit, the wall-time cap, a repair's total budget.</summary>
[Collection(LimitedPlanningCollection.Name)]
public class PlanningLimitTests(LimitedPlanningClusterFixture cluster)
{
    private static LocalDate Oct(int day) => new(2026, 10, day);
    private static LocalDate Nov(int day) => new(2026, 11, day);
    private static readonly GeoPoint Milwaukee = new(43.0389, -87.9065);
    private PlanningLimits Limits => cluster.Limits;

    private static ClaimRequest Claim(string city, GeoPoint at, LocalDate date, LocalDate[] acceptable, int priority = 1) =>
        Scenario.Claim([date], city, "America/Chicago", at) with { AcceptableDates = [.. acceptable], Priority = priority };

    private static async Task<ClaimView> ConfirmedAsync(Scenario s, string host, ClaimRequest request)
    {
        var claim = (await s.Tour.SubmitClaimAsync(host, request)).Value!.Claim;
        var confirmed = await s.Tour.ConfirmClaimAsync(claim.ClaimId);
        Assert.True(confirmed.IsOk, confirmed.Detail);
        return confirmed.Value!;
    }

    /// <summary>25 held claims, each with a few other acceptable dates, around the Great Lakes: a real search.</summary>
    private async Task<Scenario> BusyTourAsync()
    {
        var s = await new Scenario(cluster.Grains).CreateAsync();
        var host = await s.HostAsync();
        var rng = new Random(5);
        for (var i = 0; i < 25; i++)
        {
            var date = Scenario.Start.PlusDays(i);
            var at = new GeoPoint(41 + rng.NextDouble() * 4, -93 + rng.NextDouble() * 10);
            var others = Enumerable.Range(1, 3).Select(k => Scenario.Start.PlusDays((i + 5 * k) % 25)).ToArray();
            Assert.True((await s.Tour.SubmitClaimAsync(host, Claim($"City {i}", at, date, others, priority: 1 + i % 3))).IsOk);
        }
        return s;
    }

    [Fact]
    public async Task OneRunMoreThanTheSiloAllows_IsTold503StyleBusyWithRetryAfter()
    {
        var first = await BusyTourAsync();
        var second = await BusyTourAsync();
        var running = cluster.Grains.GetGrain<ITourPlanGrain>(first.TourId).ProposeAsync(new PlanRequest()); // the default search: a second
        await PlanningGrainTests.EventuallyAsync(() => cluster.Gate.Active == 1, "the first run computes");

        var refused = await cluster.Grains.GetGrain<ITourPlanGrain>(second.TourId).ProposeAsync(new PlanRequest());
        Assert.Equal(OutcomeKind.Conflict, refused.Kind);
        var busy = Assert.Single(refused.Conflicts);
        Assert.Equal(PlanLimits.PlannerBusyCode, busy.Code);
        Assert.True(int.Parse(busy.Details["retryAfterSeconds"]) >= 1);
        Assert.Contains("ocupado", busy.MessageEs);

        Assert.True((await running).IsOk);
        await PlanningGrainTests.EventuallyAsync(() => cluster.Gate.Active == 0, "the first run's work has ended");
        Assert.True((await cluster.Grains.GetGrain<ITourPlanGrain>(second.TourId).ProposeAsync(new PlanRequest { Search = new PlanSearch { MaxIterations = 50 } })).IsOk);
        Assert.Equal(1, cluster.Gate.Peak);
    }

    [Fact]
    public async Task ARequestForMillionsOfIterations_StopsAtTheWallTimeCap_AndSaysSo()
    {
        var s = await BusyTourAsync();
        var outcome = await cluster.Grains.GetGrain<ITourPlanGrain>(s.TourId)
            .ProposeAsync(new PlanRequest { Search = new PlanSearch { Seed = 9, MaxIterations = 50_000_000 } });
        Assert.True(outcome.IsOk, outcome.Detail);
        Assert.Equal("server-time", outcome.Value!.StoppedBy);
        Assert.Contains("1 s", outcome.Value.StopMessage);
        Assert.True(outcome.Value.Iterations < 50_000_000);
        // Still a plan that passes confirm's rules: the best found by the deadline, verified.
        Assert.NotEmpty(outcome.Value.Placements);
        await PlanningGrainTests.EventuallyAsync(() => cluster.Gate.Active == 0, "the run's work has ended");
        Assert.True((await cluster.Grains.GetGrain<ITourPlanGrain>(s.TourId).ApplyAsync(outcome.Value.ProposalId)).IsOk);
        Assert.Empty(await s.Tour.GetConflictsAsync());
    }

    [Fact]
    public async Task ARepair_IsBoundedAsAWhole_AcrossAllItsSolves()
    {
        // Eight other confirmed stops that could move, and a repaired stop whose only other date is a blackout date:
        // every combination of up to three moves (93 solves) fails, each burning its whole iteration cap.
        var blackout = Nov(14);
        var s = await new Scenario(cluster.Grains).CreateAsync(new PlanningRules
        {
            BlackoutDates = ImmutableDictionary<string, ImmutableArray<LocalDate>>.Empty.Add("0", [blackout]), // speaker 0
        });
        var host = await s.HostAsync();
        var target = await ConfirmedAsync(s, host, Claim("Chicago", Scenario.Chicago, Oct(23), [blackout]));
        for (var i = 0; i < 8; i++)
            await ConfirmedAsync(s, host, Claim($"Stop {i}", Milwaukee, Oct(25).PlusDays(2 * i), [Oct(26).PlusDays(2 * i)]));

        var perSolve = 5_000;
        var outcome = await cluster.Grains.GetGrain<ITourPlanGrain>(s.TourId)
            .RepairAsync(new RepairRequest { StopId = target.StopId, Search = new PlanSearch { Seed = 3, MaxIterations = perSolve } });
        Assert.True(outcome.IsOk, outcome.Detail);
        var proposal = outcome.Value!;
        Assert.True(proposal.CancelsRepairStop);
        // 93 solves × 5,000 iterations would take minutes; the repair as a whole stops at the server's one second.
        Assert.Equal("server-time", proposal.StoppedBy);
        Assert.InRange(proposal.Iterations, 1, 93L * perSolve - 1);
        Assert.Contains("antes de que la búsqueda tuviera que parar", proposal.NotesEs[0]);
        await PlanningGrainTests.EventuallyAsync(() => cluster.Gate.Active == 0, "the repair's work has ended");
    }
}
