using System.Collections.Immutable;
using System.Globalization;

namespace TourPlanner.Grains.Planning;

/// <summary>Reads López-Ibáñez's TSPTW matrix format: n, the n×n travel matrix, then n "earliest latest" lines.</summary>
public static class TsptwFileParser
{
    /// <summary>Parses the text of an instance; every visit is mandatory and service times are zero.</summary>
    public static PlanningProblem Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var position = 0;
        int Next()
        {
            if (position >= tokens.Length) throw new FormatException("The instance ends early.");
            var token = tokens[position++];
            // Some copies of the benchmark write integral values as decimals ("12.00").
            if (!decimal.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                || value != decimal.Truncate(value))
                throw new FormatException($"Expected an integer, found '{token}'.");
            return (int)value;
        }

        var n = Next();
        if (n < 1) throw new FormatException("The node count must be positive.");
        var rows = new int[n][];
        for (var i = 0; i < n; i++)
        {
            rows[i] = new int[n];
            for (var j = 0; j < n; j++) rows[i][j] = Next();
        }
        var nodes = ImmutableArray.CreateBuilder<PlanningNode>(n);
        for (var i = 0; i < n; i++)
        {
            var window = new TimeWindow(Next(), Next());
            nodes.Add(i == 0 ? PlanningNode.Depot(window) : PlanningNode.Required(0, window));
        }
        if (position != tokens.Length) throw new FormatException("Unexpected data after the time windows.");
        return new PlanningProblem(TravelMatrix.FromRows(rows), nodes.MoveToImmutable());
    }

    /// <summary>Reads and parses an instance file.</summary>
    public static PlanningProblem ParseFile(string path) => Parse(File.ReadAllText(path));
}
