using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using NodaTime;
using TourPlanner.Grains.Domain;

namespace TourPlanner.Gateway.Venues;

/// <summary>
/// Reads a venue's calendar: a CalDAV collection through an RFC 4791 <c>calendar-query</c> REPORT over the time
/// range, or, when the URL does not answer a REPORT with a multistatus, a plain <c>.ics</c> fetched with GET.
/// REPORT is not an HTTP verb Refit models, so this is a small typed <see cref="HttpClient"/>.
/// </summary>
/// <remarks>
/// We ask for <c>calendar-data</c> rather than a <c>free-busy-query</c>: servers differ in free-busy support
/// (Radicale answers it, many shared hosts do not), whereas every CalDAV server answers calendar-query, and the
/// same parsing then serves the .ics fallback. BUSY periods of VFREEBUSY components in either answer count too.
/// Recurring events are expanded by Ical.Net within the range.
/// </remarks>
public sealed class CalDavVenueCalendar(HttpClient http, VenueCredentials credentials, ILogger<CalDavVenueCalendar> logger) : IVenueCalendar
{
    private static readonly XNamespace Dav = "DAV:";
    private static readonly XNamespace Cal = "urn:ietf:params:xml:ns:caldav";
    /// <summary>Venue calendars are small; a bigger answer is not a venue calendar, and we will not buffer it.</summary>
    public const int MaxBytes = 4 * 1024 * 1024;

