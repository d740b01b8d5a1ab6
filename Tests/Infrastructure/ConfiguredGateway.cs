using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using NodaTime.Testing;

namespace TourPlanner.Tests.Infrastructure;

/// <summary>
/// A Gateway with settings of its own on top of <see cref="GatewayFactory.Configure"/>, optionally on a real Kestrel
/// socket on loopback (for what needs real client addresses).
/// </summary>
public sealed class ConfiguredGateway : WebApplicationFactory<Program>
{
    private readonly IReadOnlyDictionary<string, string> _settings;

    public ConfiguredGateway(IReadOnlyDictionary<string, string> settings, bool kestrel = false)
    {
        _settings = settings;
        if (kestrel) UseKestrel(GatewayFactory.FreePort());
    }

    public FakeClock Clock { get; } = new(ClusterFixture.Epoch);
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "tourplanner-tests", Guid.NewGuid().ToString("N"));

    /// <summary>The loopback address Kestrel listens on (after <see cref="WebApplicationFactory{T}.StartServer"/>).</summary>
    public Uri KestrelAddress =>
        new(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().Replace("localhost", "127.0.0.1"));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        GatewayFactory.Configure(builder, Clock, DataDirectory);
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
    }
}
