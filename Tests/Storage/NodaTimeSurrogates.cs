using NodaTime;

namespace TourPlanner.Tests.Storage;

// The Grains project has no NodaTime surrogates yet; these let the test state carry NodaTime values through Orleans's serializer.

/// <summary>Wire form of <see cref="LocalDate"/> (ISO calendar).</summary>
[GenerateSerializer]
public readonly record struct LocalDateSurrogate([property: Id(0)] int Year, [property: Id(1)] int Month, [property: Id(2)] int Day);

/// <summary>Converts <see cref="LocalDate"/> to and from its surrogate.</summary>
[RegisterConverter]
public sealed class LocalDateSurrogateConverter : IConverter<LocalDate, LocalDateSurrogate>
{
    public LocalDate ConvertFromSurrogate(in LocalDateSurrogate surrogate) => new(surrogate.Year, surrogate.Month, surrogate.Day);

    public LocalDateSurrogate ConvertToSurrogate(in LocalDate value) => new(value.Year, value.Month, value.Day);
}

/// <summary>Wire form of <see cref="LocalDateTime"/> (ISO calendar, nanosecond precision).</summary>
[GenerateSerializer]
public readonly record struct LocalDateTimeSurrogate([property: Id(0)] LocalDate Date, [property: Id(1)] long NanosecondOfDay);

/// <summary>Converts <see cref="LocalDateTime"/> to and from its surrogate.</summary>
[RegisterConverter]
public sealed class LocalDateTimeSurrogateConverter : IConverter<LocalDateTime, LocalDateTimeSurrogate>
{
    public LocalDateTime ConvertFromSurrogate(in LocalDateTimeSurrogate surrogate) =>
        surrogate.Date + LocalTime.FromNanosecondsSinceMidnight(surrogate.NanosecondOfDay);

    public LocalDateTimeSurrogate ConvertToSurrogate(in LocalDateTime value) => new(value.Date, value.NanosecondOfDay);
}

/// <summary>Wire form of <see cref="Instant"/>: whole days plus nanoseconds since the Unix epoch, exact over Instant's range.</summary>
[GenerateSerializer]
public readonly record struct InstantSurrogate([property: Id(0)] int DaysSinceEpoch, [property: Id(1)] long NanosecondOfDay);

/// <summary>Converts <see cref="Instant"/> to and from its surrogate.</summary>
[RegisterConverter]
public sealed class InstantSurrogateConverter : IConverter<Instant, InstantSurrogate>
{
    public Instant ConvertFromSurrogate(in InstantSurrogate surrogate) =>
        NodaConstants.UnixEpoch + Duration.FromDays(surrogate.DaysSinceEpoch) + Duration.FromNanoseconds(surrogate.NanosecondOfDay);

    public InstantSurrogate ConvertToSurrogate(in Instant value)
    {
        var sinceEpoch = value - NodaConstants.UnixEpoch;
        return new(sinceEpoch.Days, sinceEpoch.NanosecondOfDay);
    }
}
