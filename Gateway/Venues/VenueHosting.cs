using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TourPlanner.Grains.Domain;

namespace TourPlanner.Gateway.Venues;

/// <summary>
/// Basic-auth credentials for venue calendars: from the URL's userinfo, else from configuration
/// (<c>Venues:Credentials:&lt;host&gt;</c> = <c>user:password</c>). The URL sent is always stripped of its userinfo.
/// </summary>
public sealed class VenueCredentials(IConfiguration config)
{
    public (Uri Target, AuthenticationHeaderValue? Auth) For(Uri url)
    {
        var userInfo = Uri.UnescapeDataString(url.UserInfo);
        var target = url;
        if (userInfo.Length > 0)
            target = new UriBuilder(url) { UserName = "", Password = "" }.Uri;
        else
            userInfo = config[$"Venues:Credentials:{url.Host}"] ?? "";
        return (target, userInfo.Contains(':')
            ? new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(userInfo)))
            : null);
    }
}

public static class VenueHosting
{
    /// <summary>Reads venue calendars over CalDAV or .ics, replacing the silo's default that reads none.</summary>
    public static WebApplicationBuilder AddTourPlannerVenueCalendars(this WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        var defaults = new VenueReaderOptions();
        var options = new VenueReaderOptions
        {
            Timeout = config.GetValue("Venues:Timeout", defaults.Timeout),
            MaxResponseBytes = config.GetValue("Venues:MaxResponseBytes", defaults.MaxResponseBytes),
            MaxOccurrences = config.GetValue("Venues:MaxOccurrences", defaults.MaxOccurrences),
        };
        // Off by default: venue calendars are on the public internet; a test or an intranet deployment opts in.
        var allowPrivate = config.GetValue("Venues:AllowPrivateAddresses", false);
        builder.Services.AddSingleton<VenueCredentials>();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<VenueReadMonitor>();
        // The reader answers at its own deadline; the grain's bound sits a little later so the reader's answer wins.
        builder.Services.Replace(ServiceDescriptor.Singleton(new VenueCalendarOptions { Timeout = options.Timeout + TimeSpan.FromSeconds(1) }));
        builder.Services.AddHttpClient<CalDavVenueCalendar>(http =>
            {
                // The reader's own deadline is the real limit; this only stops a runaway.
                http.Timeout = options.Timeout + TimeSpan.FromSeconds(2);
                http.DefaultRequestHeaders.UserAgent.ParseAdd("TourPlanner-VenueCalendar/1.0");
                // Reads are rare (one per confirm), and small servers such as Radicale drop idle keep-alive
                // connections; a pooled dead connection would turn into a spurious "unavailable".
                http.DefaultRequestHeaders.ConnectionClose = true;
            })
            // The default request logging writes full URLs, and a private .ics URL's path is itself a secret.
            .RemoveAllLoggers()
            // Redirects could carry the Authorization header to another host; venue servers do not need them.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false, ConnectTimeout = options.Timeout, ConnectCallback = AddressGuard.Connect(allowPrivate),
                UseProxy = false, // a proxy would dial for us and bypass the address check
                // The size cap counts the bytes on the wire; decompressing would let a small gzip bomb past it.
                AutomaticDecompression = System.Net.DecompressionMethods.None,
                MaxResponseHeadersLength = 64, // KiB
            });
        builder.Services.Replace(ServiceDescriptor.Transient<IVenueCalendar>(sp => sp.GetRequiredService<CalDavVenueCalendar>()));
        return builder;
    }
}
