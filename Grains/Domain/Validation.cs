using System.Collections.Immutable;
using NodaTime;
using NodaTime.Text;

namespace TourPlanner.Grains.Domain;

/// <summary>What claim and event rules need of a tour: its dates and speakers.</summary>
public sealed record TourFrame(LocalDate StartDate, LocalDate EndDate, IReadOnlyList<SpeakerInfo> Speakers);

/// <summary>Field rules for what people send. Field names are the camelCase JSON paths the API uses.</summary>
public static class Validation
{
    public const int MaxTextLength = 200;
    public const int MaxDescriptionLength = 5000;
    public const int MaxEventsPerClaim = 50;
    public const int MaxDatesPerClaim = 31;
    public const int MaxAcceptableDates = 62;
    public const int MaxPriority = 1000;

    public static string Iso(LocalDate d) => LocalDatePattern.Iso.Format(d);

    public static void RequireText(ValidationErrors errors, string field, string? value, int max = MaxTextLength)
    {
        if (string.IsNullOrWhiteSpace(value)) errors.Add(field, Text.Of(Codes.FieldRequired, Arg.Plain("field", field)));
        else if (value.Length > max) errors.Add(field, TooLong(field, max));
    }

    public static void OptionalText(ValidationErrors errors, string field, string? value, int max)
    {
        if (value is not null && value.Length > max) errors.Add(field, TooLong(field, max));
    }

    private static Text TooLong(string field, int max) => Text.Of(Codes.FieldTooLong, Arg.Plain("field", field), Arg.Number("max", max));

    /// <summary>"{field} must be between {min} and {max}."</summary>
    public static Text Range(string field, long min, long max) =>
        Text.Of(Codes.FieldRange, Arg.Plain("field", field), Arg.Number("min", min), Arg.Number("max", max));

    public static void RequireZone(ValidationErrors errors, string field, string? zoneId)
    {
        if (string.IsNullOrWhiteSpace(zoneId)) errors.Add(field, Text.Of(Codes.ZoneRequired, Arg.Plain("field", field)));
        else if (LocalTimes.FindZone(zoneId) is null) errors.Add(field, Text.Of(Codes.ZoneUnknown, Arg.Plain("zone", Clip(zoneId))));
    }

    public static void CheckPoint(ValidationErrors errors, string prefix, GeoPoint? point)
    {
        if (point is not { } p) return;
        if (double.IsNaN(p.Latitude) || p.Latitude is < -90 or > 90)
            errors.Add(prefix.Length == 0 ? "latitude" : prefix + "Latitude", Text.Of(Codes.LatitudeRange));
        if (double.IsNaN(p.Longitude) || p.Longitude is < -180 or > 180)
            errors.Add(prefix.Length == 0 ? "longitude" : prefix + "Longitude", Text.Of(Codes.LongitudeRange));
    }

