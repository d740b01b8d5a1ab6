using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NodaTime.Testing;
using Orleans.Reminders;
using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Mail;

/// <summary>
/// The Gateway (with its co-hosted silo) sending to a real SMTP server on loopback. Both clocks are fake: NodaTime's
/// <see cref="FakeClock"/> for the domain and the retries, and a <see cref="FakeTimeProvider"/> for Orleans's
/// reminders, which run on their own TimeProvider; the sender polls in real time, every 100 ms.
/// </summary>
public sealed class MailFixture : IAsyncLifetime
{
    public const string BaseUrl = "https://tours.example.org";
    public const string From = "tours@example.org";
    public static readonly TimeSpan SweepPeriod = TimeSpan.FromMinutes(1);

    public SmtpSink Sink { get; } = new();
    public FakeClock Clock { get; } = new(ClusterFixture.Epoch);
    public FakeTimeProvider ReminderTime { get; } = new(ClusterFixture.Epoch.ToDateTimeOffset());
    public Server Gateway { get; private set; } = null!;
    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Sink.StartAsync();
        Gateway = new Server(this);
        Client = Gateway.CreateClient();
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Gateway.DisposeAsync();
        await Sink.DisposeAsync();
    }

    public sealed class Server(MailFixture fixture) : WebApplicationFactory<Program>
    {
        private readonly string _data = Path.Combine(Path.GetTempPath(), "tourplanner-tests", "mail-" + Guid.NewGuid().ToString("N"));

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            GatewayFactory.Configure(builder, fixture.Clock, _data);
            Settings(builder, fixture.Sink.Port);
            builder.UseSetting("Holds:SweepPeriod", SweepPeriod.ToString());
            builder.ConfigureServices(services =>
                services.AddKeyedSingleton<TimeProvider>(ReminderTimeProviderNames.Reminders, fixture.ReminderTime));
        }

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>The mail settings every mail test uses (the SMTP server on loopback, plain SMTP).</summary>
    public static void Settings(IWebHostBuilder builder, int smtpPort)
    {
        builder.UseSetting("Gateway:PublicBaseUrl", BaseUrl);
        builder.UseSetting("Mail:SmtpHost", "127.0.0.1");
        builder.UseSetting("Mail:Port", smtpPort.ToString());
        builder.UseSetting("Mail:Security", "None");
        builder.UseSetting("Mail:From", From);
        builder.UseSetting("Mail:PollInterval", "00:00:00.100");
        builder.UseSetting("Mail:Timeout", "00:00:05");
    }

    /// <summary>A tour through the API with an organizer, a speaker and host groups that have e-mail addresses.</summary>
    public Task<MailTour> TourAsync(string organizerLanguage = "en", int holdDays = 7, params (string Name, string Email, string Language)[] hosts) =>
        TourAsync(Client, organizerLanguage, holdDays, hosts);

    /// <summary>The same through another Gateway (one a browser can reach).</summary>
    public static async Task<MailTour> TourAsync(HttpClient client, string organizerLanguage, int holdDays, params (string Name, string Email, string Language)[] hosts)
    {
        var body = new
        {
            name = "Fight Like Calero — Fight to Win", timeZone = "America/New_York", startDate = "2026-10-22", endDate = "2026-11-15",
            organizerEmail = "organizer@example.org", organizerName = "Maria", language = organizerLanguage,
            speakers = new[] { new { name = "Róger Calero", homeCity = "Newark", homeTimeZone = "America/New_York", homeLatitude = 40.7357, homeLongitude = -74.1724, email = "roger@example.org" } },
            rules = new { holdDays },
        };
        var created = await ApiScenario.Ok(await client.SendAsync(HttpMethod.Post, "/api/tours", body: body), HttpStatusCode.Created);
        var tour = new MailTour(client, created.Str("id"), created.Str("organizerToken"), created.GetProperty("speakers")[0].Str("id"));
        foreach (var (name, email, language) in hosts)
        {
            var host = await ApiScenario.Ok(await client.SendAsync(HttpMethod.Post, $"/api/tours/{tour.Id}/hosts", tour.Organizer,
                new { name, city = "Chicago", contactName = name + " contact", contactEmail = email, language }), HttpStatusCode.Created);
            tour.Hosts.Add(new MailHost(host.Str("hostId"), host.Str("inviteToken"), email));
        }
        return tour;
    }
}

public sealed record MailHost(string Id, string Token, string Email);

/// <summary>A tour made for a mail test, with the calls the tests make on it.</summary>
public sealed record MailTour(HttpClient Client, string Id, string Organizer, string SpeakerId)
{
    public List<MailHost> Hosts { get; } = [];

    public async Task<JsonElement> ClaimAsync(MailHost host, string date, string city = "Chicago", string time = "19:00", bool isPublic = true,
        string title = "Public meeting: Defend immigrant workers") =>
        await ApiScenario.Ok(await Client.SendAsync(HttpMethod.Post, $"/api/tours/{Id}/claims", host.Token,
            ApiScenario.ClaimBody(date, city, time: time, isPublic: isPublic, title: title)), HttpStatusCode.Created);

    public async Task<JsonElement> ConfirmAsync(string claimId) =>
        await ApiScenario.Ok(await Client.SendAsync(HttpMethod.Post, $"/api/tours/{Id}/claims/{claimId}/confirm", Organizer), HttpStatusCode.OK);

    public async Task<JsonElement> MailStatusAsync() =>
        await ApiScenario.Ok(await Client.SendAsync(HttpMethod.Get, $"/api/tours/{Id}/mail", Organizer), HttpStatusCode.OK);
}

[CollectionDefinition(Name)]
public sealed class MailCollection : ICollectionFixture<MailFixture>
{
    public const string Name = "mail";
}
