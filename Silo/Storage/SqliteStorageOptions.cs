namespace TourPlanner.Silo.Storage;

/// <summary>Where the SQLite grain storage and reminder table keep their data.</summary>
public sealed class SqliteStorageOptions
{
    /// <summary>A Microsoft.Data.Sqlite connection string; the file's directory is created when missing.</summary>
    public string ConnectionString { get; set; } = "Data Source=data/tourplanner.db";
}
