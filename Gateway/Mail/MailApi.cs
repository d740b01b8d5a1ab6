using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using NodaTime;
using TourPlanner.Gateway.Infrastructure;
using TourPlanner.Gateway.Pages;
using TourPlanner.Gateway.Tours;
using TourPlanner.Grains;

namespace TourPlanner.Gateway.Mail;

public sealed record SignInRequest(string? Token);

public sealed record LinkRequest(string? Email);

/// <summary>The organizer's view of the tour's mail: on or off (and why), what waits, what failed and why.</summary>
public sealed record MailStatusDto(bool Enabled, string? OffReason, string? OffDetail, int Queued, int Sent,
    IReadOnlyList<UndeliveredDto> Undelivered, IReadOnlyList<string> Unsubscribed);

/// <summary>A message not delivered (yet): <c>reason</c> in the caller's language, <c>reasonCode</c> stable.</summary>
public sealed record UndeliveredDto(string Kind, string RecipientRole, string RecipientId, string? To, string Status, int Attempts,
    string? Reason, Instant? NextAttemptAt, Instant CreatedAt, string? ReasonCode);

/// <summary>The answer to "e-mail me my link", the same whether or not the address is known.</summary>
public sealed record LinkRequestAcceptedDto(string Status, string Code, string Detail);

/// <summary>Message codes of mail's endpoints (the catalogue words them; a test reads this class by reflection).</summary>
public static class MailRequestCodes
{
    public static readonly MessageCode OffNotConfigured = new("mail.off.not-configured");
    public static readonly MessageCode OffNoPublicAddress = new("mail.off.public-base-url-unset");
    public static readonly MessageCode OffAskOrganizer = new("mail.off.ask-organizer");
    public static readonly MessageCode LinkAccepted = new("mail.link-accepted");
    public static readonly MessageCode LinkRequestsLimited = new("rate.link-requests");
}

/// <summary>What a sign-in link turned into: the person's page, with a standing link of its own in the fragment.</summary>
public sealed record SignedInDto(string Role, string PersonId, string TokenId, string Token, string Url);

/// <summary>
/// Mail's endpoints: the organizer's mail status, spending a sign-in link, "e-mail me my link" (rate-limited per
/// address and per client, never telling whether the address is known), and unsubscribing from reminders and digests.
/// </summary>
public static class MailApi
{
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static IEndpointRouteBuilder MapMailApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/tours/{id}").WithTags("Mail");
        api.MapGet("/mail", StatusAsync).WithName("MailStatus")
            .WithSummary("Whether e-mail is on, what waits, and which messages could not be delivered and why (organizer).")
            .RequireRole(Role.Organizer).Produces<MailStatusDto>();
        api.MapPost("/signin", SignInAsync).WithName("SignIn")
            .WithSummary("Spend a single-use sign-in link from a message; returns a new standing link for the same person (their other links keep working).")
            .Produces<SignedInDto>().ProducesProblem(410).ProducesProblem(404);
        api.MapPost("/mail/link", RequestLinkAsync).WithName("EmailMyLink")
            .WithSummary("E-mail me my link: a sign-in link goes to this address if it belongs to someone of the tour; the answer is the same either way.")
            .Produces(202).ProducesValidationProblem().ProducesProblem(429).ProducesProblem(503);

