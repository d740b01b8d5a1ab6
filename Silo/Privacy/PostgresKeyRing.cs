using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Npgsql;

namespace TourPlanner.Silo.Privacy;

/// <summary>
/// Data Protection's key ring kept in the cluster's PostgreSQL database (<c>Privacy:KeyStore=database</c>), so every
/// silo shares it without a shared folder. The ring's keys are only ever stored encrypted with the certificate in
/// <c>Privacy:KeyCertificate</c> (start-up refuses this store without one): the database then holds wrapped data keys
/// and an encrypted ring, and the certificate, kept apart, is what opens them. One table of our own, created on first
/// use beside Orleans's; each key is one row, never changed (Data Protection revokes by adding elements).
/// </summary>
internal sealed class PostgresKeyRing(string connectionString) : IXmlRepository
{
    public const string Table = "tourplanner_key_ring";
    private const int TimeoutSeconds = 15;
    private readonly Lazy<bool> _created = new(() => { Create(connectionString); return true; });

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        _ = _created.Value;
        using var connection = Open(connectionString);
        using var command = new NpgsqlCommand($"SELECT xml FROM {Table} ORDER BY id", connection) { CommandTimeout = TimeoutSeconds };
        using var reader = command.ExecuteReader();
        var elements = new List<XElement>();
        while (reader.Read()) elements.Add(XElement.Parse(reader.GetString(0)));
        return elements;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        _ = _created.Value;
        using var connection = Open(connectionString);
        using var command = new NpgsqlCommand($"INSERT INTO {Table} (friendly_name, xml) VALUES (@name, @xml) ON CONFLICT (friendly_name) DO NOTHING", connection)
        {
            CommandTimeout = TimeoutSeconds,
        };
        command.Parameters.AddWithValue("name", friendlyName);
        command.Parameters.AddWithValue("xml", element.ToString(SaveOptions.DisableFormatting));
        command.ExecuteNonQuery();
    }

    private static void Create(string connectionString)
    {
        using var connection = Open(connectionString);
        using var command = new NpgsqlCommand(
            $"CREATE TABLE IF NOT EXISTS {Table} (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, friendly_name text NOT NULL UNIQUE, xml text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())",
            connection) { CommandTimeout = TimeoutSeconds };
        command.ExecuteNonQuery();
    }

    private static NpgsqlConnection Open(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        return connection;
    }
}
