namespace TourPlanner.Silo.Storage;

/// <summary>Where the SQLite grain storage and reminder table keep their data.</summary>
public sealed class SqliteStorageOptions
{
    /// <summary>A Microsoft.Data.Sqlite connection string; the file's directory is created when missing.</summary>
    public string ConnectionString { get; set; } = "Data Source=data/tourplanner.db";

    /// <summary>At most this many writes share one transaction (group commit).</summary>
    public int MaxBatchWrites { get; set; } = 256;

    /// <summary>At most this many bytes of state share one transaction; a single larger write goes alone.</summary>
    public long MaxBatchBytes { get; set; } = 8 * 1024 * 1024;
}
