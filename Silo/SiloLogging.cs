using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;

namespace TourPlanner.Silo;

/// <summary>
/// Quiet log defaults for a stand-alone silo (the Gateway keeps the same ones in its appsettings.json): Orleans's
/// per-call placement and directory lines, Polly's retries and Npgsql's commands stay below Information.
/// </summary>
public static class SiloLogging
{
    public static readonly IReadOnlyDictionary<string, string?> Defaults = new Dictionary<string, string?>
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft"] = "Warning",
        ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
        ["Logging:LogLevel:Orleans"] = "Warning",
        ["Logging:LogLevel:Polly"] = "Warning",
        ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Warning",
        ["Logging:LogLevel:Npgsql"] = "Warning",
        ["Logging:Console:FormatterName"] = "simple",
        ["Logging:Console:FormatterOptions:SingleLine"] = "true",
        ["Logging:Console:FormatterOptions:TimestampFormat"] = "yyyy-MM-ddTHH:mm:ss.fff ",
    };

    /// <summary>Adds the defaults beneath every other source, so appsettings, environment and arguments still win.</summary>
    public static void AddQuietLoggingDefaults(this IConfigurationBuilder configuration) =>
        configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = Defaults });
}
