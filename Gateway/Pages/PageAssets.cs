using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text.Json;

namespace TourPlanner.Gateway.Pages;

/// <summary>One embedded page asset: its bytes, content type and a content hash for revalidation.</summary>
public sealed record PageAsset(byte[] Bytes, string ContentType, string ETag);

/// <summary>
/// The pages' CSS, JavaScript and strings, embedded in the Gateway assembly so the product has no build step, no CDN
/// and nothing to deploy beside the binary.
/// </summary>
public static class PageAssets
{
    private const string Prefix = "pages/";

    public static readonly FrozenDictionary<string, PageAsset> All = Load();

    /// <summary>UI strings by language, then key; the same file the browser loads, so server and script never disagree.</summary>
    public static readonly FrozenDictionary<string, FrozenDictionary<string, string>> Strings = LoadStrings();

    public static string Text(string lang, string key) =>
        Strings.TryGetValue(lang, out var table) && table.TryGetValue(key, out var s) ? s
        : Strings["en"].TryGetValue(key, out var en) ? en : key;

    private static FrozenDictionary<string, PageAsset> Load()
    {
        var assembly = typeof(PageAssets).Assembly;
        var assets = new Dictionary<string, PageAsset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var bytes = buffer.ToArray();
            var etag = $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))[..16]}\"";
            assets[name[Prefix.Length..]] = new PageAsset(bytes, ContentTypeOf(name), etag);
        }
        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static FrozenDictionary<string, FrozenDictionary<string, string>> LoadStrings()
    {
        var doc = JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, string>>>(All["i18n.json"].Bytes)!;
        return doc.ToFrozenDictionary(p => p.Key, p => p.Value.ToFrozenDictionary(StringComparer.Ordinal), StringComparer.Ordinal);
    }

    private static string ContentTypeOf(string name) => Path.GetExtension(name) switch
    {
        ".css" => "text/css; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".json" => "application/json; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };
}
