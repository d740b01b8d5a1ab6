using TourPlanner.Grains;

namespace TourPlanner.Gateway.Infrastructure;

/// <summary>Maps a grain's <see cref="Outcome{T}"/> to HTTP: 400 field errors, 403, 404, 409 with conflicts.</summary>
public static class Outcomes
{
    public static IResult ToHttp<T>(this Outcome<T> outcome, Func<T, IResult> ok) => outcome.Kind switch
    {
        OutcomeKind.Ok => ok(outcome.Value!),
        OutcomeKind.Invalid => TypedResults.ValidationProblem(
            outcome.Errors.ToDictionary(p => p.Key, p => p.Value.ToArray()), outcome.Detail, title: "Invalid input"),
        OutcomeKind.NotFound => Problem(404, "Not found", outcome.Detail),
        OutcomeKind.Forbidden => Problem(403, "Forbidden", outcome.Detail),
        OutcomeKind.Conflict => TypedResults.Problem(outcome.Detail, statusCode: 409, title: "Conflict",
            extensions: outcome.Conflicts.IsDefaultOrEmpty ? null
                : new Dictionary<string, object?> { ["conflicts"] = outcome.Conflicts.Select(ConflictDto.From).ToArray() }),
        _ => Problem(500, "Unexpected outcome", null),
    };

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
