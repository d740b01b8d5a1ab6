using System.Globalization;
using System.Text;
using TourPlanner.Gateway.Infrastructure;
using TourPlanner.Grains;

namespace TourPlanner.Gateway.Privacy;

/// <summary>The whole tour as one JSON document for moving elsewhere: everything it holds, never a token.</summary>
public sealed record TourExportDocument(string Format, int FormatVersion, TourSnapshot Tour, IReadOnlyList<HostSnapshot> Hosts,
    IReadOnlyList<StopSnapshot> Stops, IReadOnlyList<LinkInfo> Links, IReadOnlyList<HistoryEntry> History, IReadOnlyList<Signup> Signups,
    PrivacyStatus Privacy)
{
    public static TourExportDocument From(TourExport e) =>
        new("tourplanner-tour", 1, e.Tour, e.Hosts, e.Stops, e.Links, e.History, e.Signups, e.Privacy);
}

/// <summary>
/// Stops, events and host groups with their contacts as one CSV table for a spreadsheet: a row per event (its stop and
/// group beside it), a row per stop without events and one per group without stops. Headers and statuses are in the
/// organizer's language. A cell that a spreadsheet would run as a formula is prefixed with an apostrophe.
/// </summary>
public static class TourCsv
{
    private static readonly MessageCode[] Columns =
    [
        RequestCodes.CsvHost, RequestCodes.CsvContactName, RequestCodes.CsvContactEmail, RequestCodes.CsvContactPhone, RequestCodes.CsvCity,
        RequestCodes.CsvCountry, RequestCodes.CsvDates, RequestCodes.CsvStatus, RequestCodes.CsvVenue, RequestCodes.CsvAddress,
        RequestCodes.CsvAddressVisibility, RequestCodes.CsvEvent, RequestCodes.CsvStart, RequestCodes.CsvDuration, RequestCodes.CsvPublic,
        RequestCodes.CsvDescription, RequestCodes.CsvSignups,
    ];

    public static byte[] Write(TourExport export, string language)
    {
        string Say(MessageCode code) => Catalogue.Default.Render(Text.Of(code), language);
        var csv = new StringBuilder();
        Row(csv, Columns.Select(Say));
        var hosts = export.Hosts.ToDictionary(h => h.HostId);
        var yes = Say(RequestCodes.CsvYes);
        var no = Say(RequestCodes.CsvNo);
        foreach (var stop in export.Stops.OrderBy(s => s.Dates.IsDefaultOrEmpty ? default : s.Dates[0]))
        {
            var host = hosts.GetValueOrDefault(stop.HostId);
            var status = Catalogue.Default.Render(Codes.Status(stop.CancelledAt is null ? stop.Status : ClaimStatus.Cancelled), language);
            var visibility = Say(stop.Venue.AddressVisibility switch
            {
                AddressVisibility.Full => RequestCodes.CsvVisibilityFull,
                AddressVisibility.OnRequest => RequestCodes.CsvVisibilityOnRequest,
                _ => RequestCodes.CsvVisibilityCity,
            });
            var signups = export.Signups.Count(s => s.StopId == stop.StopId).ToString(CultureInfo.InvariantCulture);
            string[] Stop() =>
            [
                host?.Name ?? "", host?.ContactName ?? "", host?.ContactEmail ?? "", host?.ContactPhone ?? "", stop.City, stop.Country,
                string.Join(" ", stop.Dates.Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))), status,
                stop.Venue.Name ?? "", stop.Venue.Address ?? "", visibility,
            ];
            if (stop.Events.IsDefaultOrEmpty) Row(csv, [.. Stop(), "", "", "", "", "", signups]);
            foreach (var ev in stop.Events)
                Row(csv, [.. Stop(), ev.Title, ev.Start.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                    ev.DurationMinutes.ToString(CultureInfo.InvariantCulture), ev.Public ? yes : no, ev.Description ?? "", signups]);
        }
        foreach (var host in export.Hosts.Where(h => export.Stops.All(s => s.HostId != h.HostId)))
            Row(csv, [host.Name, host.ContactName ?? "", host.ContactEmail ?? "", host.ContactPhone ?? "", host.City ?? "", "", "", "", "", "", "", "", "", "", "", "", ""]);
        // A byte-order mark, so spreadsheet programs read the accents as UTF-8.
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv.ToString())];
    }

    private static void Row(StringBuilder csv, IEnumerable<string> cells)
    {
        csv.AppendJoin(',', cells.Select(Cell));
        csv.Append("\r\n");
    }

    /// <summary>RFC 4180 quoting; a leading = + - @ (or tab, CR) would make a spreadsheet run the cell, so it is neutralized.</summary>
    public static string Cell(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }
}
