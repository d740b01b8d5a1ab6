using TourPlanner.Grains.Planning;

namespace TourPlanner.Grains.Domain;

/// <summary>Limits on planning requests, shared by the Gateway (early 400s) and the plan grain.</summary>
public static class PlanLimits
{
    public const int MaxProposals = 10;
    public const int MaxTimeBudgetMs = 30_000;
    public const long MaxIterations = 10_000_000;

    /// <summary>Field errors for search limits (field names as in the request body).</summary>
    public static ValidationErrors Check(ValidationErrors e, PlanSearch search)
    {
        if (search.TimeBudgetMs is < 1 or > MaxTimeBudgetMs) e.Add("timeBudgetMs", $"timeBudgetMs must be between 1 and {MaxTimeBudgetMs}.");
        if (search.MaxIterations is < 1 or > MaxIterations) e.Add("maxIterations", $"maxIterations must be between 1 and {MaxIterations}.");
        return e;
    }

    /// <summary>Without a time budget but with an iteration cap the run never looks at the clock, so the same seed repeats exactly.</summary>
    public static SolverOptions Options(PlanSearch s) => new()
    {
        Seed = s.Seed, MaxIterations = s.MaxIterations,
        TimeBudget = s.TimeBudgetMs is { } ms ? TimeSpan.FromMilliseconds(ms) : s.MaxIterations is null ? TimeSpan.FromSeconds(1) : null,
    };
}
