using System.Net;
using System.Text;
using MimeKit;
using MimeKit.Text;
using NodaTime;
using TourPlanner.Gateway.Calendar;
using TourPlanner.Gateway.Infrastructure;
using TourPlanner.Grains;
using TourPlanner.Grains.Domain;

namespace TourPlanner.Gateway.Mail;

/// <summary>Who a message goes to, as the tour has them when it is written.</summary>
public sealed record Recipient(string Email, string Name, string Language);

/// <summary>
/// Writes one message: plain text and simple HTML in the recipient's language, the sign-in link to their page,
/// List-Unsubscribe, and for a stop's events one iTIP invitation per event (the feeds' writer, the feeds' UIDs).
/// Its Message-ID comes from the message's key, so every attempt, and a repeat after a crash, carries the same one.
/// </summary>
public sealed class MailComposer(MailSettings settings, PublicLinks links)
{
    public string SignInUrl(string tourId, string token) => links.Absolute($"/signin/{Uri.EscapeDataString(tourId)}#token={token}");

    public string UnsubscribeUrl(string tourId, string token) =>
        links.Absolute($"/mail/unsubscribe/{Uri.EscapeDataString(tourId)}?u={Uri.EscapeDataString(token)}");

    public MimeMessage Compose(MailWork work, TourSnapshot tour, Recipient to, string signInToken, Instant now)
    {
        var t = MailTemplates.For(to.Language);
        var notice = work.Notices.FirstOrDefault();
        var stop = notice?.Stop;
        var values = new Dictionary<string, string>
        {
            ["tour"] = tour.Name, ["name"] = to.Name, ["count"] = work.Notices.Length.ToString(t.Culture),
            ["city"] = stop?.City ?? "", ["dates"] = stop is null ? "" : t.Dates(stop.Dates), ["rank"] = (notice?.Rank ?? 0).ToString(t.Culture),
            ["host"] = notice?.HostName ?? "", ["expires"] = notice?.ExpiresAt is { } at && stop is not null ? Expiry(t, at, stop.TimeZone) : "",
        };
        var subject = t.Text($"kinds.{work.Kind}.subject", values);
        var body = new Body(t);
        body.Paragraph(t.Text("greeting", values));
        body.Paragraph(t.Text($"kinds.{work.Kind}.intro", values));

        switch (work.Kind)
        {
            case NoticeKinds.ClaimReceived:
                body.Paragraph(t.Text("rank", values));
                if (notice is { Rank: 1, ExpiresAt: not null }) body.Paragraph(t.Text("holdUntil", values));
                if (notice is { Conflicts.IsEmpty: false })
                {
                    // Worded by the one catalogue for this host group, as the API words them for its link.
                    var reader = work.RecipientRole == Role.Host ? Audience.HostGroup(work.RecipientId) : Audience.Everyone;
                    body.List(t.Text("conflictsHeading"), notice.Conflicts.Select(c => Catalogue.Default.Render(c, t.Language, reader)));
                }
                break;
            case NoticeKinds.MovedUp when notice?.ExpiresAt is not null:
                body.Paragraph(t.Text("holdUntil", values));
                break;
            case NoticeKinds.Digest:
                body.List(null, work.Notices.Select(n => t.Text($"digestItems.{n.Kind}", new Dictionary<string, string>
                {
                    ["host"] = n.HostName ?? "", ["city"] = n.Stop?.City ?? "", ["dates"] = n.Stop is null ? "" : t.Dates(n.Stop.Dates),
                    ["rank"] = n.Rank.ToString(t.Culture),
                })));
                break;
        }

        var invitations = new List<(string Method, byte[] Ics)>();
        if (stop is not null && work.Kind is not (NoticeKinds.Digest or NoticeKinds.QueuedHoldEnding or NoticeKinds.SignInLink))
        {
            var cancelled = stop.Status == ClaimStatus.Cancelled;
            stop = stop with { Events = [.. stop.Events.OrderBy(e => e.Start)] };
            var lines = stop.Events.Select(e => EventLine(t, stop, e, cancelled ? t.Text("cancelled") : null))
                .Concat(notice!.RemovedEvents.Select(e => EventLine(t, stop, e, t.Text("removed"))));
            body.List(t.Text("eventsHeading"), lines);
            if (notice.Method is { } method && to.Email.Length > 0)
            {
                var page = new Uri(FeedLinks.PageUrl(links, tour.Slug));
                var invitation = new Invitation(settings.FromAddress.Address, settings.FromAddress.Name is { Length: > 0 } n ? n : "TourPlanner", to.Email, to.Name);
                foreach (var e in stop.Events)
                    invitations.Add((method, FeedWriter.WriteInvitation(TourFeeds.EventOf(tour, stop, e, page) with
                    {
                        Status = method == "CANCEL" ? FeedEventStatus.Cancelled : FeedEventStatus.Confirmed,
                    }, method, invitation)));
                foreach (var e in notice.RemovedEvents)
                    invitations.Add(("CANCEL", FeedWriter.WriteInvitation(TourFeeds.EventOf(tour, stop, e, page) with { Status = FeedEventStatus.Cancelled },
                        "CANCEL", invitation)));
            }
        }

        var signIn = SignInUrl(tour.TourId, signInToken);
        body.Button(t.Text("button"), signIn);
        body.Note(t.Text("signinNote"));
        if (invitations.Count > 0) body.Note(t.Text("calendarNote"));
        var unsubscribe = UnsubscribeUrl(tour.TourId, work.UnsubscribeToken);
        body.Footer(t.Text("footer", values), t.Text("unsubscribe"), t.Text("unsubscribeLink"), unsubscribe);

        var message = Envelope(work, to, subject, t, now);
        // RFC 8058 one-click: mail clients POST to the link; it turns off reminders and digests, nothing else.
        message.Headers.Add("List-Unsubscribe", $"<{unsubscribe}>");
        message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");

        var alternative = new MultipartAlternative
        {
            new TextPart(TextFormat.Plain) { Text = body.Plain() },
            new TextPart(TextFormat.Html) { Text = body.Html(subject, tour.Name) },
        };
        if (invitations.Count == 0)
        {
            message.Body = alternative;
            return message;
        }
        var mixed = new Multipart("mixed") { alternative };
        for (var i = 0; i < invitations.Count; i++)
        {
            var (method, ics) = invitations[i];
            mixed.Add(CalendarPart(ics, method, $"invitation-{i + 1}.ics"));
        }
        message.Body = mixed;
        return message;
    }

