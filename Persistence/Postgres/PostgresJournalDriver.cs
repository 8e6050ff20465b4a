using Gpuvmsim.Persistence.Settings;
using Gpuvmsim.Persistence.Sql;
using Npgsql;

namespace Gpuvmsim.Persistence.Postgres;

/// <summary>
/// The journal on PostgreSQL, shared by any number of hosts. Each call rents a pooled connection from one
/// <see cref="NpgsqlDataSource"/> and returns it before the caller sees a row; statements are prepared (Npgsql
/// keeps them per physical connection). A chunk of writes is ONE statement, hence one round trip and one
/// implicit transaction: the rows travel as arrays, <c>unnest</c>ed into the journal in input order (so each
/// persistence id's orderings grow with its sequence numbers), and a data-modifying CTE hands the new orderings
/// to the tag insert. The unique constraint <c>journal_uq</c> makes a second writer of the same sequence
/// number fail the whole statement: nothing of the chunk is stored, nothing is interleaved.
/// </summary>
internal sealed class PostgresJournalDriver : IJournalDriver
{
    private readonly NpgsqlDataSource _source;
    private readonly JournalSql _sql;
    private readonly string _insert;

    private PostgresJournalDriver(NpgsqlDataSource source, JournalSql sql, string database)
    {
        _source = source;
        _sql = sql;
        Database = database;
        _insert = InsertSql(sql);
    }

    public string Database { get; }

    public static PostgresJournalDriver Open(JournalSettings settings)
    {
        var sql = new JournalSql(settings, SqlDialect.Postgres);
        var database = Pg.Describe(settings.ConnectionString, sql.Schema);
        var source = NpgsqlDataSource.Create(settings.ConnectionString);
        try
        {
            PostgresSchema.Prepare(source, database, settings.AutoInitialize, PostgresSchema.Journal(sql), [sql.Journal, sql.Tags]);
            return new PostgresJournalDriver(source, sql, database);
        }
        catch
        {
            source.Dispose();
            throw;
        }
    }

    public async ValueTask Insert(bool async, IReadOnlyList<SerializedWrite> writes, string writerUuid, CancellationToken ct)
    {
        var rows = writes.Sum(w => w.Rows.Length);
        var (pids, seqs, created, messages, manifests) = (new string[rows], new long[rows], new long[rows], new byte[rows][], new string[rows]);
        List<string> tagPids = [], tagValues = [];
        List<long> tagSeqs = [];
        var i = 0;
        foreach (var write in writes)
        {
            foreach (var row in write.Rows)
            {
                (pids[i], seqs[i], created[i], messages[i], manifests[i]) = (write.PersistenceId, row.SequenceNr, row.Created, row.Message, row.Manifest);
                i++;
                foreach (var tag in row.Tags)
                {
                    tagPids.Add(write.PersistenceId);
                    tagSeqs.Add(row.SequenceNr);
                    tagValues.Add(tag);
                }
            }
        }
        var connection = await Pg.Open(async, _source, ct).ConfigureAwait(false);
        try
        {
            using var command = Pg.Command(connection, _insert,
                Pg.P(pids), Pg.P(seqs), Pg.P(created), Pg.P(messages), Pg.P(Serialization.EventRegistry.SerializerId),
                Pg.P(manifests), Pg.P(writerUuid), Pg.P(tagPids.ToArray()), Pg.P(tagSeqs.ToArray()), Pg.P(tagValues.ToArray()));
            await Pg.Prepare(async, command, ct).ConfigureAwait(false);
            await Pg.Execute(async, command, ct).ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName == _sql.UniqueIndex)
        {
            throw new UniqueViolationException(e);
        }
        finally
        {
            await Pg.Close(async, connection).ConfigureAwait(false);
        }
    }

    public async ValueTask<List<long>> StoredSequenceNrs(bool async, string persistenceId, long lowest, long highest, CancellationToken ct)
    {
        var found = new List<long>();
        await Query(async, _sql.StoredSequenceNrs, [Pg.P(persistenceId), Pg.P(lowest), Pg.P(highest)], r => found.Add(r.GetInt64(0)), ct).ConfigureAwait(false);
        return found;
    }

