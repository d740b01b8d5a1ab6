using System.Collections.Immutable;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TourPlanner.Grains.Domain;

namespace TourPlanner.Grains.Implementation;

public sealed partial class TourGrain
{
    /// <summary>
    /// Venue-calendar conflicts of the given stops. The calendars are read in parallel, each bounded by
    /// <see cref="VenueCalendarOptions.Timeout"/>: the tour grain is the single arbiter and not reentrant, so a slow
    /// venue server must cost the tour a warning, never a stalled activation.
    /// </summary>
    private async Task<ImmutableArray<Conflict>> VenueConflictsAsync(IEnumerable<StopSnapshot> stops)
    {
        // Resolved here rather than through the constructor so this feature stays in this file
        // (primary-constructor parameters are not visible in other parts of a partial class).
        var venueCalendar = ServiceProvider.GetRequiredService<IVenueCalendar>();
        var venueOptions = ServiceProvider.GetRequiredService<VenueCalendarOptions>();
        var checks = stops.Where(s => !string.IsNullOrWhiteSpace(s.Venue.CalendarUrl)).Select(async stop =>
        {
            if (VenueConflicts.Span(stop) is not { } span) return ImmutableArray<Conflict>.Empty;
            using var cts = new CancellationTokenSource(venueOptions.Timeout);
            VenueBusy busy;
            try
            {
                // WaitAsync as well as the token: an implementation that ignores cancellation still cannot hang us.
                busy = await venueCalendar.GetBusyAsync(stop.Venue.CalendarUrl!, span.From, span.To, cts.Token).WaitAsync(venueOptions.Timeout);
            }
            catch (Exception ex) when (ex is OperationCanceledException or TimeoutException)
            {
                busy = VenueBusy.Unavailable($"no answer within {venueOptions.Timeout.TotalSeconds:0} s");
            }
            catch (Exception ex)
            {
                ServiceProvider.GetRequiredService<ILogger<TourGrain>>().LogWarning("Tour {TourId}: venue calendar of stop {StopId} failed: {Error}", TourId, stop.StopId, ex.GetType().Name);
                busy = VenueBusy.Unavailable("the calendar could not be read");
            }
            return VenueConflicts.Check(stop, busy);
        });
        return [.. (await Task.WhenAll(checks)).SelectMany(c => c)];
    }
}
