using BenchmarkDotNet.Running;
using TourPlanner.Benchmarks.Calendar;
using TourPlanner.Benchmarks.Claims;
using TourPlanner.Benchmarks.Hostile;
using TourPlanner.Benchmarks.Storage;
using TourPlanner.Benchmarks.Tsptw;

namespace TourPlanner.Benchmarks;

/// <summary>Maps the first command-line argument to a benchmark; the rest of the arguments go to it.</summary>
internal static class Commands
{
    private static readonly Dictionary<string, (string Usage, Func<string[], Task<int>> Run)> All =
        new(StringComparer.OrdinalIgnoreCase)
        {
            ["tsptw"] = (TsptwCommand.Usage, TsptwCommand.RunAsync),
            ["claims"] = ("[--url U[,U2…]] [--clients 50] [--claims 5000] [--tours 50]  (see Benchmarks/claims.sh)", ClaimsLoad.RunAsync),
            ["commit-rate"] = (CommitRates.Usage + "  (see Benchmarks/storage.sh)", CommitRates.RunAsync),
            ["hostile"] = (HostileInputs.Usage, HostileInputs.RunAsync),
            ["memory-keys"] = (MemoryKeys.Usage, MemoryKeys.RunAsync),
            ["feed-render"] = ("[BenchmarkDotNet options, e.g. --job short --filter '*']  (300-event feed: FeedWriter vs Ical.Net)", RunFeedRender),
        };

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || !All.TryGetValue(args[0], out var command))
        {
            Console.Error.WriteLine("Usage: Benchmarks <command> [options]");
            foreach (var (name, entry) in All.OrderBy(e => e.Key)) Console.Error.WriteLine($"  {name} {entry.Usage}");
            return 2;
        }
        return await command.Run(args[1..]);
    }

    /// <summary>BenchmarkDotNet over <see cref="FeedRenderBenchmarks"/>; every argument after the subcommand goes to it.</summary>
    private static Task<int> RunFeedRender(string[] args)
    {
        // Without --filter the switcher would ask interactively which benchmark to run; there is only one class here.
        if (!args.Any(a => a is "--filter" or "-f")) args = [.. args, "--filter", "*"];
        var summaries = BenchmarkSwitcher.FromTypes([typeof(FeedRenderBenchmarks)]).Run(args);
        return Task.FromResult(summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0);
    }
}
