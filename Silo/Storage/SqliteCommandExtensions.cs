using Microsoft.Data.Sqlite;

namespace TourPlanner.Silo.Storage;

/// <summary>Small helpers that keep the providers free of ADO.NET boilerplate.</summary>
internal static class SqliteCommandExtensions
{
    public static SqliteCommand CreateCommand(this SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters) =>
        CreateCommand(connection, null, sql, parameters);

    public static Task<int> ExecuteAsync(this SqliteConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        ExecuteAsync(connection, null, sql, cancellationToken, parameters);

    public static Task<object?> ScalarAsync(this SqliteConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        ScalarAsync(connection, null, sql, cancellationToken, parameters);

    public static Task<int> ExecuteAsync(this SqliteTransaction transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        ExecuteAsync(transaction.Connection!, transaction, sql, cancellationToken, parameters);

    public static Task<object?> ScalarAsync(this SqliteTransaction transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        ScalarAsync(transaction.Connection!, transaction, sql, cancellationToken, parameters);

    /// <summary>Synchronous, for the group-commit writer loop, which runs its batch on one thread inside one transaction.</summary>
    public static int Execute(this SqliteTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = CreateCommand(transaction.Connection!, transaction, sql, parameters);
        return command.ExecuteNonQuery();
    }

    /// <summary>Synchronous, for the group-commit writer loop.</summary>
    public static object? Scalar(this SqliteTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = CreateCommand(transaction.Connection!, transaction, sql, parameters);
        var result = command.ExecuteScalar();
        return result is DBNull ? null : result;
    }

    private static SqliteCommand CreateCommand(SqliteConnection connection, SqliteTransaction? transaction, string sql, (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        // Microsoft.Data.Sqlite refuses to run a command on a connection with an open transaction unless the command names it.
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    private static async Task<int> ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken, (string Name, object? Value)[] parameters)
    {
        await using var command = CreateCommand(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken, (string Name, object? Value)[] parameters)
    {
        await using var command = CreateCommand(connection, transaction, sql, parameters);
        var result = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return result is DBNull ? null : result;
    }
}
