namespace TourPlanner.Grains;

/// <summary>
/// Grain state types written through the default <c>IGrainStorage</c> other than as a grain class's
/// <c>IPersistentState&lt;T&gt;</c> (for instance rows kept under synthetic grain ids). The storage tests write and read
/// back every persistent state type, and these, on every storage provider.
/// </summary>
public static class GrainStateTypes
{
    public static IReadOnlyList<Type> Extra { get; } = [typeof(Implementation.LogSegment), typeof(Implementation.TourKeyRing)];
}
