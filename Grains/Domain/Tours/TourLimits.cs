namespace TourPlanner.Grains.Domain.Tours;

/// <summary>
/// Caps per tour (configuration section <c>Limits</c>). Real tours have tens of stops, a few hundred claims and a
/// handful of speakers; the defaults sit far above that and still bound what one tour can make the server store,
/// scan and rewrite.
/// </summary>
public sealed record TourLimits
{
    public int MaxClaims { get; init; } = 10_000;
    public int MaxHosts { get; init; } = 2_000;
    /// <summary>Events across all stops of the tour.</summary>
    public int MaxEvents { get; init; } = 20_000;
    public int MaxSpeakers { get; init; } = 20;
    public int MaxOrganizers { get; init; } = 20;
    /// <summary>Live links one person may hold (every "copy link" issues one).</summary>
    public int MaxLinksPerPerson { get; init; } = 25;
    /// <summary>Supporters' requests for on-request addresses, across all stops.</summary>
    public int MaxSignups { get; init; } = 20_000;
}
