using System.Net;
using System.Net.Sockets;

namespace TourPlanner.Gateway.Venues;

/// <summary>The calendar's host resolves only to addresses the server must not reach on a host group's behalf.</summary>
public sealed class AddressNotAllowedException(string host) : IOException($"{host} resolves only to private or local addresses.");

/// <summary>
/// A venue calendar URL comes from a host group, and the server fetches it: without a guard, anyone with an invite
/// link could make the server probe its own network (SSRF), including cloud metadata at 169.254.169.254. The check
/// runs in the connect step on the addresses actually dialled, so a DNS answer that changes between a check and the
/// connection (DNS rebinding) cannot slip through.
/// </summary>
public static class AddressGuard
{
    public static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)) return true;
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] switch
            {
                0 or 10 or 127 => true,
                100 => b[1] is >= 64 and <= 127,          // carrier-grade NAT
                169 => b[1] == 254,                        // link-local, cloud metadata
                172 => b[1] is >= 16 and <= 31,
                192 => b[1] == 168 || (b[1] == 0 && b[2] == 0),
                198 => b[1] is 18 or 19,                   // benchmarking
                >= 224 => true,                            // multicast and reserved
                _ => false,
            };
        }
        return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast ||
               (address.GetAddressBytes()[0] & 0xFE) == 0xFC; // unique local fc00::/7
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
