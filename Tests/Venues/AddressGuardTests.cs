using System.Net;
using System.Net.Sockets;
using TourPlanner.Gateway.Venues;
using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Venues;

public class AddressGuardTests
{
    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("10.1.2.3", true)]
    [InlineData("172.16.0.1", true)]
    [InlineData("172.31.255.255", true)]
    [InlineData("192.168.1.10", true)]
    [InlineData("169.254.169.254", true)] // cloud metadata
    [InlineData("100.64.0.1", true)]
    [InlineData("0.0.0.0", true)]
    [InlineData("::1", true)]
    [InlineData("fd00::1", true)]
    [InlineData("fe80::1", true)]
    [InlineData("::ffff:10.0.0.1", true)]
    [InlineData("8.8.8.8", false)]
    [InlineData("172.32.0.1", false)]
    [InlineData("100.128.0.1", false)]
    [InlineData("2001:4860:4860::8888", false)]
    public void PrivateAndLocalAddresses_AreRecognised(string address, bool isPrivate) =>
        Assert.Equal(isPrivate, AddressGuard.IsPrivate(IPAddress.Parse(address)));
}

/// <summary>With the default settings, a host group's calendar URL cannot make the server dial its own network.</summary>
[Collection(GatewayCollection.Name)]
public class VenueAddressTests(GatewayFactory factory)
{
    [Fact]
    public async Task ACalendarUrlOnLoopback_IsNeverDialled_AndConfirmWarnsWhy()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var s = await ApiScenario.CreateAsync(factory.CreateClient());
        var claim = await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/claims", s.HostB, new
        {
            city = "Chicago", country = "US", timeZone = "America/Chicago", latitude = 41.8781, longitude = -87.6298, dates = new[] { "2026-10-30" },
            venue = new { name = "Hall", calendarUrl = $"http://127.0.0.1:{port}/internal/admin" },
            events = new[] { new { title = "Meeting", start = "2026-10-30T19:00", durationMinutes = 60 } },
        }), System.Net.HttpStatusCode.Created);

        var confirmed = await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/claims/{claim.Str("claimId")}/confirm", s.Organizer),
            System.Net.HttpStatusCode.OK);
        var warning = Assert.Single(confirmed.GetProperty("conflicts").EnumerateArray(), c => c.Str("code") == "venue-calendar-unavailable");
        Assert.Contains("private network", warning.Str("message"));
        Assert.False(listener.Pending(), "the server dialled a loopback address on a host group's behalf");
    }
}
