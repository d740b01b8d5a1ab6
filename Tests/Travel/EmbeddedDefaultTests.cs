using System.Net;
using Microsoft.Extensions.DependencyInjection;
using TourPlanner.Grains.Domain;
using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Travel;

/// <summary>With no outbound settings the embedded default needs no network.</summary>
[Collection(GatewayCollection.Name)]
public sealed class EmbeddedDefaultTests(GatewayFactory gateway)
{
    [Fact]
    public void Estimator_WithoutAnOsrmUrl_IsTheBuiltInModel() =>
        Assert.IsType<GreatCircleTravelEstimator>(gateway.Services.GetRequiredService<ITravelTimeEstimator>());

    [Fact]
    public async Task Geocode_WithoutANominatimUrl_Returns503NamingTheSetting()
    {
        var body = await ApiScenario.Ok(await gateway.CreateClient().GetAsync("/api/geocode?q=Chicago"), HttpStatusCode.ServiceUnavailable);

        Assert.Contains("Geocoding:NominatimBaseUrl", body.Str("detail"));
    }
}
