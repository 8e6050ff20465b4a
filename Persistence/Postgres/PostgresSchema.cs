using Gpuvmsim.Persistence.Sql;
using Npgsql;

namespace Gpuvmsim.Persistence.Postgres;

/// <summary>
/// The PostgreSQL tables of <c>conventions.md</c> §2.1 (BIGSERIAL, BIGINT, BOOLEAN, VARCHAR(n), BYTEA) and the
/// plugin's footers, each constraint and index in its own <c>BEGIN … EXCEPTION WHEN duplicate_table …</c> inside a
/// <c>do $BLOCK$ … $BLOCK$</c>, so that running it again is harmless. The block first takes a transaction-scoped
/// advisory lock, so several hosts initializing one database at once take turns instead of racing on the catalog.
/// </summary>
internal static class PostgresSchema
{
    /// <summary>Key of the advisory lock serializing initializations (any constant shared by all hosts).</summary>
    private const long InitLockKey = 0x67707576_6D73696D; // "gpuvmsim"

    public static string Journal(JournalSql s)
    {
        var d = SqlDialect.Postgres;
        var c = s.Columns;
        var t = s.TagColumns;
        var writer = s.UseWriterUuid ? $",\n  {d.Quote(c.WriterUuid)} VARCHAR(128) NULL" : "";
        return Block(s.Schema, $"""
            CREATE TABLE IF NOT EXISTS {s.Journal} (
              {d.Quote(c.Ordering)} BIGSERIAL NOT NULL PRIMARY KEY,
              {d.Quote(c.Deleted)} BOOLEAN NOT NULL,
              {d.Quote(c.PersistenceId)} VARCHAR(255) NOT NULL,
              {d.Quote(c.SequenceNumber)} BIGINT NOT NULL,
              {d.Quote(c.Created)} BIGINT NOT NULL,
              {d.Quote(c.Message)} BYTEA NOT NULL,
              {d.Quote(c.Identifier)} INTEGER NULL,
              {d.Quote(c.Manifest)} VARCHAR(500) NULL{writer}
            );
            CREATE TABLE IF NOT EXISTS {s.Tags} (
              {d.Quote(t.OrderingId)} BIGINT NOT NULL,
              {d.Quote(t.TagValue)} VARCHAR(64) NOT NULL,
              {d.Quote(t.PersistenceId)} VARCHAR(255) NOT NULL,
              {d.Quote(t.SequenceNr)} BIGINT NOT NULL,
              PRIMARY KEY ({d.Quote(t.OrderingId)}, {d.Quote(t.TagValue)})
            );
            {IfAbsent($"ALTER TABLE {s.Journal} ADD CONSTRAINT {d.Quote(s.UniqueIndex)} UNIQUE ({d.Quote(c.PersistenceId)}, {d.Quote(c.SequenceNumber)})")}
            {IfAbsent($"CREATE INDEX {d.Quote(s.CreatedIndex)} ON {s.Journal} ({d.Quote(c.Created)})")}
            {IfAbsent($"CREATE INDEX {d.Quote(s.SequenceNumberIndex)} ON {s.Journal} ({d.Quote(c.SequenceNumber)})")}
            {IfAbsent($"CREATE INDEX {d.Quote(s.TagPersistenceIdIndex)} ON {s.Tags} ({d.Quote(t.PersistenceId)}, {d.Quote(t.SequenceNr)})")}
            {IfAbsent($"CREATE INDEX {d.Quote(s.TagValueIndex)} ON {s.Tags} ({d.Quote(t.TagValue)})")}
            """);
    }

    public static string Snapshot(SnapshotSql s)
    {
        var d = SqlDialect.Postgres;
        var c = s.Columns;
        return Block(s.Schema, $"""
            CREATE TABLE IF NOT EXISTS {s.Table} (
              {d.Quote(c.PersistenceId)} VARCHAR(255) NOT NULL,
              {d.Quote(c.SequenceNumber)} BIGINT NOT NULL,
              {d.Quote(c.Created)} BIGINT NOT NULL,
              {d.Quote(c.Snapshot)} BYTEA NULL,
              {d.Quote(c.Manifest)} VARCHAR(500) NULL,
              {d.Quote(c.SerializerId)} INTEGER NULL,
              PRIMARY KEY ({d.Quote(c.PersistenceId)}, {d.Quote(c.SequenceNumber)})
            );
            {IfAbsent($"CREATE INDEX {d.Quote(s.SequenceNumberIndex)} ON {s.Table} ({d.Quote(c.SequenceNumber)})")}
            {IfAbsent($"CREATE INDEX {d.Quote(s.CreatedIndex)} ON {s.Table} ({d.Quote(c.Created)})")}
            """);
    }

    /// <summary>Runs the DDL (auto-initialize) or checks that <paramref name="tables"/> exist.</summary>
    /// <exception cref="UnusableDatabaseException">Tables are missing and auto-initialize is off, or the server cannot be reached.</exception>
    public static void Prepare(NpgsqlDataSource source, string database, bool autoInitialize, string ddl, IReadOnlyList<string> tables)
    {
        NpgsqlConnection connection;
        try
        {
            connection = source.OpenConnection();
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            throw JournalErrors.Unreachable(database, e);
        }
        using (connection)
        {
            if (autoInitialize)
            {
                using var command = new NpgsqlCommand(ddl, connection);
                command.ExecuteNonQuery();
                return;
            }
            var missing = new List<string>();
            foreach (var table in tables)
            {
                using var check = Pg.Command(connection, "SELECT to_regclass($1) IS NOT NULL", Pg.P(table));
                if (check.ExecuteScalar() is not true)
                    missing.Add(table);
            }
            if (missing.Count > 0)
                throw JournalErrors.MissingTables(database, missing);
        }
    }

    /// <summary>DDL run as one block under gpuvmsim's advisory lock, so hosts starting at once do not race on the catalog.</summary>
    internal static string Block(string? schema, string statements) => $"""
        DO $BLOCK$
        BEGIN
        PERFORM pg_advisory_xact_lock({InitLockKey});
        {(schema is null ? "" : $"CREATE SCHEMA IF NOT EXISTS {SqlDialect.Postgres.Quote(schema)};")}
        {statements}
        END
        $BLOCK$;
        """;

    private static string IfAbsent(string statement) =>
        $"BEGIN {statement}; EXCEPTION WHEN duplicate_table OR duplicate_object THEN NULL; END;";
}
