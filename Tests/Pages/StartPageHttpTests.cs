using System.Net;
using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Pages;

/// <summary>The start page as the server sends it: readable before any script runs, in the visitor's language, locked down.</summary>
[Collection(GatewayCollection.Name)]
public sealed class StartPageHttpTests(GatewayFactory factory)
{
    [Theory]
    [InlineData("en", "Plan a speaking tour with the groups that host it")]
    [InlineData("es", "Planee una gira de charlas con los grupos que la reciben")]
    public async Task Root_IsTheStartPage_InTheBrowsersLanguage_WithItsThreeLinesAndNoInlineScript(string lang, string title)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.AcceptLanguage.ParseAdd(lang == "es" ? "es-MX,es;q=0.9" : "en-US");
        var response = await factory.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains($"<html lang=\"{lang}\">", html);
        Assert.Contains(title, html);
        Assert.Equal(3, html.Split("data-i18n=\"start.line").Length - 1);
        Assert.Contains("src=\"/assets/start.js\"", html);
        // Without Gateway:TourCreationKey anyone may create a tour, so the form asks for no key.
        Assert.Contains("data-creation-key=\"none\"", html);
        Assert.DoesNotContain("<script>", html);
        Assert.Contains("script-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task TheStartScript_IsServed()
    {
        var response = await factory.CreateClient().GetAsync("/assets/start.js");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("/api/tours", await response.Content.ReadAsStringAsync());
    }
}
