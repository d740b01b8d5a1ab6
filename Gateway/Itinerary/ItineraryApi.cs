using NodaTime;
using TourPlanner.Gateway.Calendar;
using TourPlanner.Gateway.Gathering;
using TourPlanner.Gateway.Infrastructure;
using TourPlanner.Gateway.Tours;
using TourPlanner.Grains;

namespace TourPlanner.Gateway.Itinerary;

/// <summary>
/// One line of an itinerary. A travel leg carries codes and values (<see cref="Leg"/>, <see cref="FromCity"/>,
/// <see cref="ToCity"/>, <see cref="Mode"/>, <see cref="Source"/>) for pages to put in their own words; its
/// <see cref="Title"/> is the line the private feed shows, in the caller's language. Abbreviations are the tz
/// database's at each end (CDT, CET).
/// </summary>
public sealed record ItineraryItemDto(string Kind, string Title, string? City, Instant Start, Instant End, string TimeZone, string? EndTimeZone,
    LocalDateTime LocalStart, LocalDateTime LocalEnd, string? Mode, double? DistanceKm, int? Minutes, string? Source, string? EventId, string? StopId,
    string? Leg, string? FromCity, string? ToCity, string? FromStopId, string? ToStopId, bool Public, string StartAbbreviation, string EndAbbreviation)
{
    public static ItineraryItemDto From(ItineraryItem i, FeedWords words) => new(i.Kind, TitleOf(i, words), i.City, i.Start, i.End, i.TimeZone, i.EndTimeZone,
        i.LocalStart, i.LocalEnd, i.Mode, i.DistanceKm, i.Minutes, i.Source, i.EventId, i.StopId,
        i.Leg, i.FromCity, i.ToCity, i.FromStopId, i.ToStopId, i.Public,
        DaySheets.Abbreviation(i.TimeZone, i.Start), DaySheets.Abbreviation(i.EndTimeZone ?? i.TimeZone, i.End));

    private static string TitleOf(ItineraryItem i, FeedWords words) => i.Kind == "travel"
        ? words.LegTitle(null, i.FromCity ?? words.Home, i.ToCity ?? words.Home, words.Mode(i.Mode ?? "drive"), i.Minutes ?? 0)
        : i.Title;
}

public sealed record ItineraryDto(string SpeakerId, IReadOnlyList<ItineraryItemDto> Items, IReadOnlyList<ConflictDto> Conflicts);

/// <summary>A speaker's itinerary (private: travel included) and the tour's conflicts.</summary>
public static class ItineraryApi
{
    public static RouteGroupBuilder MapItineraryApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/tours/{id}").WithTags("Itinerary");
        api.MapGet("/itinerary", GetItineraryAsync).WithName("GetItinerary")
            .WithSummary("A speaker's confirmed events and travel legs with conflicts (organizer, or that speaker).").RequireRole(Role.Organizer, Role.Speaker);
        api.MapGet("/conflicts", GetConflictsAsync).WithName("GetConflicts").WithSummary("Conflicts among the confirmed stops (organizer).")
            .RequireRole(Role.Organizer);
        return api;
    }

    private static async Task<IResult> GetItineraryAsync(string? speakerId, Caller caller, HttpContext http, IGrainFactory grains, FactGatherer facts)
    {
        speakerId ??= caller.Principal.SpeakerId;
        if (!caller.IsOrganizer && !caller.IsSpeaker(speakerId)) return Access.Forbidden();
        if (speakerId is null) return Outcomes.Invalid("speakerId", RequestText.Required("speakerId"));
        var route = await caller.Tour.GetRouteAsync(null);
        if (route is null || route.Speakers.All(s => s.Id != speakerId)) return Outcomes.Problem(404, Text.Of(RequestCodes.NoSuchSpeaker));
        var gathered = facts.RoutesTravel ? await facts.ForSpeakerAsync(route, speakerId, http.RequestAborted) : Grains.Facts.None;
        var view = await grains.GetGrain<ISpeakerItineraryGrain>($"{caller.TourId}/{speakerId}").GetAsync(gathered);
        if (view is null) return Outcomes.Problem(404, Text.Of(RequestCodes.NoSuchSpeaker));
        return TypedResults.Ok(new ItineraryDto(view.SpeakerId, [.. view.Items.Select(i => ItineraryItemDto.From(i, FeedWords.For(Wording.Of(http).Language)))], Wording.Of(http).Conflicts(view.Conflicts)));
    }

    private static async Task<IResult> GetConflictsAsync(Caller caller, HttpContext http, FactGatherer facts)
    {
        var route = await caller.Tour.GetRouteAsync(null);
        var gathered = route is null ? Grains.Facts.None : await facts.ForRouteAsync(route, http.RequestAborted);
        return TypedResults.Ok(new { conflicts = Wording.Of(http).Conflicts(await caller.Tour.GetConflictsAsync(gathered)) });
    }
}
