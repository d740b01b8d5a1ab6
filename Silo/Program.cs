using Microsoft.Extensions.Hosting;
using TourPlanner.Silo.Storage.Postgres;

namespace TourPlanner.Silo;

/// <summary>
/// A stand-alone silo. The Gateway co-hosts one by default; run this and set Gateway:CoHostSilo=false to split them.
/// (Not top-level statements: the tests see this assembly's internals, and a second global Program would clash with the Gateway's.)
/// </summary>
public static class SiloProgram
{
    public static async Task<int> Main(string[] args)
    {
        try
        {
            var builder = Host.CreateApplicationBuilder(args);
            builder.Configuration.AddQuietLoggingDefaults();
            builder.AddTourPlannerSilo();
            await builder.Build().RunAsync();
            return 0;
        }
        catch (InvalidOperationException e) when (IsConfiguration(e))
        {
            // A missing schema or a bad setting is the operator's to fix: say what to do, without a stack trace.
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }
    }

    private static bool IsConfiguration(Exception e) =>
        e is StorageSchemaException || e.Message.StartsWith("Storage:", StringComparison.Ordinal) || e.Message.StartsWith("Orleans:", StringComparison.Ordinal);
}
