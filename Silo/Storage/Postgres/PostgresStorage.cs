using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;

namespace TourPlanner.Silo.Storage.Postgres;

/// <summary>How the cluster profile configures Orleans's ADO.NET providers (the silo and the storage tests share it).</summary>
public static class PostgresStorage
{
    public static void Configure(AdoNetGrainStorageOptions options, string connectionString, Serializer serializer)
    {
        options.Invariant = PostgresConnection.Invariant;
        options.ConnectionString = connectionString;
        // The binary serializer the SQLite provider uses (ADO.NET's default is JSON), so state round-trips alike on both.
        options.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
        // A clear removes the row, as on SQLite, rather than leaving an empty row that reads back as existing.
        options.DeleteStateOnClear = true;
    }

    public static void Configure(AdoNetReminderTableOptions options, string connectionString)
    {
        options.Invariant = PostgresConnection.Invariant;
        options.ConnectionString = connectionString;
    }
}
