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
        var timeout = builder.Configuration.GetValue("Venues:Timeout", TimeSpan.FromSeconds(5));
        // Off by default: venue calendars are on the public internet; a test or an intranet deployment opts in.
        var allowPrivate = builder.Configuration.GetValue("Venues:AllowPrivateAddresses", false);
        builder.Services.AddSingleton<VenueCredentials>();
        builder.Services.Replace(ServiceDescriptor.Singleton(new VenueCalendarOptions { Timeout = timeout }));
        builder.Services.AddHttpClient<CalDavVenueCalendar>(http =>
            {
                // The grain's own bound is the real limit; this one catches a reader used elsewhere.
                http.Timeout = timeout + TimeSpan.FromSeconds(1);
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
                AllowAutoRedirect = false, ConnectTimeout = timeout, ConnectCallback = AddressGuard.Connect(allowPrivate),
                UseProxy = false, // a proxy would dial for us and bypass the address check
            });
        builder.Services.Replace(ServiceDescriptor.Transient<IVenueCalendar>(sp => sp.GetRequiredService<CalDavVenueCalendar>()));
        return builder;
    }
}
