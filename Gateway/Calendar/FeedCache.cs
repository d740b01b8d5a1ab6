using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using NodaTime;

namespace TourPlanner.Gateway.Calendar;

/// <summary>The feeds' limits (configuration section <c>Feeds</c>).</summary>
public sealed record FeedOptions
{
    public const string Section = "Feeds";

    /// <summary>The most bytes the rendered-feed cache holds, every encoding counted (<c>Feeds:CacheBytes</c>).</summary>
    public long CacheBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>
    /// The most bytes one rendered feed (uncompressed) may have (<c>Feeds:MaxFeedBytes</c>). A tour whose feed would be
    /// larger keeps the events nearest to now and says how many it left out (see <see cref="TourFeeds"/>).
    /// </summary>
    public long MaxFeedBytes { get; init; } = 1024 * 1024;
}

/// <summary>A rendered feed with what decides whether it is still current, and its validators.</summary>
public sealed record FeedRendition(int Version, Instant ValidUntil, Instant LastModified, Representation Body)
{
    public string Hash => Body.Hash;
    public byte[] Identity => Body.Identity;

    public static FeedRendition Of(int version, Instant validUntil, Instant lastModified, byte[] bytes) =>
        new(version, validUntil, lastModified, Representation.Of(bytes));
}

/// <summary>
/// Renders each feed once per change of its tour (the tour grain's feed version), not once per request, and holds the
/// renditions within a byte budget, least recently used out first. Keys name only what identifies a variant (tour,
/// kind, one of the tour's own cities or speakers, the private viewer), never text a client chose, so the number of
/// keys is bounded by the stored tours; the byte budget bounds the memory whatever that number is. Concurrent misses
/// for the same key and version share one rendering.
/// </summary>
public sealed class FeedCache
{
    private sealed class Entry(string key, FeedRendition rendition)
    {
        public string Key { get; } = key;
        public FeedRendition Rendition { get; } = rendition;
        public long Cost { get; } = rendition.Body.Size + key.Length * sizeof(char);
    }

    private readonly object _gate = new();
    private readonly Dictionary<string, LinkedListNode<Entry>> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> _recency = new(); // most recently used first
    private readonly ConcurrentDictionary<(string Key, int Version), Lazy<Task<FeedRendition>>> _rendering = new();
    private readonly ConcurrentDictionary<string, string> _tourBySlug = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (int Version, IReadOnlyList<string> Cities)> _citiesByTour = new(StringComparer.Ordinal);
    private long _bytes;
    private int _renders;

    public FeedCache(IOptions<FeedOptions> options) : this(options.Value.CacheBytes) { }

    public FeedCache(long budgetBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(budgetBytes);
        BudgetBytes = budgetBytes;
    }

    /// <summary>The most bytes the cache holds.</summary>
    public long BudgetBytes { get; }

    /// <summary>Bytes held now (all encodings of every rendition, plus their keys).</summary>
    public long Bytes { get { lock (_gate) return _bytes; } }

    /// <summary>How many renditions are held.</summary>
    public int Entries { get { lock (_gate) return _entries.Count; } }

    /// <summary>How many times a feed was actually rendered (tests use it to check caching).</summary>
    public int Renders => _renders;

    /// <summary>Slugs never change owner once reserved, so their tour id is cached for good (only for slugs that exist).</summary>
    public async Task<string?> TourIdAsync(string slug, Func<Task<string?>> lookup)
    {
        if (_tourBySlug.TryGetValue(slug, out var id)) return id;
        id = await lookup();
        if (id is not null && _tourBySlug.Count < 100_000) _tourBySlug[slug] = id;
        return id;
    }

    /// <summary>
    /// The cities of a tour's published stops for its current feed version, so a <c>?city=</c> is checked without asking
    /// the tour for its stops on every request. One small entry per stored tour that was asked for.
    /// </summary>
    public async Task<IReadOnlyList<string>> CitiesAsync(string tourId, int version, Func<Task<IReadOnlyList<string>>> load)
    {
        if (_citiesByTour.TryGetValue(tourId, out var known) && known.Version == version) return known.Cities;
        var cities = await load();
        if (_citiesByTour.Count < 100_000 || _citiesByTour.ContainsKey(tourId)) _citiesByTour[tourId] = (version, cities);
        return cities;
    }

    public async Task<FeedRendition> GetAsync(string key, int version, Instant now, Func<Task<FeedRendition>> render)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var node) && node.Value.Rendition.Version == version && now < node.Value.Rendition.ValidUntil)
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                return node.Value.Rendition;
            }
        }

        var lazy = _rendering.GetOrAdd((key, version), _ => new Lazy<Task<FeedRendition>>(() => Count(render)));
        FeedRendition rendition;
        try { rendition = await lazy.Value; }
        finally { _rendering.TryRemove(new KeyValuePair<(string, int), Lazy<Task<FeedRendition>>>((key, version), lazy)); }
        Keep(key, rendition);
        return rendition;
    }

    private void Keep(string key, FeedRendition rendition)
    {
        var entry = new Entry(key, rendition);
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var old))
            {
                // A slower rendering of an older version must not replace a newer one.
                if (old.Value.Rendition.Version > rendition.Version) return;
                Remove(old);
            }
            // One rendition larger than the whole budget is served but not kept.
            if (entry.Cost > BudgetBytes) return;
            while (_bytes + entry.Cost > BudgetBytes && _recency.Last is { } oldest) Remove(oldest);
            _entries[key] = _recency.AddFirst(entry);
            _bytes += entry.Cost;
        }
    }

    private void Remove(LinkedListNode<Entry> node)
    {
        _recency.Remove(node);
        _entries.Remove(node.Value.Key);
        _bytes -= node.Value.Cost;
    }

    /// <summary>Drops everything kept for a deleted tour: its renditions, its cities and its slug.</summary>
    public void Forget(string tourId, string slug)
    {
        _tourBySlug.TryRemove(slug, out _);
        _citiesByTour.TryRemove(tourId, out _);
        lock (_gate)
            foreach (var node in _entries.Values.Where(n => n.Value.Key.StartsWith(tourId + "|", StringComparison.Ordinal)).ToList()) Remove(node);
    }

    /// <summary>True when anything of the tour is kept (tests check that deletion leaves nothing).</summary>
    public bool Holds(string tourId, string slug)
    {
        if (_tourBySlug.ContainsKey(slug) || _citiesByTour.ContainsKey(tourId)) return true;
        lock (_gate) return _entries.Keys.Any(k => k.StartsWith(tourId + "|", StringComparison.Ordinal));
    }

    private async Task<FeedRendition> Count(Func<Task<FeedRendition>> render)
    {
        Interlocked.Increment(ref _renders);
        return await render();
    }
}
