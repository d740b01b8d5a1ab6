using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;
using NodaTime;

namespace TourPlanner.Gateway.Calendar;

/// <summary>One response body in every encoding we serve (identity, gzip, Brotli), with a content hash for validators.</summary>
public sealed record Representation(string Hash, byte[] Identity, byte[] Gzip, byte[] Brotli)
{
    /// <summary>Compresses once, up front: for bodies served many times (feeds, page assets).</summary>
    public static Representation Of(byte[] bytes, CompressionLevel level = CompressionLevel.Optimal) =>
        new(HashOf(bytes), bytes, Compress(bytes, "gzip", level), Compress(bytes, "br", level));

    /// <summary>Bytes held in memory, all encodings together (what a cache counts).</summary>
    public long Size => Identity.Length + Gzip.Length + Brotli.Length;

    /// <summary>A strong ETag per representation: compressed bytes are a different representation.</summary>
    public string ETag(string encoding) => HttpRepresentations.ETag(Hash, encoding);

    public byte[] Body(string encoding) => encoding switch { "br" => Brotli, "gzip" => Gzip, _ => Identity };

    public static string HashOf(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes))[..32];

    public static byte[] Compress(byte[] bytes, string encoding, CompressionLevel level = CompressionLevel.Optimal)
    {
        using var output = new MemoryStream();
        using (Stream z = encoding == "br" ? new BrotliStream(output, level) : new GZipStream(output, level)) z.Write(bytes);
        return output.ToArray();
    }
}

/// <summary>
/// Content negotiation and validators shared by feeds, the public page and its assets: Brotli or gzip only when asked,
/// a strong ETag per encoding, 304 for a matching If-None-Match (or, without one, an If-Modified-Since not older).
/// </summary>
public static class HttpRepresentations
{
    public static string ETag(string hash, string encoding) =>
        encoding switch { "br" => $"\"{hash}-br\"", "gzip" => $"\"{hash}-gz\"", _ => $"\"{hash}\"" };

    /// <summary>Serves a representation computed in advance.</summary>
    public static IResult Serve(HttpContext http, Representation body, string contentType, string cacheControl, Instant? lastModified = null)
    {
        var encoding = Negotiate(http.Request.Headers.AcceptEncoding.ToString());
        if (Validators(http, body.ETag(encoding), cacheControl, lastModified)) return Results.StatusCode(StatusCodes.Status304NotModified);
        if (encoding != "identity") http.Response.Headers.ContentEncoding = encoding;
        return Results.Bytes(body.Body(encoding), contentType);
    }

    /// <summary>Serves bytes rendered for this request: the 304 check comes first, then only the chosen encoding is compressed.</summary>
    public static IResult ServeRendered(HttpContext http, byte[] identity, string contentType, string cacheControl, int status = StatusCodes.Status200OK,
        string vary = "Accept-Encoding")
    {
        var encoding = Negotiate(http.Request.Headers.AcceptEncoding.ToString());
        var current = Validators(http, ETag(Representation.HashOf(identity), encoding), cacheControl, null);
        http.Response.Headers.Vary = vary;
        if (current && status == StatusCodes.Status200OK)
            return Results.StatusCode(StatusCodes.Status304NotModified);
        if (encoding != "identity") http.Response.Headers.ContentEncoding = encoding;
        var body = encoding == "identity" ? identity : Representation.Compress(identity, encoding);
        http.Response.StatusCode = status;
        return Results.Bytes(body, contentType);
    }

    /// <summary>Sets ETag, Last-Modified, Cache-Control and Vary; true when the client's copy is current.</summary>
    private static bool Validators(HttpContext http, string etag, string cacheControl, Instant? lastModified)
    {
        var headers = http.Response.Headers;
        headers.ETag = etag;
        if (lastModified is { } modified) headers.LastModified = modified.ToDateTimeOffset().ToString("r", CultureInfo.InvariantCulture);
        headers.CacheControl = cacheControl;
        headers.Vary = HeaderNames.AcceptEncoding;
        return NotModified(http.Request, etag, lastModified);
    }

    /// <summary>RFC 9110 §13.1: If-None-Match wins over If-Modified-Since; an unparsable date is ignored.</summary>
    public static bool NotModified(HttpRequest request, string etag, Instant? lastModified)
    {
        var ifNoneMatch = request.Headers.IfNoneMatch.ToString();
        if (ifNoneMatch.Length > 0)
            return ifNoneMatch.Split(',').Select(t => t.Trim()).Any(t => t == "*" || t == etag || t == "W/" + etag);
        var since = request.Headers.IfModifiedSince.ToString();
        if (lastModified is null || since.Length == 0
            || !DateTimeOffset.TryParseExact(since, "r", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var date))
            return false;
        return lastModified.Value.ToUnixTimeSeconds() <= date.ToUnixTimeSeconds();
    }

    /// <summary>Brotli or gzip only when the client asks for it (q &gt; 0); otherwise the plain bytes.</summary>
    public static string Negotiate(string acceptEncoding)
    {
        // A hostile header can be long; nothing past the first kilobyte changes the answer for a real client.
        if (acceptEncoding.Length > 1024) acceptEncoding = acceptEncoding[..1024];
        var offers = acceptEncoding.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part =>
            {
                var pieces = part.Split(';', StringSplitOptions.TrimEntries);
                var q = pieces.Skip(1).Select(p => p.StartsWith("q=", StringComparison.OrdinalIgnoreCase)
                    && double.TryParse(p[2..], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : 1.0).DefaultIfEmpty(1.0).First();
                return (Name: pieces[0].ToLowerInvariant(), Q: q);
            }).ToList();
        foreach (var name in new[] { "br", "gzip" })
            if (offers.Any(o => o.Name == name && o.Q > 0)) return name;
        return "identity";
    }
}