    public async ValueTask ReadEventsOfPid(bool async, string persistenceId, long from, long to, int limit, List<StoredEvent> events, List<StoredTag>? tags, CancellationToken ct)
    {
        await Query(async, _sql.EventsOfPid, [Pg.P(persistenceId), Pg.P(from), Pg.P(to), Pg.P((long)limit)], r => events.Add(ReadEvent(r)), ct).ConfigureAwait(false);
        if (tags is not null && events.Count > 0)
            await Query(async, _sql.TagsOfPid, [Pg.P(persistenceId), Pg.P(events[0].SequenceNr), Pg.P(events[^1].SequenceNr)], r => tags.Add(ReadTag(r)), ct).ConfigureAwait(false);
    }

    public async ValueTask ReadEventsByOrdering(bool async, long after, long upTo, int limit, List<StoredEvent> events, List<StoredTag> tags, CancellationToken ct)
    {
        await Query(async, _sql.EventsByOrdering, [Pg.P(after), Pg.P(upTo), Pg.P((long)limit)], r => events.Add(ReadEvent(r)), ct).ConfigureAwait(false);
        if (events.Count > 0)
            await Query(async, _sql.TagsByOrdering, [Pg.P(after), Pg.P(events[^1].Ordering)], r => tags.Add(ReadTag(r)), ct).ConfigureAwait(false);
    }

    public async ValueTask ReadEventsByTag(bool async, string tag, long after, long upTo, int limit, List<StoredEvent> events, List<StoredTag> tags, CancellationToken ct)
    {
        await Query(async, _sql.EventsByTag, [Pg.P(tag), Pg.P(after), Pg.P(upTo), Pg.P((long)limit)], r => events.Add(ReadEvent(r)), ct).ConfigureAwait(false);
        if (events.Count > 0)
            await Query(async, _sql.TagsByOrdering, [Pg.P(after), Pg.P(events[^1].Ordering)], r => tags.Add(ReadTag(r)), ct).ConfigureAwait(false);
    }

    public async ValueTask<long> ReadHighestSequenceNr(bool async, string persistenceId, long from, CancellationToken ct) =>
        await Scalar(async, _sql.HighestSequenceNr, [Pg.P(persistenceId), Pg.P(from)], ct).ConfigureAwait(false);

    public async ValueTask<long> ReadMaxOrdering(bool async, CancellationToken ct) =>
        await Scalar(async, _sql.MaxOrdering, [], ct).ConfigureAwait(false);

    public async ValueTask ReadPersistenceIds(bool async, string after, int limit, List<string> into, CancellationToken ct) =>
        await Query(async, _sql.PersistenceIds, [Pg.P(after), Pg.P((long)limit)], r => into.Add(r.GetString(0)), ct).ConfigureAwait(false);

    public async ValueTask DeleteTo(bool async, string persistenceId, long toSequenceNr, CancellationToken ct)
    {
        var connection = await Pg.Open(async, _source, ct).ConfigureAwait(false);
        try
        {
            // One batch, one round trip; a batch of several statements runs as one implicit transaction.
            using var batch = new NpgsqlBatch(connection);
            foreach (var sql in new[] { _sql.MarkDeleted, _sql.DeleteMarked, _sql.DeleteTags })
            {
                var command = new NpgsqlBatchCommand(sql);
                command.Parameters.Add(Pg.P(persistenceId));
                command.Parameters.Add(Pg.P(toSequenceNr));
                batch.BatchCommands.Add(command);
            }
            await Pg.Execute(async, batch, ct).ConfigureAwait(false);
        }
        finally
        {
            await Pg.Close(async, connection).ConfigureAwait(false);
        }
    }

    public void Dispose() => _source.Dispose();

    public ValueTask DisposeAsync() => _source.DisposeAsync();

