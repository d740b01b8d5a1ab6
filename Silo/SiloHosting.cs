using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using NodaTime;
using Orleans.Configuration;
using Orleans.Serialization;
using TourPlanner.Grains.Domain;
using TourPlanner.Grains.Domain.Tours;
using TourPlanner.Grains.Implementation;
using TourPlanner.Silo.Privacy;
using TourPlanner.Silo.Storage;
using TourPlanner.Silo.Storage.Postgres;
using TourPlanner.Silo.Testing;

namespace TourPlanner.Silo;

/// <summary>Storage settings (<c>Storage:Provider</c>, <c>Storage:ConnectionString</c>).</summary>
public sealed record StorageSettings(string Provider, string ConnectionString)
{
    public const string DefaultConnectionString = "Data Source=data/tourplanner.db";
    public const string Sqlite = "sqlite", Postgres = "postgres", Memory = "memory";

    public static StorageSettings From(IConfiguration config)
    {
        var provider = (config["Storage:Provider"] ?? Sqlite).Trim().ToLowerInvariant();
        var connectionString = config["Storage:ConnectionString"] is { Length: > 0 } cs ? cs : DefaultConnectionString;
        return provider switch
        {
            Sqlite or Memory => new(provider, connectionString),
            // The embedded default's SQLite path would reach Npgsql as nonsense; say what is wrong instead.
            Postgres => new(provider, PostgresConnection.Validate(connectionString)),
            _ => throw new InvalidOperationException(
                $"Storage:Provider '{provider}' is not supported; use 'sqlite' (embedded), 'postgres' (cluster) or 'memory' (nothing survives a restart)."),
        };
    }
}

/// <summary>
/// Cluster settings: <c>Orleans:ClusterId</c>, <c>Orleans:SiloPort</c>, <c>Orleans:GatewayPort</c> and
/// <c>Orleans:AdvertisedIPAddress</c> (loopback unless set, so a silo started on a laptop reaches only itself).
/// </summary>
public sealed record ClusterSettings(string ServiceId, string ClusterId, int SiloPort, int GatewayPort, IPAddress AdvertisedAddress)
{
    /// <summary>Grain state and reminders are keyed by this id, so it never changes between deployments.</summary>
    public const string TourPlannerServiceId = "tourplanner";

    public static ClusterSettings From(IConfiguration config)
    {
        var advertised = config["Orleans:AdvertisedIPAddress"];
        IPAddress address = IPAddress.Loopback;
        if (!string.IsNullOrWhiteSpace(advertised) && !IPAddress.TryParse(advertised.Trim(), out address!))
            throw new InvalidOperationException($"Orleans:AdvertisedIPAddress '{advertised}' is not an IP address.");
        return new(
            TourPlannerServiceId,
            config["Orleans:ClusterId"] is { Length: > 0 } id ? id : "tourplanner",
            config.GetValue("Orleans:SiloPort", 11111),
            config.GetValue("Orleans:GatewayPort", 30000),
            address);
    }

    public void Apply(ClusterOptions options)
    {
        options.ServiceId = ServiceId;
        options.ClusterId = ClusterId;
    }
}