    /// <summary>Rules for a new tour.</summary>
    public static ValidationErrors Check(CreateTour c)
    {
        var e = new ValidationErrors();
        RequireText(e, "name", c.Name);
        OptionalText(e, "description", c.Description, MaxDescriptionLength);
        RequireZone(e, "timeZone", c.TimeZone);
        if (c.EndDate < c.StartDate) e.Add("endDate", Text.Of(Codes.TourEndBeforeStart, Arg.Date("end", c.EndDate), Arg.Date("start", c.StartDate)));
        else if (Period.Between(c.StartDate, c.EndDate, PeriodUnits.Days).Days > 366) e.Add("endDate", Text.Of(Codes.TourTooLong, Arg.Number("max", 366)));
        if (c.Speakers.IsDefaultOrEmpty) e.Add("speakers", Text.Of(Codes.TourNoSpeaker));
        else if (c.Speakers.Length > 20) e.Add("speakers", Text.Of(Codes.TourTooManySpeakers, Arg.Number("max", 20)));
        else
            for (var i = 0; i < c.Speakers.Length; i++)
            {
                var s = c.Speakers[i];
                RequireText(e, $"speakers[{i}].name", s.Name);
                OptionalText(e, $"speakers[{i}].homeCity", s.HomeCity, MaxTextLength);
                RequireZone(e, $"speakers[{i}].homeTimeZone", s.HomeTimeZone);
                CheckPoint(e, $"speakers[{i}].home", s.Home);
                Tours.PeopleDecisions.CheckEmail(e, $"speakers[{i}].email", s.Email);
            }
        Tours.PeopleDecisions.CheckEmail(e, "organizerEmail", c.OrganizerEmail);
        Tours.PeopleDecisions.CheckLanguage(e, "language", c.Language);
        OptionalText(e, "organizerName", c.OrganizerName, MaxTextLength);
        var r = c.Rules;
        if (r.HoldDays is < 1 or > 90) e.Add("rules.holdDays", Range("holdDays", 1, 90));
        if (r.TravelBufferMinutes is < 0 or > 1440) e.Add("rules.travelBufferMinutes", Range("travelBufferMinutes", 0, 1440));
        if (r.MinRestMinutes is < 0 or > 1440) e.Add("rules.minRestMinutes", Range("minRestMinutes", 0, 1440));
        if (r.MaxEventsPerDay is < 1 or > 24) e.Add("rules.maxEventsPerDay", Range("maxEventsPerDay", 1, 24));
        foreach (var (key, dates) in r.BlackoutDates)
        {
            // Only the canonical spelling of an index: "0" and "00" would otherwise name the same speaker twice.
            if (SpeakerIndex(key) is not { } index || c.Speakers.IsDefault || index >= c.Speakers.Length)
                e.Add($"rules.blackoutDates.{key}", Text.Of(Codes.BlackoutNotSpeakerIndex, Arg.Plain("key", Clip(key)),
                    Arg.Number("max", Math.Max(0, c.Speakers.IsDefault ? 0 : c.Speakers.Length - 1))));
            else CheckBlackouts(e, $"rules.blackoutDates.{key}", dates, c.StartDate, c.EndDate);
        }
        return e;
    }

    /// <summary>A speaker index as written canonically ("0", "1", … never "00" or "+1"), or null.</summary>
    public static int? SpeakerIndex(string key) =>
        key.Length is > 0 and <= 3 && key.All(char.IsAsciiDigit) && (key == "0" || key[0] != '0') ? int.Parse(key, System.Globalization.CultureInfo.InvariantCulture) : null;

    /// <summary>Blackout dates of one speaker: inside the tour, at most one per day of it.</summary>
    public static void CheckBlackouts(ValidationErrors e, string field, ImmutableArray<LocalDate> dates, LocalDate start, LocalDate end)
    {
        if (dates.IsDefault) { e.Add(field, Text.Of(Codes.BlackoutNotAList)); return; }
        // Dates outside the tour are harmless (the tour may move); only the number is bounded.
        if (dates.Length > 400) e.Add(field, Text.Of(Codes.BlackoutTooMany, Arg.Number("max", 400)));
    }

    /// <summary>Echoes at most a few characters of what someone typed, so an error never repeats a whole payload.</summary>
    public static string Clip(string text, int max = 40) => text.Length <= max ? text : text[..max] + "…";

