using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Orleans.Storage;
using TourPlanner.Grains;
using TourPlanner.Grains.Implementation;
using TourPlanner.Silo;
using TourPlanner.Silo.Privacy;

namespace TourPlanner.Tests.Privacy;

/// <summary>
/// Key ring rotation needs no downtime: data sealed before a new Data Protection key became the default still opens,
/// and a destroyed data key opens nothing.
/// </summary>
public sealed class KeyRotationTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "tourplanner-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task RotatedKeyRing_StillOpensOldData_AndRewrapsTheToursKeys()
    {
        using var services = Services();
        var protector = services.GetRequiredService<ITourKeyProtector>();
        var storage = new DictionaryStorage();
        var keys = new TourKeys(storage, protector, "t_rotation");
        await keys.LoadAsync();
        var (keyId, sealedBytes) = await keys.SealAsync("tour", Encoding.UTF8.GetBytes("lodging at 12 Elm St"), Instant.FromUtc(2026, 10, 1, 0, 0));
        var wrappedBefore = storage.Ring("t_rotation").Keys[0].Wrapped;

        // A new key ring key becomes the default (what Data Protection does by itself every 90 days).
        var manager = services.GetRequiredService<IKeyManager>();
        manager.CreateNewKey(DateTimeOffset.UtcNow.AddSeconds(-1), DateTimeOffset.UtcNow.AddDays(90));
        Assert.Equal(2, manager.GetAllKeys().Count);

        var reloaded = new TourKeys(storage, services.GetRequiredService<ITourKeyProtector>(), "t_rotation");
        await reloaded.LoadAsync();
        Assert.Equal("lodging at 12 Elm St", Encoding.UTF8.GetString(reloaded.Open(keyId, sealedBytes)!));
        Assert.NotEmpty(wrappedBefore);

        await reloaded.DestroyAsync(_ => true);
        Assert.Null(reloaded.Open(keyId, sealedBytes));
        Assert.Empty(storage.Ring("t_rotation").Keys);
    }

    [Fact]
    public async Task WrappedKey_OfOneTour_DoesNotOpenForAnother()
    {
        using var services = Services();
        var protector = services.GetRequiredService<ITourKeyProtector>();
        var wrapped = protector.Wrap("t_one", [1, 2, 3]);
        Assert.Equal([1, 2, 3], protector.Unwrap("t_one", wrapped, out _));
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => protector.Unwrap("t_two", wrapped, out _));
        await Task.CompletedTask;
    }

    private ServiceProvider Services()
    {
        var config = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Privacy:KeysFolder"] = _folder }).Build();
        return new ServiceCollection().AddLogging().AddTourPlannerPrivacy(config, new StorageSettings("sqlite", "Data Source=x.db")).BuildServiceProvider();
    }

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    /// <summary>Grain storage in a dictionary, with ETags, enough for the key row.</summary>
    private sealed class DictionaryStorage : IGrainStorage
    {
        private readonly ConcurrentDictionary<string, (object State, string ETag)> _rows = new();

        public TourKeyRing Ring(string tourId) => (TourKeyRing)_rows[$"{TourKeys.StateName}/{TourKeys.RowId(tourId)}"].State;

        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            if (_rows.TryGetValue($"{stateName}/{grainId}", out var row)) (grainState.State, grainState.ETag, grainState.RecordExists) = ((T)row.State, row.ETag, true);
            return Task.CompletedTask;
        }

        public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            var key = $"{stateName}/{grainId}";
            if (_rows.TryGetValue(key, out var row) && row.ETag != grainState.ETag) throw new InconsistentStateException("stale");
            grainState.ETag = Guid.NewGuid().ToString("N");
            grainState.RecordExists = true;
            _rows[key] = (grainState.State!, grainState.ETag);
            return Task.CompletedTask;
        }

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            _rows.TryRemove($"{stateName}/{grainId}", out _);
            grainState.RecordExists = false;
            return Task.CompletedTask;
        }
    }
}
