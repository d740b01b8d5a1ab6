using NodaTime;
using TourPlanner.Gateway.Calendar;

namespace TourPlanner.Tests.Feeds;

public class FeedCacheTests
{
    private static Task<FeedRendition> Render(int version) =>
        Task.FromResult(FeedRendition.Of(version, Instant.MaxValue, Instant.FromUtc(2026, 1, 1, 0, 0), "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"u8.ToArray()));

    [Fact]
    public async Task KeysClientsChoose_CannotGrowTheCacheBeyondItsBound()
    {
        var cache = new FeedCache();
        var now = Instant.FromUtc(2026, 10, 1, 0, 0);
        for (var i = 0; i < FeedCache.MaxEntries * 3; i++)
            await cache.GetAsync($"tour|public|city-{i}|http://host-{i}", 1, now, () => Render(1));
        Assert.InRange(cache.Entries, 1, FeedCache.MaxEntries);
    }

    [Fact]
    public async Task ANewVersionOrAnExpiredRendition_RendersAgain_OtherwiseNot()
    {
        var cache = new FeedCache();
        var now = Instant.FromUtc(2026, 10, 1, 0, 0);
        await cache.GetAsync("k", 1, now, () => Render(1));
        await cache.GetAsync("k", 1, now, () => Render(1));
        Assert.Equal(1, cache.Renders);
        await cache.GetAsync("k", 2, now, () => Render(2));
        Assert.Equal(2, cache.Renders);
        var expiring = FeedRendition.Of(3, now + Duration.FromDays(1), now, [1]);
        await cache.GetAsync("e", 3, now, () => Task.FromResult(expiring));
        await cache.GetAsync("e", 3, now + Duration.FromDays(2), () => Task.FromResult(expiring with { ValidUntil = Instant.MaxValue }));
        Assert.Equal(4, cache.Renders);
    }
}
