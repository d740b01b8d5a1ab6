using NodaTime;
using TourPlanner.Gateway.Calendar;

namespace TourPlanner.Tests.Feeds;

public class FeedCacheTests
{
    private static readonly Instant Now = Instant.FromUtc(2026, 10, 1, 0, 0);

    private static Task<FeedRendition> Render(int version, int size = 100) =>
        Task.FromResult(FeedRendition.Of(version, Instant.MaxValue, Instant.FromUtc(2026, 1, 1, 0, 0), new byte[size]));

    [Fact]
    public async Task ManyKeys_NeverHoldMoreBytesThanTheBudget_AndTheMostRecentStay()
    {
        var cache = new FeedCache(budgetBytes: 50_000);
        var random = new Random(20261001); // repeatable
        for (var i = 0; i < 2_000; i++)
        {
            await cache.GetAsync($"tour-{random.Next(300)}|public", 1, Now, () => Render(1, random.Next(500, 5_000)));
            Assert.InRange(cache.Bytes, 0, cache.BudgetBytes);
        }
        Assert.True(cache.Entries > 1);
        var before = cache.Renders;
        await cache.GetAsync("recent|public", 1, Now, () => Render(1, 1_000));
        await cache.GetAsync("recent|public", 1, Now, () => Render(1, 1_000));
        Assert.Equal(before + 1, cache.Renders);
    }

    [Fact]
    public async Task ARenditionLargerThanTheBudget_IsServedButNotKept()
    {
        var cache = new FeedCache(budgetBytes: 10_000);
        await cache.GetAsync("small", 1, Now, () => Render(1, 1_000));
        var big = await cache.GetAsync("big", 1, Now, () => Render(1, 50_000));
        Assert.Equal(50_000, big.Identity.Length);
        Assert.Equal(1, cache.Entries);
        Assert.InRange(cache.Bytes, 1, 10_000);
    }

    [Fact]
    public async Task TheLeastRecentlyUsed_GoesFirst()
    {
        // Each rendition of 4,000 zero bytes costs a little over 4,000 (its gzip and Brotli forms are tiny).
        var cache = new FeedCache(budgetBytes: 9_000);
        await cache.GetAsync("a", 1, Now, () => Render(1, 4_000));
        await cache.GetAsync("b", 1, Now, () => Render(1, 4_000));
        await cache.GetAsync("a", 1, Now, () => Render(1, 4_000)); // a is now the most recent
        await cache.GetAsync("c", 1, Now, () => Render(1, 4_000)); // b goes
        var renders = cache.Renders;
        await cache.GetAsync("a", 1, Now, () => Render(1, 4_000));
        Assert.Equal(renders, cache.Renders);
        await cache.GetAsync("b", 1, Now, () => Render(1, 4_000));
        Assert.Equal(renders + 1, cache.Renders);
    }

    [Fact]
    public async Task ANewVersionOrAnExpiredRendition_RendersAgain_OtherwiseNot()
    {
        var cache = new FeedCache(budgetBytes: 1_000_000);
        await cache.GetAsync("k", 1, Now, () => Render(1));
        await cache.GetAsync("k", 1, Now, () => Render(1));
        Assert.Equal(1, cache.Renders);
        await cache.GetAsync("k", 2, Now, () => Render(2));
        Assert.Equal(2, cache.Renders);
        var expiring = FeedRendition.Of(3, Now + Duration.FromDays(1), Now, [1]);
        await cache.GetAsync("e", 3, Now, () => Task.FromResult(expiring));
        await cache.GetAsync("e", 3, Now + Duration.FromDays(2), () => Task.FromResult(expiring with { ValidUntil = Instant.MaxValue }));
        Assert.Equal(4, cache.Renders);
    }

    [Fact]
    public async Task ConcurrentMisses_ShareOneRendering()
    {
        var cache = new FeedCache(budgetBytes: 1_000_000);
        var gate = new TaskCompletionSource();
        async Task<FeedRendition> Slow() { await gate.Task; return await Render(1); }
        var all = Enumerable.Range(0, 20).Select(_ => cache.GetAsync("k", 1, Now, Slow)).ToList();
        gate.SetResult();
        await Task.WhenAll(all);
        Assert.Equal(1, cache.Renders);
    }
}
