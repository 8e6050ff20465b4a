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
/// <c>sqlite3_last_insert_rowid</c>, on the journal's pragmas (WAL, <c>synchronous = NORMAL</c>) and in a file the
/// journal created (so with its page size). Payloads are
/// serialized before the clock starts, so the loop does nothing a store could skip.
/// </summary>
internal sealed class RawSqliteInsertLoop : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _insert;
    private readonly sqlite3_stmt _tag;
    private readonly sqlite3_stmt _begin;
    private readonly sqlite3_stmt _commit;
    private readonly string _writer = Guid.NewGuid().ToString();
    private readonly JsonSerializerOptions _options = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
    private readonly int _persistenceIds;
    private readonly (string Pid, long Seq, byte[] Message, bool Tagged)[] _rows;

    /// <summary>Creates the tables (through the journal, so that both sides write into exactly the same layout) and prepares the statements.</summary>
    public RawSqliteInsertLoop(string path, int persistenceIds, int batchSize)
    {
        Journal.Open(JournalBenchmark.Settings(path), JournalBenchmark.Registry()).Dispose();
        _persistenceIds = persistenceIds;
        _rows = new (string, long, byte[], bool)[batchSize];
        _connection = new SqliteConnection($"Data Source={path};Pooling=False");
        _connection.Open();
        using (var command = _connection.CreateCommand())
        {
            command.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;";
            command.ExecuteNonQuery();
        }
        _db = _connection.Handle!;
        _insert = Prepare("INSERT INTO journal (deleted, persistence_id, sequence_number, created, message, identifier, manifest, writer_uuid) VALUES (0, ?1, ?2, ?3, ?4, ?5, ?6, ?7)");
        _tag = Prepare("INSERT INTO tags (ordering_id, tag, persistence_id, sequence_nr) VALUES (?1, ?2, ?3, ?4)");
        _begin = Prepare("BEGIN IMMEDIATE");
        _commit = Prepare("COMMIT");
    }

    /// <summary>Inserts events <paramref name="first"/>..<paramref name="first"/>+<paramref name="count"/>-1 of the stream, one transaction per batch.</summary>
    /// <returns>The time spent in the insert loop (serializing the batch's payloads beforehand is not counted).</returns>
    public TimeSpan Insert(int first, int count)
    {
        var timer = new Stopwatch();
        for (var start = first; start < first + count; start += _rows.Length)
        {
            var n = Math.Min(_rows.Length, first + count - start);
            for (var i = 0; i < n; i++)
            {
                var e = BenchVaInserted.Make(start + i, _persistenceIds, out var pid, out var seq, out var tagged);
                _rows[i] = (pid, seq, JsonSerializer.SerializeToUtf8Bytes(e, _options), tagged);
            }
            timer.Start();
            Step(_begin);
            var created = DateTime.UtcNow.Ticks;
            for (var i = 0; i < n; i++)
            {
                var (pid, seq, message, tagged) = _rows[i];
                raw.sqlite3_bind_text(_insert, 1, pid);
                raw.sqlite3_bind_int64(_insert, 2, seq);
                raw.sqlite3_bind_int64(_insert, 3, created);
                raw.sqlite3_bind_blob(_insert, 4, message);
                raw.sqlite3_bind_int(_insert, 5, EventRegistry.SerializerId);
                raw.sqlite3_bind_text(_insert, 6, BenchVaInserted.Manifest);
                raw.sqlite3_bind_text(_insert, 7, _writer);
                Step(_insert);
                if (!tagged)
                    continue;
                raw.sqlite3_bind_int64(_tag, 1, raw.sqlite3_last_insert_rowid(_db));
                raw.sqlite3_bind_text(_tag, 2, BenchVaInserted.Tags[0]);
                raw.sqlite3_bind_text(_tag, 3, pid);
                raw.sqlite3_bind_int64(_tag, 4, seq);
                Step(_tag);
            }
            Step(_commit);
            timer.Stop();
        }
        return timer.Elapsed;
    }

    public void Dispose()
    {
        foreach (var statement in new[] { _insert, _tag, _begin, _commit })
            statement.Dispose();
        _connection.Dispose();
    }

    private sqlite3_stmt Prepare(string sql)
    {
        var rc = raw.sqlite3_prepare_v2(_db, sql, out var statement);
        if (rc != raw.SQLITE_OK)
            SqliteException.ThrowExceptionForRC(rc, _db);
        return statement;
    }

    private void Step(sqlite3_stmt statement)
    {
        var rc = raw.sqlite3_step(statement);
        raw.sqlite3_reset(statement);
        if (rc != raw.SQLITE_DONE)
            SqliteException.ThrowExceptionForRC(rc, _db);
    }
}
