using TourPlanner.Grains.Domain;

namespace TourPlanner.Grains.Planning;

/// <summary>
/// Travel from the table the Gateway gathered before calling the planner; a pair it lacks (a stop added since, a table
/// cut at its size limit) comes from the pure built-in model. Never calls outside the process, so the planner can run
/// it anywhere, on any thread.
/// </summary>
public sealed class PlanTravelEstimator : ITravelTimeEstimator
{
    /// <summary>Most places a table may hold (OSRM's default <c>max-table-size</c> is 100): bounds what a request carries.</summary>
    public const int MaxPlaces = 100;

    private readonly Dictionary<GeoPoint, int> _index = [];
    private readonly PlanTravel _table;
    private readonly GreatCircleTravelEstimator _builtIn;

    public PlanTravelEstimator(PlanTravel table, GreatCircleTravelEstimator builtIn)
    {
        _builtIn = builtIn;
        var n = table.Places.IsDefault ? 0 : table.Places.Length;
        // A table of the wrong shape is ignored as a whole rather than read half-way.
        _table = n <= MaxPlaces && !table.Legs.IsDefault && table.Legs.Length == n * n ? table : PlanTravel.Empty;
        for (var i = 0; i < _table.Places.Length; i++) _index.TryAdd(_table.Places[i], i);
    }

    public ValueTask<TravelEstimate> EstimateAsync(GeoPoint from, GeoPoint to, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Estimate(from, to));

    public TravelEstimate Estimate(GeoPoint from, GeoPoint to) =>
        _index.TryGetValue(from, out var i) && _index.TryGetValue(to, out var j) && _table.Legs[i * _table.Places.Length + j] is { Minutes: >= 0 } leg
            ? leg
            : _builtIn.Estimate(from, to);
}
