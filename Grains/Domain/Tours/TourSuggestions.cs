using NodaTime;

namespace TourPlanner.Grains.Domain.Tours;

/// <summary>Dates a host group's claim would fit on, against the stored confirmed route.</summary>
public static class TourSuggestions
{
    public static async Task<Outcome<DateSuggestions>> SuggestAsync(TourModel tour, SuggestionRequest request, Facts facts, Instant now)
    {
        if (tour.Host(request.HostId) is null) return Outcome<DateSuggestions>.NotFound(Text.Of(Codes.HostNotFound, Arg.Plain("id", Validation.Clip(request.HostId))));
        var from = request.From ?? tour.Settings.StartDate;
        var to = request.To ?? tour.Settings.EndDate;
        if (to < from) return Outcome<DateSuggestions>.Invalid("to", Text.Of(Codes.FieldBefore, Arg.Plain("field", "to"), Arg.Plain("other", "from")));
        if (Period.Between(from, to, PeriodUnits.Days).Days >= DateSuggester.MaxDays)
            return Outcome<DateSuggestions>.Invalid("to", Text.Of(Codes.SuggestTooManyDays, Arg.Number("max", DateSuggester.MaxDays)));

        var template = Template(tour, request, now);
        if (!template.IsOk) return template.As<DateSuggestions>();
        var model = template.Value!;
        var confirmed = tour.Ledger.ConfirmedStops.Where(s => s.StopId != model.StopId).ToList();
        var held = tour.Ledger.Claims.Where(c => c.Status == ClaimStatus.Held && c.StopId != model.StopId).ToList();
        return Outcome<DateSuggestions>.Ok(await DateSuggester.SuggestAsync(model, from, to, TourViews.Snapshot(tour) with { Claims = [] }, confirmed, held,
            TourChecks.TravelFor(tour, facts)));
    }

    /// <summary>The stop to try on each date: a named claim, the group's latest claim, or one built from the request.</summary>
    public static Outcome<StopSnapshot> Template(TourModel tour, SuggestionRequest request, Instant now)
    {
        var claim = request.TemplateClaimId is { } id
            ? tour.Ledger.Claim(id) is { } c && c.HostId == request.HostId ? c : null
            : request.TimeZone is null ? tour.Ledger.Claims.LastOrDefault(c => c.HostId == request.HostId) : null;
        if (request.TemplateClaimId is not null && claim is null)
            return Outcome<StopSnapshot>.NotFound(Text.Of(Codes.ClaimNotFoundOfHost, Arg.Plain("id", Validation.Clip(request.TemplateClaimId))));
        if (claim is not null) return Outcome<StopSnapshot>.Ok(tour.Ledger.StopOf(claim));

        var e = new ValidationErrors();
        Validation.RequireZone(e, "timeZone", request.TimeZone);
        if (request.Location is null) e.Add("latitude", Text.Of(Codes.SuggestCoordinatesRequired));
        Validation.CheckPoint(e, "", request.Location);
        var minutes = request.DurationMinutes ?? 120;
        if (minutes is < 1 or > 1440) e.Add("durationMinutes", Validation.Range("durationMinutes", 1, 1440));
        if (e.Any) return Outcome<StopSnapshot>.Invalid(e);
        var day = request.From ?? tour.Settings.StartDate;
        return Outcome<StopSnapshot>.Ok(new StopSnapshot
        {
            StopId = "suggestion", TourId = tour.TourId, ClaimId = "suggestion", HostId = request.HostId, City = tour.Host(request.HostId)?.City ?? "?",
            Country = "", TimeZone = request.TimeZone!, Location = request.Location, Dates = [day],
            Events = [new StopEvent
            {
                // No title: the rules name it "the proposed event" in the reader's language.
                EventId = "suggestion", Title = "", Start = day.At(request.StartTime ?? new LocalTime(19, 0)), DurationMinutes = minutes,
                Public = true, SpeakerIds = [.. tour.Speakers.Select(s => s.Id)], Created = now, LastModified = now,
            }],
            Status = ClaimStatus.Held, Created = now, LastModified = now,
        });
    }
}
