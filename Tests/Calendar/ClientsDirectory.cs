namespace TourPlanner.Tests.Calendar;

/// <summary>Locates Tests/Calendar/clients in the source tree, where the parser scripts and node_modules live.</summary>
public static class ClientsDirectory
{
    public static string Path { get; } = Find();

    public static string File(string name) => System.IO.Path.Combine(Path, name);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "Tests", "Calendar", "clients");
            if (Directory.Exists(candidate)) return candidate;
            candidate = System.IO.Path.Combine(dir.FullName, "Calendar", "clients");
            if (Directory.Exists(candidate) && System.IO.File.Exists(System.IO.Path.Combine(candidate, "package.json"))) return candidate;
        }

        throw new InvalidOperationException($"Tests/Calendar/clients not found above {AppContext.BaseDirectory}.");
    }
}

/// <summary>A temp directory removed when the test ends.</summary>
public sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("tourplanner-calendar-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string Write(string name, byte[] bytes)
    {
        var path = File(name);
        System.IO.File.WriteAllBytes(path, bytes);
        return path;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { /* best effort: a leftover temp dir must not fail the test */ }
    }
}
