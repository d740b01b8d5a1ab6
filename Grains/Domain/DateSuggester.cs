using System.Collections.Immutable;
using NodaTime;

namespace TourPlanner.Grains.Domain;

/// <summary>
/// Tries a stop (modelled on a claim) on each date of a window against the confirmed route, with the same rules
/// confirm uses, and ranks the dates that fit by the travel they add. Pure apart from the travel estimator.
/// </summary>
public static class DateSuggester
{
    public const int MaxDays = 120;

    // template: the stop to move around (its place, speakers and events; their times of day are kept).
    // confirmed: the tour's confirmed stops, the template's own excluded. held: other active claims, for the queue.
    public static async Task<DateSuggestions> SuggestAsync(StopSnapshot template, LocalDate from, LocalDate to, TourSnapshot tour,
        IReadOnlyList<StopSnapshot> confirmed, IReadOnlyList<ClaimView> held, ITravelTimeEstimator travel, CancellationToken ct = default)
    {
        var zone = LocalTimes.FindZone(template.TimeZone) ?? DateTimeZone.Utc;
        var first = template.Dates.IsDefaultOrEmpty ? from : template.Dates[0];
        List<string> speakers = [.. template.Events.SelectMany(e => e.SpeakerIds).Distinct()];
        if (speakers.Count == 0) speakers = [.. tour.Speakers.Select(s => s.Id)];
        var good = new List<DateSuggestion>();
        var rejected = new List<RejectedDate>();

        for (var date = from; date <= to; date = date.PlusDays(1))
        {
            var shift = Period.Between(first, date, PeriodUnits.Days).Days;
            var dates = template.Dates.IsDefaultOrEmpty ? [date] : template.Dates.Select(d => d.PlusDays(shift)).ToImmutableArray();
            if (dates[0] < tour.StartDate || dates[^1] > tour.EndDate)
            {
                rejected.Add(Reject(date, "outside-tour", Text.Of(Codes.SuggestOutsideTour, Arg.Date("start", tour.StartDate), Arg.Date("end", tour.EndDate))));
                continue;
            }
            var events = template.Events.Select(e => e with { Start = e.Start.PlusDays(shift) }).ToImmutableArray();
            if (events.FirstOrDefault(e => LocalTimes.Resolve(e.Start, zone).Error is not null) is { } gap)
            {
                rejected.Add(Reject(date, "start-in-gap", Text.Of(Codes.SuggestStartInGap, Arg.Plain("local", LocalTimes.Format(gap.Start)), Arg.Plain("zone", zone.Id))));
                continue;
            }
            var taken = confirmed.FirstOrDefault(s => s.Dates.Intersect(dates).Any() && s.Events.SelectMany(e => e.SpeakerIds).Intersect(speakers).Any());
            if (taken is not null)
            {
                rejected.Add(Reject(date, "date-confirmed", Text.Of(Codes.SuggestDateConfirmed, Arg.Plain("city", taken.City))));
                continue;
            }

            var candidate = template with { Dates = dates, Events = events, Status = ClaimStatus.Confirmed };
            var stops = confirmed.Append(candidate).ToList();
            var ids = events.Select(e => e.EventId).ToHashSet();
            Conflict? blocking = null;
            var added = 0;
            foreach (var speaker in speakers)
            {
                var timeline = ScheduleAnalyzer.Timeline(speaker, stops);
                var legs = await ScheduleAnalyzer.LegsAsync(timeline, travel, ct);
                blocking ??= ScheduleAnalyzer.Check(speaker, tour.Rules, timeline, legs)
                    .FirstOrDefault(c => c.Severity == "error" && c.EventIds.Any(ids.Contains));
                added += await AddedTravelAsync(timeline, candidate.StopId, travel, ct);
            }
            if (blocking is not null)
            {
                rejected.Add(Reject(date, blocking.Code, blocking.Text ?? Text.Of(Codes.ConflictUnexplained, Arg.Plain("code", blocking.Code))));
                continue;
            }
            var ahead = held.Count(c => c.Dates.Intersect(dates).Any() && c.SpeakerIds.Intersect(speakers).Any());
            good.Add(new DateSuggestion
            {
                Date = date, AddedTravelMinutes = added, QueuePosition = ahead + 1,
                Reason = ahead == 0
                    ? Text.Of(Codes.SuggestFits, Arg.Number("minutes", added))
                    : Text.Of(Codes.SuggestFitsQueued, Arg.Number("minutes", added), Arg.Number("ahead", ahead), Arg.Number("position", ahead + 1)),
            });
        }
        return new DateSuggestions
        {
            Suggestions = [.. good.OrderBy(g => g.QueuePosition).ThenBy(g => g.AddedTravelMinutes).ThenBy(g => g.Date)],
            Rejected = [.. rejected],
        };
    }

    /// <summary>Travel to and from the stop minus the direct leg it replaces.</summary>
    private static async Task<int> AddedTravelAsync(ImmutableArray<ScheduledEvent> timeline, string stopId, ITravelTimeEstimator travel, CancellationToken ct)
    {
        var firstIndex = timeline.IndexOf(timeline.FirstOrDefault(x => x.Stop.StopId == stopId)!);
        var lastIndex = timeline.LastIndexOf(timeline.LastOrDefault(x => x.Stop.StopId == stopId)!);
        if (firstIndex < 0) return 0;
        var here = timeline[firstIndex].Stop.Location;
        var before = firstIndex > 0 ? timeline[firstIndex - 1].Stop.Location : null;
        var after = lastIndex + 1 < timeline.Length ? timeline[lastIndex + 1].Stop.Location : null;
        async Task<int> Leg(GeoPoint? a, GeoPoint? b) => a is { } x && b is { } y ? (await travel.EstimateAsync(x, y, ct)).Minutes : 0;
        return await Leg(before, here) + await Leg(here, after) - await Leg(before, after);
    }

    private static RejectedDate Reject(LocalDate date, string code, Text reason) => new() { Date = date, Code = code, Reason = reason };
}
