using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TourPlanner.Grains.Planning;

namespace TourPlanner.Grains.Domain;

/// <summary>
/// The server's own bounds on planning (<c>Planning:*</c>), whatever a request asks for. Every request is bounded in
/// CPU (iterations), wall time and concurrency, well inside Orleans's 30 s response timeout.
/// </summary>
public sealed record PlanningLimits
{
    /// <summary>Iterations of one request over all its solver runs (a repair has many); <c>Planning:MaxIterations</c>.</summary>
    public long MaxIterations { get; init; } = 100_000;
    /// <summary>Wall time of one request's search; past it the best plan found so far is verified and kept (<c>Planning:MaxWallTime</c>).</summary>
    public TimeSpan MaxWallTime { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>Runs computing at once on one silo; one more gets 503 (<c>Planning:MaxConcurrentRuns</c>, default the core count).</summary>
    public int MaxConcurrentRuns { get; init; } = Environment.ProcessorCount;
    /// <summary>The search time of a request that gives neither an iteration cap nor a time budget (<c>Planning:DefaultTimeBudget</c>).</summary>
    public TimeSpan DefaultTimeBudget { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// After the search stops, checking the plan against confirm's rules and describing it normally takes milliseconds;
    /// this much more is allowed before the run is abandoned with nothing stored.
    /// </summary>
    public TimeSpan VerifyGrace => TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(1).Ticks, MaxWallTime.Ticks / 2));

    public static PlanningLimits From(IConfiguration config)
    {
        var d = new PlanningLimits();
        var s = config.GetSection("Planning");
        var limits = new PlanningLimits
        {
            MaxIterations = s.GetValue(nameof(MaxIterations), d.MaxIterations),
            MaxWallTime = s.GetValue(nameof(MaxWallTime), d.MaxWallTime),
            MaxConcurrentRuns = s.GetValue(nameof(MaxConcurrentRuns), d.MaxConcurrentRuns),
            DefaultTimeBudget = s.GetValue(nameof(DefaultTimeBudget), d.DefaultTimeBudget),
        };
        if (limits.MaxIterations < 1 || limits.MaxConcurrentRuns < 1 || limits.MaxWallTime <= TimeSpan.Zero || limits.MaxWallTime > TimeSpan.FromSeconds(15)
            || limits.DefaultTimeBudget <= TimeSpan.Zero || limits.DefaultTimeBudget > limits.MaxWallTime)
            // 15 s of search plus half again to verify and a second more stays inside Orleans's 30 s response timeout.
            throw new InvalidOperationException("Planning limits: MaxIterations and MaxConcurrentRuns must be positive, MaxWallTime between 0 and 15 s "
                                                + "(Orleans answers a call with a timeout after 30 s), DefaultTimeBudget positive and at most MaxWallTime.");
        return limits;
    }
}

/// <summary>How many planning runs compute on this silo right now; a run holds its place until its work has really ended.</summary>
public sealed class PlanningRunGate(PlanningLimits limits)
{
    private readonly SemaphoreSlim _slots = new(limits.MaxConcurrentRuns, limits.MaxConcurrentRuns);
    private int _active, _peak;

    public int Active => Volatile.Read(ref _active);
    public int Peak => Volatile.Read(ref _peak);

    /// <summary>Takes a place without waiting; false when all are taken.</summary>
    public bool TryEnter()
    {
        if (!_slots.Wait(0)) return false;
        var now = Interlocked.Increment(ref _active);
        int peak;
        while (now > (peak = Volatile.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, peak) != peak) { }
        return true;
    }

    public void Exit()
    {
        Interlocked.Decrement(ref _active);
        _slots.Release();
    }
}

/// <summary>Which limit ended a planning request's search, worst first in the enum's order of precedence.</summary>
public enum PlanStop { Converged, Iterations, Time, ServerIterations, ServerTime }

/// <summary>
/// The budget of one planning request over all its solver runs: the request's own iteration cap (per run) and time
/// budget (shared by the runs), the server's iteration pool and its wall-time token. It also remembers which limit
/// ended the search, for the answer.
/// </summary>
public sealed class PlanBudget
{
    private readonly PlanSearch _search;
    private readonly TimeSpan? _time;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _pool;
    private bool _lastCapIsServers;

    public PlanBudget(PlanSearch search, PlanningLimits limits, CancellationToken serverDeadline)
    {
        _search = search;
        _time = search.TimeBudgetMs is { } ms ? TimeSpan.FromMilliseconds(ms) : search.MaxIterations is null ? limits.DefaultTimeBudget : null;
        _pool = limits.MaxIterations;
        Limits = limits;
        ServerDeadline = serverDeadline;
    }

    public PlanningLimits Limits { get; }
    /// <summary>Fires at the server's wall-time cap: the searches stop and keep their best tours.</summary>
    public CancellationToken ServerDeadline { get; }
    public PlanStop Stop { get; private set; } = PlanStop.Converged;
    public long Iterations { get; private set; }
    /// <summary>Solver runs a caller still plans after the current planning call (a repair's further combinations), so the time is shared with them too.</summary>
    public int RunsAfter { get; set; }

    /// <summary>True, and the reason recorded, once no further solver run could do any work.</summary>
    public bool RunOut()
    {
        if (ServerDeadline.IsCancellationRequested) Record(PlanStop.ServerTime);
        else if (_pool <= 0) Record(PlanStop.ServerIterations);
        else if (_time is { } t && _clock.Elapsed >= t) Record(PlanStop.Time);
        else return false;
        return true;
    }

