using System.Collections.Concurrent;
using System.IO.Compression;
using System.Security.Cryptography;
using NodaTime;

namespace TourPlanner.Gateway.Calendar;

/// <summary>A rendered feed in every encoding we serve, with its validators.</summary>
public sealed record FeedRendition(int Version, Instant ValidUntil, Instant LastModified, string Hash, byte[] Identity, byte[] Gzip, byte[] Brotli)
{
    /// <summary>A strong ETag per representation: compressed bytes are a different representation.</summary>
    public string ETag(string encoding) => encoding switch { "br" => $"\"{Hash}-br\"", "gzip" => $"\"{Hash}-gz\"", _ => $"\"{Hash}\"" };

    public byte[] Body(string encoding) => encoding switch { "br" => Brotli, "gzip" => Gzip, _ => Identity };

    public static FeedRendition Of(int version, Instant validUntil, Instant lastModified, byte[] bytes) =>
        new(version, validUntil, lastModified, Convert.ToHexStringLower(SHA256.HashData(bytes))[..32], bytes,
            Compress(bytes, s => new GZipStream(s, CompressionLevel.Optimal)), Compress(bytes, s => new BrotliStream(s, CompressionLevel.Optimal)));

    private static byte[] Compress(byte[] bytes, Func<Stream, Stream> wrap)
    {
        using var output = new MemoryStream();
        using (var z = wrap(output)) z.Write(bytes);
        return output.ToArray();
    }
}

/// <summary>
/// Renders each feed once per change of its tour (the tour grain's feed version), not once per request. Concurrent
/// misses for the same key share one rendering.
/// </summary>
public sealed class FeedCache
{
    /// <summary>Keys include the Host header and the ?city= text, which clients choose: the cache must stay bounded.</summary>
    public const int MaxEntries = 1024;

    private readonly ConcurrentDictionary<string, Lazy<Task<FeedRendition>>> _entries = new();
    private readonly ConcurrentDictionary<string, string> _tourBySlug = new();
    private int _renders;

    /// <summary>Slugs never change owner once reserved, so their tour id is cached for good (only for slugs that exist).</summary>
    public async Task<string?> TourIdAsync(string slug, Func<Task<string?>> lookup)
    {
        if (_tourBySlug.TryGetValue(slug, out var id)) return id;
        id = await lookup();
        if (id is not null && _tourBySlug.Count < 100_000) _tourBySlug[slug] = id;
        return id;
    }

    /// <summary>How many times a feed was actually rendered (tests use it to check caching).</summary>
    public int Renders => _renders;

    /// <summary>How many renditions are held.</summary>
    public int Entries => _entries.Count;

    public async Task<FeedRendition> GetAsync(string key, int version, Instant now, Func<Task<FeedRendition>> render)
    {
        // Crude but safe: past the bound, start over; live feeds are re-rendered once each on their next request.
        if (_entries.Count >= MaxEntries) _entries.Clear();
        while (true)
        {
            var lazy = _entries.GetOrAdd(key, _ => new Lazy<Task<FeedRendition>>(() => Count(render)));
            FeedRendition current;
            try { current = await lazy.Value; }
            catch
            {
                _entries.TryRemove(new KeyValuePair<string, Lazy<Task<FeedRendition>>>(key, lazy));
                throw;
            }
            if (current.Version == version && now < current.ValidUntil) return current;
            // Stale: replace it unless another request already did, then go round again.
            _entries.TryUpdate(key, new Lazy<Task<FeedRendition>>(() => Count(render)), lazy);
        }
    }

    private async Task<FeedRendition> Count(Func<Task<FeedRendition>> render)
    {
        Interlocked.Increment(ref _renders);
        return await render();
    }
}
