using Npgsql;
using TourPlanner.Silo.Storage.Postgres;
using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Storage.Postgres;

/// <summary>Start-up refuses a database without Orleans's schema and says what is missing and what to run.</summary>
public sealed class PostgresSchemaTests
{
    [Fact]
    public async Task An_empty_database_is_refused_naming_the_tables_and_the_psql_commands()
    {
        var server = await PostgresServer.GetAsync();
        var empty = await server.CreateEmptyDatabaseAsync("empty");

        var error = await Assert.ThrowsAsync<StorageSchemaException>(() => PostgresSchema.EnsureAsync(empty, PostgresSchema.SiloNeeds, CancellationToken.None));

        Assert.Contains("orleansmembershiptable", error.Message);
        Assert.Contains("orleansstorage", error.Message);
        Assert.Contains("orleansreminderstable", error.Message);
        Assert.Contains("psql -v ON_ERROR_STOP=1", error.Message);
        foreach (var (file, path) in PostgresSchema.Scripts)
        {
            Assert.Contains(file, error.Message);
            Assert.Contains(path, error.Message);
        }

        Assert.True(error.Message.IndexOf("Main.sql", StringComparison.Ordinal) < error.Message.IndexOf("Reminders.sql", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_database_missing_one_orleans_query_row_is_refused_naming_that_row()
    {
        var server = await PostgresServer.GetAsync();
        var database = await server.CreateDatabaseAsync("noquery");
        await PostgresSchema.EnsureAsync(database, PostgresSchema.SiloNeeds, CancellationToken.None); // complete: accepted
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var delete = new NpgsqlCommand("DELETE FROM orleansquery WHERE querykey = 'ReadRangeRows2Key'", connection);
            Assert.Equal(1, await delete.ExecuteNonQueryAsync());
        }

        var error = await Assert.ThrowsAsync<StorageSchemaException>(() => PostgresSchema.EnsureAsync(database, PostgresSchema.SiloNeeds, CancellationToken.None));

        Assert.Contains("Missing OrleansQuery rows: ReadRangeRows2Key.", error.Message);
        Assert.DoesNotContain("Missing tables", error.Message);
        // A client Gateway needs only the gateway list, which is still there.
        await PostgresSchema.EnsureAsync(database, PostgresSchema.ClientNeeds, CancellationToken.None);
    }

    [Fact]
    public async Task A_silo_process_on_an_empty_database_exits_with_the_message_and_no_stack_trace()
    {
        var server = await PostgresServer.GetAsync();
        var empty = await server.CreateEmptyDatabaseAsync("process");

        var (code, output) = await ChildProcess.RunAsync("dotnet", [RepositoryPaths.SiloDll], new Dictionary<string, string?>
        {
            ["Storage__Provider"] = "postgres",
            ["Storage__ConnectionString"] = empty,
            ["Orleans__SiloPort"] = GatewayFactory.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Orleans__GatewayPort"] = GatewayFactory.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, TimeSpan.FromSeconds(90));

        Assert.Equal(2, code);
        Assert.Contains("lacks Orleans's ADO.NET schema", output);
        Assert.Contains("psql -v ON_ERROR_STOP=1", output);
    }

    [Fact]
    public void A_postgres_profile_without_a_postgres_connection_string_is_refused_with_an_example()
    {
        var error = Assert.Throws<InvalidOperationException>(() => PostgresConnection.Validate("Data Source=data/tourplanner.db"));

        Assert.StartsWith("Storage:", error.Message);
        Assert.Contains("Host=", error.Message);
    }
}
