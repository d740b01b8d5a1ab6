namespace TourPlanner.Grains.Planning;

/// <summary>Starting tours for the search.</summary>
internal static class Construction
{
    /// <summary>Visits in order of their first window's deadline: on tight windows this is already near-feasible.</summary>
    public static Tour ByDeadline(ProblemData d, IEnumerable<int> visits) =>
        Tour.From(d.N, visits
            .OrderBy(v => d.WinLatest[v][0])
            .ThenBy(v => d.WinEarliest[v][0])
            .ThenBy(v => v));
}
