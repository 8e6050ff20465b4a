using Npgsql;

namespace Gpuvmsim.Persistence.Postgres;

/// <summary>
/// Npgsql calls in their synchronous or asynchronous form, as the shared store code's <c>async</c> flag says:
/// with <c>false</c> only blocking calls are made, so the returned task is already complete.
/// </summary>
internal static class Pg
{
    public static async ValueTask<NpgsqlConnection> Open(bool async, NpgsqlDataSource source, CancellationToken ct) =>
        async ? await source.OpenConnectionAsync(ct).ConfigureAwait(false) : source.OpenConnection();

    public static async ValueTask<int> Execute(bool async, NpgsqlCommand command, CancellationToken ct) =>
        async ? await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false) : command.ExecuteNonQuery();

    public static async ValueTask<int> Execute(bool async, NpgsqlBatch batch, CancellationToken ct) =>
        async ? await batch.ExecuteNonQueryAsync(ct).ConfigureAwait(false) : batch.ExecuteNonQuery();

    public static async ValueTask<object?> Scalar(bool async, NpgsqlCommand command, CancellationToken ct) =>
        async ? await command.ExecuteScalarAsync(ct).ConfigureAwait(false) : command.ExecuteScalar();

    public static async ValueTask<NpgsqlDataReader> Reader(bool async, NpgsqlCommand command, CancellationToken ct) =>
        async ? await command.ExecuteReaderAsync(ct).ConfigureAwait(false) : command.ExecuteReader();

    public static async ValueTask<bool> Read(bool async, NpgsqlDataReader reader, CancellationToken ct) =>
        async ? await reader.ReadAsync(ct).ConfigureAwait(false) : reader.Read();

    public static async ValueTask Prepare(bool async, NpgsqlCommand command, CancellationToken ct)
    {
        if (async)
            await command.PrepareAsync(ct).ConfigureAwait(false);
        else
            command.Prepare();
    }

    public static async ValueTask<NpgsqlTransaction> Begin(bool async, NpgsqlConnection connection, CancellationToken ct) =>
        async ? await connection.BeginTransactionAsync(ct).ConfigureAwait(false) : connection.BeginTransaction();

    public static async ValueTask Commit(bool async, NpgsqlTransaction transaction, CancellationToken ct)
    {
        if (async)
            await transaction.CommitAsync(ct).ConfigureAwait(false);
        else
            transaction.Commit();
    }

    public static async ValueTask Close<T>(bool async, T resource) where T : IDisposable, IAsyncDisposable
    {
        if (async)
            await resource.DisposeAsync().ConfigureAwait(false);
        else
            resource.Dispose();
    }

    /// <summary>A command with typed positional parameters ($1, $2…), in order.</summary>
    public static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddRange(parameters);
        return command;
    }

    /// <summary>A typed positional parameter (no boxing, a fixed type so the statement can be prepared).</summary>
    public static NpgsqlParameter<T> P<T>(T value) => new() { TypedValue = value };

    /// <summary>"PostgreSQL host:port/database, schema s", for messages.</summary>
    public static string Describe(string connectionString, string? schema)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        return $"PostgreSQL {b.Host}:{b.Port}/{b.Database ?? b.Username}, schema {schema ?? "(search path)"}";
    }
}
