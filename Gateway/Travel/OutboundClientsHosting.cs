using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NodaTime;
using Refit;
using TourPlanner.Grains.Domain;

namespace TourPlanner.Gateway.Travel;

/// <summary>
/// Registers the Refit clients for OSRM, Nominatim and the time-zone lookup, each only when its base URL is set;
/// with none set the embedded default runs on the built-in travel model and offers no geocoding.
/// </summary>
public static class OutboundClientsHosting
{
    public static WebApplicationBuilder AddTourPlannerOutboundClients(this WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        var services = builder.Services;

        var osrm = OutboundSettings.From(config, "Travel", "OsrmBaseUrl");
        if (osrm is not null)
        {
            AddClient<IOsrmApi>(services, osrm);
            services.TryAddSingleton(new TravelModelOptions());
            services.TryAddSingleton(sp => new GreatCircleTravelEstimator(sp.GetRequiredService<TravelModelOptions>()));
            services.AddSingleton(new RoutedTravelOptions
            {
                Deadline = osrm.Deadline,
                CacheTimeToLive = Duration.FromTimeSpan(config.GetValue("Travel:CacheTimeToLive", TimeSpan.FromDays(7))),
            });
            // Replace, not TryAdd: the silo's registrations (built-in estimator) may already be in.
            services.Replace(ServiceDescriptor.Singleton<ITravelTimeEstimator, RoutedTravelEstimator>());
        }

        // The planner's travel table: OSRM's table service when configured (above), the built-in model otherwise.
        services.TryAddSingleton(new TravelModelOptions());
        services.AddSingleton<PlanTravelBuilder>();

        var nominatim = OutboundSettings.From(config, "Geocoding", "NominatimBaseUrl");
        if (nominatim is not null) AddClient<INominatimApi>(services, nominatim);
        var zones = OutboundSettings.From(config, "TimeZones", "LookupBaseUrl");
        if (zones is not null) AddClient<ITimeZoneLookupApi>(services, zones);
        services.AddSingleton(sp => new Geocoder(
            sp.GetService<INominatimApi>(), nominatim, sp.GetService<ITimeZoneLookupApi>(), zones, sp.GetRequiredService<ILogger<Geocoder>>()));
        return builder;
    }

    private static void AddClient<TApi>(IServiceCollection services, OutboundSettings settings) where TApi : class =>
        services.AddRefitGeneratedClient<TApi>()
            .ConfigureHttpClient(c =>
            {
                c.BaseAddress = settings.BaseUrl;
                // The resilience pipeline and the callers' deadlines decide; this only stops a runaway.
                c.Timeout = settings.Deadline + TimeSpan.FromSeconds(5);
                c.DefaultRequestHeaders.UserAgent.ParseAdd(settings.UserAgent);
                c.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            })
            .AddStandardResilienceHandler(settings.Apply);
}
