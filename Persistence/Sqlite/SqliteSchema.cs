using Gpuvmsim.Persistence.Sql;

namespace Gpuvmsim.Persistence.Sqlite;

/// <summary>
/// The SQLite tables of <c>conventions.md</c> §2.1 (<c>table-mapping = default</c>, <c>tag-write-mode = TagTable</c>):
/// the column words linq2db's SQLite builder emits, then the plugin's footer indexes. Every statement is
/// <c>IF NOT EXISTS</c>, so running it again is harmless.
/// </summary>
internal static class SqliteSchema
{
    public static string Journal(JournalSql s)
    {
        var d = SqlDialect.Sqlite;
        var c = s.Columns;
        var t = s.TagColumns;
        var writer = s.UseWriterUuid ? $",\n  {d.Quote(c.WriterUuid)} NVarChar(128) NULL" : "";
        return $"""
            CREATE TABLE IF NOT EXISTS {s.Journal} (
              {d.Quote(c.Ordering)} INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
              {d.Quote(c.Deleted)} Boolean NOT NULL,
              {d.Quote(c.PersistenceId)} NVarChar(255) NOT NULL,
              {d.Quote(c.SequenceNumber)} BigInt NOT NULL,
              {d.Quote(c.Created)} BigInt NOT NULL,
              {d.Quote(c.Message)} VarBinary NOT NULL,
              {d.Quote(c.Identifier)} INTEGER NULL,
              {d.Quote(c.Manifest)} NVarChar(500) NULL{writer}
            );
            CREATE UNIQUE INDEX IF NOT EXISTS {d.Quote(s.UniqueIndex)} ON {s.Journal} ({d.Quote(c.PersistenceId)}, {d.Quote(c.SequenceNumber)});
            CREATE INDEX IF NOT EXISTS {d.Quote(s.CreatedIndex)} ON {s.Journal} ({d.Quote(c.Created)});
            CREATE INDEX IF NOT EXISTS {d.Quote(s.SequenceNumberIndex)} ON {s.Journal} ({d.Quote(c.SequenceNumber)});
            CREATE TABLE IF NOT EXISTS {s.Tags} (
              {d.Quote(t.OrderingId)} INTEGER NOT NULL,
              {d.Quote(t.TagValue)} NVarChar(64) NOT NULL,
              {d.Quote(t.PersistenceId)} NVarChar(255) NOT NULL,
              {d.Quote(t.SequenceNr)} INTEGER NOT NULL,
              PRIMARY KEY ({d.Quote(t.OrderingId)}, {d.Quote(t.TagValue)})
            );
            CREATE INDEX IF NOT EXISTS {d.Quote(s.TagPersistenceIdIndex)} ON {s.Tags} ({d.Quote(t.PersistenceId)}, {d.Quote(t.SequenceNr)});
            CREATE INDEX IF NOT EXISTS {d.Quote(s.TagValueIndex)} ON {s.Tags} ({d.Quote(t.TagValue)});
            """;
    }

    public static string Snapshot(SnapshotSql s)
    {
        var d = SqlDialect.Sqlite;
        var c = s.Columns;
        return $"""
            CREATE TABLE IF NOT EXISTS {s.Table} (
              {d.Quote(c.PersistenceId)} NVarChar(255) NOT NULL,
              {d.Quote(c.SequenceNumber)} BigInt NOT NULL,
              {d.Quote(c.Created)} BigInt NOT NULL,
              {d.Quote(c.Snapshot)} VarBinary NULL,
              {d.Quote(c.Manifest)} NVarChar(500) NULL,
              {d.Quote(c.SerializerId)} INTEGER NULL,
              PRIMARY KEY ({d.Quote(c.PersistenceId)}, {d.Quote(c.SequenceNumber)})
            );
            CREATE INDEX IF NOT EXISTS {d.Quote(s.SequenceNumberIndex)} ON {s.Table} ({d.Quote(c.SequenceNumber)});
            CREATE INDEX IF NOT EXISTS {d.Quote(s.CreatedIndex)} ON {s.Table} ({d.Quote(c.Created)});
            """;
    }
}
