using System.Collections.Immutable;
using NodaTime;
using TourPlanner.Grains.Domain;

namespace TourPlanner.Grains.Implementation;

public sealed partial class TourGrain
{
    async Task<Outcome<DateSuggestions>> ITourGrain.SuggestDatesAsync(SuggestionRequest request)
    {
        if (!S.Created) return Outcome<DateSuggestions>.NotFound("No such tour.");
        if (S.Hosts.All(h => h.HostId != request.HostId)) return Outcome<DateSuggestions>.NotFound($"No host group '{request.HostId}' in this tour.");
        var from = request.From ?? S.StartDate;
        var to = request.To ?? S.EndDate;
        if (to < from) return Outcome<DateSuggestions>.Invalid("to", "to is before from.");
        if (Period.Between(from, to, PeriodUnits.Days).Days >= DateSuggester.MaxDays)
            return Outcome<DateSuggestions>.Invalid("to", $"Ask for at most {DateSuggester.MaxDays} days at a time.");

        var template = await TemplateAsync(request);
        if (!template.IsOk) return template.As<DateSuggestions>();
        var model = template.Value!;
        var confirmed = await StopsOf(S.Claims.Where(c => c.Status == ClaimStatus.Confirmed && c.StopId != model.StopId));
        var held = S.Claims.Where(c => c.Status == ClaimStatus.Held && c.StopId != model.StopId).ToList();
        return Outcome<DateSuggestions>.Ok(await DateSuggester.SuggestAsync(model, from, to, Snapshot(), confirmed, held, travel));
    }

    /// <summary>The stop to try on each date: a named claim, the group's latest claim, or one built from the request.</summary>
    private async Task<Outcome<StopSnapshot>> TemplateAsync(SuggestionRequest request)
    {
        var claim = request.TemplateClaimId is { } id
            ? S.Claims.FirstOrDefault(c => c.ClaimId == id && c.HostId == request.HostId)
            : request.TimeZone is null ? S.Claims.LastOrDefault(c => c.HostId == request.HostId) : null;
        if (request.TemplateClaimId is not null && claim is null)
            return Outcome<StopSnapshot>.NotFound($"No claim '{request.TemplateClaimId}' of this host group.");
        if (claim is not null) return Outcome<StopSnapshot>.Ok(await Stop(claim.StopId));

        var e = new ValidationErrors();
        Validation.RequireZone(e, "timeZone", request.TimeZone);
        Validation.CheckPoint(e, "", request.Location);
        var minutes = request.DurationMinutes ?? 120;
        if (minutes is < 1 or > 1440) e.Add("durationMinutes", "durationMinutes must be between 1 and 1440.");
        if (e.Any) return Outcome<StopSnapshot>.Invalid(e);
        var host = await GrainFactory.GetGrain<IHostOrganizationGrain>(request.HostId).GetAsync();
        var now = clock.GetCurrentInstant();
        var day = request.From ?? S.StartDate;
        return Outcome<StopSnapshot>.Ok(new StopSnapshot
        {
            StopId = "suggestion", TourId = TourId, ClaimId = "suggestion", HostId = request.HostId, City = host?.City ?? "?", Country = "",
            TimeZone = request.TimeZone!, Location = request.Location, Dates = [day],
            Events = [new StopEvent
            {
                EventId = "suggestion", Title = "Public meeting", Start = day.At(request.StartTime ?? new LocalTime(19, 0)), DurationMinutes = minutes,
                Public = true, SpeakerIds = [.. S.Speakers.Select(s => s.Info.Id)], Created = now, LastModified = now,
            }],
            Status = ClaimStatus.Held, Created = now, LastModified = now,
        });
    }
}
