using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;

namespace TourPlanner.Gateway.Infrastructure;

/// <summary>Turns every failure into RFC 9457 problem+json: field-named for bad input, never a stack trace.</summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, errors) = exception switch
        {
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
                (413, "Request body too large", new Dictionary<string, string[]> { ["body"] = [$"The body may be at most {RequestLimits.MaxBodyBytes / 1024} KiB."] }),
            BadHttpRequestException { InnerException: JsonException json } =>
                (400, "Malformed JSON", new Dictionary<string, string[]> { [FieldOf(json.Path)] = [Describe(json)] }),
            BadHttpRequestException bad when bad.Message.Contains("JSON", StringComparison.OrdinalIgnoreCase) || bad.Message.Contains("body", StringComparison.OrdinalIgnoreCase) =>
                (bad.StatusCode, "Bad request", new Dictionary<string, string[]> { ["body"] = ["The request body is missing or is not JSON."] }),
            BadHttpRequestException bad => (bad.StatusCode, "Bad request", new Dictionary<string, string[]> { ["request"] = [bad.Message] }),
            _ => (500, "Something went wrong on our side", null),
        };
        if (status >= 500) logger.LogError(exception, "Unhandled error for {Method} {Path}", context.Request.Method, context.Request.Path);
        context.Response.StatusCode = status;
        var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails
        {
            Status = status, Title = title,
            Detail = status >= 500 ? "The error was logged. Nothing you sent was stored." : errors?.Values.First()[0],
        };
        if (errors is not null) problem.Extensions["errors"] = errors;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = null });
    }

    /// <summary>"$.events[0].start" → "events[0].start".</summary>
    public static string FieldOf(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');

    private static string Describe(JsonException json) =>
        json.Message.Contains("Expected depth to be zero", StringComparison.Ordinal)
            ? "The JSON ends before it is complete: an object or array is not closed."
            : json.InnerException is { Message: { Length: > 0 } inner } && json.Message.Contains("could not be converted", StringComparison.Ordinal)
            ? $"Value is not valid here: {inner.Split(Environment.NewLine)[0]}"
            : json.Message.Split(" Path:")[0].Split(Environment.NewLine)[0];
}

/// <summary>Request size limits, applied by Kestrel and, for hosts without a limit feature, by a length check.</summary>
public static class RequestLimits
{
    public const long MaxBodyBytes = 256 * 1024;

    public static IApplicationBuilder UseBodyLimit(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            feature.MaxRequestBodySize = MaxBodyBytes;
        if (context.Request.ContentLength > MaxBodyBytes)
            throw new BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge);
        await next(context);
    });
}
