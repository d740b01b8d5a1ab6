namespace TourPlanner.Grains.Planning;

/// <summary>Search limits and seed for <see cref="TourSolver"/>.</summary>
/// <remarks>
/// The search counts iterations and only consults the clock to stop early, so two runs with the same seed and
/// <see cref="MaxIterations"/> return the same solution whenever neither run hits <see cref="TimeBudget"/>.
/// </remarks>
public sealed record SolverOptions
{
    /// <summary>Wall-clock limit; null means no limit (then <see cref="MaxIterations"/> must be set).</summary>
    public TimeSpan? TimeBudget { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Seed of the solver's own pseudo-random generator.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Cap on perturbation iterations; null means run until <see cref="TimeBudget"/>.</summary>
    public long? MaxIterations { get; init; }
}
