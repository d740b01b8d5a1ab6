using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Npgsql;
using TourPlanner.Tests.Infrastructure;
using TourPlanner.Tests.Storage.Postgres;

namespace TourPlanner.Tests.Privacy;

/// <summary>
/// In a cluster the key ring can live in the database (<c>Privacy:KeyStore=database</c>), shared by every silo without
/// a shared folder, and then only encrypted with the certificate named in <c>Privacy:KeyCertificate</c>: a second
/// Gateway with nothing on disk but that certificate opens what the first sealed, the ring's rows hold no key in the
/// clear, and the store is refused without a certificate.
/// </summary>
public sealed class KeyRingInDatabaseTests
{
    [Fact]
    public async Task ASecondGateway_OpensTheTour_WithTheRingFromTheDatabase_EncryptedByTheCertificate()
    {
        var server = await PostgresServer.GetAsync();
        var connectionString = await server.CreateDatabaseAsync("keyring");
        var certificate = CertificateFile();
        Dictionary<string, string> Settings() => new()
        {
            ["Storage:Provider"] = "postgres", ["Storage:ConnectionString"] = connectionString,
            ["Privacy:KeyStore"] = "database", ["Privacy:KeyCertificate"] = certificate.Path, ["Privacy:KeyCertificatePassword"] = certificate.Password,
        };

        string tourId, organizer;
        using (var first = new ConfiguredGateway(Settings()))
        {
            var tour = await PrivateTour.CreateAsync(first.CreateClient());
            Assert.Contains(PrivateTour.ContactEmail, await tour.OrganizerViewAsync());
            (tourId, organizer) = (tour.TourId, tour.Organizer);
        }

        var ring = await RingRowsAsync(connectionString);
        Assert.NotEmpty(ring);
        foreach (var xml in ring)
        {
            // Data Protection writes a key's secret either in the clear (<value>) or encrypted (<encryptedSecret>).
            Assert.Contains("encryptedSecret", xml);
            Assert.DoesNotContain("<value>", xml);
        }
        foreach (var row in await EncryptionAtRestTests.PostgresRowsAsync(connectionString))
            Assert.True(PrivateTour.MarkersIn(row.Bytes).Count == 0, $"{row.Table} ({row.Key}): {string.Join(", ", PrivateTour.MarkersIn(row.Bytes))}");

        using var second = new ConfiguredGateway(Settings());
        var view = await (await second.CreateClient().SendAsync(HttpMethod.Get, $"/api/tours/{tourId}", organizer)).Content.ReadAsStringAsync();
        Assert.Contains(PrivateTour.ContactEmail, view);
        Assert.Contains(PrivateTour.Address, view);
        NpgsqlConnection.ClearAllPools();
    }

    [Theory]
    [InlineData("postgres", false, "Privacy:KeyCertificate")]
    [InlineData("sqlite", true, "Storage:Provider=postgres")]
    public async Task TheDatabaseStore_IsRefused_WithoutACertificate_OrWithoutPostgres(string provider, bool withCertificate, string named)
    {
        var settings = new Dictionary<string, string> { ["Storage:Provider"] = provider, ["Privacy:KeyStore"] = "database" };
        if (provider == "postgres")
            settings["Storage:ConnectionString"] = await (await PostgresServer.GetAsync()).CreateDatabaseAsync("keyring");
        if (withCertificate)
        {
            var certificate = CertificateFile();
            (settings["Privacy:KeyCertificate"], settings["Privacy:KeyCertificatePassword"]) = (certificate.Path, certificate.Password);
        }
        using var gateway = new ConfiguredGateway(settings);
        var refused = Assert.ThrowsAny<Exception>(() => gateway.CreateClient());
        Assert.Contains(named, Flatten(refused));
        NpgsqlConnection.ClearAllPools();
    }

    private static string Flatten(Exception e) => e.InnerException is null ? e.Message : e.Message + " | " + Flatten(e.InnerException);

    private static async Task<List<string>> RingRowsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT xml FROM tourplanner_key_ring", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        return rows;
    }

    /// <summary>A self-signed certificate with its private key, as the PFX file an operator would name.</summary>
    private static (string Path, string Password) CertificateFile()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=TourPlanner key ring (test)", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
        var path = System.IO.Path.Combine(Directory.CreateTempSubdirectory("tourplanner-cert-").FullName, "keyring.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, password));
        return (path, password);
    }
}