    /// <summary>
    /// The address of an on-request stop for a supporter who signed up: venue and full address, the stop's public events
    /// at their local time, and one calendar file per event carrying the address. A supporter is no person of the tour:
    /// no sign-in link, no List-Unsubscribe (there is nothing to turn off; only an address change writes again).
    /// </summary>
    public MimeMessage ComposeForSupporter(MailWork work, TourSnapshot tour, Recipient to, Instant now)
    {
        var t = MailTemplates.For(to.Language);
        var stop = work.Notices.FirstOrDefault()?.Stop ?? throw new InvalidOperationException("A supporter's message needs its stop.");
        stop = stop with { Events = [.. stop.Events.Where(e => e.Public).OrderBy(e => e.Start)] };
        var values = new Dictionary<string, string>
        {
            ["tour"] = tour.Name, ["city"] = stop.City, ["dates"] = t.Dates(stop.Dates),
            ["venue"] = string.Join(", ", new[] { stop.Venue.Name, stop.Venue.Address, $"{stop.City}, {stop.Country}" }.Where(x => !string.IsNullOrWhiteSpace(x))),
        };
        var subject = t.Text($"kinds.{work.Kind}.subject", values);
        var body = new Body(t);
        body.Paragraph(t.Text("supporter.greeting"));
        body.Paragraph(t.Text($"kinds.{work.Kind}.intro", values));
        body.Paragraph(t.Text("supporter.where", values));
        body.List(t.Text("supporter.eventsHeading", values), stop.Events.Select(e => EventLine(t, stop, e, null)));
        var page = new Uri(FeedLinks.PageUrl(links, tour.Slug));
        var files = stop.Events.Select(e => FeedWriter.WriteSingleEvent(TourFeeds.EventOf(tour, stop, e, page, fullAddress: true))).ToList();
        if (files.Count > 0) body.Note(t.Text("supporter.calendarNote"));
        body.Footer(t.Text("supporter.footer", values));

        var message = Envelope(work, to, subject, t, now);
        var alternative = new MultipartAlternative
        {
            new TextPart(TextFormat.Plain) { Text = body.Plain() },
            new TextPart(TextFormat.Html) { Text = body.Html(subject, tour.Name) },
        };
        if (files.Count == 0)
        {
            message.Body = alternative;
            return message;
        }
        var mixed = new Multipart("mixed") { alternative };
        for (var i = 0; i < files.Count; i++)
            mixed.Add(CalendarPart(files[i], "PUBLISH", $"event-{i + 1}.ics"));
        message.Body = mixed;
        return message;
    }

    private MimeMessage Envelope(MailWork work, Recipient to, string subject, MailTemplates t, Instant now)
    {
        var message = new MimeMessage();
        message.From.Add(settings.FromAddress.Name is { Length: > 0 } ? settings.FromAddress : new MailboxAddress("TourPlanner", settings.FromAddress.Address));
        message.To.Add(new MailboxAddress(to.Name, to.Email));
        message.Subject = subject;
        message.MessageId = $"{work.MessageId}@{settings.Domain}";
        message.Date = now.ToDateTimeOffset();
        message.Headers.Add("Content-Language", t.Language);
        message.Headers.Add("Auto-Submitted", "auto-generated");
        return message;
    }

