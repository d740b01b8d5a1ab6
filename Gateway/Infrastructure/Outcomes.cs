using System.Collections.Immutable;
using Microsoft.AspNetCore.Mvc;
using TourPlanner.Grains;

namespace TourPlanner.Gateway.Infrastructure;

/// <summary>Maps a grain's <see cref="Outcome{T}"/> to HTTP: 400 field errors, 403, 404, 409 with conflicts.</summary>
public static class Outcomes
{
    public static IResult ToHttp<T>(this Outcome<T> outcome, Func<T, IResult> ok, IReadOnlyDictionary<string, object?>? conflictExtras = null) => outcome.Kind switch
    {
        OutcomeKind.Ok => ok(outcome.Value!),
        OutcomeKind.Invalid => new ProblemResult(400, RequestCodes.TitleInvalid, outcome.Reason) { Errors = outcome.Errors },
        OutcomeKind.NotFound => new ProblemResult(404, RequestCodes.TitleNotFound, outcome.Reason),
        OutcomeKind.Forbidden => new ProblemResult(403, RequestCodes.TitleForbidden, outcome.Reason),
        OutcomeKind.Conflict => new ProblemResult(409, RequestCodes.TitleConflict, outcome.Reason) { Conflicts = outcome.Conflicts, Extras = conflictExtras },
        OutcomeKind.Stale => new ProblemResult(409, RequestCodes.TitleConflict, Text.Of(RequestCodes.RouteKeptChanging)),
        OutcomeKind.LimitReached => new ProblemResult(409, RequestCodes.TitleLimit, outcome.Reason)
        {
            Errors = outcome.Errors, Extras = new Dictionary<string, object?> { ["limit"] = outcome.Errors.Keys.FirstOrDefault() },
        },
        OutcomeKind.KeyReused => new ProblemResult(422, RequestCodes.TitleKeyReused, outcome.Reason)
        {
            Errors = ImmutableDictionary<string, ImmutableArray<Text>>.Empty.Add(Idempotency.Header, [outcome.Reason ?? Text.Of(Codes.KeyReused)]),
        },
        OutcomeKind.Gone => new ProblemResult(410, RequestCodes.TitleGone, outcome.Reason ?? Text.Of(RequestCodes.TourDeleted)),
        _ => new ProblemResult(500, RequestCodes.TitleError, null),
    };

    /// <summary>A problem whose title follows its status, worded in the request's language.</summary>
    public static IResult Problem(int status, Text? detail) => new ProblemResult(status, RequestCodes.TitleFor(status), detail);

    /// <summary>Gone: a detail given as a sentence reads in English on a Spanish page; pass a <see cref="Text"/> built from a code.</summary>
    [Obsolete("Problems are worded per request: declare a MessageCode in RequestCodes or Codes and call Problem(status, Text.Of(code, …)).", error: true)]
    public static IResult Problem(int status, string title, string? detail) => throw new NotSupportedException();

    public static IResult Invalid(ValidationErrors errors) =>
        new ProblemResult(400, RequestCodes.TitleInvalid, Text.Of(Codes.InvalidFields)) { Errors = errors.ToImmutable() };

    public static IResult Invalid(string field, Text message) => Invalid(new ValidationErrors().Add(field, message));
}

/// <summary>
/// RFC 9457 problem+json worded when it is written, for the request's language and reader: <c>title</c>,
/// <c>detail</c> and its <c>code</c>, <c>errors</c> (field → messages) with <c>errorDetails</c> (field, code, message),
/// and conflicts as that reader may see them.
/// </summary>
public sealed class ProblemResult(int status, MessageCode title, Text? detail) : IResult, IStatusCodeHttpResult
{
    public ImmutableDictionary<string, ImmutableArray<Text>> Errors { get; init; } = ImmutableDictionary<string, ImmutableArray<Text>>.Empty;
    public ImmutableArray<Conflict> Conflicts { get; init; } = [];
    public IReadOnlyDictionary<string, object?>? Extras { get; init; }
    /// <summary>Added before writing, e.g. a 401's WWW-Authenticate.</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    public int? StatusCode => status;
    public Text? Detail => detail;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var words = Wording.Of(httpContext);
        var problem = new ProblemDetails { Status = status, Title = words.Say(title), Detail = detail is null ? null : words.Say(detail) };
        problem.Extensions["code"] = detail?.Code ?? title.Code;
        if (!Errors.IsEmpty)
        {
            problem.Extensions["errors"] = words.Errors(Errors);
            problem.Extensions["errorDetails"] = words.Details(Errors);
        }
        if (!Conflicts.IsDefaultOrEmpty) problem.Extensions["conflicts"] = words.Conflicts(Conflicts);
        foreach (var (key, value) in Extras ?? new Dictionary<string, object?>()) problem.Extensions[key] = value;
        foreach (var (name, value) in Headers ?? new Dictionary<string, string>()) httpContext.Response.Headers[name] = value;
        httpContext.Response.Headers.ContentLanguage = words.Language;
        return TypedResults.Problem(problem).ExecuteAsync(httpContext);
    }
}

/// <summary>A conflict as JSON: <c>code</c> is the stable code, <c>message</c> in the request's language, <c>messageEs</c> in Spanish.</summary>
public sealed record ConflictDto(string Code, string Severity, string Message, string? MessageEs, IReadOnlyList<string> EventIds,
    string? SpeakerId, IReadOnlyDictionary<string, string>? Details)
{
    /// <summary>Gone: a conflict is worded for its reader, and a host group must not read other stops' details.</summary>
    [Obsolete("Word conflicts for the caller with Wording.Of(http).Conflict(c) or .Conflicts(list): a host group must not read other stops' details.", error: true)]
    public static ConflictDto From(Conflict c) => throw new NotSupportedException();
}

/// <summary>
/// Problems not written by <see cref="ProblemResult"/> (the framework's own 404 and 405, and code that still words its
/// detail itself) get a title in the caller's language and a <c>code</c>, like every other problem.
/// </summary>
public static class ProblemWording
{
    public static void Apply(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Extensions.ContainsKey("code")) return;
        var title = RequestCodes.TitleFor(problem.Status ?? context.HttpContext.Response.StatusCode);
        problem.Title = Wording.Of(context.HttpContext).Say(title);
        problem.Extensions["code"] = title.Code;
    }
}
