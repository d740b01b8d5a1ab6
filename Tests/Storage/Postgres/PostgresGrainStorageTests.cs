using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Serialization;
using Orleans.Storage;
using TourPlanner.Silo.Storage.Postgres;

namespace TourPlanner.Tests.Storage.Postgres;

/// <summary>
/// The grain storage contract on Orleans's ADO.NET provider against a real PostgreSQL, configured exactly as the
/// cluster profile's silos configure it. Each test has a service id of its own, which scopes every row.
/// </summary>
public sealed class PostgresGrainStorageTests(PostgresDatabase database) : GrainStorageConformance, IClassFixture<PostgresDatabase>
{
    private readonly string _serviceId = "test-" + Guid.NewGuid().ToString("N");
    private readonly Dictionary<IGrainStorage, (ServiceProvider Services, TestSiloLifecycle Lifecycle)> _hosts = [];

    protected override async Task<IGrainStorage> CreateStorageAsync()
    {
        var (storage, services, lifecycle) = await AdoNetProviders.StartGrainStorageAsync(database.ConnectionString, _serviceId);
        _hosts[storage] = (services, lifecycle);
        return storage;
    }

    protected override async Task ReleaseAsync(IGrainStorage storage)
    {
        var (services, lifecycle) = _hosts[storage];
        await lifecycle.StopAsync();
        await services.DisposeAsync();
    }

    protected override async Task<long> CountRowsAsync()
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT COUNT(*) FROM orleansstorage WHERE serviceid = @s", connection);
        command.Parameters.AddWithValue("s", _serviceId);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task State_is_stored_with_the_orleans_binary_serializer_not_json()
    {
        var storage = await NewStorageAsync();
        await storage.WriteStateAsync(StateName, Trip42, new GrainState<TripState>(SampleTrip("binary")));

        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT payloadbinary FROM orleansstorage WHERE serviceid = @s", connection);
        command.Parameters.AddWithValue("s", _serviceId);
        var payload = (byte[])(await command.ExecuteScalarAsync())!;

        Assert.NotEqual((byte)'{', payload[0]);
        var state = TestSerializer.Instance.Deserialize<TripState>(new BinaryData(payload))!;
        Assert.Equal("binary", state.Title);
        Assert.Equal(SampleTrip("binary").Departure, state.Departure);
    }
}

/// <summary>Orleans's ADO.NET providers outside a silo, configured by the cluster profile's own code.</summary>
public static class AdoNetProviders
{
    public static async Task<(IGrainStorage Storage, ServiceProvider Services, TestSiloLifecycle Lifecycle)> StartGrainStorageAsync(
        string connectionString, string serviceId, params Type[] serializableFrom)
    {
        var services = Base(serviceId, serializableFrom);
        services.AddAdoNetGrainStorage("test", options =>
            options.Configure<Serializer>((o, serializer) => PostgresStorage.Configure(o, connectionString, serializer)));
        var provider = services.BuildServiceProvider();
        var storage = provider.GetRequiredKeyedService<IGrainStorage>("test");
        var lifecycle = new TestSiloLifecycle();
        ((ILifecycleParticipant<ISiloLifecycle>)storage).Participate(lifecycle);
        await lifecycle.StartAsync();
        return (storage, provider, lifecycle);
    }

    public static async Task<(IReminderTable Table, ServiceProvider Services)> StartReminderTableAsync(string connectionString, string serviceId)
    {
        var services = Base(serviceId);
        services.UseAdoNetReminderService(options => options.Configure(o => PostgresStorage.Configure(o, connectionString)));
        var provider = services.BuildServiceProvider();
        var table = provider.GetRequiredService<IReminderTable>();
        await table.StartAsync();
        return (table, provider);
    }

    private static ServiceCollection Base(string serviceId, params Type[] serializableFrom)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSerializer(builder =>
        {
            builder.AddAssembly(typeof(TripState).Assembly);
            foreach (var type in serializableFrom) builder.AddAssembly(type.Assembly);
        });
        services.Configure<ClusterOptions>(o =>
        {
            o.ServiceId = serviceId;
            o.ClusterId = "test";
        });
        return services;
    }
}
