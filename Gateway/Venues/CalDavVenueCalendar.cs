using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Xml;
using System.Xml.Linq;
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
/// Recurring events are expanded by Ical.Net within the range, under <see cref="IcsBusyReader"/>'s bounds.
/// </remarks>
public sealed class CalDavVenueCalendar(
    HttpClient http, VenueCredentials credentials, VenueReaderOptions options, VenueReadMonitor monitor, ILogger<CalDavVenueCalendar> logger) : IVenueCalendar
{
    private static readonly XNamespace Dav = "DAV:";
    private static readonly XNamespace Cal = "urn:ietf:params:xml:ns:caldav";

    /// <summary>
    /// Bounded by itself, whoever calls it: one deadline (<see cref="VenueReaderOptions.Timeout"/>) covers connect,
    /// headers, body, parsing and expansion, and the caller gets its answer when it passes even if the work has not yet
    /// noticed. The work runs on the thread pool, never on the caller's scheduler (a grain's turn), and checks the
    /// deadline between steps so it really stops. Whatever fails, the caller gets one reason, so a host group cannot
    /// tell a closed port from a 404 from a non-calendar (port probing); the log keeps the detail, never the URL.
    /// </summary>
    public async Task<VenueBusy> GetBusyAsync(string calendarUrl, Instant from, Instant to, CancellationToken ct)
    {
        if (!Uri.TryCreate(calendarUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            logger.LogWarning("Venue calendar unreadable: the URL is not an http(s) URL");
            return VenueBusy.Unreadable;
        }
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(options.Timeout);
        var token = deadline.Token;
        var running = monitor.Begin();
        // Off the caller's scheduler: called from a grain, even the parse would otherwise run on the grain's turn.
        var work = Task.Run(async () =>
        {
            try { return await ReadAsync(url, from, to, token); }
            finally
            {
                running.Dispose();
                deadline.Dispose();
            }
        }, CancellationToken.None);
        string? failure;
        VenueBusy? busy;
        try
        {
            (busy, failure) = await work.WaitAsync(token);
        }
        catch (OperationCanceledException)
        {
            (busy, failure) = (null, "no answer in time");
        }
        catch (ObjectDisposedException)
        {
            // The work ended and disposed the deadline in the instant we started waiting on it.
            (busy, failure) = await work;
        }
        if (busy is not null) return busy;
        // Log the host only: the URL may carry a secret token in its path or credentials in its userinfo.
        logger.LogWarning("Venue calendar at {Host} unreadable: {Reason}", url.Host, failure);
        return VenueBusy.Unreadable;
    }

    /// <summary>The busy intervals, or why not (for the log).</summary>
    private async Task<(VenueBusy? Busy, string? Failure)> ReadAsync(Uri url, Instant from, Instant to, CancellationToken ct)
    {
        var (target, auth) = credentials.For(url);
        var limits = new IcsLimits { MaxOccurrences = options.MaxOccurrences };
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
                    return (VenueBusy.Free(FromMultistatus(await ReadCappedAsync(response, ct), from, to, new IcsBusyReader(limits, ct, monitor), ct)), null);
                if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                    return (null, $"the venue's server refused access (HTTP {(int)response.StatusCode})");
            }
            using var plain = await SendWithRetryAsync(() =>
            {
                var get = Request(HttpMethod.Get, target, auth);
                get.Headers.Accept.ParseAdd("text/calendar");
                return get;
            }, ct);
            if (!plain.IsSuccessStatusCode) return (null, $"HTTP {(int)plain.StatusCode}");
            var bytes = await ReadCappedAsync(plain, ct);
            var text = Encoding.UTF8.GetString(bytes.GetBuffer(), 0, (int)bytes.Length);
            if (!text.TrimStart('\uFEFF', ' ', '\r', '\n', '\t').StartsWith("BEGIN:VCALENDAR", StringComparison.OrdinalIgnoreCase))
                return (null, "neither a CalDAV calendar nor an .ics file");
            return (VenueBusy.Free(new IcsBusyReader(limits, ct, monitor).Read(text, from, to)), null);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return (null, "no answer in time");
        }
        catch (HttpRequestException ex) when (ex.InnerException is AddressNotAllowedException)
        {
            return (null, "the address is private, local or special-purpose");
        }
        catch (Exception ex)
        {
            // Anything else a hostile server or file can cause (connection errors, bad XML or iCalendar, too large,
            // too complex) reads the same to the caller; the type is enough for an operator.
            return (null, $"{ex.GetType().Name}: {ex.Message}");
        }
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

    /// <summary>The body, refused past <see cref="VenueReaderOptions.MaxResponseBytes"/> while it streams in: an endless body stops at the cap.</summary>
    private async Task<MemoryStream> ReadCappedAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var cap = options.MaxResponseBytes;
        if (response.Content.Headers.ContentLength > cap) throw new InvalidDataException("the answer announces more than the size cap");
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        var buffer = new MemoryStream((int)Math.Min(cap, response.Content.Headers.ContentLength ?? 64 * 1024));
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > cap) throw new InvalidDataException("the answer is larger than the size cap");
            buffer.Write(chunk, 0, read);
            monitor.Buffered(buffer.Length);
        }
        buffer.Position = 0;
        return buffer;
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

    /// <summary>
    /// Busy intervals from every <c>calendar-data</c> of a multistatus answer, read as a stream (no DTD, no external
    /// entities, no tree built), the token checked between elements.
    /// </summary>
    public static List<BusyInterval> FromMultistatus(Stream xml, Instant from, Instant to, IcsBusyReader reader, CancellationToken ct)
    {
        var found = new List<BusyInterval>();
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreComments = true, IgnoreProcessingInstructions = true };
        using var x = XmlReader.Create(xml, settings);
        x.MoveToContent();
        while (!x.EOF)
        {
            ct.ThrowIfCancellationRequested();
            if (x.NodeType == XmlNodeType.Element && x.LocalName == "calendar-data" && x.NamespaceURI == Cal.NamespaceName)
            {
                var ics = x.ReadElementContentAsString();
                if (ics.Length > 0) found.AddRange(reader.Read(ics, from, to));
            }
            else x.Read();
        }
        return found;
    }

    /// <summary>
    /// Busy intervals of one iCalendar text in the range, in UTC: opaque, non-cancelled events (TZID resolved by
    /// Ical.Net, recurrences expanded) and BUSY periods of VFREEBUSY components; default limits, no deadline.
    /// </summary>
    public static IEnumerable<BusyInterval> FromIcs(string ics, Instant from, Instant to) =>
        new IcsBusyReader(new IcsLimits(), CancellationToken.None).Read(ics, from, to);
}
