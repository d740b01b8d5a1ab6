using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Privacy;

/// <summary>
/// The public page's sign-up form without script (a plain form POST answered with a page, Post/Redirect/Get), and the
/// limits that keep sign-ups from becoming a way to flood someone's mailbox: per client, per e-mail address, and one
/// sign-up (so one message) per address and stop.
/// </summary>
public sealed class SignupFormTests
{
    private static FormUrlEncodedContent Form(string email, bool share) =>
        new(share ? [new("email", email), new("shareWithHost", "true")] : [new KeyValuePair<string, string>("email", email)]);

    private static async Task<System.Text.Json.JsonElement> SignupsAsync(PrivateTour tour) =>
        await ApiScenario.Ok(await tour.Client.SendAsync(HttpMethod.Get, $"/api/tours/{tour.TourId}/stops/{tour.StopId}/signups", tour.Organizer), HttpStatusCode.OK);

    [Fact]
    public async Task ABadEmail_PostedWithoutScript_AnswersThePageInSpanishWithTheError_KeepsWhatWasTyped_AndStoresNothing()
    {
        using var gateway = new ConfiguredGateway(new Dictionary<string, string>());
        var client = gateway.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var tour = await PrivateTour.CreateAsync(client, "on-request", signUp: false);

        var response = await client.PostAsync($"/t/{tour.Slug}/stops/{tour.StopId}/signup?lang=es", Form("esto no es un correo", share: true));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("<html lang=\"es\">", html);
        Assert.Contains("email no es una dirección de correo electrónico.", html);
        Assert.Contains("value=\"esto no es un correo\"", html);
        Assert.Contains("aria-invalid=\"true\"", html);
        Assert.Contains("Dirección enviada a quienes se inscriban", html);
        Assert.DoesNotContain(PrivateTour.Address, html);
        Assert.Equal(0, (await SignupsAsync(tour)).GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task AGoodEmail_PostedWithoutScript_RedirectsToThePageWithAConfirmation_AndTheSameAddressTwiceIsOneSignup()
    {
        using var gateway = new ConfiguredGateway(new Dictionary<string, string>());
        var client = gateway.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var tour = await PrivateTour.CreateAsync(client, "on-request", signUp: false);

        var response = await client.PostAsync($"/t/{tour.Slug}/stops/{tour.StopId}/signup?lang=es", Form(PrivateTour.SupporterEmail, share: true));
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var location = response.Headers.Location!.ToString();
        Assert.Equal($"/t/{tour.Slug}?lang=es&signup={tour.StopId}#stop-{tour.StopId}", location);

        var page = WebUtility.HtmlDecode(await client.GetStringAsync(location));
        Assert.Contains("Gracias. La dirección va camino de su correo", page);
        Assert.DoesNotContain("signup-form", page); // the form gives way to the confirmation
        Assert.DoesNotContain(PrivateTour.Address, page);
        Assert.DoesNotContain(PrivateTour.SupporterEmail, page);

        var again = await client.PostAsync($"/t/{tour.Slug}/stops/{tour.StopId}/signup?lang=es", Form(PrivateTour.SupporterEmail.ToUpperInvariant(), share: false));
        Assert.Equal(HttpStatusCode.SeeOther, again.StatusCode);
        var signups = await SignupsAsync(tour);
        Assert.Equal(1, signups.GetProperty("count").GetInt32());
        var only = signups.GetProperty("signups")[0];
        Assert.Equal(PrivateTour.SupporterEmail, only.Str("email"));
        Assert.True(only.GetProperty("shareWithHost").GetBoolean());
    }

    [Fact]
    public async Task AStopWhoseAddressIsNotOnRequest_HasNoForm_AndAPostedFormIsRefusedOnThePage()
    {
        using var gateway = new ConfiguredGateway(new Dictionary<string, string>());
        var client = gateway.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var tour = await PrivateTour.CreateAsync(client, "city", signUp: false);
        Assert.DoesNotContain("signup-form", await client.GetStringAsync($"/t/{tour.Slug}"));

        var response = await client.PostAsync($"/t/{tour.Slug}/stops/{tour.StopId}/signup?lang=en", Form("someone@example.org", share: false));
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("The address of the stop in Chicago is not sent on request.", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
        Assert.Equal(0, (await SignupsAsync(tour)).GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task AHugeForm_IsRefusedAsABadEmail_NotAnError()
    {
        using var gateway = new ConfiguredGateway(new Dictionary<string, string>());
        var client = gateway.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var tour = await PrivateTour.CreateAsync(client, "on-request", signUp: false);
        var response = await client.PostAsync($"/t/{tour.Slug}/stops/{tour.StopId}/signup?lang=en", Form(new string('a', 200_000) + "@example.org", share: false));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("email is not an e-mail address.", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
        Assert.Equal(0, (await SignupsAsync(tour)).GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task TheSignupAfterTheLimit_FromOneClient_Is429InTheCallersLanguage_ByApiAndByForm_AndStoresNothing()
    {
        using var gateway = new ConfiguredGateway(new Dictionary<string, string> { ["RateLimits:SignupsPerClientPerHour"] = "3" });
        var client = gateway.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var tour = await PrivateTour.CreateAsync(client, "on-request", signUp: false);
        for (var i = 0; i < 3; i++)
            await ApiScenario.Ok(await client.SendAsync(HttpMethod.Post, $"/api/tours/{tour.TourId}/stops/{tour.StopId}/signups",
                body: new { email = $"supporter{i}@example.org" }), HttpStatusCode.Accepted);

        var refused = await client.SendAsync(HttpMethod.Post, $"/api/tours/{tour.TourId}/stops/{tour.StopId}/signups?lang=es",
            body: new { email = "victim@example.org" });
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(refused.Headers.RetryAfter);
        var problem = await refused.JsonAsync();
        Assert.StartsWith("Se enviaron demasiadas inscripciones", problem.Str("detail"));

        var page = await client.PostAsync($"/t/{tour.Slug}/stops/{tour.StopId}/signup?lang=es", Form("victim@example.org", share: false));
        Assert.Equal(HttpStatusCode.TooManyRequests, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Se enviaron demasiadas inscripciones", WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync()));

        var signups = await SignupsAsync(tour);
        Assert.Equal(3, signups.GetProperty("count").GetInt32());
        Assert.DoesNotContain("victim@example.org", signups.GetRawText());
    }

    [Fact]
    public async Task OneEmailAddress_IsGivenOnlySoManySignupsAnHour_WhoeverSendsThem()
    {
        using var gateway = new ConfiguredGateway(new Dictionary<string, string>
        {
            ["RateLimits:SignupsPerClientPerHour"] = "100", ["RateLimits:SignupsPerAddressPerHour"] = "2",
        });
        var client = gateway.CreateClient();
        var tour = await PrivateTour.CreateAsync(client, "on-request", signUp: false);
        for (var i = 0; i < 2; i++)
            Assert.Equal(HttpStatusCode.Accepted, (await client.SendAsync(HttpMethod.Post, $"/api/tours/{tour.TourId}/stops/{tour.StopId}/signups",
                body: new { email = "victim@example.org" })).StatusCode);
        var refused = await client.SendAsync(HttpMethod.Post, $"/api/tours/{tour.TourId}/stops/{tour.StopId}/signups", body: new { email = "Victim@Example.org " });
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        // Another address is not held back by it.
        Assert.Equal(HttpStatusCode.Accepted, (await client.SendAsync(HttpMethod.Post, $"/api/tours/{tour.TourId}/stops/{tour.StopId}/signups",
            body: new { email = "someone.else@example.org" })).StatusCode);
    }
}
