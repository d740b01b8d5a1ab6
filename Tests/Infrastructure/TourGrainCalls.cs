using System.Collections.Immutable;
using TourPlanner.Grains;

namespace TourPlanner.Tests.Infrastructure;

/// <summary>
/// Grain calls as a given person makes them, with no outside facts (the built-in travel model, venue calendars
/// unread): what the grain tests need, in one place.
/// </summary>
public static class TourGrainCalls
{
    /// <summary>An organizer as the grain tests act: commands carry who acts, reads do not care.</summary>
    public static readonly Principal Organizer = Principal.ForOrganizer("o_test", "k_test");

    public static Task<Outcome<ClaimReceipt>> SubmitClaimAsync(this ITourGrain tour, string hostId, ClaimRequest request) =>
        tour.SubmitClaimAsync(CommandContext.Of(Principal.ForHost(hostId)), request, Facts.None);

    public static Task<Outcome<ClaimView>> ConfirmClaimAsync(this ITourGrain tour, string claimId) =>
        tour.ConfirmClaimAsync(CommandContext.Of(Organizer), claimId, Facts.None);

    public static Task<Outcome<ClaimView>> ReleaseClaimAsync(this ITourGrain tour, Principal actor, string claimId) =>
        tour.ReleaseClaimAsync(CommandContext.Of(actor), claimId);

    public static Task<Outcome<ClaimView>> CancelStopAsync(this ITourGrain tour, string stopId) =>
        tour.CancelStopAsync(CommandContext.Of(Organizer), stopId);

    public static Task<Outcome<EventChanged>> AddEventAsync(this ITourGrain tour, Principal actor, string stopId, EventInput input) =>
        tour.AddEventAsync(CommandContext.Of(actor), stopId, input, Facts.None);

    public static Task<Outcome<EventChanged>> UpdateEventAsync(this ITourGrain tour, Principal actor, string stopId, string eventId, EventPatch patch) =>
        tour.UpdateEventAsync(CommandContext.Of(actor), stopId, eventId, patch, Facts.None);

    public static Task<ImmutableArray<Conflict>> GetConflictsAsync(this ITourGrain tour) => tour.GetConflictsAsync(Facts.None);

    public static Task<ItineraryView?> GetAsync(this ISpeakerItineraryGrain itinerary) => itinerary.GetAsync(Facts.None);

    public static async Task<StopSnapshot?> StopAsync(this ITourGrain tour, string stopId) =>
        (await tour.GetStopsAsync(publishedOnly: false)).FirstOrDefault(s => s.StopId == stopId);
}
