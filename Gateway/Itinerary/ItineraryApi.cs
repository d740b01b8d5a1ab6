using NodaTime;
using TourPlanner.Gateway.Infrastructure;
using TourPlanner.Grains;

namespace TourPlanner.Gateway.Itinerary;

public sealed record ItineraryItemDto(string Kind, string Title, string? City, Instant Start, Instant End, string TimeZone, string? EndTimeZone,
    LocalDateTime LocalStart, LocalDateTime LocalEnd, string? Mode, double? DistanceKm, int? Minutes, string? Source, string? EventId, string? StopId)
{
    public static ItineraryItemDto From(ItineraryItem i) => new(i.Kind, i.Title, i.City, i.Start, i.End, i.TimeZone, i.EndTimeZone,
        i.LocalStart, i.LocalEnd, i.Mode, i.DistanceKm, i.Minutes, i.Source, i.EventId, i.StopId);
}

public sealed record ItineraryDto(string SpeakerId, IReadOnlyList<ItineraryItemDto> Items, IReadOnlyList<ConflictDto> Conflicts);

/// <summary>A speaker's itinerary (private: travel included) and the tour's conflicts.</summary>
public static class ItineraryApi
{
    public static RouteGroupBuilder MapItineraryApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/tours/{id}").WithTags("Itinerary");
        api.MapGet("/itinerary", GetItineraryAsync).WithName("GetItinerary")
            .WithSummary("A speaker's confirmed events and travel legs with conflicts (organizer, or that speaker).");
        api.MapGet("/conflicts", GetConflictsAsync).WithName("GetConflicts").WithSummary("Conflicts among the confirmed stops (organizer).");
        return api;
    }

    private static async Task<IResult> GetItineraryAsync(string id, string? speakerId, HttpRequest request, IGrainFactory grains)
    {
        var caller = await Access.ResolveAsync(grains, request, id);
        speakerId ??= caller?.Principal.SpeakerId;
        if (Access.Deny(caller, c => c.IsOrganizer || c.IsSpeaker(speakerId)) is { } denied) return denied;
        var tour = (await caller!.Tour.GetAsync())!;
        if (speakerId is null) return Outcomes.Invalid(new ValidationErrors().Add("speakerId", "speakerId is required."));
        if (tour.Speakers.All(s => s.Id != speakerId)) return Outcomes.Problem(404, "Not found", $"No speaker '{speakerId}' in this tour.");
        var view = await grains.GetGrain<ISpeakerItineraryGrain>($"{id}/{speakerId}").GetAsync();
        return TypedResults.Ok(new ItineraryDto(view.SpeakerId, [.. view.Items.Select(ItineraryItemDto.From)], [.. view.Conflicts.Select(ConflictDto.From)]));
    }

    private static async Task<IResult> GetConflictsAsync(string id, HttpRequest request, IGrainFactory grains)
    {
        var caller = await Access.ResolveAsync(grains, request, id);
        if (Access.Deny(caller, c => c.IsOrganizer) is { } denied) return denied;
        return TypedResults.Ok(new { conflicts = (await caller!.Tour.GetConflictsAsync()).Select(ConflictDto.From) });
    }
}