    /// <summary>Options for the next solver run, with <paramref name="runsLeft"/> (this one included) sharing the time left.</summary>
    public SolverOptions Next(int runsLeft)
    {
        var cap = _search.MaxIterations is { } own ? Math.Min(own, _pool) : _pool;
        _lastCapIsServers = _search.MaxIterations is not { } mine || _pool < mine;
        TimeSpan? time = _time is { } t ? TimeSpan.FromTicks(Math.Max(0, (t - _clock.Elapsed).Ticks / Math.Max(1, runsLeft + RunsAfter))) : null;
        return new SolverOptions { Seed = _search.Seed, MaxIterations = Math.Max(0, cap), TimeBudget = time };
    }

    /// <summary>Books a run's iterations and why it stopped.</summary>
    public void Spent(PlanningSolution solution)
    {
        Iterations += solution.Iterations;
        _pool -= solution.Iterations;
        Record(solution.StoppedBy switch
        {
            SearchStop.Iterations => _lastCapIsServers ? PlanStop.ServerIterations : PlanStop.Iterations,
            SearchStop.Time => PlanStop.Time,
            SearchStop.Cancelled => PlanStop.ServerTime,
            _ => PlanStop.Converged,
        });
    }

    public void Record(PlanStop stop)
    {
        if (stop > Stop) Stop = stop;
    }

    /// <summary>The stop as the answer carries it: a code and what it means, in English and Spanish (from the catalogue).</summary>
    public (string Code, string Message, string MessageEs) Describe()
    {
        var (code, text) = Explain();
        return (code, Catalogue.Default.Render(text, "en"), Catalogue.Default.Render(text, "es"));
    }

    /// <summary>The stop as a code of the answer and its explanation as a message.</summary>
    public (string Code, Text Text) Explain() => Stop switch
    {
        PlanStop.Iterations => ("iterations", Text.Of(Codes.PlanStopIterations)),
        PlanStop.Time => ("time", Text.Of(Codes.PlanStopTime)),
        PlanStop.ServerIterations => ("server-iterations", Text.Of(Codes.PlanStopServerIterations, Arg.Number("max", Limits.MaxIterations))),
        PlanStop.ServerTime => ("server-time", Text.Of(Codes.PlanStopServerTime, PlanLimits.Seconds("seconds", Limits.MaxWallTime))),
        _ => ("converged", Text.Of(Codes.PlanStopConverged)),
    };
}

/// <summary>Limits on planning requests, shared by the Gateway (early 400s) and the plan grain.</summary>
public static class PlanLimits
{
    public const int MaxProposals = 10;

    /// <summary>Conflict codes of a planning request that did not run; the Gateway answers 409 or 503 with them.</summary>
    public const string PlanRunningCode = "plan-running", PlannerBusyCode = "planner-busy", PlanAbandonedCode = "plan-abandoned";

    /// <summary>Field errors a request can be told without the server's limits (field names as in the request body).</summary>
    public static ValidationErrors CheckShape(ValidationErrors e, PlanSearch search)
    {
        if (search.TimeBudgetMs is < 1) e.Add("timeBudgetMs", AtLeastOne("timeBudgetMs"));
        if (search.MaxIterations is < 1) e.Add("maxIterations", AtLeastOne("maxIterations"));
        return e;
    }

    /// <summary>Field errors against the server's limits.</summary>
    public static ValidationErrors Check(ValidationErrors e, PlanSearch search, PlanningLimits limits)
    {
        var maxMs = (int)limits.MaxWallTime.TotalMilliseconds;
        if (search.TimeBudgetMs is < 1 || search.TimeBudgetMs > maxMs) e.Add("timeBudgetMs", ServerRange("timeBudgetMs", maxMs));
        if (search.MaxIterations is < 1 || search.MaxIterations > limits.MaxIterations)
            e.Add("maxIterations", ServerRange("maxIterations", limits.MaxIterations));
        return e;
    }

    private static Text AtLeastOne(string field) => Text.Of(Codes.FieldAtLeast, Arg.Plain("field", field), Arg.Number("min", 1));

    private static Text ServerRange(string field, long max) =>
        Text.Of(Codes.PlanServerRange, Arg.Plain("field", field), Arg.Number("min", 1), Arg.Number("max", max));

    /// <summary>A length of time in seconds as the messages write it (one decimal at most, the same in both languages).</summary>
    public static TextArg Seconds(string name, TimeSpan value) =>
        Arg.Plain(name, value.TotalSeconds.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>"No proposal '…' for this tour": only the last <see cref="MaxProposals"/> are kept.</summary>
    public static Text ProposalNotFound(string proposalId) =>
        Text.Of(Codes.PlanProposalNotFound, Arg.Plain("id", proposalId), Arg.Number("max", MaxProposals));

    /// <summary>The proposal with one note, worded from the catalogue in English (<c>notes</c>) and Spanish (<c>notesEs</c>).</summary>
    public static PlanProposal WithNote(this PlanProposal proposal, Text note) =>
        proposal with { Notes = [Catalogue.Default.Render(note, "en")], NotesEs = [Catalogue.Default.Render(note, "es")] };

    /// <summary>Conflict entries for a request that could not start or could not finish, worded from the catalogue.</summary>
    public static ImmutableArray<Conflict> Refusal(string code, Text text, TimeSpan? retryAfter = null) =>
    [
        new Conflict
        {
            Code = code, Severity = "error", Text = text,
            Details = retryAfter is { } wait
                ? ImmutableDictionary<string, string>.Empty.Add("retryAfterSeconds", ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture))
                : ImmutableDictionary<string, string>.Empty,
        },
    ];

    /// <summary>The planning limits and the silo's run gate, from <c>Planning:*</c>.</summary>
    public static IServiceCollection AddTourPlannerPlanning(this IServiceCollection services, IConfiguration config)
    {
        services.TryAddSingleton(PlanningLimits.From(config));
        services.TryAddSingleton<PlanningRunGate>();
        return services;
    }
}