    private static MimePart CalendarPart(byte[] ics, string method, string fileName)
    {
        var part = new MimePart("text", "calendar")
        {
            Content = new MimeContent(new MemoryStream(ics)),
            ContentTransferEncoding = ContentEncoding.Base64,
            ContentDisposition = new ContentDisposition(ContentDisposition.Attachment) { FileName = fileName },
        };
        part.ContentType.Charset = "utf-8";
        part.ContentType.Parameters.Add("method", method);
        return part;
    }

    private static string Expiry(MailTemplates t, Instant at, string zoneId)
    {
        var zone = LocalTimes.FindZone(zoneId) ?? DateTimeZone.Utc;
        return t.DateTime(at.InZone(zone).LocalDateTime, zone.Id);
    }

    private static string EventLine(MailTemplates t, StopSnapshot stop, StopEvent e, string? mark)
    {
        var view = EventViews.Of(stop, e);
        var where = string.Join(", ", new[] { stop.Venue.Name, stop.Venue.Address }.Where(x => !string.IsNullOrWhiteSpace(x)));
        var notes = new[] { e.Public ? null : t.Text("private"), mark }.Where(x => x is not null).ToList();
        return $"{e.Title} — {t.DateTime(view.LocalStart, view.TimeZone)}" + (where.Length > 0 ? $" — {where}" : "") +
               (notes.Count > 0 ? $" ({string.Join(", ", notes)})" : "");
    }

    /// <summary>The message's words, kept once and written both as plain text and as simple, inline-styled HTML.</summary>
    private sealed class Body(MailTemplates t)
    {
        private readonly StringBuilder _plain = new();
        private readonly StringBuilder _html = new();
        private string _footer = "";
        private string _footerHtml = "";

        public void Paragraph(string text)
        {
            _plain.Append(text).Append("\n\n");
            _html.Append("<p style=\"margin:0 0 14px\">").Append(Enc(text)).Append("</p>\n");
        }

        public void List(string? heading, IEnumerable<string> items)
        {
            var all = items.ToList();
            if (all.Count == 0) return;
            if (heading is not null)
            {
                _plain.Append(heading).Append('\n');
                _html.Append("<p style=\"margin:0 0 6px;font-weight:600\">").Append(Enc(heading)).Append("</p>\n");
            }
            _html.Append("<ul style=\"margin:0 0 14px;padding-left:20px\">\n");
            foreach (var item in all)
            {
                _plain.Append("- ").Append(item).Append('\n');
                _html.Append("<li style=\"margin:0 0 6px\">").Append(Enc(item)).Append("</li>\n");
            }
            _html.Append("</ul>\n");
            _plain.Append('\n');
        }

        public void Button(string label, string url)
        {
            _plain.Append(label).Append(": ").Append(url).Append("\n\n");
            _html.Append("<p style=\"margin:20px 0\"><a href=\"").Append(Enc(url))
                .Append("\" style=\"display:inline-block;background:#1d4ed8;color:#ffffff;padding:12px 20px;border-radius:6px;text-decoration:none;font-weight:600\">")
                .Append(Enc(label)).Append("</a></p>\n");
        }

        public void Note(string text)
        {
            _plain.Append(text).Append("\n\n");
            _html.Append("<p style=\"margin:0 0 10px;font-size:13px;color:#52525b\">").Append(Enc(text)).Append("</p>\n");
        }

        public void Footer(string about, string unsubscribe, string linkLabel, string url)
        {
            _footer = $"-- \n{about}\n{unsubscribe} {url}\n";
            _footerHtml = $"<p style=\"margin:16px 0 0;font-size:12px;color:#71717a\">{Enc(about)}<br>{Enc(unsubscribe)} <a href=\"{Enc(url)}\" style=\"color:#52525b\">{Enc(linkLabel)}</a></p>";
        }

        public void Footer(string about)
        {
            _footer = $"-- \n{about}\n";
            _footerHtml = $"<p style=\"margin:16px 0 0;font-size:12px;color:#71717a\">{Enc(about)}</p>";
        }

        public string Plain() => _plain.ToString().TrimEnd() + "\n\n" + _footer;

        public string Html(string subject, string tourName) => $"""
            <!doctype html>
            <html lang="{t.Language}">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{Enc(subject)}</title></head>
            <body style="margin:0;padding:0;background:#f4f4f5;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;font-size:16px;line-height:1.5;color:#18181b">
            <div style="max-width:560px;margin:0 auto;padding:24px 16px">
            <p style="margin:0 0 12px;font-weight:700;color:#1d4ed8">TourPlanner · {Enc(tourName)}</p>
            <div style="background:#ffffff;border-radius:8px;padding:24px">
            {_html}</div>
            {_footerHtml}
            </div>
            </body>
            </html>
            """;

        private static string Enc(string text) => WebUtility.HtmlEncode(text);
    }
}
