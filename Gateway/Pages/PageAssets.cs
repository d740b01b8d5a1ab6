using System.Collections.Frozen;
using System.IO.Compression;
using System.Text.Json;
using TourPlanner.Gateway.Calendar;

namespace TourPlanner.Gateway.Pages;

/// <summary>One embedded page asset: its bytes in every encoding we serve, its content type, and validators.</summary>
public sealed record PageAsset(Representation Body, string ContentType)
{
    public byte[] Bytes => Body.Identity;
    public string ETag => Body.ETag("identity");
}

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
            // Compressed once at start-up at the smallest size: phones on slow networks load these on every visit.
            assets[name[Prefix.Length..]] = new PageAsset(Representation.Of(buffer.ToArray(), CompressionLevel.SmallestSize), ContentTypeOf(name));
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
        ".png" => "image/png",
        _ => "application/octet-stream",
    };
}
