using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace TourPlanner.Benchmarks.Tsptw;

/// <summary>Markdown table per size group: feasible count, mean and max gap to best-known, median seconds.</summary>
internal static partial class SummaryTable
{
    public static string Render(IReadOnlyList<InstanceResult> results)
    {
        var text = new StringBuilder();
        text.AppendLine("| group | instances | feasible | mean gap % | max gap % | median s |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var group in results.GroupBy(r => r.Group).OrderBy(g => SortKey(g.Key)))
            text.AppendLine(Row(group.Key, group.ToList()));
        text.AppendLine(Row("**all**", results));
        return text.ToString();
    }

    private static string Row(string label, IReadOnlyList<InstanceResult> rows)
    {
        var gaps = rows.Select(r => r.GapPercent).OfType<double>().ToList();
        var feasible = rows.Count(r => r.Travel is not null);
        var seconds = rows.Select(r => r.Seconds).Order().ToList();
        var median = seconds.Count % 2 == 1
            ? seconds[seconds.Count / 2]
            : (seconds[seconds.Count / 2 - 1] + seconds[seconds.Count / 2]) / 2;
        return string.Create(CultureInfo.InvariantCulture,
            $"| {label} | {rows.Count} | {feasible} | {(gaps.Count > 0 ? gaps.Average().ToString("F2", CultureInfo.InvariantCulture) : "–")} | {(gaps.Count > 0 ? gaps.Max().ToString("F2", CultureInfo.InvariantCulture) : "–")} | {median:F2} |");
    }

    // Orders n20w20 < n20w100 < n40w20 numerically instead of as strings.
    private static (int, int, string) SortKey(string group)
    {
        var match = SizeGroup().Match(group);
        return match.Success
            ? (int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture), group)
            : (int.MaxValue, 0, group);
    }

    [GeneratedRegex(@"^n(\d+)w(\d+)$")]
    private static partial Regex SizeGroup();
}
