using System.Text.Json;
using System.Text.RegularExpressions;
using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Docs;

/// <summary>
/// docs/api.md against the running Gateway's OpenAPI document: an endpoint added without its section, a section left
/// behind by a removed endpoint, or a contract path that disappeared fails here, before anyone integrates against it.
/// </summary>
[Collection(GatewayCollection.Name)]
public partial class ApiReferenceTests(GatewayFactory factory)
{
    private static readonly string ReferencePath = Path.Combine(RepositoryPaths.Root, "docs", "api.md");

    /// <summary>
    /// The paths of the HTTP contract the acceptance checks rely on (its headings and the additions it names). They are
    /// listed here rather than read from the contract, which lives outside the repository.
    /// </summary>
    public static readonly (string Method, string Path)[] ContractOperations =
    [
        ("POST", "/api/tours"), ("GET", "/api/tours/{id}"),
        ("POST", "/api/tours/{id}/hosts"), ("GET", "/api/tours/{id}/hosts"),
        ("POST", "/api/tours/{id}/claims"), ("GET", "/api/tours/{id}/claims"),
        ("POST", "/api/tours/{id}/claims/{claimId}/confirm"), ("POST", "/api/tours/{id}/claims/{claimId}/release"),
        ("PATCH", "/api/tours/{id}/stops/{stopId}/events/{eventId}"), ("POST", "/api/tours/{id}/stops/{stopId}/events"),
        ("POST", "/api/tours/{id}/stops/{stopId}/cancel"),
        ("GET", "/api/tours/{id}/itinerary"), ("GET", "/api/tours/{id}/conflicts"),
        ("GET", "/tours/{slug}/calendar.ics"), ("GET", "/tours/{slug}/speakers/{speakerId}/calendar.ics"), ("GET", "/tours/{slug}/private.ics"),
        ("GET", "/api/tours/{id}/suggestions"),
        ("GET", "/healthz"), ("GET", "/readyz"),
    ];

    [Fact]
    public async Task EveryOperationInOpenApi_HasItsSectionInTheReference()
    {
        var served = await OpenApiOperationsAsync();
        var documented = DocumentedOperations(File.ReadAllText(ReferencePath));
        var missing = served.Except(documented).Order().ToList();
        Assert.True(missing.Count == 0, "docs/api.md has no section for: " + string.Join(", ", missing));
    }

    [Fact]
    public async Task EverySectionOfTheReference_IsAnOperationTheGatewayServes()
    {
        var served = await OpenApiOperationsAsync();
        var stale = DocumentedOperations(File.ReadAllText(ReferencePath)).Except(served).Order().ToList();
        Assert.True(stale.Count == 0, "docs/api.md documents operations the Gateway does not serve: " + string.Join(", ", stale));
    }

    [Fact]
    public async Task TheContractsPaths_StillExistAndAreDocumented()
    {
        var served = await OpenApiOperationsAsync();
        var documented = DocumentedOperations(File.ReadAllText(ReferencePath));
        foreach (var (method, path) in ContractOperations)
        {
            var op = $"{method} {path}";
            Assert.True(served.Contains(op), $"The contract's {op} is gone from /openapi/v1.json.");
            Assert.True(documented.Contains(op), $"The contract's {op} has no section in docs/api.md.");
        }
    }

    [Fact]
    public void TheReference_LinksNothingOutsideTheRepository()
    {
        var text = File.ReadAllText(ReferencePath);
        Assert.DoesNotContain("../", text);
        Assert.DoesNotContain("/work/", text);
        Assert.DoesNotContain("API.md", text);
        foreach (Match link in MarkdownLink().Matches(text))
        {
            var target = link.Groups["target"].Value;
            if (target.StartsWith('#')) continue;
            Assert.False(Uri.TryCreate(target, UriKind.Absolute, out _), $"docs/api.md links outside the repository: {target}");
            var file = Path.GetFullPath(Path.Combine(RepositoryPaths.Root, "docs", target.Split('#')[0]));
            Assert.StartsWith(RepositoryPaths.Root, file);
            Assert.True(File.Exists(file) || Directory.Exists(file), $"docs/api.md links to {target}, which is not in the repository.");
        }
    }

    /// <summary>The reading of headings the first test relies on: one heading per operation, HEAD beside GET where served.</summary>
    [Fact]
    public void Headings_AreReadAsOperations()
    {
        var ops = DocumentedOperations("""
            ## Tours
            ### `POST /api/tours`
            Prose that names `GET /api/tours/{id}/claims` is not a section.
            #### `GET, HEAD /tours/{slug}/calendar.ics`
            ### `GET /api/tours/{id}/stops/{stopId}/`
            """);
        Assert.Equal(["GET /api/tours/{id}/stops/{stopId}", "GET /tours/{slug}/calendar.ics", "HEAD /tours/{slug}/calendar.ics", "POST /api/tours"], ops.Order());
    }

    private async Task<HashSet<string>> OpenApiOperationsAsync()
    {
        var client = factory.CreateClient();
        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        var ops = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in document.RootElement.GetProperty("paths").EnumerateObject())
            foreach (var operation in path.Value.EnumerateObject())
                if (HttpMethods.Contains(operation.Name.ToUpperInvariant()))
                    ops.Add($"{operation.Name.ToUpperInvariant()} {Normalize(path.Name)}");
        Assert.NotEmpty(ops);
        return ops;
    }

    private static readonly HashSet<string> HttpMethods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"];

    /// <summary>"METHOD path" for each heading of the form <c>### `GET, HEAD /path/{param}`</c>.</summary>
    public static HashSet<string> DocumentedOperations(string markdown)
    {
        var ops = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match m in OperationHeading().Matches(markdown))
            foreach (var method in m.Groups["methods"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                ops.Add($"{method} {Normalize(m.Groups["path"].Value)}");
        return ops;
    }

    /// <summary>Route constraints dropped (<c>{date:regex(…)}</c> → <c>{date}</c>), no trailing slash.</summary>
    public static string Normalize(string path)
    {
        var p = RouteConstraint().Replace(path, "{${name}}");
        return p.Length > 1 ? p.TrimEnd('/') : p;
    }

    [GeneratedRegex(@"^#{2,4}\s+`(?<methods>(?:GET|HEAD|POST|PUT|PATCH|DELETE)(?:,\s*(?:GET|HEAD|POST|PUT|PATCH|DELETE))*)\s+(?<path>/[^\s`]*)`", RegexOptions.Multiline)]
    private static partial Regex OperationHeading();

    [GeneratedRegex(@"\{(?<name>[A-Za-z]+):[^}]*\}")]
    private static partial Regex RouteConstraint();

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)\)")]
    private static partial Regex MarkdownLink();
}
