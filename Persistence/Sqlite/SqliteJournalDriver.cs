using Gpuvmsim.Persistence.Settings;
using Gpuvmsim.Persistence.Sql;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Gpuvmsim.Persistence.Sqlite;

/// <summary>
/// The journal on one SQLite file (see <see cref="SqliteDatabase"/> for opening, durability and concurrency).
/// Every call takes the database's gate, runs on the one connection with statements prepared once, and
/// releases the gate before returning. Writes are row-at-a-time prepared INSERTs inside one
/// <c>BEGIN IMMEDIATE</c> transaction per chunk — in-process SQLite has no round trip to save, so this is
/// as fast as a multi-row INSERT; a tagged event's ordering comes from <c>sqlite3_last_insert_rowid</c>.
/// The <c>async</c> flag only decides how the gate is awaited: SQLite's own calls are synchronous.
/// </summary>
internal sealed class SqliteJournalDriver : IJournalDriver
{
    private readonly SqliteDatabase _db;
    private readonly JournalSql _sql;

    private SqliteJournalDriver(SqliteDatabase db, JournalSql sql)
    {
        _db = db;
        _sql = sql;
    }

    public string Database => _db.Path;

    public static SqliteJournalDriver Open(JournalSettings settings)
    {
        var sql = new JournalSql(settings, SqlDialect.Sqlite);
        var db = SqliteDatabase.Open(settings.ConnectionString, settings.AutoInitialize, settings.SqlitePageSize, SqliteSchema.Journal(sql), [sql.JournalTableName, sql.TagTableName]);
        return new SqliteJournalDriver(db, sql);
    }

    public async ValueTask Insert(bool async, IReadOnlyList<SerializedWrite> writes, string writerUuid, CancellationToken ct)
    {
        using var _ = await _db.Enter(async, ct).ConfigureAwait(false);
        try
        {
            _db.BeginWrite();
            foreach (var write in writes)
                InsertLocked(write, writerUuid);
            _db.Commit();
        }
        catch (Exception e)
        {
            _db.RollbackQuietly();
            throw e is UniqueViolationException ? e : _db.Translate(e);
        }
    }

    private void InsertLocked(SerializedWrite write, string writerUuid)
    {
        foreach (var row in write.Rows)
        {
            var insert = _db.Prepare(_sql.InsertEvent)
                .Bind(1, write.PersistenceId).Bind(2, row.SequenceNr).Bind(3, row.Created)
                .Bind(4, row.Message).Bind(5, Serialization.EventRegistry.SerializerId).Bind(6, row.Manifest);
            if (_sql.UseWriterUuid)
                insert.Bind(7, writerUuid);
            try
            {
                insert.Execute();
            }
            catch (SqliteException e) when (e.SqliteErrorCode == raw.SQLITE_CONSTRAINT)
            {
                throw new UniqueViolationException(e);
            }
            if (row.Tags.Length == 0)
                continue;
            var ordering = raw.sqlite3_last_insert_rowid(_db.Handle);
            foreach (var tag in row.Tags)
                _db.Prepare(_sql.InsertTag).Bind(1, ordering).Bind(2, tag).Bind(3, write.PersistenceId).Bind(4, row.SequenceNr).Execute();
        }
    }

    public async ValueTask<List<long>> StoredSequenceNrs(bool async, string persistenceId, long lowest, long highest, CancellationToken ct)
    {
        using var _ = await _db.Enter(async, ct).ConfigureAwait(false);
        var found = new List<long>();
        Read(_db.Prepare(_sql.StoredSequenceNrs).Bind(1, persistenceId).Bind(2, lowest).Bind(3, highest), s => found.Add(s.Int64(0)));
        return found;
    }

    public async ValueTask ReadEventsOfPid(bool async, string persistenceId, long from, long to, int limit, List<StoredEvent> events, List<StoredTag>? tags, CancellationToken ct)
    {
        using var _ = await _db.Enter(async, ct).ConfigureAwait(false);
        Read(_db.Prepare(_sql.EventsOfPid).Bind(1, persistenceId).Bind(2, from).Bind(3, to).Bind(4, limit), s => events.Add(ReadEvent(s, persistenceId)));
        if (tags is not null && events.Count > 0)
            Read(_db.Prepare(_sql.TagsOfPid).Bind(1, persistenceId).Bind(2, events[0].SequenceNr).Bind(3, events[^1].SequenceNr), s => tags.Add(ReadTag(s)));
    }

