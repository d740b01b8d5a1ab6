using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Providers;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Storage;

namespace TourPlanner.Silo.Storage;

/// <summary>Registers SQLite grain storage and the SQLite reminder table on a silo.</summary>
public static class SqliteSiloBuilderExtensions
{
    // Named so the reminder table's options never clash with a grain storage provider's options of the same type.
    internal const string ReminderOptionsName = "SqliteReminders";

    /// <summary>Adds SQLite grain storage under Orleans's default provider name.</summary>
    public static ISiloBuilder AddSqliteGrainStorageAsDefault(this ISiloBuilder builder, Action<SqliteStorageOptions> configure) =>
        builder.AddSqliteGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, configure);

    /// <summary>Adds SQLite grain storage under <paramref name="name"/>.</summary>
    public static ISiloBuilder AddSqliteGrainStorage(this ISiloBuilder builder, string name, Action<SqliteStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);

        return builder.ConfigureServices(services =>
        {
            services.AddOptions<SqliteStorageOptions>(name).Configure(configure);
            // Keyed registration, the default-name alias and lifecycle participation all come from Orleans's own helper.
            services.AddGrainStorage(name, CreateGrainStorage);
        });
    }

    /// <summary>Adds the reminder service backed by the SQLite reminder table.</summary>
    public static ISiloBuilder UseSqliteReminderService(this ISiloBuilder builder, Action<SqliteStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);

        builder.AddReminders();
        return builder.ConfigureServices(services =>
        {
            services.AddOptions<SqliteStorageOptions>(ReminderOptionsName).Configure(configure);
            services.AddSingleton<IReminderTable>(sp => new SqliteReminderTable(
                sp.GetRequiredService<IOptionsMonitor<SqliteStorageOptions>>().Get(ReminderOptionsName),
                sp.GetRequiredService<ILogger<SqliteReminderTable>>()));
        });
    }

    private static SqliteGrainStorage CreateGrainStorage(IServiceProvider services, string name) =>
        new(
            name,
            services.GetRequiredService<IOptionsMonitor<SqliteStorageOptions>>().Get(name),
            // Orleans's binary serializer, not the JSON default, so [GenerateSerializer] types and registered surrogates round-trip.
            new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>()),
            services.GetRequiredService<ILogger<SqliteGrainStorage>>());
}