        var pages = app.MapGroup("").WithTags("Pages").ExcludeFromDescription().AddEndpointFilter(async (context, next) =>
        {
            var headers = context.HttpContext.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers["Referrer-Policy"] = "no-referrer";
            headers.XContentTypeOptions = "nosniff";
            headers.CacheControl = "no-store";
            headers["X-Robots-Tag"] = "noindex";
            return await next(context);
        });
        pages.MapGet("/signin/{tourId}", SignInPage).WithName("SignInPage");
        pages.MapGet("/t/{slug}/link", LinkPageAsync).WithName("LinkRequestPage");
        pages.MapPost("/t/{slug}/link", LinkFormAsync).WithName("LinkRequestForm").DisableAntiforgery();
        pages.MapGet("/mail/unsubscribe/{tourId}", UnsubscribePage).WithName("UnsubscribePage");
        pages.MapPost("/mail/unsubscribe/{tourId}", UnsubscribeAsync).WithName("Unsubscribe").DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> StatusAsync(Caller caller, MailSettings settings, PublicLinks links, IGrainFactory grains, HttpContext http)
    {
        var status = await grains.GetGrain<ITourMailGrain>(caller.TourId).GetStatusAsync();
        // Addresses are not stored with the messages: each is shown as the tour has it now.
        var tour = grains.GetGrain<ITourGrain>(caller.TourId);
        var snapshot = status.Undelivered.IsEmpty ? null : await tour.GetAsync();
        var hosts = snapshot is null ? new Dictionary<string, HostSnapshot>() : (await tour.GetHostsAsync()).ToDictionary(h => h.HostId);
        string? AddressOf(MailRecordView u) => snapshot is null ? null : MailSender.RecipientOf(snapshot, hosts, u.RecipientRole, u.RecipientId)?.Email;
        var words = Wording.Of(http);
        var off = settings.OffReason(links);
        MessageCode? offCode = off switch
        {
            MailSettings.OffNotConfigured => MailRequestCodes.OffNotConfigured,
            MailSettings.OffNoPublicAddress => MailRequestCodes.OffNoPublicAddress,
            _ => null,
        };
        http.Response.Headers.ContentLanguage = words.Language;
        return TypedResults.Ok(new MailStatusDto(off is null, off, offCode is null ? null : words.Say(offCode), status.Queued, status.Sent,
            [.. status.Undelivered.Select(u => new UndeliveredDto(u.Kind, u.RecipientRole.ToString().ToLowerInvariant(), u.RecipientId, AddressOf(u),
                u.Status.ToString().ToLowerInvariant(), u.Attempts, u.LastError is { } why ? words.Say(why) : null, u.NextAttemptAt, u.CreatedAt,
                u.LastError?.Code))],
            status.Unsubscribed));
    }

    private static async Task<IResult> SignInAsync(string id, SignInRequest? body, HttpContext http, IGrainFactory grains, FailedTokenLog failures)
    {
        if (failures.IsBlocked(http))
            return Outcomes.Problem(429, Text.Of(RequestCodes.RateTokens));
        if (string.IsNullOrEmpty(body?.Token)) return Outcomes.Invalid("token", Text.Of(Codes.FieldRequired, Arg.Plain("field", "token")));
        if (!Access.LooksLikeTourId(id)) return Outcomes.Problem(404, Text.Of(Codes.TourNotFound));
        var outcome = await grains.GetGrain<ITourGrain>(id).ExchangeSignInAsync(body.Token);
        if (outcome.Kind == OutcomeKind.Gone) failures.Record(http);
        return outcome.ToHttp(l => TypedResults.Ok(new SignedInDto(l.Role.ToString().ToLowerInvariant(), l.PersonId, l.TokenId, l.Token,
            LinkIssuing.UrlOf(id, l.Role, l))));
    }

    private static async Task<IResult> RequestLinkAsync(string id, LinkRequest? body, HttpContext http, LinkRequests requests, IGrainFactory grains)
    {
        if (!Access.LooksLikeTourId(id) || await grains.GetGrain<ITourGrain>(id).GetFeedStampAsync() is null)
            return Outcomes.Problem(404, Text.Of(Codes.TourNotFound));
        switch (await requests.HandleAsync(id, body?.Email, http))
        {
            case LinkRequestResult.Accepted:
                var words = Wording.Of(http);
                http.Response.Headers.ContentLanguage = words.Language;
                return TypedResults.Json(new LinkRequestAcceptedDto("accepted", MailRequestCodes.LinkAccepted.Code, words.Say(MailRequestCodes.LinkAccepted)),
                    statusCode: 202);
            case LinkRequestResult.Invalid:
                return Outcomes.Invalid("email", Text.Of(Codes.FieldEmail, Arg.Plain("field", "email")));
            case LinkRequestResult.Limited:
                http.Response.Headers.RetryAfter = "3600";
                return Outcomes.Problem(429, Text.Of(MailRequestCodes.LinkRequestsLimited));
            default:
                return Outcomes.Problem(503, Text.Of(MailRequestCodes.OffAskOrganizer));
        }
    }

