using Microsoft.AspNetCore.Http.Json;
using TourPlanner.Gateway.Calendar;
using TourPlanner.Gateway.Cities;
using TourPlanner.Gateway.Claims;
using TourPlanner.Gateway.Hosts;
using TourPlanner.Gateway.Itinerary;
using TourPlanner.Gateway.Live;
using TourPlanner.Gateway.Mail;
using TourPlanner.Gateway.Pages;
using TourPlanner.Gateway.Planning;
using TourPlanner.Gateway.Privacy;
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
        builder.AddTourPlannerOrleans();
        builder.AddTourPlannerRequestLogging();

        builder.Services.Configure<JsonOptions>(o => Json.Configure(o.SerializerOptions));
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true); // so bad JSON reaches our problem handler
        builder.Services.AddSingleton(Grains.Catalogue.Default); // every message in English and Spanish (Grains/Text/messages.json)
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ProblemWording.Apply);
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        builder.Services.AddOpenApi();
        builder.Services.AddSingleton<Readiness>();
        builder.AddPublicLinks(); // Gateway:PublicBaseUrl: every absolute link, never the request's Host
        builder.Services.Configure<FeedOptions>(builder.Configuration.GetSection(FeedOptions.Section));
        builder.Services.AddSingleton(sp => new FeedCache(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<FeedOptions>>().Value.CacheBytes));
        builder.Services.AddTourPlannerDomain(); // the clock and travel model, also when the silo runs elsewhere
        builder.Services.AddSingleton<Gathering.FactGatherer>();
        builder.AddTourPlannerRateLimits();
        builder.AddTourPlannerVenueCalendars();
        builder.AddTourPlannerLive(); // the pages' live streams: one tour watcher per tour per process
        builder.AddTourPlannerOutboundClients(); // OSRM, Nominatim, time-zone lookup: each only when configured
        builder.AddTourPlannerMail(); // Mail:*: the sender runs outside any grain's turn, one per cluster at a time
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = RequestLimits.MaxBodyBytes);
        return builder;
    }

    public static WebApplication MapTourPlannerApi(this WebApplication app)
    {
        app.UseTrustedForwardedHeaders();
        app.UseHttpLogging(); // before the rest, so its one line carries the status the client really got
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseBodyLimit();
        app.UseFailedTokenLimit();
        app.UseRateLimiter();
        app.MapOpenApi();
        // Liveness: answers while the process runs and touches nothing, so a slow store never gets a live process restarted.
        app.MapGet("/healthz", () => TypedResults.Ok(new { status = "ok" }))
            .WithName("Health").WithSummary("200 while the process is up (liveness).").WithTags("Service");
        app.MapGet("/readyz", async Task<IResult> (Readiness readiness, CancellationToken ct) =>
                await readiness.NotReadyBecauseAsync(ct) is { } reason ? Outcomes.Problem(503, reason) : TypedResults.Ok(new { status = "ready" }))
            .WithName("Ready").WithSummary("200 when the silo is active (or the client connected) and the store answers; else 503.").WithTags("Service");
        app.MapToursApi();
        app.MapSpeakersApi();
        app.MapHostsApi();
        app.MapHostCalendarApi();
        app.MapClaimsApi();
        app.MapClaimConflictsApi();
        app.MapStopsApi();
        app.MapItineraryApi();
        app.MapDaySheetsApi();
        app.MapLogisticsApi();
        app.MapFeedLinkApi();
        app.MapPlanningApi();
        app.MapGeocodingApi();
        app.MapCitiesApi();
        app.MapLiveApi();
        app.MapCalendarApi();
        app.MapSuggestionsApi();
        app.MapPrivacyApi();
        app.MapPages();
        app.MapMailApi();
        return app;
    }
}
