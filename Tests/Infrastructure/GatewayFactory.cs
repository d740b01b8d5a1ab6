using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;

namespace TourPlanner.Tests.Infrastructure;

/// <summary>The Gateway with its co-hosted silo on free ports, a throwaway SQLite file and a fake clock.</summary>
public sealed class GatewayFactory : WebApplicationFactory<Program>
{
    public FakeClock Clock { get; } = new(ClusterFixture.Epoch);
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "tourplanner-tests", Guid.NewGuid().ToString("N"));

    protected override void ConfigureWebHost(IWebHostBuilder builder) => Configure(builder, Clock, DataDirectory);

    /// <summary>A throwaway SQLite file, free Orleans ports, a cluster of its own and the given clock.</summary>
    public static void Configure(IWebHostBuilder builder, IClock clock, string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        foreach (var (key, value) in ClusterFixture.Settings(dataDirectory)) builder.UseSetting(key, value);
        builder.UseSetting("Orleans:SiloPort", FreePort().ToString());
        builder.UseSetting("Orleans:GatewayPort", FreePort().ToString());
        builder.UseSetting("Orleans:ClusterId", "test-" + Guid.NewGuid().ToString("N")[..8]);
        UseTestLimits(builder);
        builder.UseSetting("Gateway:PublicBaseUrl", "http://localhost");
        builder.ConfigureServices(services => services.AddSingleton(clock));
    }

    /// <summary>Every test client is one address; the limits themselves are tested with their own low settings.</summary>
    public static void UseTestLimits(IWebHostBuilder builder)
    {
        builder.UseSetting("RateLimits:ToursPerHour", "1000000");
        builder.UseSetting("RateLimits:FailedTokensPerMinute", "1000000");
        builder.UseSetting("RateLimits:SignupsPerClientPerHour", "1000000");
        builder.UseSetting("RateLimits:SignupsPerAddressPerHour", "1000000");
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class GatewayCollection : ICollectionFixture<GatewayFactory>
{
    public const string Name = "gateway";
}

/// <summary>Small helpers for calling the API as one role or another.</summary>
public static class Http
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public static async Task<HttpResponseMessage> SendAsync(this HttpClient client, HttpMethod method, string url, string? token = null, object? body = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is string raw) request.Content = new StringContent(raw, System.Text.Encoding.UTF8, "application/json");
        else if (body is not null) request.Content = JsonContent.Create(body, options: JsonOptions);
        return await client.SendAsync(request);
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text.Length == 0 ? "null" : text).RootElement.Clone();
    }

    public static string Str(this JsonElement e, string name) => e.GetProperty(name).GetString()!;
}
