using NodaTime;

namespace TourPlanner.Grains.Domain;

/// <summary>What a host group may write as a stop's logistics. Pure: tested without a cluster.</summary>
public static class StopLogisticsRules
{
    /// <summary>A few paragraphs: enough for an address, directions and a phone number, small enough for a printed day sheet.</summary>
    public const int MaxLength = 1000;

    /// <summary>The logistics of stop <paramref name="stopId"/> after <paramref name="patch"/>, or the fields it gets wrong (nothing changes then).</summary>
    public static Outcome<StopLogistics> Apply(string stopId, StopLogistics current, string tourId, LogisticsPatch patch, Principal by, Instant now)
    {
        if (current.TourId is { } owner && owner != tourId) return Outcome<StopLogistics>.NotFound(Text.Of(Codes.StopNotFound, Arg.Plain("id", stopId)));
        var e = new ValidationErrors();
        var next = current with
        {
            Lodging = Field(e, "lodging", patch.Lodging, current.Lodging),
            Parking = Field(e, "parking", patch.Parking, current.Parking),
            Entrance = Field(e, "entrance", patch.Entrance, current.Entrance),
            Interpreter = Field(e, "interpreter", patch.Interpreter, current.Interpreter),
            Notes = Field(e, "notes", patch.Notes, current.Notes),
        };
        if (e.Any) return Outcome<StopLogistics>.Invalid(e);
        if (next == current) return Outcome<StopLogistics>.Ok(current);
        return Outcome<StopLogistics>.Ok(next with { Version = current.Version + 1, UpdatedAt = now, UpdatedByRole = by.Role, TourId = tourId });
    }

    private static string? Field(ValidationErrors e, string name, string? given, string? current)
    {
        if (given is null) return current;
        // Line ends are typed as \r\n on some phones; keep one form so a re-save is not a change.
        var text = given.Replace("\r\n", "\n").Replace('\r', '\n').Trim();
        if (text.Length > MaxLength) e.Add(name, Text.Of(Codes.FieldTooLong, Arg.Plain("field", name), Arg.Number("max", MaxLength)));
        else if (text.Any(c => char.IsControl(c) && c is not '\n' and not '\t'))
            e.Add(name, Text.Of(Codes.FieldControlCharacters, Arg.Plain("field", name)));
        return text.Length == 0 ? null : text;
    }
}
