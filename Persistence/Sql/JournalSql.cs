using Gpuvmsim.Persistence.Settings;

namespace Gpuvmsim.Persistence.Sql;

/// <summary>
/// The names of the journal and tag tables, their columns and indexes (as configured), and the text of every
/// statement both stores run. Index names derive from table and column names as the plugin's footers derive
/// them (<c>journal_uq</c>, <c>journal_created_idx</c>, <c>tags_tag_idx</c>…).
/// <para>
/// Every event query selects the same columns in the same order (<see cref="EventColumns"/>), read by
/// <see cref="StoredEvent"/>'s column constants: ordering, persistence id, sequence number, created, message,
/// identifier, manifest, writer uuid.
/// </para>
/// </summary>
internal sealed class JournalSql
{
    public JournalSql(JournalSettings settings, SqlDialect d)
    {
        var m = settings.Default;
        var jc = m.Journal.Columns;
        var tc = m.Tag.Columns;
        Schema = m.SchemaName;
        JournalTableName = m.Journal.TableName;
        TagTableName = m.Tag.TableName;
        UseWriterUuid = m.Journal.UseWriterUuidColumn;
        Columns = jc;
        TagColumns = tc;
        UniqueIndex = $"{JournalTableName}_uq";
        CreatedIndex = $"{JournalTableName}_{jc.Created}_idx";
        SequenceNumberIndex = $"{JournalTableName}_{jc.SequenceNumber}_idx";
        TagPersistenceIdIndex = $"{TagTableName}_{tc.PersistenceId}_{tc.SequenceNr}_idx";
        TagValueIndex = $"{TagTableName}_{tc.TagValue}_idx";

        var j = Journal = d.Table(Schema, JournalTableName);
        var t = Tags = d.Table(Schema, TagTableName);
        string q(string name) => d.Quote(name);
        var (o, pid, seq, del) = (q(jc.Ordering), q(jc.PersistenceId), q(jc.SequenceNumber), q(jc.Deleted));
        var (tOrd, tTag, tPid, tSeq) = (q(tc.OrderingId), q(tc.TagValue), q(tc.PersistenceId), q(tc.SequenceNr));
        var writer = UseWriterUuid ? q(jc.WriterUuid) : "NULL";
        string Cols(string? alias) =>
            string.Join(", ", new[] { o, pid, seq, q(jc.Created), q(jc.Message), q(jc.Identifier), q(jc.Manifest), writer }
                .Select(c => alias is null || c == "NULL" ? c : $"{alias}.{c}"));
        EventColumns = Cols(null);
        var (p1, p2, p3, p4) = (d.P(1), d.P(2), d.P(3), d.P(4));

        InsertEvent = UseWriterUuid
            ? $"INSERT INTO {j} ({del}, {pid}, {seq}, {q(jc.Created)}, {q(jc.Message)}, {q(jc.Identifier)}, {q(jc.Manifest)}, {q(jc.WriterUuid)}) VALUES ({d.False}, {p1}, {p2}, {p3}, {p4}, {d.P(5)}, {d.P(6)}, {d.P(7)})"
            : $"INSERT INTO {j} ({del}, {pid}, {seq}, {q(jc.Created)}, {q(jc.Message)}, {q(jc.Identifier)}, {q(jc.Manifest)}) VALUES ({d.False}, {p1}, {p2}, {p3}, {p4}, {d.P(5)}, {d.P(6)})";
        InsertTag = $"INSERT INTO {t} ({tOrd}, {tTag}, {tPid}, {tSeq}) VALUES ({p1}, {p2}, {p3}, {p4})";
        StoredSequenceNrs = $"SELECT {seq} FROM {j} WHERE {pid} = {p1} AND {seq} >= {p2} AND {seq} <= {p3} ORDER BY {seq}";

        EventsOfPid = $"SELECT {EventColumns} FROM {j} WHERE {pid} = {p1} AND {seq} >= {p2} AND {seq} <= {p3} AND {del} = {d.False} ORDER BY {seq} LIMIT {p4}";
        TagsOfPid = $"SELECT {tSeq}, {tTag} FROM {t} WHERE {tPid} = {p1} AND {tSeq} >= {p2} AND {tSeq} <= {p3} ORDER BY {tSeq}, {tTag}{d.Ordinal}";
        EventsByOrdering = $"SELECT {EventColumns} FROM {j} WHERE {o} > {p1} AND {o} <= {p2} AND {del} = {d.False} ORDER BY {o} LIMIT {p3}";
        TagsByOrdering = $"SELECT {tOrd}, {tTag} FROM {t} WHERE {tOrd} > {p1} AND {tOrd} <= {p2} ORDER BY {tOrd}, {tTag}{d.Ordinal}";
        // The range is given on both sides of the join, so that each side's index starts at the offset.
        EventsByTag = $"SELECT {Cols("e")} FROM {j} e JOIN {t} g ON g.{tOrd} = e.{o} " +
                      $"WHERE {d.NotIndexed($"g.{tTag}")} = {p1} AND g.{tOrd} > {p2} AND g.{tOrd} <= {p3} AND e.{o} > {p2} AND e.{o} <= {p3} " +
                      $"AND e.{del} = {d.False} ORDER BY g.{tOrd} LIMIT {p4}";
        HighestSequenceNr = $"SELECT MAX({seq}) FROM {j} WHERE {pid} = {p1} AND {seq} >= {p2}";
        MaxOrdering = $"SELECT MAX({o}) FROM {j}";
        PersistenceIds = $"SELECT DISTINCT {pid}{d.Ordinal} FROM {j} WHERE {pid}{d.Ordinal} > {p1} ORDER BY 1 LIMIT {p2}";

        MarkDeleted = $"UPDATE {j} SET {del} = {d.True} WHERE {pid} = {p1} AND {seq} <= {p2}";
        DeleteMarked = $"DELETE FROM {j} WHERE {pid} = {p1} AND {seq} <= {p2} AND {seq} < (SELECT MAX({seq}) FROM {j} WHERE {pid} = {p1} AND {del} = {d.True})";
        DeleteTags = $"DELETE FROM {t} WHERE {tPid} = {p1} AND {tSeq} <= {p2}";
    }

