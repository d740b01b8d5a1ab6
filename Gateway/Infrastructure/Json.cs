using System.Text.Json;
using System.Text.Json.Serialization;
using NodaTime;
using NodaTime.Serialization.SystemTextJson;
using NodaTime.Text;

namespace TourPlanner.Gateway.Infrastructure;

/// <summary>JSON settings: camelCase, NodaTime types in ISO forms, enums as lower-case words.</summary>
public static class Json
{
    public static void Configure(JsonSerializerOptions options)
    {
        options.ConfigureForNodaTime(DateTimeZoneProviders.Tzdb);
        // Replace NodaTime's default LocalDateTime converter: people type "2026-10-28T19:00" without seconds.
        for (var i = options.Converters.Count - 1; i >= 0; i--)
            if (options.Converters[i] is NodaPatternConverter<LocalDateTime>) options.Converters.RemoveAt(i);
        options.Converters.Insert(0, new LocalDateTimeConverter());
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
    }

    /// <summary>Reads local date-times with or without seconds; writes minutes unless seconds matter.</summary>
    private sealed class LocalDateTimeConverter : JsonConverter<LocalDateTime>
    {
        private static readonly LocalDateTimePattern Minutes = LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm");
        private static readonly LocalDateTimePattern Full = LocalDateTimePattern.ExtendedIso;

        public override LocalDateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            // The problem handler words these in the caller's language from the code.
            if (reader.TokenType != JsonTokenType.String) throw new FormatJsonException(Grains.Codes.FormatLocalDateTime);
            var text = reader.GetString()!;
            var parsed = Minutes.Parse(text);
            if (parsed.Success) return parsed.Value;
            parsed = Full.Parse(text);
            return parsed.Success ? parsed.Value
                : throw new FormatJsonException(Grains.Codes.FormatLocalDateTime);
        }

        public override void Write(Utf8JsonWriter writer, LocalDateTime value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.Second == 0 && value.NanosecondOfSecond == 0 ? Minutes.Format(value) : Full.Format(value));
    }
}
