using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace TourPlanner.Gateway.Infrastructure;

/// <summary>
/// Where people reach this service: <c>Gateway:PublicBaseUrl</c> (every Gateway of a cluster gets the same value),
/// else the Gateway's own listening address. Never the request's Host header, which the client chooses.
/// </summary>
public sealed class PublicLinks(IConfiguration config, IServer server)
{
    private string? _base;

    public string BaseUrl => _base ??= Resolve();

    /// <summary>True when a public address is configured (mail needs one: links to localhost help nobody).</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(config["Gateway:PublicBaseUrl"]);

    public string Absolute(string path) => BaseUrl + (path.StartsWith('/') ? path : "/" + path);

    private string Resolve()
    {
        if (config["Gateway:PublicBaseUrl"] is { Length: > 0 } configured && Uri.TryCreate(configured.TrimEnd('/'), UriKind.Absolute, out var uri))
            return uri.GetLeftPart(UriPartial.Path).TrimEnd('/');
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
                      ?? config["Urls"]?.Split(';', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "http://localhost:5080";
        return address.Replace("://+", "://localhost").Replace("://*", "://localhost").Replace("://0.0.0.0", "://localhost").Replace("://[::]", "://localhost").TrimEnd('/');
    }
}