    /// <summary>Rules for a claim in the context of its tour; returns the events built from it and resolution notes.</summary>
    public static ValidationErrors Check(ClaimRequest c, TourFrame tour, Instant now,
        out ImmutableArray<StopEvent> events, out ImmutableArray<FieldText> notes)
    {
        var e = new ValidationErrors();
        RequireText(e, "city", c.City, 120);
        RequireText(e, "country", c.Country, 60);
        RequireZone(e, "timeZone", c.TimeZone);
        // Without coordinates no travel can be checked, and a claim would read as "adds 0 min" of travel.
        if (c.Location is null)
        {
            e.Add("latitude", Text.Of(Codes.CoordinatesRequired, Arg.Plain("field", "latitude")));
            e.Add("longitude", Text.Of(Codes.CoordinatesRequired, Arg.Plain("field", "longitude")));
        }
        CheckPoint(e, "", c.Location);
        ZonePlausibility.Check(e, "timeZone", c.TimeZone, c.Location, c.City, c.Country);
        CheckDates(e, c.Dates, tour);
        CheckNotPast(e, c.Dates, LocalTimes.FindZone(c.TimeZone), now);
        CheckAcceptableDates(e, c, tour);
        if (c.Priority is < 1 or > MaxPriority) e.Add("priority", Range("priority", 1, MaxPriority));
        CheckVenue(e, c.Venue);
        if (c.Events.Length > MaxEventsPerClaim) e.Add("events", Text.Of(Codes.ClaimTooManyEvents, Arg.Number("max", MaxEventsPerClaim)));

        var zone = LocalTimes.FindZone(c.TimeZone);
        var built = ImmutableArray.CreateBuilder<StopEvent>();
        var notesBuilder = ImmutableArray.CreateBuilder<FieldText>();
        for (var i = 0; i < c.Events.Length && c.Events.Length <= MaxEventsPerClaim; i++)
        {
            var ev = CheckEvent(e, $"events[{i}]", c.Events[i], zone, c.Dates, tour, now, out var note);
            if (note is not null) notesBuilder.Add(new FieldText($"events[{i}].start", note));
            if (ev is not null) built.Add(ev);
        }
        events = built.ToImmutable();
        notes = notesBuilder.ToImmutable();
        return e;
    }

    public static void CheckVenue(ValidationErrors e, Venue venue)
    {
        OptionalText(e, "venue.name", venue.Name, MaxTextLength);
        OptionalText(e, "venue.address", venue.Address, 500);
        OptionalText(e, "venue.calendarUrl", venue.CalendarUrl, 2048);
        if (venue.CalendarUrl is { Length: <= 2048 } url &&
            (!Uri.TryCreate(url, UriKind.Absolute, out var u) || (u.Scheme != Uri.UriSchemeHttp && u.Scheme != Uri.UriSchemeHttps)))
            e.Add("venue.calendarUrl", Text.Of(Codes.VenueCalendarUrl));
    }

    /// <summary>A date that has already begun in the stop's own zone cannot be claimed.</summary>
    private static void CheckNotPast(ValidationErrors e, ImmutableArray<LocalDate> dates, DateTimeZone? zone, Instant now)
    {
        if (dates.IsDefaultOrEmpty || zone is null) return;
        var today = now.InZone(zone).Date;
        for (var i = 0; i < dates.Length; i++)
            if (dates[i] < today) e.Add($"dates[{i}]", Text.Of(Codes.DateInPast, Arg.Date("date", dates[i]), Arg.Date("today", today), Arg.Plain("zone", zone.Id)));
    }

    private static void CheckDates(ValidationErrors e, ImmutableArray<LocalDate> dates, TourFrame tour)
    {
        if (dates.IsDefaultOrEmpty) { e.Add("dates", Text.Of(Codes.ClaimNoDates)); return; }
        if (dates.Length > MaxDatesPerClaim) { e.Add("dates", Text.Of(Codes.ClaimTooManyDates, Arg.Number("max", MaxDatesPerClaim))); return; }
        for (var i = 0; i < dates.Length; i++)
        {
            if (dates[i] < tour.StartDate || dates[i] > tour.EndDate)
                e.Add($"dates[{i}]", OutsideTour(dates[i], tour));
            if (i > 0 && dates[i] != dates[i - 1].PlusDays(1))
                e.Add("dates", Text.Of(Codes.ClaimDatesNotConsecutive));
        }
    }

