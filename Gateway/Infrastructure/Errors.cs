using System.Collections.Immutable;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using TourPlanner.Grains;

namespace TourPlanner.Gateway.Infrastructure;

/// <summary>
/// Turns every failure into RFC 9457 problem+json: field-named for bad input, in the caller's language, never a stack
/// trace. The parsers' own (English) wording is never passed on: each failure is a code of ours.
/// </summary>
public sealed partial class ProblemExceptionHandler(ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, field, message) = exception switch
        {
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
                (413, RequestCodes.TitleBodyTooLarge, "body", Text.Of(RequestCodes.BodyTooLarge, Arg.Number("max", RequestLimits.MaxBodyBytes / 1024))),
            BadHttpRequestException { InnerException: JsonException json } =>
                (400, RequestCodes.TitleMalformedJson, FieldOf(json.Path), Describe(json, BodyTypeOf(context))),
            BadHttpRequestException bad when ParameterOf(bad.Message) is { } parameter =>
                (bad.StatusCode, RequestCodes.TitleBadRequest, parameter.Name, parameter.Message),
            BadHttpRequestException bad when bad.Message.Contains("JSON", StringComparison.OrdinalIgnoreCase) || bad.Message.Contains("body", StringComparison.OrdinalIgnoreCase) =>
                (bad.StatusCode, RequestCodes.TitleBadRequest, "body", Text.Of(RequestCodes.BodyMissing)),
            BadHttpRequestException bad => (bad.StatusCode, RequestCodes.TitleBadRequest, "request", Text.Of(RequestCodes.RequestUnreadable)),
            _ => (500, RequestCodes.TitleError, null, Text.Of(RequestCodes.ErrorLogged)),
        };
        if (status >= 500) logger.LogError(exception, "Unhandled error for {Method} {Path}", context.Request.Method, context.Request.Path);
        context.Response.StatusCode = status;
        var result = new ProblemResult(status, title, message)
        {
            Errors = field is null ? ImmutableDictionary<string, ImmutableArray<Text>>.Empty : ImmutableDictionary<string, ImmutableArray<Text>>.Empty.Add(field, [message]),
        };
        await result.ExecuteAsync(context);
        return true;
    }

    /// <summary>"$.events[0].start" → "events[0].start".</summary>
    public static string FieldOf(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');

    private static Text Describe(JsonException json, Type? body)
    {
        if (json.Message.Contains("Expected depth to be zero", StringComparison.Ordinal)) return Text.Of(RequestCodes.JsonIncomplete);
        if (json is FormatJsonException f) return Text.Of(RequestCodes.JsonInvalidValue, Arg.Of("expected", Expected(f.Format)));
        if (ConvertedTo().Match(json.Message) is { Success: true } m)
        {
            // The parser names the record it was building, not the member, when a constructor takes the value: find the
            // member's own type by following the path through the body's type.
            var member = body is not null && json.Path is { } path ? MemberTypeAt(body, FieldOf(path)) : null;
            return Text.Of(RequestCodes.JsonInvalidValue, Arg.Of("expected", Expected(member is not null ? ShapeOf(member) : ShapeOf(m.Groups["type"].Value))));
        }
        return Text.Of(RequestCodes.JsonMalformed, Arg.Number("line", (json.LineNumber ?? 0) + 1), Arg.Number("position", (json.BytePositionInLine ?? 0) + 1));
    }

    // "Failed to bind parameter "double? latitude" from "abc"." and "Required parameter "string x" was not provided from …"
    private static (string Name, Text Message)? ParameterOf(string message)
    {
        if (BindFailed().Match(message) is { Success: true } bind)
            return (bind.Groups["name"].Value, Text.Of(RequestCodes.ParameterInvalid, Arg.Of("expected", Expected(ShapeOf(bind.Groups["type"].Value)))));
        if (Missing().Match(message) is { Success: true } missing)
            return (missing.Groups["name"].Value, Text.Of(Codes.FieldRequired, Arg.Plain("field", missing.Groups["name"].Value)));
        return null;
    }

    // The exception handler runs after the endpoint is cleared from the context; the feature keeps it.
    private static Type? BodyTypeOf(HttpContext context) =>
        (context.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? context.GetEndpoint())?
            .Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>()?.RequestType;

    /// <summary>The type of the member a JSON path ("events[0].start") names inside <paramref name="root"/>, or null.</summary>
    public static Type? MemberTypeAt(Type root, string path)
    {
        var type = root;
        foreach (var segment in path.Split('.'))
        {
            var name = segment;
            var indexes = 0;
            while (name.EndsWith(']') && name.LastIndexOf('[') is var open and > 0) { name = name[..open]; indexes++; }
            var property = Nullable.GetUnderlyingType(type)?.GetProperty(name, System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.IgnoreCase)
                ?? type.GetProperty(name, System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.IgnoreCase);
            if (property is null) return null;
            type = property.PropertyType;
            for (var i = 0; i < indexes; i++)
                if (ElementOf(type) is { } element) type = element; else return null;
        }
        return type;
    }

    private static Type? ElementOf(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];

    /// <summary>What a value of a .NET type looks like, as the catalogue says it.</summary>
    public static MessageCode ShapeOf(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (t == typeof(string)) return Codes.FormatText;
        if (t == typeof(NodaTime.LocalDate) || t == typeof(DateOnly)) return Codes.FormatDate;
        if (t == typeof(NodaTime.LocalDateTime) || t == typeof(DateTime)) return Codes.FormatLocalDateTime;
        if (t == typeof(NodaTime.LocalTime) || t == typeof(TimeOnly)) return Codes.FormatTime;
        if (t == typeof(int) || t == typeof(long) || t == typeof(short)) return Codes.FormatWholeNumber;
        if (t == typeof(double) || t == typeof(float) || t == typeof(decimal)) return Codes.FormatNumber;
        if (t == typeof(bool)) return Codes.FormatBoolean;
        if (t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>))) return Codes.FormatObject;
        if (ElementOf(t) is not null) return Codes.FormatList;
        return t.IsClass ? Codes.FormatObject : Codes.FormatValue;
    }

    /// <summary>What a value of a .NET type looks like, as the catalogue says it.</summary>
    public static MessageCode ShapeOf(string typeName)
    {
        var t = typeName.TrimEnd('?').Replace("System.Nullable`1[", "", StringComparison.Ordinal).TrimEnd(']');
        if (t.Contains("List`", StringComparison.Ordinal) || t.Contains("[]", StringComparison.Ordinal) || t.Contains("ImmutableArray", StringComparison.Ordinal))
            return Codes.FormatList;
        if (t.Contains("Dictionary", StringComparison.Ordinal) || t.EndsWith("Request", StringComparison.Ordinal) || t.EndsWith("Dto", StringComparison.Ordinal))
            return Codes.FormatObject;
        return t[(t.LastIndexOf('.') + 1)..] switch
        {
            "LocalDate" or "DateOnly" => Codes.FormatDate,
            "LocalDateTime" or "DateTime" => Codes.FormatLocalDateTime,
            "LocalTime" or "TimeOnly" => Codes.FormatTime,
            "Int32" or "Int64" or "Int16" or "UInt64" or "int" or "long" => Codes.FormatWholeNumber,
            "Double" or "Single" or "Decimal" or "double" or "float" or "decimal" => Codes.FormatNumber,
            "Boolean" or "bool" => Codes.FormatBoolean,
            "String" or "string" => Codes.FormatText,
            _ => Codes.FormatValue,
        };
    }

    private static Text Expected(MessageCode shape) => Text.Of(shape);

    [GeneratedRegex(@"(?:could not be converted to|Cannot convert value to) (?<type>[^\s.]+(?:\.[^\s.]+)*?)(?:\.\s|\.$| Path:|$)")]
    private static partial Regex ConvertedTo();

    [GeneratedRegex("Failed to bind parameter \"(?<type>[^\" ]+) (?<name>[^\" ]+)\"")]
    private static partial Regex BindFailed();

    [GeneratedRegex("Required parameter \"(?<type>[^\" ]+) (?<name>[^\" ]+)\" was not provided")]
    private static partial Regex Missing();
}

/// <summary>A value in a request body that does not have the shape it must (thrown by our own JSON converters).</summary>
public sealed class FormatJsonException(MessageCode format) : JsonException(format.Code)
{
    public MessageCode Format { get; } = format;
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
