using TourPlanner.Benchmarks;

// Subcommand dispatcher: add a line to Commands.All for each new benchmark.
return await Commands.RunAsync(args);