    /// <summary>
    /// Each acceptable date is a first date the whole visit may move to, so the visit's last day must stay inside
    /// the tour too. Whether the events' local times exist on a new date (DST gaps) is checked when the planner
    /// considers that date, which then leaves it out with a reason, rather than refusing the whole claim here.
    /// </summary>
    private static void CheckAcceptableDates(ValidationErrors e, ClaimRequest c, TourFrame tour)
    {
        if (c.AcceptableDates.IsDefaultOrEmpty) return;
        if (c.AcceptableDates.Length > MaxAcceptableDates)
        {
            e.Add("acceptableDates", Text.Of(Codes.ClaimTooManyAcceptableDates, Arg.Number("max", MaxAcceptableDates)));
            return;
        }
        var span = c.Dates.IsDefaultOrEmpty ? 0 : c.Dates.Length - 1;
        for (var i = 0; i < c.AcceptableDates.Length; i++)
        {
            var d = c.AcceptableDates[i];
            if (d < tour.StartDate || d.PlusDays(span) > tour.EndDate)
                e.Add($"acceptableDates[{i}]", span == 0
                    ? OutsideTour(d, tour)
                    : Text.Of(Codes.ClaimVisitOutsideTour, Arg.Number("days", span + 1), Arg.Date("date", d),
                        Arg.Date("start", tour.StartDate), Arg.Date("end", tour.EndDate)));
        }
    }

    private static Text OutsideTour(LocalDate date, TourFrame tour) =>
        Text.Of(Codes.DateOutsideTour, Arg.Date("date", date), Arg.Date("start", tour.StartDate), Arg.Date("end", tour.EndDate));

    /// <summary>The claim's acceptable first dates: its own first date plus the ones the host offered, in order, no repeats.</summary>
    public static ImmutableArray<LocalDate> AcceptableFirstDates(ImmutableArray<LocalDate> dates, ImmutableArray<LocalDate> offered) =>
        [.. (dates.IsDefaultOrEmpty ? [] : new[] { dates[0] }).Concat(offered.IsDefault ? [] : offered).Distinct().Order()];

    /// <summary>Checks one event and builds it; null when it is invalid.</summary>
    public static StopEvent? CheckEvent(ValidationErrors e, string prefix, EventInput input, DateTimeZone? zone,
        ImmutableArray<LocalDate> dates, TourFrame tour, Instant now, out Text? note, string? eventId = null, StopEvent? previous = null)
    {
        note = null;
        var errorCount = e.Count;
        string F(string name) => prefix.Length == 0 ? name : prefix + "." + name;
        RequireText(e, F("title"), input.Title);
        OptionalText(e, F("description"), input.Description, MaxDescriptionLength);
        if (input.DurationMinutes is < 1 or > 1440)
            e.Add(F("durationMinutes"), Range("durationMinutes", 1, 1440));
        if (!dates.IsDefaultOrEmpty && !dates.Contains(input.Start.Date))
            e.Add(F("start"), Text.Of(Codes.EventStartNotOnDates, Arg.Plain("start", LocalTimes.Format(input.Start)), Arg.Dates("dates", dates)));
        var speakers = input.SpeakerIds ?? tour.Speakers.Select(s => s.Id).ToImmutableArray();
        if (input.SpeakerIds is { IsEmpty: true }) e.Add(F("speakerIds"), Text.Of(Codes.EventNoSpeakers));
        foreach (var id in speakers.Where(id => tour.Speakers.All(s => s.Id != id)).Take(5))
            e.Add(F("speakerIds"), Text.Of(Codes.EventUnknownSpeaker, Arg.Plain("id", Clip(id))));
        if (zone is not null)
        {
            var resolved = LocalTimes.Resolve(input.Start, zone);
            if (resolved.Error is not null) e.Add(F("start"), resolved.Error);
            note = resolved.Note;
        }
        if (e.Count != errorCount || zone is null) return null;
        return new StopEvent
        {
            EventId = eventId ?? Tokens.NewId("e_"),
            Title = input.Title.Trim(),
            Start = input.Start,
            DurationMinutes = input.DurationMinutes,
            Public = input.Public,
            Description = input.Description,
            SpeakerIds = speakers.Distinct().ToImmutableArray(),
            Created = previous?.Created ?? now,
            LastModified = now,
            Sequence = previous is null ? 0 : previous.Sequence + 1,
        };
    }
}
