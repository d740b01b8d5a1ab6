using TourPlanner.Benchmarks.Claims;
using TourPlanner.Benchmarks.Tsptw;

namespace TourPlanner.Benchmarks;

/// <summary>Maps the first command-line argument to a benchmark; the rest of the arguments go to it.</summary>
internal static class Commands
{
    private static readonly Dictionary<string, (string Usage, Func<string[], Task<int>> Run)> All =
        new(StringComparer.OrdinalIgnoreCase)
        {
            ["tsptw"] = (TsptwCommand.Usage, TsptwCommand.RunAsync),
            ["claims"] = ("[--url U] [--clients 50] [--claims 5000] [--tours 50]  (see Benchmarks/claims.sh)", ClaimsLoad.RunAsync),
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
}
