using System.Threading.Channels;
using Microsoft.Extensions.Options;
using TourPlanner.Grains;

namespace TourPlanner.Gateway.Live;

/// <summary>Bounds on the pages' live streams (<c>Live</c> section).</summary>
public sealed record LiveOptions
{
    public const string Section = "Live";
    /// <summary>Streams this process serves at once; past it a page polls instead.</summary>
    public int MaxStreams { get; init; } = 2000;
    /// <summary>Streams one tour may hold open in this process (a tour's organizers and groups, several tabs each).</summary>
    public int MaxStreamsPerTour { get; init; } = 100;
    /// <summary>How often a tour's subscription is renewed; the tour forgets a watcher that stays quiet for 5 minutes.</summary>
    public TimeSpan ResubscribePeriod { get; init; } = TimeSpan.FromMinutes(2);
    /// <summary>The longest one stream lasts before it ends and the page reconnects (its link is checked again then).</summary>
    public TimeSpan MaxStreamDuration { get; init; } = TimeSpan.FromMinutes(30);
    /// <summary>How often an idle stream sends a ping, so proxies do not close it and dead clients are noticed.</summary>
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(25);
}

/// <summary>
/// One subscription per tour per process, shared by every open stream of that tour: the tour grain tells one observer
/// of each stored change, and the hub fans it out to the streams' bounded queues. The observer is counted by streams,
/// renewed periodically while any is open, and dropped with the last one. Everything ends when the process stops.
/// </summary>
public sealed class TourChangeHub : IAsyncDisposable
{
    private readonly IGrainFactory _grains;
    private readonly LiveOptions _options;
    private readonly ILogger<TourChangeHub> _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, TourFeed> _tours = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private int _streams;

    public TourChangeHub(IGrainFactory grains, IOptions<LiveOptions> options, IHostApplicationLifetime lifetime, ILogger<TourChangeHub> logger)
    {
        _grains = grains;
        _options = options.Value;
        _logger = logger;
        lifetime.ApplicationStopping.Register(Stop);
    }

    public LiveOptions Options => _options;

    /// <summary>Streams open in this process.</summary>
    public int OpenStreams { get { lock (_gate) return _streams; } }

    /// <summary>Tours this process currently watches.</summary>
    public int WatchedTours { get { lock (_gate) return _tours.Count; } }

    /// <summary>Ends when the process stops; streams link to it so none outlives the host.</summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <summary>A subscription to a tour's changes, or null when this process or this tour has as many streams as it may.</summary>
    public async Task<Subscription?> SubscribeAsync(string tourId)
    {
        TourFeed feed;
        Subscription subscription;
        lock (_gate)
        {
            if (_stopping.IsCancellationRequested || _streams >= _options.MaxStreams) return null;
            if (!_tours.TryGetValue(tourId, out feed!)) _tours[tourId] = feed = new TourFeed(this, tourId);
            if (feed.Count >= _options.MaxStreamsPerTour) return null;
            subscription = feed.Add();
            _streams++;
        }
        try { await feed.StartedAsync(); }
        catch
        {
            await subscription.DisposeAsync();
            throw;
        }
        return subscription;
    }

    private async Task RemoveAsync(TourFeed feed, Subscription subscription)
    {
        bool last;
        lock (_gate)
        {
            if (!feed.Remove(subscription)) return;
            _streams--;
            last = feed.Count == 0;
            if (last) _tours.Remove(feed.TourId);
        }
        if (last) await feed.StopAsync();
    }

    private void Stop()
    {
        _stopping.Cancel();
        List<TourFeed> feeds;
        lock (_gate) feeds = [.. _tours.Values];
        foreach (var f in feeds) f.CompleteAll();
    }

    public async ValueTask DisposeAsync()
    {
        Stop();
        List<TourFeed> feeds;
        lock (_gate) { feeds = [.. _tours.Values]; _tours.Clear(); _streams = 0; }
        foreach (var f in feeds) await f.StopAsync();
        _stopping.Dispose();
    }

    /// <summary>One stream's view: the changes since it subscribed, at most a few queued (older ones are dropped, a page reloads anyway).</summary>
    public sealed class Subscription : IAsyncDisposable
    {
        private readonly TourFeed _feed;
        internal readonly Channel<TourChange> Queue = Channel.CreateBounded<TourChange>(
            new BoundedChannelOptions(8) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

        internal Subscription(TourFeed feed) => _feed = feed;

        public ChannelReader<TourChange> Changes => Queue.Reader;

        public ValueTask DisposeAsync()
        {
            Queue.Writer.TryComplete();
            return new ValueTask(_feed.Hub.RemoveAsync(_feed, this));
        }
    }

    /// <summary>The observer of one tour: registered once, renewed on a timer, fanned out to its subscriptions.</summary>
    internal sealed class TourFeed(TourChangeHub hub, string tourId) : ITourWatcher
    {
        private readonly List<Subscription> _subscriptions = [];
        private readonly Lock _start = new();
        private Task? _started;
        private ITourWatcher? _reference;
        private Timer? _renew;

        public TourChangeHub Hub => hub;
        public string TourId => tourId;
        public int Count => _subscriptions.Count;

        public Subscription Add()
        {
            var s = new Subscription(this);
            _subscriptions.Add(s);
            return s;
        }

        public bool Remove(Subscription s) => _subscriptions.Remove(s);

        public Task StartedAsync()
        {
            lock (_start) return _started ??= StartAsync();
        }

        private async Task StartAsync()
        {
            // The object reference is weak on Orleans's side; this feed keeps the observer alive while streams use it.
            _reference = hub._grains.CreateObjectReference<ITourWatcher>(this);
            await hub._grains.GetGrain<ITourGrain>(tourId).WatchAsync(_reference);
            _renew = new Timer(_ => _ = RenewAsync(), null, hub._options.ResubscribePeriod, hub._options.ResubscribePeriod);
        }

        private async Task RenewAsync()
        {
            try { if (_reference is { } r) await hub._grains.GetGrain<ITourGrain>(tourId).WatchAsync(r); }
            catch (Exception ex) { hub._logger.LogWarning("Renewing the watch of a tour failed ({Error}); pages fall back to polling", ex.GetType().Name); }
        }

        public async Task StopAsync()
        {
            CompleteAll();
            Task? started;
            lock (_start) started = _started;
            if (started is not null) try { await started; } catch { /* nothing was registered */ }
            if (_renew is { } timer) await timer.DisposeAsync();
            if (_reference is { } r)
            {
                try { await hub._grains.GetGrain<ITourGrain>(tourId).UnwatchAsync(r); }
                catch (Exception ex) { hub._logger.LogDebug("Unwatching a tour failed ({Error}); it forgets quiet watchers anyway", ex.GetType().Name); }
                hub._grains.DeleteObjectReference<ITourWatcher>(r);
                _reference = null;
            }
        }

        public void CompleteAll()
        {
            Subscription[] all;
            lock (hub._gate) all = [.. _subscriptions];
            foreach (var s in all) s.Queue.Writer.TryComplete();
        }

        Task ITourWatcher.ChangedAsync(TourChange change)
        {
            Subscription[] all;
            lock (hub._gate) all = [.. _subscriptions];
            foreach (var s in all) s.Queue.Writer.TryWrite(change);
            return Task.CompletedTask;
        }
    }
}
