using System.Collections;
using System.Collections.Immutable;
using System.Reflection;
using NodaTime;

namespace TourPlanner.Tests.Storage;

/// <summary>
/// Builds an instance of a state type with every settable property holding a value that is not its default (nor the
/// value a fresh instance starts with), so a property the serializer drops shows up after a round trip. An unknown
/// kind of property fails loudly: extend <see cref="Value"/> rather than let a state type go untested.
/// </summary>
public sealed class SampleValues
{
    private const int MaxDepth = 12; // a sealed log segment holds entries, which hold mail notices, which hold a stop with its events
    private int _counter;
    /// <summary>The types being built, outermost first: a recursive type (a message nesting messages) is filled one level deep.</summary>
    private readonly Stack<Type> _building = new();

    public object Create(Type type) => Value(type, type.Name, 0);

    private object Value(Type type, string hint, int depth)
    {
        var n = Interlocked.Increment(ref _counter);
        if (Nullable.GetUnderlyingType(type) is { } inner) return Value(inner, hint, depth);
        if (type == typeof(string)) return $"{hint}-ñ-{n}";
        if (type == typeof(bool)) return true;
        if (type == typeof(int)) return 1000 + n;
        if (type == typeof(long)) return 5_000_000_000L + n;
        if (type == typeof(short)) return (short)(100 + n);
        if (type == typeof(byte)) return (byte)(n % 200 + 1);
        if (type == typeof(uint)) return (uint)(3_000_000_000u + n);
        if (type == typeof(ulong)) return 10_000_000_000_000_000_000UL + (ulong)n;
        if (type == typeof(ushort)) return (ushort)(40_000 + n);
        if (type == typeof(sbyte)) return (sbyte)(n % 100 + 1);
        if (type == typeof(char)) return (char)('ñ' + n % 20);
        if (type == typeof(double)) return 12.375 + n;
        if (type == typeof(float)) return 2.5f + n;
        if (type == typeof(decimal)) return 19.99m + n;
        if (type == typeof(Guid)) return new Guid(n, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        if (type == typeof(DateTime)) return new DateTime(2026, 10, 28, 19, 0, 0, DateTimeKind.Utc).AddTicks(n);
        if (type == typeof(TimeSpan)) return TimeSpan.FromMinutes(90 + n);
        if (type.IsEnum) return Enum.GetValues(type).Cast<object>().Last();
        if (type == typeof(Instant)) return Instant.FromUtc(2026, 10, 28, 23, 30).PlusNanoseconds(123_456_789 + n);
        if (type == typeof(LocalDate)) return new LocalDate(2026, 10, 28).PlusDays(n % 300);
        if (type == typeof(LocalDateTime)) return new LocalDateTime(2026, 10, 28, 19, 30, 15).PlusNanoseconds(987_654_321).PlusMinutes(n);
        if (type == typeof(LocalTime)) return new LocalTime(19, 30, 15).PlusNanoseconds(5_000 + n);
        if (type == typeof(Duration)) return Duration.FromMinutes(135).Plus(Duration.FromNanoseconds(n));
        if (type == typeof(Offset)) return Offset.FromHoursAndMinutes(-5, 30);
        if (type == typeof(Period)) return Period.FromDays(3) + Period.FromHours(n);
        if (depth > MaxDepth) throw new NotSupportedException($"{hint}: nesting deeper than {MaxDepth} levels.");

        if (type.IsArray)
        {
            var element = type.GetElementType()!;
            var array = Array.CreateInstance(element, 2);
            for (var i = 0; i < 2; i++) array.SetValue(Value(element, $"{hint}[{i}]", depth + 1), i);
            return array;
        }

        if (type.IsGenericType)
        {
            var definition = type.GetGenericTypeDefinition();
            var args = type.GetGenericArguments();
            if (definition == typeof(ImmutableArray<>) || definition == typeof(ImmutableList<>) || definition == typeof(List<>)
                || definition == typeof(IReadOnlyList<>) || definition == typeof(IList<>) || definition == typeof(IEnumerable<>)
                || definition == typeof(IReadOnlyCollection<>) || definition == typeof(ImmutableHashSet<>) || definition == typeof(HashSet<>))
                return Sequence(definition, args[0], hint, depth);
            if (definition == typeof(ImmutableDictionary<,>) || definition == typeof(Dictionary<,>) || definition == typeof(IReadOnlyDictionary<,>)
                || definition == typeof(IDictionary<,>) || definition == typeof(ImmutableSortedDictionary<,>))
                return Map(definition, args[0], args[1], hint, depth);
        }

        if (type.IsAbstract && !type.IsInterface && Subtypes(type) is { Count: > 0 } subtypes)
            return Object(subtypes[n % subtypes.Count], hint, depth); // one of the concrete kinds, in turn
        if (type.IsInterface || type.IsAbstract || type.IsPrimitive)
            throw new NotSupportedException($"{hint}: no sample value for {type}; teach {nameof(SampleValues)} this kind of property.");
        return Object(type, hint, depth);
    }

