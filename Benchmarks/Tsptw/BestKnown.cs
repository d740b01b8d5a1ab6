using System.Globalization;

namespace TourPlanner.Benchmarks.Tsptw;

/// <summary>Best-known values from a <c>bks.csv</c> (instance,value) beside the instance files; used only for reporting.</summary>
internal static class BestKnown
{
    public static Dictionary<string, long> LoadBeside(IEnumerable<string> files)
    {
        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var directory in files.Select(f => Path.GetDirectoryName(Path.GetFullPath(f))!).Distinct())
        {
            var path = Path.Combine(directory, "bks.csv");
            if (!File.Exists(path)) continue;
            foreach (var line in File.ReadLines(path).Skip(1))
            {
                var parts = line.Split(',');
                if (parts.Length >= 2 && long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
                    values[parts[0].Trim()] = value;
            }
        }
        return values;
    }
}
