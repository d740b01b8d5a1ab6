using System.Security.Cryptography;
using System.Text;
using System.Xml;
using NodaTime;
using TourPlanner.Gateway.Infrastructure;
using TourPlanner.Gateway.Pages;
using TourPlanner.Grains;
using TourPlanner.Grains.Domain;

namespace TourPlanner.Gateway.Calendar;

/// <summary>
/// The tour's public events as an Atom feed (RFC 4287), for feed readers and sites that embed news: one entry per public
/// event of the stops the iCalendar feed shows (<see cref="PublicStops"/>), in English or Spanish. Ids are URN UUIDs
/// derived from the tour and event ids, so they never change when the service moves to another address.
/// </summary>
public static class AtomFeed
{
    public const string ContentType = "application/atom+xml; charset=utf-8";
    private const string Atom = "http://www.w3.org/2005/Atom";

    private sealed record Item(StopSnapshot Stop, StopEvent Event, EventView View);

    public static byte[] Write(TourSnapshot tour, IReadOnlyList<StopSnapshot> published, string? canonicalCity, string lang,
        PublicLinks links, Instant lastModified, Instant now, long maxBytes)
    {
        var items = PublicStops.Visible(published, now).Where(s => PublicStops.InCity(s, canonicalCity))
            .SelectMany(s => s.Events.Where(e => e.Public).Select(e => new Item(s, e, EventViews.Of(s, e))))
            .ToList();
        var feedLinks = FeedLinks.For(links, tour.Slug, tour.Name, canonicalCity, lang);
        byte[] Render(IReadOnlyList<Item> kept, int omitted) => RenderXml(tour, kept, canonicalCity, lang, feedLinks, links, lastModified, omitted);

        var full = Render(items.OrderBy(i => i.View.Start).ToList(), 0);
        if (full.Length <= maxBytes || items.Count == 0) return full;
        return FeedSize.FitNearest(TourFeeds.NearestFirst(items, i => i.View.Start, i => i.View.End, now), full.Length, maxBytes,
            (kept, omitted) => Render(kept.OrderBy(i => i.View.Start).ToList(), omitted));
    }

    private static byte[] RenderXml(TourSnapshot tour, IReadOnlyList<Item> items, string? city, string lang, FeedLinks feedLinks,
        PublicLinks links, Instant lastModified, int omitted)
    {
        string T(string key) => PageAssets.Text(lang, key);
        using var buffer = new MemoryStream();
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true, NewLineChars = "\n" };
        using (var xml = XmlWriter.Create(buffer, settings))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("feed", Atom);
            xml.WriteAttributeString("xml", "lang", null, lang);
            xml.WriteElementString("id", Atom, Urn($"tour:{tour.TourId}:{(city is null ? "" : PublicStops.Fold(city))}"));
            Text(xml, "title", city is null ? tour.Name : $"{tour.Name} — {city}");
            var subtitle = string.Join(" ", new[] { tour.Description, omitted > 0 ? T("public.atomOmitted").Replace("{count}", omitted.ToString()) : null }
                .Where(s => !string.IsNullOrWhiteSpace(s)));
            if (subtitle.Length > 0) Text(xml, "subtitle", subtitle);
            xml.WriteElementString("updated", Atom, Stamp(items.Select(i => Updated(i)).Append(lastModified).Max()));
            Link(xml, "self", AtomFeed.ContentType.Split(';')[0], feedLinks.Atom);
            Link(xml, "alternate", "text/html", city is null ? feedLinks.Page : $"{feedLinks.Page}?city={Uri.EscapeDataString(city)}&lang={lang}");
            Link(xml, "related", "text/calendar", feedLinks.Https);
            xml.WriteStartElement("author", Atom);
            xml.WriteElementString("name", Atom, Clean(tour.Name));
            xml.WriteEndElement();
            xml.WriteElementString("generator", Atom, "TourPlanner");

            foreach (var item in items)
            {
                var cancelled = item.Stop.Status == ClaimStatus.Cancelled;
                var view = item.View;
                xml.WriteStartElement("entry", Atom);
                xml.WriteElementString("id", Atom, Urn($"event:{tour.TourId}:{view.EventId}"));
                Text(xml, "title", cancelled ? $"{T("public.cancelledPrefix")} {view.Title}" : view.Title);
                xml.WriteElementString("published", Atom, Stamp(item.Event.Created));
                xml.WriteElementString("updated", Atom, Stamp(Updated(item)));
                Link(xml, "alternate", "text/html", $"{feedLinks.Page}?lang={lang}#{Uri.EscapeDataString(view.EventId)}");
                Link(xml, "related", "text/calendar", FeedLinks.EventFile(links, tour.Slug, view.EventId));
                xml.WriteStartElement("category", Atom);
                xml.WriteAttributeString("term", cancelled ? "cancelled" : "confirmed");
                xml.WriteAttributeString("label", T(cancelled ? "public.cancelled" : "public.confirmed"));
                xml.WriteEndElement();
                var when = PublicText.LocalTime(view.LocalStart, view.Start, view.TimeZone, lang);
                var where = string.Join(", ", new[] { item.Stop.Venue.Name, item.Stop.Venue.PublicAddress, $"{item.Stop.City}, {item.Stop.Country}" }
                    .Where(x => !string.IsNullOrWhiteSpace(x)));
                Text(xml, "summary", $"{when} · {where}");
                if (!string.IsNullOrWhiteSpace(view.Description)) Text(xml, "content", $"{when} · {where}\n\n{view.Description}");
                xml.WriteEndElement();
            }
            xml.WriteEndElement();
            xml.WriteEndDocument();
        }
        return buffer.ToArray();
    }

    private static Instant Updated(Item item) =>
        item.Stop.CancelledAt is { } at && at > item.Event.LastModified ? at : item.Event.LastModified;

    private static void Text(XmlWriter xml, string name, string value)
    {
        xml.WriteStartElement(name, Atom);
        xml.WriteAttributeString("type", "text");
        xml.WriteString(Clean(value));
        xml.WriteEndElement();
    }

    private static void Link(XmlWriter xml, string rel, string type, string href)
    {
        xml.WriteStartElement("link", Atom);
        xml.WriteAttributeString("rel", rel);
        xml.WriteAttributeString("type", type);
        xml.WriteAttributeString("href", href);
        xml.WriteEndElement();
    }

    private static string Stamp(Instant instant) => PublicText.IsoInstant(instant);

    /// <summary>A name-based (version 5 layout) UUID URN: stable for the same tour and event, valid as an Atom id.</summary>
    public static string Urn(string name)
    {
        var hash = SHA1.HashData(Encoding.UTF8.GetBytes("tourplanner:" + name));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        var hex = Convert.ToHexStringLower(hash, 0, 16);
        return $"urn:uuid:{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..32]}";
    }

    /// <summary>XML 1.0 cannot carry control characters or lone surrogates at all; people's text may contain them.</summary>
    public static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { sb.Append(c).Append(text[++i]); continue; }
            if (XmlConvert.IsXmlChar(c)) sb.Append(c);
        }
        return sb.ToString();
    }
}