    private static IResult SignInPage(string tourId, HttpRequest request)
    {
        var lang = PagesApi.LanguageOf(request);
        var t = MailTemplates.For(lang);
        var html = PagesApi.Head(lang, t.Text("pages.signinTitle"), null, "signin.js") + $"""
            <main id="app" data-page="signin" data-tour-id="{PagesApi.Attr(tourId)}" tabindex="-1">
            <p class="status" role="status" data-signin="working">{Enc(t.Text("pages.signinTitle"))}</p>
            <div class="alert" role="alert" data-signin="failed" hidden>
            <p>{Enc(t.Text("pages.signinFailed"))}</p>
            </div>
            <noscript><p class="alert">{PageAssets.Text(lang, "noscript")}</p></noscript>
            </main>
            </body>
            </html>
            """;
        return TypedResults.Content(html, "text/html; charset=utf-8");
    }

    private static async Task<IResult> LinkPageAsync(string slug, HttpRequest request, IGrainFactory grains) =>
        await TourBySlugAsync(grains, slug) is not { } tour
            ? Outcomes.Problem(404, Text.Of(RequestCodes.NoTourAtAddress))
            : LinkPage(request, tour, message: null, isError: false);

    private static async Task<IResult> LinkFormAsync(string slug, HttpContext http, IGrainFactory grains, LinkRequests requests)
    {
        if (await TourBySlugAsync(grains, slug) is not { } tour) return Outcomes.Problem(404, Text.Of(RequestCodes.NoTourAtAddress));
        var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync() : null;
        var t = MailTemplates.For(PagesApi.LanguageOf(http.Request));
        var result = await requests.HandleAsync(tour.TourId, form?["email"].ToString(), http);
        if (result == LinkRequestResult.Limited) http.Response.StatusCode = 429;
        return result switch
        {
            LinkRequestResult.Accepted => LinkPage(http.Request, tour, t.Text("pages.linkSent"), isError: false),
            LinkRequestResult.Invalid => LinkPage(http.Request, tour, t.Text("pages.badEmail"), isError: true),
            LinkRequestResult.Limited => LinkPage(http.Request, tour, t.Text("pages.tooMany"), isError: true),
            _ => LinkPage(http.Request, tour, t.Text("pages.mailOff"), isError: true),
        };
    }

    private static IResult LinkPage(HttpRequest request, TourSnapshot tour, string? message, bool isError)
    {
        var lang = PagesApi.LanguageOf(request);
        var t = MailTemplates.For(lang);
        var action = $"/t/{Uri.EscapeDataString(tour.Slug)}/link?lang={lang}";
        var html = PagesApi.Head(lang, $"{t.Text("pages.linkTitle")} · {tour.Name}", null, "signin.js") + $"""
            <main id="app" data-page="link" tabindex="-1">
            <h1>{Enc(t.Text("pages.linkTitle"))}</h1>
            <p>{Enc(tour.Name)}</p>
            {(message is null ? "" : $"""<p class="{(isError ? "alert" : "status")}" role="{(isError ? "alert" : "status")}">{Enc(message)}</p>""")}
            <p>{Enc(t.Text("pages.linkLead"))}</p>
            <form method="post" action="{PagesApi.Attr(action)}">
            <label for="email">{Enc(t.Text("pages.emailLabel"))}</label>
            <input id="email" name="email" type="email" autocomplete="email" required maxlength="254">
            <button type="submit">{Enc(t.Text("pages.send"))}</button>
            </form>
            </main>
            </body>
            </html>
            """;
        return TypedResults.Content(html, "text/html; charset=utf-8");
    }

    private static IResult UnsubscribePage(string tourId, string? u, HttpRequest request)
    {
        // A GET changes nothing: mail scanners open links. The button POSTs, as RFC 8058's one-click does.
        var lang = PagesApi.LanguageOf(request);
        var t = MailTemplates.For(lang);
        var action = $"/mail/unsubscribe/{Uri.EscapeDataString(tourId)}?u={Uri.EscapeDataString(u ?? "")}&lang={lang}";
        return Page(lang, t.Text("pages.unsubscribeTitle"), $"""
            <p>{Enc(t.Text("pages.unsubscribeLead"))}</p>
            <form method="post" action="{PagesApi.Attr(action)}"><button type="submit">{Enc(t.Text("pages.unsubscribeButton"))}</button></form>
            """);
    }