/// <summary>Registers the TourPlanner silo: clustering, storage, reminders and the domain's services.</summary>
public static class SiloHosting
{
    /// <summary>Runs a silo inside this host (the Gateway co-hosts one by default).</summary>
    public static IHostApplicationBuilder AddTourPlannerSilo(this IHostApplicationBuilder builder)
    {
        var config = builder.Configuration;
        var storage = StorageSettings.From(config);
        var cluster = ClusterSettings.From(config);
        // Registered before Orleans so its check runs, and fails the start, before the silo touches the database.
        if (storage.Provider == StorageSettings.Postgres)
            builder.Services.AddHostedService(sp => new PostgresSchemaCheck(storage.ConnectionString, PostgresSchema.SiloNeeds));
        builder.UseOrleans(silo =>
        {
            if (storage.Provider == StorageSettings.Postgres)
            {
                // Real membership in the shared database: silos find each other there and vote out the dead ones.
                silo.UseAdoNetClustering(o =>
                {
                    o.Invariant = PostgresConnection.Invariant;
                    o.ConnectionString = storage.ConnectionString;
                });
                silo.Configure<ClusterOptions>(cluster.Apply);
                silo.ConfigureEndpoints(cluster.AdvertisedAddress, cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: false);
                silo.Services.AddOptions<ClusterMembershipOptions>().Bind(config.GetSection("Orleans:Membership"));
            }
            else
            {
                // The embedded profile is a cluster of one; its membership lives in memory.
                silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort, serviceId: cluster.ServiceId, clusterId: cluster.ClusterId);
            }

            silo.Services.AddOptions<SiloMessagingOptions>().Bind(config.GetSection("Orleans:Messaging"));
            silo.AddTourPlannerGrainServices(config);
        });
        return builder;
    }

    /// <summary>Storage, reminders and domain services; shared by the real silo and the test cluster.</summary>
    public static ISiloBuilder AddTourPlannerGrainServices(this ISiloBuilder silo, IConfiguration config)
    {
        var storage = StorageSettings.From(config);
        switch (storage.Provider)
        {
            case StorageSettings.Sqlite:
                silo.AddSqliteGrainStorageAsDefault(o => o.ConnectionString = storage.ConnectionString);
                silo.UseSqliteReminderService(o => o.ConnectionString = storage.ConnectionString);
                break;
            case StorageSettings.Postgres:
                silo.AddAdoNetGrainStorageAsDefault(options =>
                    options.Configure<Serializer>((o, serializer) => PostgresStorage.Configure(o, storage.ConnectionString, serializer)));
                silo.UseAdoNetReminderService(o => PostgresStorage.Configure(o, storage.ConnectionString));
                break;
            case StorageSettings.Memory:
                // Nothing survives a restart: for trying things out only. States round-trip through Orleans's own
                // serializer, as on the other providers (the default JSON one cannot read NodaTime values back).
                silo.AddMemoryGrainStorageAsDefault();
                silo.Services.AddOptions<MemoryGrainStorageOptions>(Orleans.Providers.ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME)
                    .Configure<Serializer>((o, serializer) => o.GrainStorageSerializer = new Orleans.Storage.OrleansGrainStorageSerializer(serializer));
                silo.UseInMemoryReminderService();
                break;
        }

        var sweep = config.GetValue("Holds:SweepPeriod", TimeSpan.FromMinutes(1));
        silo.Services.Configure<HoldExpiryOptions>(o => o.SweepPeriod = sweep);
        // Orleans refuses reminder periods below its minimum; tests lower both together.
        silo.Services.Configure<ReminderOptions>(o => { if (sweep < o.MinimumReminderPeriod) o.MinimumReminderPeriod = sweep; });
        if (config["Testing:ClockFile"] is { Length: > 0 } clockFile)
        {
            // Test-only: lets a test move this process's time forward from outside (hold expiry in another process).
            silo.Services.AddSingleton<IClock>(new OffsetFileClock(clockFile, SystemClock.Instance));
        }

        silo.Services.AddTourPlannerPrivacy(config, storage); // Privacy:* retention, and the key ring that wraps tours' data keys
        var retentionSweep = config.GetValue("Privacy:SweepPeriod", TimeSpan.FromHours(1));
        silo.Services.Configure<ReminderOptions>(o => { if (retentionSweep < o.MinimumReminderPeriod) o.MinimumReminderPeriod = retentionSweep; });
        silo.Services.AddTourPlannerDomain();
        silo.Services.TryAddSingleton(config.GetSection("Limits").Get<TourLimits>() ?? new TourLimits());
        silo.Services.AddTourPlannerPlanning(config); // Planning:* limits and the silo's run gate
        return silo;
    }

    /// <summary>The clock, the travel model and the venue-calendar reader (tests replace the clock with a fake one).</summary>
    public static IServiceCollection AddTourPlannerDomain(this IServiceCollection services)
    {
        services.TryAddSingleton<IClock>(SystemClock.Instance);
        // Operational time (the mail sender's lease and claims), apart from the domain's clock.
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(new TravelModelOptions());
        services.TryAddSingleton<ITravelTimeEstimator, GreatCircleTravelEstimator>();
        // Venue calendars are not read unless a host (the Gateway) registers a reader; the embedded default needs nothing.
        services.TryAddSingleton<IVenueCalendar, NoVenueCalendar>();
        services.TryAddSingleton(new VenueCalendarOptions());
        return services;
    }
}
