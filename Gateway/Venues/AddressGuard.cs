using System.Net;
using System.Net.Sockets;

namespace TourPlanner.Gateway.Venues;

/// <summary>The calendar's host resolves only to addresses the server must not reach on a host group's behalf.</summary>
public sealed class AddressNotAllowedException(string host) : IOException($"{host} resolves only to private, local or special-purpose addresses.");

/// <summary>
/// A venue calendar URL comes from a host group, and the server fetches it: without a guard, anyone with an invite
/// link could make the server probe its own network (SSRF), including cloud metadata at 169.254.169.254. The check
/// runs in the connect step on the addresses actually dialled, so a DNS answer that changes between a check and the
/// connection (DNS rebinding) cannot slip through.
/// </summary>
/// <remarks>
/// IPv6 is allowed only inside global unicast (2000::/3), less the blocks inside it that are not plain public hosts.
/// An allow-list rather than a deny-list, because IPv6 keeps growing ways to embed an IPv4 address (IPv4-mapped,
/// IPv4-compatible, NAT64, 6to4, Teredo): each of them can lead to 127.0.0.1 or 169.254.169.254 through a translator,
/// and a deny-list misses the next one.
/// </remarks>
public static class AddressGuard
{
    private static readonly (IPAddress Network, int Prefix)[] RefusedV4 =
    [
        (IPAddress.Parse("0.0.0.0"), 8),        // "this network", unspecified
        (IPAddress.Parse("10.0.0.0"), 8),       // private
        (IPAddress.Parse("100.64.0.0"), 10),    // carrier-grade NAT
        (IPAddress.Parse("127.0.0.0"), 8),      // loopback
        (IPAddress.Parse("169.254.0.0"), 16),   // link-local, cloud metadata
        (IPAddress.Parse("172.16.0.0"), 12),    // private
        (IPAddress.Parse("192.0.0.0"), 24),     // IETF protocol assignments
        (IPAddress.Parse("192.0.2.0"), 24),     // documentation (TEST-NET-1)
        (IPAddress.Parse("192.88.99.0"), 24),   // 6to4 relay anycast
        (IPAddress.Parse("192.168.0.0"), 16),   // private
        (IPAddress.Parse("198.18.0.0"), 15),    // benchmarking
        (IPAddress.Parse("198.51.100.0"), 24),  // documentation (TEST-NET-2)
        (IPAddress.Parse("203.0.113.0"), 24),   // documentation (TEST-NET-3)
        (IPAddress.Parse("224.0.0.0"), 4),      // multicast
        (IPAddress.Parse("240.0.0.0"), 4),      // reserved, and 255.255.255.255 broadcast
    ];

    private static readonly (IPAddress Network, int Prefix)[] RefusedInsideGlobalV6 =
    [
        (IPAddress.Parse("2001::"), 23),        // IETF protocol assignments: Teredo 2001::/32, benchmarking 2001:2::/48, ORCHID
        (IPAddress.Parse("2001:db8::"), 32),    // documentation
        (IPAddress.Parse("2002::"), 16),        // 6to4: embeds an IPv4 address
        (IPAddress.Parse("3fff::"), 20),        // documentation (RFC 9637)
    ];

    private static readonly (IPAddress Network, int Prefix) GlobalUnicastV6 = (IPAddress.Parse("2000::"), 3);

    /// <summary>True for every address that is not a plain public unicast host: the server never dials these for a host group.</summary>
    public static bool IsPrivate(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
            return RefusedV4.Any(r => InPrefix(address, r.Network, r.Prefix));
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return true;
        // IPv4-mapped, IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::/96, 64:ff9b:1::/48), site-local, unique-local,
        // link-local, multicast, loopback and unspecified all lie outside 2000::/3.
        return !InPrefix(address, GlobalUnicastV6.Network, GlobalUnicastV6.Prefix)
               || RefusedInsideGlobalV6.Any(r => InPrefix(address, r.Network, r.Prefix));
    }

    private static bool InPrefix(IPAddress address, IPAddress network, int prefix)
    {
        if (address.AddressFamily != network.AddressFamily) return false;
        Span<byte> a = stackalloc byte[16], n = stackalloc byte[16];
        address.TryWriteBytes(a, out var length);
        network.TryWriteBytes(n, out _);
        for (var bit = 0; bit < prefix && bit < length * 8; bit += 8)
        {
            var bits = Math.Min(8, prefix - bit);
            var mask = (byte)(0xFF << (8 - bits));
            if ((a[bit / 8] & mask) != (n[bit / 8] & mask)) return false;
        }
        return true;
    }

    /// <summary>A connect step that dials only public addresses unless <paramref name="allowPrivate"/>.</summary>
    public static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> Connect(bool allowPrivate) => async (context, ct) =>
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
        var allowed = allowPrivate ? addresses : addresses.Where(a => !IsPrivate(a)).ToArray();
        if (allowed.Length == 0) throw new AddressNotAllowedException(host);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    };
}
