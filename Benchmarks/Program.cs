using TourPlanner.Benchmarks.Claims;

return args.FirstOrDefault() switch
{
    "claims" => await ClaimsLoad.RunAsync(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Benchmarks claims [--url U] [--clients N] [--claims N] [--tours N]");
    return 2;
}
