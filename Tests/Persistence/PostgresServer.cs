using Gpuvmsim.Persistence.Settings;
using Npgsql;

namespace Gpuvmsim.Tests.Persistence;

/// <summary>
/// The PostgreSQL server of the tests: <c>GPUVMSIM_PG</c>, set by <c>source scripts/postgres.sh</c>. Each test
/// gets a fresh schema of its own (so tests never collide, even across hosts) and drops it when done.
/// </summary>
public static class PostgresServer
{
    public const string SkipReason = "GPUVMSIM_PG is not set: run `source scripts/postgres.sh` to start the test PostgreSQL server";

    public static string? ConnectionString { get; } = Environment.GetEnvironmentVariable("GPUVMSIM_PG") is { Length: > 0 } cs ? cs : null;

    /// <summary>A new, unique, lower-case schema name (the schema itself is created by auto-initialize).</summary>
    public static string NewSchemaName() => "t_" + Guid.NewGuid().ToString("N");

    public static void DropSchema(string schema)
    {
        using var connection = new NpgsqlConnection(ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE", connection);
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// Creates <paramref name="schema"/> and returns a <c>--journal</c> target whose search path is it, for the CLI and
    /// the stores that take a target (their tables go to the search path).
    /// </summary>
    public static string SearchPathTarget(string schema)
    {
        using var connection = new NpgsqlConnection(Required);
        connection.Open();
        using var command = new NpgsqlCommand($"CREATE SCHEMA IF NOT EXISTS \"{schema}\"", connection);
        command.ExecuteNonQuery();
        return $"{Required};Search Path={schema}";
    }

    public static JournalSettings Journal(string schema) => JournalSettings.ForPostgres(Required, schema);

    public static SnapshotStoreSettings Snapshots(string schema) => SnapshotStoreSettings.ForPostgres(Required, schema);

    private static string Required => ConnectionString ?? throw new InvalidOperationException(SkipReason);
}
