using System.Net;
using System.Net.Sockets;
using TourPlanner.Gateway.Venues;
using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Venues;

public class AddressGuardTests
{
    /// <summary>Every kind of address the server must not dial for a host group, and public ones that stay allowed.</summary>
    public static TheoryData<string, string> Refused => new()
    {
        { "127.0.0.1", "loopback" }, { "127.255.255.254", "loopback" }, { "::1", "loopback" },
        { "10.1.2.3", "private" }, { "172.16.0.1", "private" }, { "172.31.255.255", "private" }, { "192.168.1.10", "private" },
        { "169.254.169.254", "link-local (cloud metadata)" }, { "fe80::1", "link-local" },
        { "100.64.0.1", "carrier-grade NAT" }, { "100.127.255.254", "carrier-grade NAT" },
        { "fd00::1", "unique-local" }, { "fc00::1", "unique-local" },
        { "0.0.0.0", "unspecified" }, { "0.1.2.3", "this network" }, { "::", "unspecified" },
        { "224.0.0.1", "multicast" }, { "239.255.255.250", "multicast" }, { "ff02::1", "multicast" },
        { "255.255.255.255", "broadcast" }, { "240.0.0.1", "reserved" },
        { "198.18.0.1", "benchmarking" }, { "198.19.255.255", "benchmarking" }, { "2001:2::1", "benchmarking" },
        { "192.0.0.8", "IETF protocol assignments" }, { "192.88.99.1", "6to4 relay anycast" },
        { "192.0.2.1", "documentation" }, { "198.51.100.7", "documentation" }, { "203.0.113.9", "documentation" },
        { "2001:db8::1", "documentation" }, { "3fff::1", "documentation" },
        { "::ffff:10.0.0.1", "IPv4-mapped" }, { "::ffff:127.0.0.1", "IPv4-mapped" }, { "::ffff:8.8.8.8", "IPv4-mapped" },
        { "::127.0.0.1", "IPv4-compatible" }, { "::169.254.169.254", "IPv4-compatible" },
        { "64:ff9b::a9fe:a9fe", "NAT64 to 169.254.169.254" }, { "64:ff9b::7f00:1", "NAT64 to 127.0.0.1" }, { "64:ff9b:1::1", "local-use NAT64" },
        { "2002:7f00:1::", "6to4 of 127.0.0.1" }, { "2002:a9fe:a9fe::1", "6to4 of 169.254.169.254" },
        { "2001:0:4136:e378:8000:63bf:3fff:fdd2", "Teredo" }, { "2001::1", "Teredo" },
        { "fec0::1", "site-local" }, { "100::1", "discard-only" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void SpecialPurposeAddresses_AreRefused(string address, string kind) =>
        Assert.True(AddressGuard.IsPrivate(IPAddress.Parse(address)), $"{address} ({kind}) must be refused");

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("192.0.3.1")]
    [InlineData("198.20.0.1")]
    [InlineData("2001:4860:4860::8888")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("2a00:1450:4001:80b::200e")]
    public void PublicUnicastAddresses_AreAllowed(string address) =>
        Assert.False(AddressGuard.IsPrivate(IPAddress.Parse(address)));
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
        Assert.Contains("could not be read", warning.Str("message")); // the same words as for any other failure
        Assert.False(listener.Pending(), "the server dialled a loopback address on a host group's behalf");
    }

    [Theory]
    [InlineData("http://127.0.0.1:{0}/cal")]
    [InlineData("http://[::ffff:127.0.0.1]:{0}/cal")]
    [InlineData("http://[::127.0.0.1]:{0}/cal")]
    [InlineData("http://[64:ff9b::7f00:1]:{0}/cal")]
    [InlineData("http://[2002:7f00:1::]:{0}/cal")]
    [InlineData("http://2130706433:{0}/cal")]  // 127.0.0.1 written as one number
    [InlineData("http://0x7f.1:{0}/cal")]      // and in hex shorthand
    [InlineData("http://localhost:{0}/cal")]   // a name that resolves to loopback
    public async Task TheReader_NeverDialsALoopbackAddress_HoweverTheUrlSpellsIt(string template)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var url = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, ((IPEndPoint)listener.LocalEndpoint).Port);
        var reader = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<TourPlanner.Grains.Domain.IVenueCalendar>(factory.Services);
        var busy = await reader.GetBusyAsync(url, NodaTime.Instant.FromUtc(2026, 10, 29, 0, 0), NodaTime.Instant.FromUtc(2026, 10, 30, 0, 0), CancellationToken.None);
        Assert.Equal(TourPlanner.Grains.Domain.VenueBusy.UnreadableReason, busy.Reason);
        Assert.False(listener.Pending(), $"the server dialled {url} on a host group's behalf");
    }
}
