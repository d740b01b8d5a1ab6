using System.Net;
using System.Text;
using System.Text.Json;
using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Privacy;

/// <summary>
/// A tour built through the API with a distinct marker in every private field (organizer and speaker e-mails, a host
/// group's contacts, a venue address not published, a private event's title and description, a supporter's
/// e-mail), confirmed and published, so a test can look for each marker wherever it must not be.
/// </summary>
public sealed class PrivateTour
{
    public const string OrganizerEmail = "organizer.mk7q@example.org";
    public const string OrganizerName = "OrganizerNameMk7q";
    public const string SpeakerEmail = "speaker.mk7q@example.org";
    public const string ContactName = "ContactNameMk7q";
    public const string ContactEmail = "contact.mk7q@example.org";
    public const string ContactPhone = "+1 312 555 7771";
    public const string Address = "77 AddressMk7q Avenue";
    public const string PrivateTitle = "PrivateMeetingMk7q";
    public const string PrivateDescription = "PrivateNotesMk7q";
    public const string SupporterEmail = "supporter.mk7q@example.org";
    public const string Lodging = "LodgingMk7q, 12 Quiet Street";
    public const string LogisticsNotes = "LogisticsNotesMk7q";
    public const string PublicTitle = "Public meeting in Chicago";

    /// <summary>Every private marker; none may be found in the store.</summary>
    public static readonly string[] Markers =
        [OrganizerEmail, OrganizerName, SpeakerEmail, ContactName, ContactEmail, ContactPhone, Address, PrivateTitle, PrivateDescription, SupporterEmail, Lodging, LogisticsNotes, "Mk7q"];

    public required HttpClient Client { get; init; }
    public required string TourId { get; init; }
    public required string Slug { get; init; }
    public required string Organizer { get; init; }
    public required string Speaker { get; init; }
    public required string SpeakerId { get; init; }
    public required string Host { get; init; }
    public required string HostId { get; init; }
    public required string ClaimId { get; init; }
    public required string StopId { get; init; }

    public static async Task<PrivateTour> CreateAsync(HttpClient client, string visibility = "on-request", string language = "en", bool signUp = true)
    {
        var created = await ApiScenario.Ok(await client.SendAsync(HttpMethod.Post, "/api/tours", body: new
        {
            name = "Defend Our Neighbours " + Guid.NewGuid().ToString("N")[..6], timeZone = "America/Chicago", startDate = "2026-10-22", endDate = "2026-11-15",
            organizerEmail = OrganizerEmail, organizerName = OrganizerName, language,
            speakers = new[] { new { name = "Róger Calero", homeTimeZone = "America/New_York", email = SpeakerEmail } },
        }), HttpStatusCode.Created);
        var id = created.Str("id");
        var organizer = created.Str("organizerToken");
        var host = await ApiScenario.Ok(await client.SendAsync(HttpMethod.Post, $"/api/tours/{id}/hosts", organizer,
            new { name = "Chicago Defense Committee", city = "Chicago", contactName = ContactName, contactEmail = ContactEmail, contactPhone = ContactPhone }),
            HttpStatusCode.Created);
        var claim = await ApiScenario.Ok(await client.SendAsync(HttpMethod.Post, $"/api/tours/{id}/claims", host.Str("inviteToken"), new
        {
            city = "Chicago", country = "US", timeZone = "America/Chicago", latitude = 41.8781, longitude = -87.6298, dates = new[] { "2026-10-28" },
            venue = new { name = "Union Hall", address = Address, addressVisibility = visibility },
            events = new object[]
            {
                new { title = PublicTitle, start = "2026-10-28T19:00", durationMinutes = 120, @public = true, description = "All welcome." },
                new { title = PrivateTitle, start = "2026-10-28T12:00", durationMinutes = 60, @public = false, description = PrivateDescription },
            },
        }), HttpStatusCode.Created);
        await ApiScenario.Ok(await client.SendAsync(HttpMethod.Post, $"/api/tours/{id}/claims/{claim.Str("claimId")}/confirm", organizer), HttpStatusCode.OK);
        await ApiScenario.Ok(await client.SendAsync(HttpMethod.Patch, $"/api/tours/{id}/stops/{claim.Str("stopId")}/logistics", host.Str("inviteToken"),
            new { lodging = Lodging, notes = LogisticsNotes }), HttpStatusCode.OK);
        var tour = new PrivateTour
        {
            Client = client, TourId = id, Slug = created.Str("slug"), Organizer = organizer, Speaker = created.GetProperty("speakers")[0].Str("token"),
            SpeakerId = created.GetProperty("speakers")[0].Str("id"), Host = host.Str("inviteToken"), HostId = host.Str("hostId"),
            ClaimId = claim.Str("claimId"), StopId = claim.Str("stopId"),
        };
        if (signUp && visibility == "on-request")
            await ApiScenario.Ok(await client.SendAsync(HttpMethod.Post, $"/api/tours/{id}/stops/{tour.StopId}/signups",
                body: new { email = SupporterEmail, shareWithHost = true }), HttpStatusCode.Accepted);
        return tour;
    }

    /// <summary>The organizer's whole view of the tour, as text.</summary>
    public async Task<string> OrganizerViewAsync() =>
        await (await Client.SendAsync(HttpMethod.Get, $"/api/tours/{TourId}", Organizer)).Content.ReadAsStringAsync();

    /// <summary>The stop's logistics as its host group reads them, as text.</summary>
    public async Task<string> LogisticsAsync() =>
        await (await Client.SendAsync(HttpMethod.Get, $"/api/tours/{TourId}/stops/{StopId}/logistics", Host)).Content.ReadAsStringAsync();

    /// <summary>The markers found in some bytes, read as UTF-8 and as UTF-16 (a store could hold either).</summary>
    public static IReadOnlyList<string> MarkersIn(byte[] bytes)
    {
        var utf8 = Encoding.UTF8.GetString(bytes);
        var utf16 = Encoding.Unicode.GetString(bytes);
        return [.. Markers.Where(m => utf8.Contains(m, StringComparison.OrdinalIgnoreCase) || utf16.Contains(m, StringComparison.OrdinalIgnoreCase))];
    }

    public static IReadOnlyList<string> MarkersIn(string text) => [.. Markers.Where(m => text.Contains(m, StringComparison.OrdinalIgnoreCase))];

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response) => await response.JsonAsync();
}
