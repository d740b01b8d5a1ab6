using TourPlanner.Grains;

namespace TourPlanner.Gateway.Infrastructure;

/// <summary>Maps a grain's <see cref="Outcome{T}"/> to HTTP: 400 field errors, 403, 404, 409 with conflicts.</summary>
public static class Outcomes
{
    public static IResult ToHttp<T>(this Outcome<T> outcome, Func<T, IResult> ok, IReadOnlyDictionary<string, object?>? conflictExtras = null) => outcome.Kind switch
    {
        OutcomeKind.Ok => ok(outcome.Value!),
        OutcomeKind.Invalid => TypedResults.ValidationProblem(
            outcome.Errors.ToDictionary(p => p.Key, p => p.Value.ToArray()), outcome.Detail, title: "Invalid input"),
        OutcomeKind.NotFound => Problem(404, "Not found", outcome.Detail),
        OutcomeKind.Forbidden => Problem(403, "Forbidden", outcome.Detail),
        OutcomeKind.Conflict => TypedResults.Problem(outcome.Detail, statusCode: 409, title: "Conflict",
            extensions: ConflictExtensions(outcome.Conflicts, conflictExtras)),
        OutcomeKind.Stale => Problem(409, "Conflict", "The tour's confirmed route kept changing while this was being checked; try again."),
        OutcomeKind.LimitReached => TypedResults.Problem(outcome.Detail, statusCode: 409, title: "Limit reached",
            extensions: new Dictionary<string, object?>
            {
                ["errors"] = outcome.Errors.ToDictionary(p => p.Key, p => p.Value.ToArray()),
                ["limit"] = outcome.Errors.Keys.FirstOrDefault(),
            }),
        OutcomeKind.KeyReused => TypedResults.Problem(outcome.Detail, statusCode: 422, title: "Idempotency key reused",
            extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [Idempotency.Header] = [outcome.Detail ?? ""] } }),
        OutcomeKind.Gone => Problem(410, "Gone", outcome.Detail ?? "This tour was deleted."),
        _ => Problem(500, "Unexpected outcome", null),
    };

    private static Dictionary<string, object?>? ConflictExtensions(System.Collections.Immutable.ImmutableArray<Conflict> conflicts, IReadOnlyDictionary<string, object?>? extras)
    {
        if (conflicts.IsDefaultOrEmpty && extras is null) return null;
        var all = new Dictionary<string, object?>();
        if (!conflicts.IsDefaultOrEmpty) all["conflicts"] = conflicts.Select(ConflictDto.From).ToArray();
        foreach (var (key, value) in extras ?? new Dictionary<string, object?>()) all[key] = value;
        return all;
    }

    public static IResult Problem(int status, string title, string? detail) =>
        TypedResults.Problem(detail, statusCode: status, title: title);

    public static IResult Invalid(ValidationErrors errors) =>
        TypedResults.ValidationProblem(errors.ToImmutable().ToDictionary(p => p.Key, p => p.Value.ToArray()), "One or more fields are invalid.", title: "Invalid input");
}

/// <summary>A conflict as JSON.</summary>
public sealed record ConflictDto(string Code, string Severity, string Message, string? MessageEs, IReadOnlyList<string> EventIds,
    string? SpeakerId, IReadOnlyDictionary<string, string>? Details)
{
    public static ConflictDto From(Conflict c) =>
        new(c.Code, c.Severity, c.Message, c.MessageEs, c.EventIds, c.SpeakerId, c.Details.Count == 0 ? null : c.Details);
}
