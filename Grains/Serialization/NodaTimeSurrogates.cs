using NodaTime;

namespace TourPlanner.Grains.Serialization;

// NodaTime types carry no Orleans serializer of their own. Surrogates keep every value to the nanosecond. Surrogates keep the wire form to plain numbers
// (never a culture-dependent string) so grain calls and stored grain state round-trip exactly.

[GenerateSerializer, Immutable]
public readonly record struct LocalDateSurrogate([property: Id(0)] int Year, [property: Id(1)] int Month, [property: Id(2)] int Day);

[RegisterConverter]
public sealed class LocalDateSurrogateConverter : IConverter<LocalDate, LocalDateSurrogate>
{
    public LocalDate ConvertFromSurrogate(in LocalDateSurrogate s) => new(s.Year, s.Month, s.Day);
    public LocalDateSurrogate ConvertToSurrogate(in LocalDate v) => new(v.Year, v.Month, v.Day);
}

[GenerateSerializer, Immutable]
public readonly record struct LocalDateTimeSurrogate([property: Id(0)] int Year, [property: Id(1)] int Month, [property: Id(2)] int Day, [property: Id(3)] long NanosecondOfDay);

[RegisterConverter]
public sealed class LocalDateTimeSurrogateConverter : IConverter<LocalDateTime, LocalDateTimeSurrogate>
{
    public LocalDateTime ConvertFromSurrogate(in LocalDateTimeSurrogate s) =>
        new LocalDate(s.Year, s.Month, s.Day) + LocalTime.FromNanosecondsSinceMidnight(s.NanosecondOfDay);
    public LocalDateTimeSurrogate ConvertToSurrogate(in LocalDateTime v) =>
        new(v.Year, v.Month, v.Day, v.TimeOfDay.NanosecondOfDay);
}

[GenerateSerializer, Immutable]
public readonly record struct InstantSurrogate([property: Id(0)] long UnixSeconds, [property: Id(1)] int Nanoseconds);

[RegisterConverter]
public sealed class InstantSurrogateConverter : IConverter<Instant, InstantSurrogate>
{
    public Instant ConvertFromSurrogate(in InstantSurrogate s) => Instant.FromUnixTimeSeconds(s.UnixSeconds).PlusNanoseconds(s.Nanoseconds);
    public InstantSurrogate ConvertToSurrogate(in Instant v)
    {
        var seconds = v.ToUnixTimeSeconds(); // floors, so the remainder is never negative
        return new(seconds, (int)(v - Instant.FromUnixTimeSeconds(seconds)).ToInt64Nanoseconds());
    }
}

[GenerateSerializer, Immutable]
public readonly record struct DurationSurrogate([property: Id(0)] long Nanoseconds);

[RegisterConverter]
public sealed class DurationSurrogateConverter : IConverter<Duration, DurationSurrogate>
{
    public Duration ConvertFromSurrogate(in DurationSurrogate s) => Duration.FromNanoseconds(s.Nanoseconds);
    public DurationSurrogate ConvertToSurrogate(in Duration v) => new(v.ToInt64Nanoseconds());
}

[GenerateSerializer, Immutable]
public readonly record struct LocalTimeSurrogate([property: Id(0)] long NanosecondOfDay);

[RegisterConverter]
public sealed class LocalTimeSurrogateConverter : IConverter<LocalTime, LocalTimeSurrogate>
{
    public LocalTime ConvertFromSurrogate(in LocalTimeSurrogate s) => LocalTime.FromNanosecondsSinceMidnight(s.NanosecondOfDay);
    public LocalTimeSurrogate ConvertToSurrogate(in LocalTime v) => new(v.NanosecondOfDay);
}