    public async ValueTask ReadEventsByOrdering(bool async, long after, long upTo, int limit, List<StoredEvent> events, List<StoredTag> tags, CancellationToken ct)
    {
        using var _ = await _db.Enter(async, ct).ConfigureAwait(false);
        Read(_db.Prepare(_sql.EventsByOrdering).Bind(1, after).Bind(2, upTo).Bind(3, limit), s => events.Add(ReadEvent(s)));
        if (events.Count > 0)
            Read(_db.Prepare(_sql.TagsByOrdering).Bind(1, after).Bind(2, events[^1].Ordering), s => tags.Add(ReadTag(s)));
    }

    public async ValueTask ReadEventsByTag(bool async, string tag, long after, long upTo, int limit, List<StoredEvent> events, List<StoredTag> tags, CancellationToken ct)
    {
        using var _ = await _db.Enter(async, ct).ConfigureAwait(false);
        Read(_db.Prepare(_sql.EventsByTag).Bind(1, tag).Bind(2, after).Bind(3, upTo).Bind(4, limit), s => events.Add(ReadEvent(s)));
        if (events.Count > 0)
            Read(_db.Prepare(_sql.TagsByOrdering).Bind(1, after).Bind(2, events[^1].Ordering), s => tags.Add(ReadTag(s)));
    }

    public async ValueTask<long> ReadHighestSequenceNr(bool async, string persistenceId, long from, CancellationToken ct)
    {
        using var _ = await _db.Enter(async, ct).ConfigureAwait(false);
        return Scalar(_db.Prepare(_sql.HighestSequenceNr).Bind(1, persistenceId).Bind(2, from)) ?? 0;
    }

    public async ValueTask<long> ReadMaxOrdering(bool async, CancellationToken ct)
    {
        using var _ = await _db.Enter(async, ct).ConfigureAwait(false);
        return Scalar(_db.Prepare(_sql.MaxOrdering)) ?? 0;
    }

    public async ValueTask ReadPersistenceIds(bool async, string after, int limit, List<string> into, CancellationToken ct)
    {
        using var _ = await _db.Enter(async, ct).ConfigureAwait(false);
        Read(_db.Prepare(_sql.PersistenceIds).Bind(1, after).Bind(2, limit), s => into.Add(s.Text(0)!));
    }

    public async ValueTask DeleteTo(bool async, string persistenceId, long toSequenceNr, CancellationToken ct)
    {
        using var _ = await _db.Enter(async, ct).ConfigureAwait(false);
        try
        {
            _db.BeginWrite();
            _db.Prepare(_sql.MarkDeleted).Bind(1, persistenceId).Bind(2, toSequenceNr).Execute();
            _db.Prepare(_sql.DeleteMarked).Bind(1, persistenceId).Bind(2, toSequenceNr).Execute();
            _db.Prepare(_sql.DeleteTags).Bind(1, persistenceId).Bind(2, toSequenceNr).Execute();
            _db.Commit();
        }
        catch (Exception e)
        {
            _db.RollbackQuietly();
            throw _db.Translate(e);
        }
    }

    public void Dispose() => _db.Dispose();

    public ValueTask DisposeAsync()
    {
        _db.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <param name="persistenceId">The row's persistence id when the query fixed it (no need to read it), else null.</param>
    private static StoredEvent ReadEvent(SqliteStatement s, string? persistenceId = null) => new(
        s.Int64(StoredEvent.OrderingColumn),
        persistenceId ?? s.Text(StoredEvent.PersistenceIdColumn)!,
        s.Int64(StoredEvent.SequenceNrColumn),
        s.Int64(StoredEvent.CreatedColumn),
        s.Blob(StoredEvent.MessageColumn).ToArray(),
        s.NullableInt32(StoredEvent.IdentifierColumn),
        s.Text(StoredEvent.ManifestColumn),
        s.Text(StoredEvent.WriterUuidColumn));

    private static StoredTag ReadTag(SqliteStatement s) => new(s.Int64(0), s.Text(1)!);

    /// <summary>Steps through every row, then resets the statement so it holds no read transaction.</summary>
    private void Read(SqliteStatement statement, Action<SqliteStatement> onRow)
    {
        try
        {
            while (statement.Step())
                onRow(statement);
        }
        catch (Exception e)
        {
            throw _db.Translate(e);
        }
        finally
        {
            statement.Reset();
        }
    }

    private long? Scalar(SqliteStatement statement)
    {
        try
        {
            return statement.ExecuteScalarInt64();
        }
        catch (Exception e)
        {
            throw _db.Translate(e);
        }
    }
}