    public string? Schema { get; }
    public string JournalTableName { get; }
    public string TagTableName { get; }
    public bool UseWriterUuid { get; }
    public JournalColumnNames Columns { get; }
    public TagColumnNames TagColumns { get; }
    public string UniqueIndex { get; }
    public string CreatedIndex { get; }
    public string SequenceNumberIndex { get; }
    public string TagPersistenceIdIndex { get; }
    public string TagValueIndex { get; }

    /// <summary>The quoted, schema-qualified journal table.</summary>
    public string Journal { get; }

    /// <summary>The quoted, schema-qualified tag table.</summary>
    public string Tags { get; }

    public string EventColumns { get; }

    /// <summary>SQLite's row-at-a-time insert: (pid, seq, created, message, identifier, manifest[, writer]).</summary>
    public string InsertEvent { get; }

    /// <summary>SQLite's tag insert: (ordering, tag, pid, seq).</summary>
    public string InsertTag { get; }

    /// <summary>(pid, lowest, highest) → stored sequence numbers in that range.</summary>
    public string StoredSequenceNrs { get; }

    /// <summary>(pid, from, to, limit) → events, by sequence number.</summary>
    public string EventsOfPid { get; }

    /// <summary>(pid, from, to) → (sequence number, tag).</summary>
    public string TagsOfPid { get; }

    /// <summary>(after, up to, limit) → events, by ordering.</summary>
    public string EventsByOrdering { get; }

    /// <summary>(after, up to) → (ordering, tag).</summary>
    public string TagsByOrdering { get; }

    /// <summary>(tag, after, up to, limit) → events carrying the tag, by ordering.</summary>
    public string EventsByTag { get; }

    /// <summary>(pid, from) → highest sequence number or NULL.</summary>
    public string HighestSequenceNr { get; }

    /// <summary>() → highest ordering or NULL.</summary>
    public string MaxOrdering { get; }

    /// <summary>(after, limit) → distinct persistence ids.</summary>
    public string PersistenceIds { get; }

    /// <summary>(pid, to): marks rows deleted.</summary>
    public string MarkDeleted { get; }

    /// <summary>(pid, to): removes every marked row but the highest marked one (none when nothing is marked).</summary>
    public string DeleteMarked { get; }

    /// <summary>(pid, to): removes the tag rows of the deleted events.</summary>
    public string DeleteTags { get; }
}
