using Microsoft.AspNetCore.Http.Json;
using TourPlanner.Gateway.Calendar;
using TourPlanner.Gateway.Claims;
using TourPlanner.Gateway.Hosts;
using TourPlanner.Gateway.Itinerary;
using TourPlanner.Gateway.Mail;
using TourPlanner.Gateway.Pages;
using TourPlanner.Gateway.Planning;
using TourPlanner.Gateway.Speakers;
using TourPlanner.Gateway.Stops;
using TourPlanner.Gateway.Suggestions;
using TourPlanner.Gateway.Tours;
using TourPlanner.Gateway.Venues;
using TourPlanner.Gateway.Travel;
using TourPlanner.Silo;

namespace TourPlanner.Gateway.Infrastructure;

/// <summary>The Gateway's registrations and endpoints, so Program.cs reads on one screen.</summary>
public static class GatewayHosting
{
    public static WebApplicationBuilder AddTourPlannerGateway(this WebApplicationBuilder builder)
    {
        if (builder.Configuration.GetValue("Gateway:CoHostSilo", true))
            builder.AddTourPlannerSilo();
        else
            builder.UseOrleansClient(client => client.UseLocalhostClustering(
                gatewayPort: builder.Configuration.GetValue("Orleans:GatewayPort", 30000),
                serviceId: "tourplanner", clusterId: builder.Configuration["Orleans:ClusterId"] ?? "tourplanner"));

        builder.Services.Configure<JsonOptions>(o => Json.Configure(o.SerializerOptions));
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true); // so bad JSON reaches our problem handler
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        builder.Services.AddOpenApi();
        builder.Services.AddSingleton<StorageProbe>();
        builder.AddPublicLinks(); // Gateway:PublicBaseUrl: every absolute link, never the request's Host
        builder.Services.Configure<FeedOptions>(builder.Configuration.GetSection(FeedOptions.Section));
        builder.Services.AddSingleton(sp => new FeedCache(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<FeedOptions>>().Value.CacheBytes));
        builder.Services.AddTourPlannerDomain(); // the clock and travel model, also when the silo runs elsewhere
        builder.Services.AddSingleton<Gathering.FactGatherer>();
        builder.AddTourPlannerRateLimits();
        builder.AddTourPlannerVenueCalendars();
        builder.AddTourPlannerOutboundClients(); // OSRM, Nominatim, time-zone lookup: each only when configured
        builder.AddTourPlannerMail(); // Mail:*: the sender runs outside any grain's turn, one per cluster at a time
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = RequestLimits.MaxBodyBytes);
        return builder;
    }

    public static WebApplication MapTourPlannerApi(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseBodyLimit();
        app.UseFailedTokenLimit();
        app.UseRateLimiter();
        app.MapOpenApi();
        app.MapGet("/healthz", async (StorageProbe probe, CancellationToken ct) =>
                await probe.IsHealthyAsync(ct) ? Results.Ok(new { status = "ok" }) : Outcomes.Problem(503, "Unavailable", "The store does not answer."))
            .WithName("Health").WithSummary("200 when the store answers.").WithTags("Service");
        app.MapToursApi();
        app.MapSpeakersApi();
        app.MapHostsApi();
        app.MapClaimsApi();
        app.MapStopsApi();
        app.MapItineraryApi();
        app.MapPlanningApi();
        app.MapGeocodingApi();
        app.MapCalendarApi();
        app.MapSuggestionsApi();
        app.MapPages();
        app.MapMailApi();
        return app;
    }
}