    private static async Task<IResult> UnsubscribeAsync(string tourId, string? u, HttpRequest request, IGrainFactory grains)
    {
        var lang = PagesApi.LanguageOf(request);
        var t = MailTemplates.For(lang);
        var done = Access.LooksLikeTourId(tourId) && u is { Length: > 0 and <= 200 } && await grains.GetGrain<ITourMailGrain>(tourId).UnsubscribeAsync(u);
        if (!done) request.HttpContext.Response.StatusCode = 404;
        return Page(lang, t.Text("pages.unsubscribeTitle"),
            $"""<p class="{(done ? "status" : "alert")}" role="status">{Enc(t.Text(done ? "pages.unsubscribed" : "pages.unsubscribeBad"))}</p>""");
    }

    private static IResult Page(string lang, string title, string content) =>
        TypedResults.Content(PagesApi.Head(lang, title, null, "signin.js") + $"""
            <main id="app" data-page="mail" tabindex="-1">
            <h1>{Enc(title)}</h1>
            {content}
            </main>
            </body>
            </html>
            """, "text/html; charset=utf-8");

    private static async Task<TourSnapshot?> TourBySlugAsync(IGrainFactory grains, string slug) =>
        Slugs.LooksLikeSlug(slug) && await grains.GetGrain<ITourSlugGrain>(slug).GetTourIdAsync() is { } tourId
            ? await grains.GetGrain<ITourGrain>(tourId).GetAsync()
            : null;

    private static string Enc(string text) => WebUtility.HtmlEncode(text);
}

public enum LinkRequestResult { Accepted, Invalid, Limited, MailOff }

/// <summary>Rate limits for "e-mail me my link" (<c>RateLimits</c> section).</summary>
public sealed record LinkRequestLimits
{
    /// <summary>Links one client address may ask for per hour, whatever the e-mail addresses.</summary>
    public int LinkRequestsPerClientPerHour { get; init; } = 10;
    /// <summary>Links one e-mail address may be sent per hour, whoever asks.</summary>
    public int LinkRequestsPerAddressPerHour { get; init; } = 3;
}

/// <summary>
/// "E-mail me my link". Every well-formed request gets the same answer at the same speed, known address or not: the
/// lookup and the queueing happen after the answer. Limits count per client and per address (hashed), so neither a
/// flood from one client nor one address bombarded from many clients gets through, and a limit reached says nothing
/// about whether the address is known.
/// </summary>
public sealed class LinkRequests(LinkRequestLimits limits, MailSettings settings, PublicLinks links, IGrainFactory grains, IClock clock,
    ILogger<LinkRequests> logger) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _perClient = RateLimits.PerHour(limits.LinkRequestsPerClientPerHour);
    private readonly PartitionedRateLimiter<string> _perAddress = RateLimits.PerHour(limits.LinkRequestsPerAddressPerHour);

    public async Task<LinkRequestResult> HandleAsync(string tourId, string? email, HttpContext http)
    {
        var address = email?.Trim() ?? "";
        var errors = new ValidationErrors();
        Grains.Domain.Tours.PeopleDecisions.CheckEmail(errors, "email", address);
        if (address.Length == 0 || errors.Any) return LinkRequestResult.Invalid;
        if (settings.OffReason(links) is not null) return LinkRequestResult.MailOff;
        using (var client = _perClient.AttemptAcquire(FailedTokenLog.ClientOf(http)))
        {
            if (!client.IsAcquired) return LinkRequestResult.Limited;
        }
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{tourId}\n{address.ToLowerInvariant()}")));
        using (var perAddress = _perAddress.AttemptAcquire(key))
        {
            if (!perAddress.IsAcquired) return LinkRequestResult.Limited;
        }
        var now = clock.GetCurrentInstant();
        _ = Task.Run(async () =>
        {
            try
            {
                await grains.GetGrain<ITourMailGrain>(tourId).RequestLinkAsync(address, now);
            }
            catch (Exception ex)
            {
                logger.LogWarning("A link request for tour {TourId} could not be queued: {Error}", tourId, ex.Message);
            }
        });
        await Task.CompletedTask;
        return LinkRequestResult.Accepted;
    }

    public void Dispose()
    {
        _perClient.Dispose();
        _perAddress.Dispose();
    }
}
