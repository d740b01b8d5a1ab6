using TourPlanner.Gateway.Infrastructure;
using TourPlanner.Grains;

namespace TourPlanner.Gateway.Speakers;

/// <summary>
/// A speaker's private calendar feed, ready for the common calendar apps. <see cref="Ics"/> is the feed itself (a
/// download, or a URL to paste), <see cref="Webcal"/> opens the phone's calendar app, Google and Outlook add it by URL.
/// </summary>
public sealed record PrivateFeedLinkDto(string TokenId, string Ics, string Webcal, string Google, string Outlook);

/// <summary>
/// Issues a link for a speaker's private feed. Calendar apps cannot send headers, so the feed's token travels in its
/// URL and ends up stored by whichever app subscribes: it is a link of its own, not the one the speaker's page was
/// opened with, so the organizer can revoke it alone (it shows in the tour's links, issued by the speaker) without
/// cutting the speaker off their page. The speaker may ask for their own; the organizer for anyone's.
/// </summary>
public static class FeedLinkApi
{
    public static RouteHandlerBuilder MapFeedLinkApi(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/tours/{id}/speakers/{speakerId}/feed-link", IssueAsync).WithTags("Speakers").WithName("IssueSpeakerFeedLink")
            .WithSummary("A new link for the speaker's private calendar feed, shown once (that speaker, or the organizer); ?lang=en|es names the feed's language.")
            .RequireRole(Role.Organizer, Role.Speaker).CheckIdempotencyKey().Produces<PrivateFeedLinkDto>().ProducesProblem(403).ProducesProblem(404);

    private static async Task<IResult> IssueAsync(string speakerId, string? lang, Caller caller, HttpContext http, PublicLinks links)
    {
        if (!caller.IsOrganizer && !caller.IsSpeaker(speakerId)) return Outcomes.Problem(403, Text.Of(RequestCodes.FeedLinkOwnOnly));
        if (lang is not (null or "en" or "es")) return Outcomes.Invalid("lang", Text.Of(Codes.FieldLanguage, Arg.Plain("field", "lang")));
        var tour = (await caller.Tour.GetAsync())!;
        if (tour.Speakers.FirstOrDefault(s => s.Id == speakerId) is not { } speaker) return Outcomes.Problem(404, Text.Of(RequestCodes.NoSuchSpeaker));
        var outcome = await caller.Tour.IssueLinkAsync(caller.Command(http), Role.Speaker, speakerId, revokeOthers: false);
        return outcome.ToHttp(link => TypedResults.Ok(For(links, tour.Slug, $"{tour.Name} — {speaker.Name}", link, lang)));
    }

    public static PrivateFeedLinkDto For(PublicLinks links, string slug, string name, IssuedLink link, string? lang)
    {
        var https = links.Absolute($"/tours/{Uri.EscapeDataString(slug)}/private.ics?token={Uri.EscapeDataString(link.Token)}{(lang is null ? "" : "&lang=" + lang)}");
        var webcal = "webcal://" + https[(https.IndexOf("://", StringComparison.Ordinal) + 3)..];
        return new PrivateFeedLinkDto(link.TokenId, https, webcal,
            $"https://calendar.google.com/calendar/r?cid={Uri.EscapeDataString(webcal)}",
            $"https://outlook.live.com/calendar/0/addfromweb?url={Uri.EscapeDataString(https)}&name={Uri.EscapeDataString(name)}");
    }
}
