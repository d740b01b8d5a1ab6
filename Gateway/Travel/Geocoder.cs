using System.Globalization;
using TourPlanner.Gateway.Infrastructure;
using TourPlanner.Grains;
using TourPlanner.Grains.Domain;

namespace TourPlanner.Gateway.Travel;

/// <summary>A place found for a query, with its time zone when a lookup service gave one.</summary>
public sealed record GeocodeResult(double Latitude, double Longitude, string DisplayName, string? TimeZone, string TimeZoneSource);

/// <summary>What <see cref="Geocoder.SearchAsync"/> found, or why it could not ask (<see cref="Unavailable"/>).</summary>
public sealed record GeocodeAnswer(IReadOnlyList<GeocodeResult> Results, string Source, Text? Unavailable);

/// <summary>
/// Address or city → coordinates through Nominatim, and coordinates → zone through the time-zone lookup when one is
/// configured. Without a lookup the zone is null and the person picks it; claim validation then checks it is
/// plausible (<see cref="ZonePlausibility"/>).
/// </summary>
public sealed class Geocoder(INominatimApi? nominatim, OutboundSettings? nominatimSettings,
    ITimeZoneLookupApi? zones, OutboundSettings? zoneSettings, ILogger<Geocoder> logger)
{
    public const int MaxResults = 5;

    public async Task<GeocodeAnswer> SearchAsync(string query, CancellationToken cancellationToken)
    {
        if (nominatim is null || nominatimSettings is null)
            return new([], "none", Text.Of(RequestCodes.GeocodingNotConfigured));
        IReadOnlyList<NominatimPlace> places;
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            deadline.CancelAfter(nominatimSettings.Deadline); // covers a slow body too, which Polly's timeouts do not
            try { places = await nominatim.SearchAsync(query, MaxResults, deadline.Token) ?? []; }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning("Nominatim failed for a query ({Error}: {Message})", ex.GetType().Name, ex.Message);
                return new([], "none", Text.Of(RequestCodes.GeocodingNoAnswer));
            }
        }

        var found = new List<(double Lat, double Lon, string Name)>();
        foreach (var p in places)
            if (double.TryParse(p.Lat, NumberStyles.Float, CultureInfo.InvariantCulture, out var lat) && lat is >= -90 and <= 90 &&
                double.TryParse(p.Lon, NumberStyles.Float, CultureInfo.InvariantCulture, out var lon) && lon is >= -180 and <= 180)
                found.Add((lat, lon, p.DisplayName ?? ""));

        // Zones are looked up side by side so a handful of results cost one lookup's time.
        var results = await Task.WhenAll(found.Take(MaxResults).Select(async f =>
        {
            var (zone, zoneSource) = await ZoneAsync(f.Lat, f.Lon, cancellationToken);
            return new GeocodeResult(f.Lat, f.Lon, f.Name, zone, zoneSource);
        }));
        return new(results, "nominatim", null);
    }

    /// <summary>The zone and where it came from: <c>lookup</c>, <c>none</c> (no lookup configured) or <c>unavailable</c>.</summary>
    private async Task<(string? Zone, string Source)> ZoneAsync(double lat, double lon, CancellationToken cancellationToken)
    {
        if (zones is null || zoneSettings is null) return (null, "none");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(zoneSettings.Deadline);
        try
        {
            var answer = await zones.LookupAsync(lat.ToString("0.######", CultureInfo.InvariantCulture),
                lon.ToString("0.######", CultureInfo.InvariantCulture), zoneSettings.Username, deadline.Token);
            if (answer.TimezoneId is { } id && LocalTimes.FindZone(id) is not null) return (id, "lookup");
            logger.LogWarning("The time-zone lookup gave no known zone ({Status})", answer.Status?.Message ?? answer.TimezoneId ?? "empty");
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("The time-zone lookup failed ({Error}: {Message})", ex.GetType().Name, ex.Message);
        }
        return (null, "unavailable");
    }
}
