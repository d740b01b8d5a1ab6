namespace TourPlanner.Silo.Storage;

/// <summary>The tables shared by grain storage and the reminder table in one SQLite file.</summary>
internal static class SqliteSchema
{
    // Idempotent so every provider instance can run it at start-up without coordinating with the others.
    public const string CreateScript = """
        CREATE TABLE IF NOT EXISTS grain_state (
            state_name TEXT NOT NULL,
            grain_id   TEXT NOT NULL,
            etag       TEXT NOT NULL,
            data       BLOB NOT NULL,
            PRIMARY KEY (state_name, grain_id)
        ) WITHOUT ROWID;

        CREATE TABLE IF NOT EXISTS reminders (
            grain_id       TEXT    NOT NULL,
            reminder_name  TEXT    NOT NULL,
            grain_hash     INTEGER NOT NULL,
            start_at_ticks INTEGER NOT NULL,
            period_ticks   INTEGER NOT NULL,
            version        INTEGER NOT NULL,
            PRIMARY KEY (grain_id, reminder_name)
        );

        CREATE INDEX IF NOT EXISTS ix_reminders_grain_hash ON reminders (grain_hash);

        CREATE TABLE IF NOT EXISTS reminder_version (
            id    INTEGER PRIMARY KEY CHECK (id = 1),
            value INTEGER NOT NULL
        );

        INSERT OR IGNORE INTO reminder_version (id, value) VALUES (1, 0);
        """;
}