    private static StoredEvent ReadEvent(NpgsqlDataReader r) => new(
        r.GetInt64(StoredEvent.OrderingColumn),
        r.GetString(StoredEvent.PersistenceIdColumn),
        r.GetInt64(StoredEvent.SequenceNrColumn),
        r.GetInt64(StoredEvent.CreatedColumn),
        r.GetFieldValue<byte[]>(StoredEvent.MessageColumn),
        r.IsDBNull(StoredEvent.IdentifierColumn) ? null : r.GetInt32(StoredEvent.IdentifierColumn),
        r.IsDBNull(StoredEvent.ManifestColumn) ? null : r.GetString(StoredEvent.ManifestColumn),
        r.IsDBNull(StoredEvent.WriterUuidColumn) ? null : r.GetString(StoredEvent.WriterUuidColumn));

    private static StoredTag ReadTag(NpgsqlDataReader r) => new(r.GetInt64(0), r.GetString(1));

    private async ValueTask Query(bool async, string sql, NpgsqlParameter[] parameters, Action<NpgsqlDataReader> onRow, CancellationToken ct)
    {
        var connection = await Pg.Open(async, _source, ct).ConfigureAwait(false);
        try
        {
            using var command = Pg.Command(connection, sql, parameters);
            await Pg.Prepare(async, command, ct).ConfigureAwait(false);
            var reader = await Pg.Reader(async, command, ct).ConfigureAwait(false);
            try
            {
                while (await Pg.Read(async, reader, ct).ConfigureAwait(false))
                    onRow(reader);
            }
            finally
            {
                await Pg.Close(async, reader).ConfigureAwait(false);
            }
        }
        finally
        {
            await Pg.Close(async, connection).ConfigureAwait(false);
        }
    }

    private async ValueTask<long> Scalar(bool async, string sql, NpgsqlParameter[] parameters, CancellationToken ct)
    {
        var connection = await Pg.Open(async, _source, ct).ConfigureAwait(false);
        try
        {
            using var command = Pg.Command(connection, sql, parameters);
            return await Pg.Scalar(async, command, ct).ConfigureAwait(false) is long value ? value : 0;
        }
        finally
        {
            await Pg.Close(async, connection).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// ($1 pids, $2 seqs, $3 created, $4 messages, $5 serializer id, $6 manifests, $7 writer uuid,
    /// $8 tag pids, $9 tag seqs, $10 tag values): the whole chunk in one statement.
    /// </summary>
    private static string InsertSql(JournalSql s)
    {
        var d = SqlDialect.Postgres;
        var c = s.Columns;
        var t = s.TagColumns;
        var (o, pid, seq) = (d.Quote(c.Ordering), d.Quote(c.PersistenceId), d.Quote(c.SequenceNumber));
        var writerColumn = s.UseWriterUuid ? $", {d.Quote(c.WriterUuid)}" : "";
        var writerSelect = s.UseWriterUuid ? ", $7" : "";
        return $"""
            WITH stored AS (
              INSERT INTO {s.Journal} ({d.Quote(c.Deleted)}, {pid}, {seq}, {d.Quote(c.Created)}, {d.Quote(c.Message)}, {d.Quote(c.Identifier)}, {d.Quote(c.Manifest)}{writerColumn})
              SELECT FALSE, r.pid, r.seq, r.created, r.message, $5, r.manifest{writerSelect}
              FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bytea[], $6::text[]) WITH ORDINALITY AS r(pid, seq, created, message, manifest, n)
              ORDER BY r.n
              RETURNING {o} AS ordering, {pid} AS pid, {seq} AS seq)
            INSERT INTO {s.Tags} ({d.Quote(t.OrderingId)}, {d.Quote(t.TagValue)}, {d.Quote(t.PersistenceId)}, {d.Quote(t.SequenceNr)})
            SELECT stored.ordering, g.tag, g.pid, g.seq
            FROM unnest($8::text[], $9::bigint[], $10::text[]) AS g(pid, seq, tag)
            JOIN stored ON stored.pid = g.pid AND stored.seq = g.seq
            """;
    }
}
