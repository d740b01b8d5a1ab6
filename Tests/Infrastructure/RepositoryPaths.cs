namespace TourPlanner.Tests.Infrastructure;

/// <summary>Folders the tests find relative to the repository: built outputs, and the shared vendor scripts beside it.</summary>
public static class RepositoryPaths
{
    /// <summary>The folder holding TourPlanner.sln, found by walking up from the test assembly.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release, as the tests themselves were built.</summary>
    public static string Configuration { get; } =
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    /// <summary>
    /// Orleans's own PostgreSQL scripts: <c>TOURPLANNER_ORLEANS_SQL</c> when set, else <c>../shared/vendor/orleans-adonet-postgresql/</c>
    /// beside the repository. Missing scripts fail the test: a skipped cluster test would hide a broken profile.
    /// </summary>
    public static string OrleansSqlScripts
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable("TOURPLANNER_ORLEANS_SQL");
            var folder = string.IsNullOrWhiteSpace(configured)
                ? Path.GetFullPath(Path.Combine(Root, "..", "shared", "vendor", "orleans-adonet-postgresql"))
                : Path.GetFullPath(configured);
            if (!File.Exists(Path.Combine(folder, "PostgreSQL-Main.sql")))
                throw new InvalidOperationException(
                    $"Orleans's ADO.NET scripts for PostgreSQL are not in '{folder}'. The PostgreSQL tests need them: put the unchanged " +
                    "scripts (PostgreSQL-Main.sql, -Clustering, -Persistence, -Reminders from the Orleans repository) there, or point " +
                    "TOURPLANNER_ORLEANS_SQL at a folder that holds them.");
            return folder;
        }
    }

    public static string SiloDll => Built("Silo");

    public static string GatewayDll => Built("Gateway");

    private static string Built(string project)
    {
        var path = Path.Combine(Root, project, "bin", Configuration, "net10.0", project + ".dll");
        if (!File.Exists(path)) throw new InvalidOperationException($"{path} is missing: build the solution first (dotnet build TourPlanner.sln -c {Configuration}).");
        return path;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "TourPlanner.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No TourPlanner.sln above {AppContext.BaseDirectory}.");
    }
}