    public async Task<VenueBusy> GetBusyAsync(string calendarUrl, Instant from, Instant to, CancellationToken ct)
    {
        if (!Uri.TryCreate(calendarUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            return VenueBusy.Unavailable("the calendar URL is not an http(s) URL");
        var (target, auth) = credentials.For(url);
        // Log the host only: the URL may carry a secret token in its path or credentials in its userinfo.
        try
        {
            using (var response = await SendWithRetryAsync(() =>
                   {
                       var report = Request(new HttpMethod("REPORT"), target, auth);
                       report.Headers.Add("Depth", "1");
                       report.Content = new StringContent(CalendarQuery(from, to), Encoding.UTF8, "application/xml");
                       return report;
                   }, ct))
            {
                if (response.StatusCode == HttpStatusCode.MultiStatus)
                    return VenueBusy.Free(FromMultistatus(await ReadAsync(response, ct), from, to));
                if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                    return Unavailable(url, $"the venue's server refused access (HTTP {(int)response.StatusCode})");
            }
            using var plain = await SendWithRetryAsync(() =>
            {
                var get = Request(HttpMethod.Get, target, auth);
                get.Headers.Accept.ParseAdd("text/calendar");
                return get;
            }, ct);
            if (!plain.IsSuccessStatusCode)
                return Unavailable(url, $"HTTP {(int)plain.StatusCode}");
            var text = await ReadAsync(plain, ct);
            if (!text.TrimStart().StartsWith("BEGIN:VCALENDAR", StringComparison.OrdinalIgnoreCase))
                return Unavailable(url, "the URL is neither a CalDAV calendar nor an .ics file");
            return VenueBusy.Free(FromIcs(text, from, to));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return Unavailable(url, "no answer in time");
        }
        catch (HttpRequestException ex) when (ex.InnerException is AddressNotAllowedException)
        {
            return Unavailable(url, "the calendar's address is on a private network, which venue calendars may not use");
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
        {
            return Unavailable(url, "could not connect");
        }
        catch (Exception ex) when (ex is System.Xml.XmlException or InvalidDataException or FormatException or ArgumentException or InvalidOperationException)
        {
            return Unavailable(url, "the calendar could not be parsed");
        }
    }

    private VenueBusy Unavailable(Uri url, string reason)
    {
        logger.LogWarning("Venue calendar at {Host} unavailable: {Reason}", url.Host, reason);
        return VenueBusy.Unavailable(reason);
    }

    /// <summary>
    /// Both requests only read, so one retry is safe; it absorbs a connection the server dropped mid-request
    /// (small CalDAV servers such as Radicale do so under load), which would otherwise read as "unavailable".
    /// A refused connection is not retried: that server is down.
    /// </summary>
    private async Task<HttpResponseMessage> SendWithRetryAsync(Func<HttpRequestMessage> build, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var request = build();
            try
            {
                return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            }
            catch (HttpRequestException ex) when (attempt < 2 && ex.HttpRequestError == HttpRequestError.ResponseEnded && !ct.IsCancellationRequested)
            {
            }
            finally
            {
                request.Dispose();
            }
        }
    }

    private static HttpRequestMessage Request(HttpMethod method, Uri url, AuthenticationHeaderValue? auth)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = auth;
        return request;
    }

    private static async Task<string> ReadAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.Content.Headers.ContentLength > MaxBytes) throw new InvalidDataException("calendar too large");
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBytes) throw new InvalidDataException("calendar too large");
            buffer.Write(chunk, 0, read);
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>RFC 4791 §7.8: the events of the collection overlapping the range, with their data.</summary>
    public static string CalendarQuery(Instant from, Instant to) =>
        new XDocument(new XElement(Cal + "calendar-query",
            new XAttribute(XNamespace.Xmlns + "D", Dav), new XAttribute(XNamespace.Xmlns + "C", Cal),
            new XElement(Dav + "prop", new XElement(Cal + "calendar-data")),
            new XElement(Cal + "filter",
                new XElement(Cal + "comp-filter", new XAttribute("name", "VCALENDAR"),
                    new XElement(Cal + "comp-filter", new XAttribute("name", "VEVENT"),
                        new XElement(Cal + "time-range", new XAttribute("start", Utc(from)), new XAttribute("end", Utc(to)))))))).ToString();

    private static string Utc(Instant i) => i.ToDateTimeUtc().ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Busy intervals from every <c>calendar-data</c> of a multistatus answer.</summary>
    public static IEnumerable<BusyInterval> FromMultistatus(string xml, Instant from, Instant to) =>
        XDocument.Parse(xml).Descendants(Cal + "calendar-data")
            .Select(d => d.Value).Where(v => v.Length > 0)
            .SelectMany(ics => FromIcs(ics, from, to)).ToList();

    /// <summary>
    /// Busy intervals of one iCalendar text in the range, in UTC: opaque, non-cancelled events (TZID resolved by
    /// Ical.Net, recurrences expanded) and BUSY periods of VFREEBUSY components.
    /// </summary>
    public static IEnumerable<BusyInterval> FromIcs(string ics, Instant from, Instant to)
    {
        var calendar = Ical.Net.Calendar.Load(ics) ?? throw new FormatException("not an iCalendar object");
        var found = new List<BusyInterval>();
        // Start the expansion a week early: an occurrence that began before the range can still overlap it.
        var expandFrom = new CalDateTime((from - NodaTime.Duration.FromDays(7)).ToDateTimeUtc());
        var expandTo = new CalDateTime(to.ToDateTimeUtc());
        foreach (var e in calendar.Events)
        {
            if (string.Equals(e.Status, "CANCELLED", StringComparison.OrdinalIgnoreCase)) continue;
            if (string.Equals(e.Transparency, "TRANSPARENT", StringComparison.OrdinalIgnoreCase)) continue;
            if (e.DtStart is null) continue;
            foreach (var o in e.GetOccurrences(expandFrom).TakeWhileBefore(expandTo))
            {
                var start = o.Period.StartTime;
                var end = o.Period.EffectiveEndTime ?? start;
                found.Add(new BusyInterval(ToInstant(start), ToInstant(end)));
            }
        }
        if (calendar.FreeBusy.Count > 0) found.AddRange(FreeBusyPeriods(ics));
        return found.Where(b => b.End > b.Start && b.Start < to && from < b.End);
    }

    /// <summary>
    /// BUSY, BUSY-UNAVAILABLE and BUSY-TENTATIVE periods of VFREEBUSY components (RFC 5545 §3.8.2.6; the values are
    /// always UTC). Read by hand because Ical.Net 5.2.4 loads FREEBUSY properties without their periods.
    /// </summary>
    private static IEnumerable<BusyInterval> FreeBusyPeriods(string ics)
    {
        var unfolded = ics.Replace("\r\n ", "").Replace("\r\n\t", "").Replace("\n ", "").Replace("\n\t", "");
        foreach (var raw in unfolded.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            var colon = line.IndexOf(':');
            if (!line.StartsWith("FREEBUSY", StringComparison.OrdinalIgnoreCase) || colon < 0) continue;
            var name = line[..colon];
            if (name.Length > 8 && name[8] != ';') continue; // FREEBUSY-something is another property
            var type = name.Split(';').Skip(1).Select(p => p.Split('=', 2)).FirstOrDefault(p => p[0].Equals("FBTYPE", StringComparison.OrdinalIgnoreCase))?[1] ?? "BUSY";
            if (!type.StartsWith("BUSY", StringComparison.OrdinalIgnoreCase)) continue;
            foreach (var period in line[(colon + 1)..].Split(','))
            {
                var parts = period.Split('/', 2);
                if (parts.Length != 2 || !TryUtc(parts[0], out var start)) continue;
                if (TryUtc(parts[1], out var end)) yield return new BusyInterval(start, end);
                else if (parts[1].StartsWith('P') || parts[1].StartsWith("+P"))
                    yield return new BusyInterval(start, start + NodaTime.Duration.FromTimeSpan(System.Xml.XmlConvert.ToTimeSpan(parts[1].TrimStart('+'))));
            }
        }
    }

    private static bool TryUtc(string text, out Instant value)
    {
        var ok = DateTime.TryParseExact(text, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var utc);
        value = ok ? Instant.FromDateTimeUtc(utc) : default;
        return ok;
    }

    /// <summary>A floating or all-day time has no zone; reading it as UTC is the best a shared venue calendar offers.</summary>
    private static Instant ToInstant(CalDateTime t) => Instant.FromDateTimeUtc(DateTime.SpecifyKind(t.IsFloating ? t.Value : t.AsUtc, DateTimeKind.Utc));
}
