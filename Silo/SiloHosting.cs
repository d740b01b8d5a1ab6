using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using NodaTime;
using Orleans.Configuration;
using TourPlanner.Grains.Domain;
using TourPlanner.Grains.Domain.Tours;
using TourPlanner.Grains.Implementation;
using TourPlanner.Silo.Storage;

namespace TourPlanner.Silo;

/// <summary>Storage settings (<c>Storage:Provider</c>, <c>Storage:ConnectionString</c>).</summary>
public sealed record StorageSettings(string Provider, string ConnectionString)
{
    public const string DefaultConnectionString = "Data Source=data/tourplanner.db";

    public static StorageSettings From(IConfiguration config) => new(
        (config["Storage:Provider"] ?? "sqlite").Trim().ToLowerInvariant(),
        config["Storage:ConnectionString"] is { Length: > 0 } cs ? cs : DefaultConnectionString);
}

/// <summary>Registers the TourPlanner silo: clustering, storage, reminders and the domain's services.</summary>
public static class SiloHosting
{
    /// <summary>Runs a silo inside this host (the Gateway co-hosts one by default).</summary>
    public static IHostApplicationBuilder AddTourPlannerSilo(this IHostApplicationBuilder builder)
    {
        var config = builder.Configuration;
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(
                siloPort: config.GetValue("Orleans:SiloPort", 11111),
                gatewayPort: config.GetValue("Orleans:GatewayPort", 30000),
                serviceId: "tourplanner",
                clusterId: config["Orleans:ClusterId"] ?? "tourplanner");
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
            case "sqlite":
                silo.AddSqliteGrainStorageAsDefault(o => o.ConnectionString = storage.ConnectionString);
                silo.UseSqliteReminderService(o => o.ConnectionString = storage.ConnectionString);
                break;
            case "memory":
                // Nothing survives a restart: for trying things out only.
                silo.AddMemoryGrainStorageAsDefault();
                silo.UseInMemoryReminderService();
                break;
            default:
                throw new InvalidOperationException(
                    $"Storage:Provider '{storage.Provider}' is not supported; use 'sqlite' (embedded) or 'memory' (tests).");
        }

        var sweep = config.GetValue("Holds:SweepPeriod", TimeSpan.FromMinutes(1));
        silo.Services.Configure<HoldExpiryOptions>(o => o.SweepPeriod = sweep);
        // Orleans refuses reminder periods below its minimum; tests lower both together.
        silo.Services.Configure<ReminderOptions>(o => { if (sweep < o.MinimumReminderPeriod) o.MinimumReminderPeriod = sweep; });
        silo.Services.AddTourPlannerDomain();
        silo.Services.TryAddSingleton(config.GetSection("Limits").Get<TourLimits>() ?? new TourLimits());
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
