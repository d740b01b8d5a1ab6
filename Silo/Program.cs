using Microsoft.Extensions.Hosting;

namespace TourPlanner.Silo;

/// <summary>
/// A stand-alone silo. The Gateway co-hosts one by default; run this and set Gateway:CoHostSilo=false to split them.
/// (Not top-level statements: the tests see this assembly's internals, and a second global Program would clash with the Gateway's.)
/// </summary>
public static class SiloProgram
{
    public static async Task Main(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.AddTourPlannerSilo();
        await builder.Build().RunAsync();
    }
}
