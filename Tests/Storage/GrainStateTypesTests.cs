using System.Reflection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Storage;
using TourPlanner.Grains;
using TourPlanner.Silo.Storage;
using TourPlanner.Tests.Storage.Postgres;

namespace TourPlanner.Tests.Storage;

/// <summary>
/// Every grain state type (the T of each grain class's <c>IPersistentState&lt;T&gt;</c>, and <see cref="GrainStateTypes.Extra"/>)
/// written with every property set and read back whole, on each storage provider.
/// </summary>
public abstract class GrainStateTypesTests : IAsyncLifetime
{
    private IGrainStorage _storage = null!;

    public static TheoryData<Type> StateTypes()
    {
        var data = new TheoryData<Type>();
        foreach (var type in PersistentStates().Select(s => s.Type).Concat(GrainStateTypes.Extra).Distinct()) data.Add(type);
        return data;
    }

    /// <summary>(grain class, state name, state type) of every <c>[PersistentState]</c> constructor parameter in the Grains assembly.</summary>
    public static IEnumerable<(Type Grain, string StateName, Type Type)> PersistentStates() =>
        typeof(GrainStateTypes).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(Grain).IsAssignableFrom(t))
            .SelectMany(grain => grain.GetConstructors().SelectMany(c => c.GetParameters())
                .Where(p => p.ParameterType.IsGenericType && p.ParameterType.GetGenericTypeDefinition() == typeof(IPersistentState<>))
                .Select(p => (grain, p.GetCustomAttribute<PersistentStateAttribute>()?.StateName ?? p.Name!, p.ParameterType.GetGenericArguments()[0])))
            .Distinct();

    protected abstract Task<IGrainStorage> StartAsync();

    protected abstract Task StopAsync();

    public async Task InitializeAsync() => _storage = await StartAsync();

    public Task DisposeAsync() => StopAsync();

    [Fact]
    public void The_grains_assembly_has_persistent_state_to_test()
    {
        Assert.True(PersistentStates().Any(), "Found no [PersistentState] parameter: is the reflection still looking in the right place?");
    }

    [Fact]
    public void Every_grain_class_keeps_its_state_under_a_state_name_of_its_own()
    {
        // Orleans's ADO.NET provider keys a row by state name and grain key, not grain type: two grain classes sharing
        // a state name would overwrite each other's rows whenever their keys coincide.
        var shared = PersistentStates().GroupBy(s => s.StateName).Where(g => g.Select(s => s.Grain).Distinct().Count() > 1).ToList();
        Assert.True(shared.Count == 0, string.Join("; ", shared.Select(g => $"'{g.Key}': {string.Join(", ", g.Select(s => s.Grain.Name))}")));
    }

    [Theory]
    [MemberData(nameof(StateTypes))]
    public async Task A_state_with_every_property_set_reads_back_whole(Type stateType)
    {
        var method = typeof(GrainStateTypesTests).GetMethod(nameof(RoundTripAsync), BindingFlags.NonPublic | BindingFlags.Instance)!.MakeGenericMethod(stateType);
        await (Task)method.Invoke(this, [])!;
    }

    private async Task RoundTripAsync<T>() where T : class
    {
        var samples = new SampleValues();
        var written = (T)samples.Create(typeof(T));
        var grainId = GrainId.Create("statetest", typeof(T).Name + "-" + Guid.NewGuid().ToString("N"));
        await _storage.WriteStateAsync(typeof(T).Name, grainId, new GrainState<T>(written));

        // The read starts from another full sample, so a property the read fails to overwrite shows up too.
        var read = new GrainState<T>((T)samples.Create(typeof(T)));
        await _storage.ReadStateAsync(typeof(T).Name, grainId, read);

        Assert.True(read.RecordExists);
        Assert.Null(SampleValues.FirstDifference(written, read.State));
    }
}

public sealed class SqliteGrainStateTypesTests : GrainStateTypesTests, IDisposable
{
    private readonly TempDatabase _db = new();
    private SqliteGrainStorage? _storage;

    protected override Task<IGrainStorage> StartAsync()
    {
        _storage = new SqliteGrainStorage("test", new SqliteStorageOptions { ConnectionString = _db.ConnectionString },
            TestSerializer.Instance, NullLogger<SqliteGrainStorage>.Instance);
        return Task.FromResult<IGrainStorage>(_storage);
    }

    protected override Task StopAsync()
    {
        _storage?.Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => _db.Dispose();
}

public sealed class PostgresGrainStateTypesTests(PostgresDatabase database) : GrainStateTypesTests, IClassFixture<PostgresDatabase>
{
    private Microsoft.Extensions.DependencyInjection.ServiceProvider? _services;
    private TestSiloLifecycle? _lifecycle;

    protected override async Task<IGrainStorage> StartAsync()
    {
        var (storage, services, lifecycle) = await AdoNetProviders.StartGrainStorageAsync(
            database.ConnectionString, "test-" + Guid.NewGuid().ToString("N"), typeof(GrainStateTypes));
        (_services, _lifecycle) = (services, lifecycle);
        return storage;
    }

    protected override async Task StopAsync()
    {
        if (_lifecycle is not null) await _lifecycle.StopAsync();
        if (_services is not null) await _services.DisposeAsync();
    }
}
