using System.Net;
using Microsoft.Extensions.Configuration;
using NodaTime;
using NodaTime.Testing;
using TourPlanner.Silo;
using TourPlanner.Silo.Testing;

namespace TourPlanner.Tests.Cluster;

/// <summary>The cluster profile's settings and the test-only clock hook.</summary>
public sealed class ClusterSettingsTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "tourplanner-tests", Guid.NewGuid().ToString("N"));

    public ClusterSettingsTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_silo_advertises_loopback_unless_told_otherwise_and_refuses_an_address_that_is_not_one()
    {
        Assert.Equal(IPAddress.Loopback, ClusterSettings.From(Config()).AdvertisedAddress);
        Assert.Equal(IPAddress.Parse("10.1.2.3"), ClusterSettings.From(Config(("Orleans:AdvertisedIPAddress", "10.1.2.3"))).AdvertisedAddress);
        var error = Assert.Throws<InvalidOperationException>(() => ClusterSettings.From(Config(("Orleans:AdvertisedIPAddress", "silo-1.local"))));
        Assert.StartsWith("Orleans:AdvertisedIPAddress", error.Message);
    }

    [Fact]
    public void The_postgres_profile_needs_a_postgres_connection_string_and_an_unknown_provider_is_refused()
    {
        Assert.Throws<InvalidOperationException>(() => StorageSettings.From(Config(("Storage:Provider", "postgres"))));
        var postgres = StorageSettings.From(Config(("Storage:Provider", "Postgres"), ("Storage:ConnectionString", "Host=127.0.0.1;Database=t")));
        Assert.Equal("postgres", postgres.Provider);
        Assert.Throws<InvalidOperationException>(() => StorageSettings.From(Config(("Storage:Provider", "mysql"))));
    }

    [Fact]
    public async Task The_test_clock_is_the_inner_clock_plus_the_offset_in_its_file_read_again_when_the_file_changes()
    {
        var inner = new FakeClock(Instant.FromUtc(2027, 3, 1, 12, 0));
        var file = Path.Combine(_folder, "offset");
        var clock = new OffsetFileClock(file, inner);

        Assert.Equal(inner.GetCurrentInstant(), clock.GetCurrentInstant()); // no file: no offset

        await File.WriteAllTextAsync(file, "8:00:00:00");
        Assert.Equal(inner.GetCurrentInstant() + Duration.FromDays(8), clock.GetCurrentInstant());

        await File.WriteAllTextAsync(file, "-0:01:00:00");
        File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddSeconds(1)); // a new write time, as a real rewrite has
        Assert.Equal(inner.GetCurrentInstant() - Duration.FromHours(1), clock.GetCurrentInstant());
    }

    private static IConfiguration Config(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();
}