    /// <summary>The concrete records and classes deriving from an abstract one, from its own assembly, in a fixed order.</summary>
    private static List<Type> Subtypes(Type abstractType) =>
        [.. abstractType.Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsInterface: false, ContainsGenericParameters: false } && abstractType.IsAssignableFrom(t))
            .OrderBy(t => t.FullName, StringComparer.Ordinal)];

    private object Sequence(Type definition, Type element, string hint, int depth)
    {
        // A sequence of an abstract type (a log of entries of many kinds) holds one of every concrete kind.
        var subtypes = element.IsAbstract && !element.IsInterface ? Subtypes(element) : [];
        var items = subtypes.Count > 0
            ? subtypes.Select((t, i) => Object(t, $"{hint}[{i}]", depth + 1)).ToList()
            : Enumerable.Range(0, 2).Select(i => Value(element, $"{hint}[{i}]", depth + 1)).ToList();
        var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(element))!;
        foreach (var item in items) list.Add(item);
        if (definition == typeof(ImmutableArray<>)) return Invoke(typeof(ImmutableArray), nameof(ImmutableArray.CreateRange), element, list);
        if (definition == typeof(ImmutableList<>)) return Invoke(typeof(ImmutableList), nameof(ImmutableList.CreateRange), element, list);
        if (definition == typeof(ImmutableHashSet<>)) return Invoke(typeof(ImmutableHashSet), nameof(ImmutableHashSet.CreateRange), element, list);
        if (definition == typeof(HashSet<>)) return Activator.CreateInstance(typeof(HashSet<>).MakeGenericType(element), list)!;
        return list;
    }

    private object Map(Type definition, Type key, Type value, string hint, int depth)
    {
        var dictionary = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(key, value))!;
        for (var i = 0; i < 2; i++) dictionary[Value(key, $"{hint}.key{i}", depth + 1)] = Value(value, $"{hint}[{i}]", depth + 1);
        if (definition == typeof(ImmutableDictionary<,>))
            return typeof(ImmutableDictionary).GetMethods().Single(m => m.Name == nameof(ImmutableDictionary.CreateRange) && m.GetParameters().Length == 1)
                .MakeGenericMethod(key, value).Invoke(null, [dictionary])!;
        if (definition == typeof(ImmutableSortedDictionary<,>))
            return typeof(ImmutableSortedDictionary).GetMethods().Single(m => m.Name == nameof(ImmutableSortedDictionary.CreateRange) && m.GetParameters().Length == 1)
                .MakeGenericMethod(key, value).Invoke(null, [dictionary])!;
        return dictionary;
    }

    private static object Invoke(Type factory, string method, Type element, IList items) =>
        factory.GetMethods()
            .Single(m => m.Name == method && m.GetParameters() is [{ ParameterType.IsGenericType: true } p] && p.ParameterType.GetGenericTypeDefinition() == typeof(IEnumerable<>))
            .MakeGenericMethod(element).Invoke(null, [items])!;

    private object Object(Type type, string hint, int depth)
    {
        var constructor = type.GetConstructor(Type.EmptyTypes)
            ?? type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault()
            ?? throw new NotSupportedException($"{hint}: {type} has no public constructor.");
        var parameters = constructor.GetParameters();
        _building.Push(type);
        try
        {
            var instance = constructor.Invoke([.. parameters.Select(p => Value(p.ParameterType, $"{hint}.{p.Name}", depth + 1))]);
            foreach (var property in WritableProperties(type))
            {
                if (parameters.Any(p => string.Equals(p.Name, property.Name, StringComparison.OrdinalIgnoreCase))) continue;
                // A property that holds a type already being built (Text.Args[i].Nested is a Text) keeps its default:
                // filling it would never end. Its type is still filled, and checked, where it first appears.
                if (Recurs(property.PropertyType)) continue;
                property.SetValue(instance, Value(property.PropertyType, $"{hint}.{property.Name}", depth + 1));
            }

            return instance;
        }
        finally
        {
            _building.Pop();
        }
    }

    private bool Recurs(Type type) =>
        _building.Contains(Nullable.GetUnderlyingType(type) ?? type)
        || (type.IsArray && Recurs(type.GetElementType()!))
        || (type.IsGenericType && type.GetGenericArguments().Any(Recurs));

    private static IEnumerable<PropertyInfo> WritableProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is { IsPublic: true } && p.GetIndexParameters().Length == 0);

    /// <summary>Every public property, compared all the way down; returns the path of the first difference, or null.</summary>
    public static string? FirstDifference(object? expected, object? actual, string path = "$")
    {
        if (expected is null || actual is null) return expected is null && actual is null ? null : $"{path}: {Show(expected)} ≠ {Show(actual)}";
        var type = expected.GetType();
        if (type != actual.GetType()) return $"{path}: {type} ≠ {actual.GetType()}";
        if (type.IsPrimitive || type.IsEnum || expected is string or decimal or Guid or DateTime or TimeSpan
            || type.Namespace == "NodaTime")
            return Equals(expected, actual) ? null : $"{path}: {Show(expected)} ≠ {Show(actual)}";
        if (expected is IDictionary expectedMap)
        {
            var actualMap = (IDictionary)actual;
            if (expectedMap.Count != actualMap.Count) return $"{path}: {expectedMap.Count} entries ≠ {actualMap.Count}";
            foreach (DictionaryEntry entry in expectedMap)
            {
                if (!actualMap.Contains(entry.Key)) return $"{path}[{entry.Key}]: missing";
                if (FirstDifference(entry.Value, actualMap[entry.Key], $"{path}[{entry.Key}]") is { } d) return d;
            }

            return null;
        }

        if (expected is IEnumerable expectedItems)
        {
            var e = expectedItems.Cast<object?>().ToList();
            var a = ((IEnumerable)actual).Cast<object?>().ToList();
            if (e.Count != a.Count) return $"{path}: {e.Count} items ≠ {a.Count}";
            for (var i = 0; i < e.Count; i++)
                if (FirstDifference(e[i], a[i], $"{path}[{i}]") is { } d) return d;
            return null;
        }

        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
            if (FirstDifference(property.GetValue(expected), property.GetValue(actual), $"{path}.{property.Name}") is { } d) return d;
        return null;
    }

    private static string Show(object? value) => value is null ? "null" : $"'{value}'";
}
