using NodaTime;
using TourPlanner.Gateway.Infrastructure;
using TourPlanner.Grains;

namespace TourPlanner.Gateway.Hosts;

/// <summary>
/// One date of the tour as a host group may see it: <c>open</c>, <c>held</c> by other groups (<c>queue</c> says how many,
/// never who), <c>mine</c> (held by this group, with its <c>rank</c>), <c>confirmed</c> (a stop: its city only, and
/// <c>mine</c> when it is this group's), <c>unavailable</c> (no speaker can come; never why) or <c>past</c>.
/// </summary>
public sealed record CalendarDayDto(LocalDate Date, string State, int Queue = 0, int? Rank = null, string? City = null, bool Mine = false, string? ClaimId = null);

public sealed record HostCalendarDto(LocalDate StartDate, LocalDate EndDate, LocalDate Today, string TimeZone, long Version, IReadOnlyList<CalendarDayDto> Days);

/// <summary>The host group's month grid, computed from one stored version of the tour.</summary>
public static class HostCalendar
{
    /// <summary>Tours longer than this show their first year only: a grid is for people, and its answer stays bounded.</summary>
    public const int MaxDays = 366;

    public static RouteHandlerBuilder MapHostCalendarApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/tours/{id}/hosts/{hostId}/calendar", GetAsync).WithTags("Hosts").WithName("HostCalendar")
            .WithSummary("Every date of the tour as this host group may see it: open, held by others (how many), held by you (rank), confirmed (city), speaker unavailable (organizer, or that group).")
            .RequireRole(Role.Organizer, Role.Host).Produces<HostCalendarDto>();

    private static async Task<IResult> GetAsync(string hostId, Caller caller, IClock clock)
    {
        if (!caller.IsOrganizer && !caller.IsHost(hostId)) return Outcomes.Problem(403, Text.Of(RequestCodes.AccessDenied));
        var tour = (await caller.Tour.GetAsync())!;
        if (!tour.HostIds.Contains(hostId)) return Outcomes.Problem(404, Text.Of(RequestCodes.NoSuchHost));
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(tour.TimeZone) ?? DateTimeZone.Utc;
        var today = clock.GetCurrentInstant().InZone(zone).Date;
        return TypedResults.Ok(new HostCalendarDto(tour.StartDate, tour.EndDate, today, tour.TimeZone, tour.Version, Days(tour, hostId, today)));
    }

    /// <summary>The grid for <paramref name="hostId"/>; other groups appear only as a count.</summary>
    public static IReadOnlyList<CalendarDayDto> Days(TourSnapshot tour, string hostId, LocalDate today)
    {
        var active = tour.Claims.Where(c => c.Status is ClaimStatus.Held or ClaimStatus.Confirmed).ToList();
        var speakers = tour.Speakers.Select(s => s.Id).ToList();
        var days = new List<CalendarDayDto>();
        for (var d = tour.StartDate; d <= tour.EndDate && days.Count < MaxDays; d = d.PlusDays(1))
        {
            var date = d;
            var onDate = active.Where(c => c.Dates.Contains(date)).ToList();
            var mine = onDate.Where(c => c.HostId == hostId).OrderBy(c => c.Status == ClaimStatus.Confirmed ? 0 : 1).FirstOrDefault();
            var confirmed = onDate.FirstOrDefault(c => c.Status == ClaimStatus.Confirmed);
            var othersHeld = onDate.Count(c => c.HostId != hostId && c.Status == ClaimStatus.Held);
            if (mine is { Status: ClaimStatus.Confirmed })
                days.Add(new CalendarDayDto(date, "confirmed", othersHeld, City: mine.City, Mine: true, ClaimId: mine.ClaimId));
            else if (confirmed is not null)
                days.Add(new CalendarDayDto(date, "confirmed", othersHeld + (mine is null ? 0 : 1), City: confirmed.City, Rank: mine?.Rank, ClaimId: mine?.ClaimId, Mine: false));
            else if (mine is not null)
                days.Add(new CalendarDayDto(date, "mine", othersHeld, Rank: mine.Rank, Mine: true, ClaimId: mine.ClaimId));
            else if (date < today)
                days.Add(new CalendarDayDto(date, "past"));
            else if (speakers.Count > 0 && speakers.All(s => tour.Rules.BlackoutDates.TryGetValue(s, out var b) && !b.IsDefault && b.Contains(date)))
                days.Add(new CalendarDayDto(date, "unavailable"));
            else if (othersHeld > 0)
                days.Add(new CalendarDayDto(date, "held", othersHeld));
            else
                days.Add(new CalendarDayDto(date, "open"));
        }
        return days;
    }
}
