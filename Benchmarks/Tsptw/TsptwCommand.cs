using System.Diagnostics;
using System.Globalization;
using TourPlanner.Grains.Planning;

namespace TourPlanner.Benchmarks.Tsptw;

/// <summary>Runs the auto-planner on TSPTW instance files and summarises feasibility, gap and time per size group.</summary>
internal static class TsptwCommand
{
    public const string Usage = "[--budget-ms 1000] [--seed 1] FILE|DIR...";

    public static Task<int> RunAsync(string[] args)
    {
        var budgetMs = 1000;
        ulong seed = 1;
        var files = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--budget-ms" when i + 1 < args.Length:
                    budgetMs = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--seed" when i + 1 < args.Length:
                    seed = ulong.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                default:
                    files.AddRange(Directory.Exists(args[i])
                        ? Directory.GetFiles(args[i], "*.txt").Order(StringComparer.Ordinal)
                        : [args[i]]);
                    break;
            }
        }
        if (files.Count == 0)
        {
            Console.Error.WriteLine($"Usage: tsptw {Usage}");
            return Task.FromResult(2);
        }

        var bestKnown = BestKnown.LoadBeside(files);
        var options = new SolverOptions { TimeBudget = TimeSpan.FromMilliseconds(budgetMs), Seed = seed };
        var results = new List<InstanceResult>();
        foreach (var file in files)
        {
            var problem = TsptwFileParser.ParseFile(file);
            var clock = Stopwatch.StartNew();
            var solution = TourSolver.Solve(problem, options);
            var seconds = clock.Elapsed.TotalSeconds;
            var name = Path.GetFileName(file);
            var result = new InstanceResult(name, problem.NodeCount, solution.Feasible ? solution.TotalTravel : null,
                bestKnown.GetValueOrDefault(name), seconds);
            results.Add(result);
            var value = result.Travel?.ToString(CultureInfo.InvariantCulture) ?? "infeasible";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name} {value} {seconds:F3}"));
        }
        Console.WriteLine();
        Console.Write(SummaryTable.Render(results));
        return Task.FromResult(0);
    }
}
