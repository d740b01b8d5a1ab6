using NodaTime;
using TourPlanner.Gateway.Gathering;
using TourPlanner.Gateway.Infrastructure;
using TourPlanner.Grains;

namespace TourPlanner.Gateway.Itinerary;

/// <summary>
/// The day sheets' content: every day of every confirmed stop for the organizer, or one speaker's days for that
/// speaker (or the organizer asking with <c>speakerId</c>). Host contacts and lodging are on them: no other role reads them.
/// </summary>
public static class DaySheetsApi
{
    public static RouteHandlerBuilder MapDaySheetsApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/tours/{id}/days", GetAsync).WithTags("Itinerary").WithName("GetDaySheets")
            .WithSummary("One sheet per day of a confirmed stop: venue, host contact, events, lodging and notes, travel in and out, next city (organizer: all, or ?speakerId=; a speaker: their own).")
            .RequireRole(Role.Organizer, Role.Speaker).Produces<DaySheetsDto>().ProducesProblem(403).ProducesProblem(404);

    private static async Task<IResult> GetAsync(string? speakerId, Caller caller, HttpContext http, IGrainFactory grains, FactGatherer facts, IClock clock)
    {
        if (caller.Principal.Role == Role.Speaker)
        {
            speakerId ??= caller.Principal.SpeakerId;
            if (!caller.IsSpeaker(speakerId)) return Outcomes.Problem(403, Text.Of(RequestCodes.DaySheetsOwnOnly));
        }
        var tour = (await caller.Tour.GetAsync())!;
        var route = (await caller.Tour.GetRouteAsync(null))!;
        var speakers = speakerId is null ? [.. route.Speakers] : route.Speakers.Where(s => s.Id == speakerId).ToList();
        if (speakers.Count == 0) return Outcomes.Problem(404, Text.Of(RequestCodes.NoSuchSpeaker));

        // The same itinerary the speaker's page shows, so a sheet's legs are the page's legs.
        var views = await Task.WhenAll(speakers.Select(async s =>
        {
            var gathered = facts.RoutesTravel ? await facts.ForSpeakerAsync(route, s.Id, http.RequestAborted) : Grains.Facts.None;
            return await grains.GetGrain<ISpeakerItineraryGrain>($"{caller.TourId}/{s.Id}").GetAsync(gathered);
        }));
        var stops = route.Confirmed.Where(st => st.Events.Any(e => e.SpeakerIds.Any(id => speakers.Any(s => s.Id == id))) || speakerId is null).ToList();
        var logistics = await Task.WhenAll(stops.Select(async st => (st.StopId, Logistics: await grains.GetGrain<ITourStopGrain>(st.StopId).GetLogisticsAsync())));
        var hosts = await caller.Tour.GetHostsAsync();
        return TypedResults.Ok(DaySheets.Build(caller.TourId, tour.Name, speakerId, caller.IsOrganizer ? "organizer" : "speaker", clock.GetCurrentInstant(), speakers, stops,
            views.OfType<ItineraryView>().ToDictionary(v => v.SpeakerId), hosts, logistics.ToDictionary(x => x.StopId, x => x.Logistics)));
    }
}
