using System.Diagnostics;
using System.Text.Json;
using Gpuvmsim.Persistence;
using Gpuvmsim.Persistence.Serialization;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Gpuvmsim.Benchmarks;

/// <summary>
/// The baseline of <see cref="JournalBenchmark"/>: what a hand-written loop would do to put the same rows into the
/// same tables — two statements prepared once (journal row, tag row), parameters bound by index through SQLitePCL,
/// <c>BEGIN IMMEDIATE</c> … <c>COMMIT</c> around every batch, the tag's ordering from
/// <c>sqlite3_last_insert_rowid</c>, on the journal's pragmas (WAL, <c>synchronous = NORMAL</c>). Payloads are
/// serialized before the clock starts, so the loop does nothing a store could skip.
/// </summary>
internal static class RawSqliteInsertLoop
{
    /// <returns>Events per second of the time spent in the insert loop.</returns>
    public static double Run(string path, int events, int persistenceIds, int batchSize)
    {
        // The journal creates the tables, so that both sides write into exactly the same layout.
        Journal.Open(JournalBenchmark.Settings(path), JournalBenchmark.Registry()).Dispose();
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        Execute(connection, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
        var db = connection.Handle!;
        var insert = Prepare(db, "INSERT INTO journal (deleted, persistence_id, sequence_number, created, message, identifier, manifest, writer_uuid) VALUES (0, ?1, ?2, ?3, ?4, ?5, ?6, ?7)");
        var tag = Prepare(db, "INSERT INTO tags (ordering_id, tag, persistence_id, sequence_nr) VALUES (?1, ?2, ?3, ?4)");
        var begin = Prepare(db, "BEGIN IMMEDIATE");
        var commit = Prepare(db, "COMMIT");
        var writer = Guid.NewGuid().ToString();
        var options = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
        var rows = new (string Pid, long Seq, byte[] Message, bool Tagged)[batchSize];
        var timer = new Stopwatch();
        try
        {
            for (var first = 0; first < events; first += batchSize)
            {
                var n = Math.Min(batchSize, events - first);
                for (var i = 0; i < n; i++)
                {
                    var e = BenchVaInserted.Make(first + i, persistenceIds, out var pid, out var seq, out var tagged);
                    rows[i] = (pid, seq, JsonSerializer.SerializeToUtf8Bytes(e, options), tagged);
                }
                timer.Start();
                Step(db, begin);
                var created = DateTime.UtcNow.Ticks;
                for (var i = 0; i < n; i++)
                {
                    var (pid, seq, message, tagged) = rows[i];
                    raw.sqlite3_bind_text(insert, 1, pid);
                    raw.sqlite3_bind_int64(insert, 2, seq);
                    raw.sqlite3_bind_int64(insert, 3, created);
                    raw.sqlite3_bind_blob(insert, 4, message);
                    raw.sqlite3_bind_int(insert, 5, EventRegistry.SerializerId);
                    raw.sqlite3_bind_text(insert, 6, BenchVaInserted.Manifest);
                    raw.sqlite3_bind_text(insert, 7, writer);
                    Step(db, insert);
                    if (!tagged)
                        continue;
                    raw.sqlite3_bind_int64(tag, 1, raw.sqlite3_last_insert_rowid(db));
                    raw.sqlite3_bind_text(tag, 2, BenchVaInserted.Tags[0]);
                    raw.sqlite3_bind_text(tag, 3, pid);
                    raw.sqlite3_bind_int64(tag, 4, seq);
                    Step(db, tag);
                }
                Step(db, commit);
                timer.Stop();
            }
        }
        finally
        {
            foreach (var statement in new[] { insert, tag, begin, commit })
                statement.Dispose();
        }
        return events / timer.Elapsed.TotalSeconds;
    }

    private static sqlite3_stmt Prepare(sqlite3 db, string sql)
    {
        var rc = raw.sqlite3_prepare_v2(db, sql, out var statement);
        if (rc != raw.SQLITE_OK)
            SqliteException.ThrowExceptionForRC(rc, db);
        return statement;
    }

    private static void Step(sqlite3 db, sqlite3_stmt statement)
    {
        var rc = raw.sqlite3_step(statement);
        raw.sqlite3_reset(statement);
        if (rc != raw.SQLITE_DONE)
            SqliteException.ThrowExceptionForRC(rc, db);
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
