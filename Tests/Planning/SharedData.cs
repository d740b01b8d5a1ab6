namespace TourPlanner.Tests.Planning;

/// <summary>Finds the shared benchmark data by walking up from the test assembly, failing loudly when it is absent.</summary>
internal static class SharedData
{
    private static readonly string Relative = Path.Combine("shared", "data", "tsptw");

    public static string TsptwDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, Relative);
            if (Directory.Exists(candidate)) return candidate;
        }
        Assert.Fail($"No folder containing '{Relative}' above {AppContext.BaseDirectory}; the TSPTW data set is required.");
        return "";
    }
}
