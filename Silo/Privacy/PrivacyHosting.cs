using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TourPlanner.Grains;

namespace TourPlanner.Silo.Privacy;

/// <summary>
/// Where the silo keeps what unlocks private data: ASP.NET Core Data Protection's key ring in <c>Privacy:KeysFolder</c>
/// (or, with <c>Privacy:KeyStore=database</c> on PostgreSQL, in a table every silo shares), its keys encrypted at rest
/// with the certificate in <c>Privacy:KeyCertificate</c> when one is named (always, in the database). Each tour's data
/// keys are stored in the database wrapped by that ring, so a copy of the database alone opens nothing.
/// </summary>
public static class PrivacyHosting
{
    /// <summary>Data Protection's application name: every silo of a deployment must share it (and the key ring).</summary>
    public const string ApplicationName = "TourPlanner";

    public static IServiceCollection AddTourPlannerPrivacy(this IServiceCollection services, IConfiguration config, StorageSettings storage)
    {
        var options = new PrivacyOptions();
        config.GetSection("Privacy").Bind(options);
        if (options.RetentionDays < 0) throw new InvalidOperationException($"Privacy:RetentionDays must be 0 or more (it is {options.RetentionDays}).");
        if (options.SweepPeriod <= TimeSpan.Zero) throw new InvalidOperationException("Privacy:SweepPeriod must be positive.");
        services.Configure<PrivacyOptions>(o => { o.RetentionDays = options.RetentionDays; o.SweepPeriod = options.SweepPeriod; });

        var dataProtection = services.AddDataProtection().SetApplicationName(ApplicationName);
        var certificatePath = config["Privacy:KeyCertificate"];
        if (KeyStore(config) == KeyStoreDatabase)
        {
            if (storage.Provider != StorageSettings.Postgres)
                throw new InvalidOperationException($"Privacy:KeyStore is 'database', which needs Storage:Provider=postgres (it is '{storage.Provider}'); use Privacy:KeysFolder instead.");
            // A ring stored beside the data it unlocks must not open by itself: the certificate, kept apart, does.
            if (string.IsNullOrEmpty(certificatePath))
                throw new InvalidOperationException("Privacy:KeyStore is 'database', which needs Privacy:KeyCertificate (a PFX file kept apart from the database) to encrypt the key ring.");
            dataProtection.AddKeyManagementOptions(o => o.XmlRepository = new PostgresKeyRing(storage.ConnectionString));
        }
        else if (KeysFolder(config, storage) is { } folder)
        {
            Directory.CreateDirectory(folder);
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(folder));
        }
        else
        {
            // Storage:Provider=memory keeps nothing, its keys included.
            dataProtection.UseEphemeralDataProtectionProvider();
        }
        if (!string.IsNullOrEmpty(certificatePath))
        {
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(certificatePath, config["Privacy:KeyCertificatePassword"],
                X509KeyStorageFlags.EphemeralKeySet);
            // Unprotect with the file's certificate too: on Linux there is no machine store to look it up in.
            dataProtection.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);
        }
        services.TryAddSingleton<ITourKeyProtector, DataProtectionTourKeys>();
        return services;
    }

    public const string KeyStoreFolder = "folder";
    public const string KeyStoreDatabase = "database";

    /// <summary><c>Privacy:KeyStore</c>: <c>folder</c> (the default) or <c>database</c>.</summary>
    public static string KeyStore(IConfiguration config) => config["Privacy:KeyStore"] switch
    {
        null or "" or KeyStoreFolder => KeyStoreFolder,
        KeyStoreDatabase => KeyStoreDatabase,
        var other => throw new InvalidOperationException($"Privacy:KeyStore is '{other}'; use '{KeyStoreFolder}' (the default) or '{KeyStoreDatabase}' (PostgreSQL, with Privacy:KeyCertificate)."),
    };

    /// <summary><c>Privacy:KeysFolder</c>, else a <c>keys</c> folder beside the SQLite file (or the working folder); none in memory.</summary>
    public static string? KeysFolder(IConfiguration config, StorageSettings storage)
    {
        if (config["Privacy:KeysFolder"] is { Length: > 0 } folder) return Path.GetFullPath(folder);
        if (storage.Provider == StorageSettings.Memory) return null;
        if (storage.Provider == StorageSettings.Sqlite)
        {
            var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(storage.ConnectionString).DataSource;
            if (!string.IsNullOrEmpty(file) && file != ":memory:")
                return Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file)) ?? ".", "keys");
        }
        return Path.GetFullPath("keys");
    }
}

/// <summary>Wraps tour data keys with Data Protection, one purpose per tour, so a wrapped key moved to another tour does not open.</summary>
internal sealed class DataProtectionTourKeys(IDataProtectionProvider provider) : ITourKeyProtector
{
    private const string Purpose = "TourPlanner.TourDataKeys.v1";

    public byte[] Wrap(string tourId, byte[] key) => provider.CreateProtector(Purpose, tourId).Protect(key);

    public byte[] Unwrap(string tourId, byte[] wrapped, out bool rewrap)
    {
        var protector = (IPersistedDataProtector)provider.CreateProtector(Purpose, tourId);
        // A key wrapped under an older key ring key (rotation) still opens; "requires migration" says to wrap it anew.
        var key = protector.DangerousUnprotect(wrapped, ignoreRevocationErrors: true, out var requiresMigration, out var wasRevoked);
        rewrap = requiresMigration || wasRevoked;
        return key;
    }
}
