using System.Text;
using Microsoft.Data.Sqlite;
using Npgsql;
using TourPlanner.Tests.Infrastructure;
using TourPlanner.Tests.Storage.Postgres;

namespace TourPlanner.Tests.Privacy;

/// <summary>
/// A copy of the database alone reveals no contact and nothing private: every row of every table, and the SQLite
/// files' raw bytes, are searched for the markers a tour was built with, on both storage providers. The organizer
/// still reads every marker through the API (the key ring, kept apart, opens them).
/// </summary>
public sealed class EncryptionAtRestTests
{
    [Fact]
    public async Task Sqlite_RawRowsAndFiles_HoldNoPrivateMarker_WhileTheOrganizerReadsThemAll()
    {
        using var gateway = new ConfiguredGateway(new Dictionary<string, string>());
        var client = gateway.CreateClient();
        var tour = await PrivateTour.CreateAsync(client);
        // A host group's change and a speaker's change are sealed too, not only what came with the first writes.
        await client.SendAsync(HttpMethod.Patch, $"/api/tours/{tour.TourId}/hosts/{tour.HostId}", tour.Organizer, new { contactPhone = PrivateTour.ContactPhone });

        var view = await tour.OrganizerViewAsync();
        Assert.Contains(PrivateTour.ContactEmail, view);
        Assert.Contains(PrivateTour.Address, view);
        Assert.Contains(PrivateTour.PrivateDescription, view);
        Assert.Contains(PrivateTour.SpeakerEmail, view);
        Assert.Contains(PrivateTour.Lodging, await tour.LogisticsAsync());

        var database = Path.Combine(gateway.DataDirectory, "grains.db");
        var rows = await SqliteRowsAsync(database);
        Assert.Contains(rows, r => r.Table == "grain_state" && r.Text.Contains(tour.TourId, StringComparison.Ordinal)); // the tour's rows are there
        foreach (var row in rows) Assert.True(PrivateTour.MarkersIn(row.Bytes).Count == 0, $"{row.Table} ({row.Key}): {string.Join(", ", PrivateTour.MarkersIn(row.Bytes))}");
        foreach (var file in new[] { database, database + "-wal" }.Where(File.Exists))
            Assert.Empty(PrivateTour.MarkersIn(await ReadSharedAsync(file)));
    }

    [Fact]
    public async Task Postgres_RawRows_HoldNoPrivateMarker_WhileTheOrganizerReadsThemAll()
    {
        var server = await PostgresServer.GetAsync();
        var connectionString = await server.CreateDatabaseAsync("privacy");
        var keys = Path.Combine(Path.GetTempPath(), "tourplanner-tests", Guid.NewGuid().ToString("N"), "keys");
        using var gateway = new ConfiguredGateway(new Dictionary<string, string>
        {
            ["Storage:Provider"] = "postgres", ["Storage:ConnectionString"] = connectionString, ["Privacy:KeysFolder"] = keys,
        });
        var tour = await PrivateTour.CreateAsync(gateway.CreateClient());
        Assert.Contains(PrivateTour.ContactEmail, await tour.OrganizerViewAsync());
        Assert.Contains(PrivateTour.LogisticsNotes, await tour.LogisticsAsync());

        var rows = await PostgresRowsAsync(connectionString);
        Assert.Contains(rows, r => r.Table == "orleansstorage" && r.Text.Contains(tour.TourId, StringComparison.Ordinal));
        foreach (var row in rows) Assert.True(PrivateTour.MarkersIn(row.Bytes).Count == 0, $"{row.Table} ({row.Key}): {string.Join(", ", PrivateTour.MarkersIn(row.Bytes))}");
        Assert.NotEmpty(Directory.GetFiles(keys, "*.xml")); // the key ring is in its own folder, not the database
        NpgsqlConnection.ClearAllPools();
    }

    public sealed record RawRow(string Table, byte[] Bytes)
    {
        public string Text => Encoding.UTF8.GetString(Bytes);

        /// <summary>The row's first printable characters (its key columns come first), to say which row failed.</summary>
        public string Key => new([.. Text.Take(120).Select(c => char.IsControl(c) ? ' ' : c)]);
    }

    /// <summary>Every row of every table, each cell's raw bytes one after another.</summary>
    public static async Task<List<RawRow>> SqliteRowsAsync(string database)
    {
        var rows = new List<RawRow>();
        await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        }
        foreach (var table in tables)
        {
            await using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\"";
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync()) rows.Add(new RawRow(table, Cells(reader)));
        }
        return rows;
    }

    /// <summary>Every row of every table of the public schema (Orleans's storage, membership and reminders).</summary>
    public static async Task<List<RawRow>> PostgresRowsAsync(string connectionString)
    {
        var rows = new List<RawRow>();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'", connection))
        await using (var reader = await list.ExecuteReaderAsync())
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        foreach (var table in tables)
        {
            await using var select = new NpgsqlCommand($"SELECT * FROM \"{table}\"", connection);
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync()) rows.Add(new RawRow(table, Cells(reader)));
        }
        return rows;
    }

    private static byte[] Cells(System.Data.Common.DbDataReader reader)
    {
        var bytes = new List<byte>();
        for (var i = 0; i < reader.FieldCount; i++)
        {
            if (reader.IsDBNull(i)) continue;
            bytes.AddRange(reader.GetValue(i) switch
            {
                byte[] b => b,
                var v => Encoding.UTF8.GetBytes(Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) ?? ""),
            });
            bytes.Add(0);
        }
        return [.. bytes];
    }

    private static async Task<byte[]> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var memory = new MemoryStream();
        await stream.CopyToAsync(memory);
        return memory.ToArray();
    }
}
