using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace TourPlanner.Gateway.Infrastructure;

/// <summary>
/// The address people reach the service at, for every absolute link the service writes (feeds, pages, mail).
/// It comes from <c>Gateway:PublicBaseUrl</c>, never from a request's Host header: a client must not be able to put
/// its own host into a subscribe link or a cached feed, and every Gateway of a cluster must serve the same bytes and
/// ETag for the same feed. Unset, it is the Gateway's own listening address (the embedded, single-machine default).
/// </summary>
public sealed class PublicLinks
{
    public const string ConfigurationKey = "Gateway:PublicBaseUrl";
    private const string Fallback = "http://localhost";

    private readonly string? _configured;
    private readonly IServer? _server;
    private string? _fromServer;

    /// <summary>A fixed base URL (tests, tools).</summary>
    public PublicLinks(string baseUrl) => _configured = Normalize(baseUrl) ?? throw new ArgumentException(Problem(baseUrl), nameof(baseUrl));

    private PublicLinks(string? configured, IServer server)
    {
        _configured = configured;
        _server = server;
    }

    /// <summary>True when a public address is configured (mail needs one: links to localhost help nobody).</summary>
    public bool IsConfigured => _configured is not null;

    /// <summary>Scheme, host, port and any path prefix, without a trailing slash: <c>https://tours.example.org</c>.</summary>
    public string BaseUrl => _configured ?? (_fromServer ??= FromServer()) ?? Fallback;

    /// <summary>The absolute URL of a path on this service; <paramref name="pathAndQuery"/> starts with '/'.</summary>
    public string Absolute(string pathAndQuery) =>
        pathAndQuery.StartsWith('/') ? BaseUrl + pathAndQuery : throw new ArgumentException("A path starts with '/'.", nameof(pathAndQuery));

    /// <summary>Reads and checks the setting; a bad value stops start-up with a message that names the key.</summary>
    public static PublicLinks FromConfiguration(IConfiguration configuration, IServer server)
    {
        var value = configuration[ConfigurationKey];
        if (string.IsNullOrWhiteSpace(value)) return new PublicLinks(null, server);
        return new PublicLinks(Normalize(value) ?? throw new InvalidOperationException(Problem(value)), server);
    }

    /// <summary>An absolute http(s) URL without query or fragment, trailing slash removed; null when it is not one.</summary>
    public static string? Normalize(string? value)
    {
        if (!Uri.TryCreate(value?.Trim(), UriKind.Absolute, out var uri)) return null;
        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) return null;
        if (uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0) return null;
        return uri.GetLeftPart(UriPartial.Path).TrimEnd('/');
    }

    private static string Problem(string? value) =>
        $"{ConfigurationKey} must be an absolute http or https URL without query or fragment, e.g. https://tours.example.org (got '{value}').";

    /// <summary>
    /// The first address the server listens on, with a wildcard host (0.0.0.0, [::], +, *) named localhost. Known only
    /// once the server has started; until then (or on a server without addresses) the fallback answers uncached.
    /// </summary>
    private string? FromServer()
    {
        var addresses = _server?.Features.Get<IServerAddressesFeature>()?.Addresses;
        if (addresses is null || addresses.Count == 0) return null;
        var first = addresses.OrderBy(a => a.StartsWith("https:", StringComparison.OrdinalIgnoreCase) ? 0 : 1).First();
        foreach (var wildcard in new[] { "://0.0.0.0", "://[::]", "://+", "://*" })
            first = first.Replace(wildcard, "://localhost", StringComparison.Ordinal);
        return Normalize(first);
    }
}

public static class PublicLinksHosting
{
    /// <summary>Registers <see cref="PublicLinks"/>; a malformed <c>Gateway:PublicBaseUrl</c> fails here, at start-up.</summary>
    public static WebApplicationBuilder AddPublicLinks(this WebApplicationBuilder builder)
    {
        var configured = builder.Configuration[PublicLinks.ConfigurationKey];
        if (!string.IsNullOrWhiteSpace(configured) && PublicLinks.Normalize(configured) is null)
            PublicLinks.FromConfiguration(builder.Configuration, null!); // throws with the message that names the key
        builder.Services.AddSingleton(sp => PublicLinks.FromConfiguration(sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<IServer>()));
        return builder;
    }
}
