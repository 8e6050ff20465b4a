using Gpuvmsim.Persistence.Settings;

namespace Gpuvmsim.Persistence.Sql;

/// <summary>
/// Names of the snapshot table, its columns and footer indexes, and the text of the snapshot statements
/// (the same on SQLite and PostgreSQL but for quoting and parameter marks). Rows are read in the column order
/// persistence id, sequence number, created, snapshot, manifest, serializer id.
/// </summary>
internal sealed class SnapshotSql
{
    public SnapshotSql(SnapshotStoreSettings settings, SqlDialect d)
    {
        var m = settings.Default;
        var c = Columns = m.Snapshot.Columns;
        Schema = m.SchemaName;
        TableName = m.Snapshot.TableName;
        SequenceNumberIndex = $"{TableName}_{c.SequenceNumber}_idx";
        CreatedIndex = $"{TableName}_{c.Created}_idx";
        var s = Table = d.Table(Schema, TableName);
        string q(string name) => d.Quote(name);
        var (pid, seq, created) = (q(c.PersistenceId), q(c.SequenceNumber), q(c.Created));
        var (p1, p2, p3, p4, p5, p6) = (d.P(1), d.P(2), d.P(3), d.P(4), d.P(5), d.P(6));
        var matching = $"{pid} = {p1} AND {seq} <= {p2} AND {seq} >= {p3} AND {created} <= {p4} AND {created} >= {p5}";

        Upsert = $"INSERT INTO {s} ({pid}, {seq}, {created}, {q(c.Snapshot)}, {q(c.Manifest)}, {q(c.SerializerId)}) VALUES ({p1}, {p2}, {p3}, {p4}, {p5}, {p6}) " +
                 $"ON CONFLICT ({pid}, {seq}) DO UPDATE SET {created} = excluded.{created}, {q(c.Snapshot)} = excluded.{q(c.Snapshot)}, " +
                 $"{q(c.Manifest)} = excluded.{q(c.Manifest)}, {q(c.SerializerId)} = excluded.{q(c.SerializerId)}";
        LoadLatest = $"SELECT {pid}, {seq}, {created}, {q(c.Snapshot)}, {q(c.Manifest)}, {q(c.SerializerId)} FROM {s} WHERE {matching} ORDER BY {seq} DESC LIMIT 1";
        DeleteOne = $"DELETE FROM {s} WHERE {pid} = {p1} AND {seq} = {p2}";
        DeleteMatching = $"DELETE FROM {s} WHERE {matching}";
    }

    public string? Schema { get; }
    public string TableName { get; }
    public SnapshotColumnNames Columns { get; }
    public string SequenceNumberIndex { get; }
    public string CreatedIndex { get; }

    /// <summary>The quoted, schema-qualified snapshot table.</summary>
    public string Table { get; }

    /// <summary>(pid, seq, created, snapshot, manifest, serializer id): insert or replace.</summary>
    public string Upsert { get; }

    /// <summary>(pid, max seq, min seq, max created, min created) → the youngest matching row.</summary>
    public string LoadLatest { get; }

    /// <summary>(pid, seq).</summary>
    public string DeleteOne { get; }

    /// <summary>(pid, max seq, min seq, max created, min created).</summary>
    public string DeleteMatching { get; }
}

/// <summary>One snapshot row as read back.</summary>
internal sealed record StoredSnapshot(string PersistenceId, long SequenceNr, long Created, byte[] Payload, string? Manifest, int? SerializerId);

/// <summary>A <see cref="SnapshotSelectionCriteria"/> in stored units (ticks).</summary>
internal readonly record struct SnapshotRange(long MaxSequenceNr, long MinSequenceNr, long MaxCreated, long MinCreated)
{
    public static SnapshotRange From(SnapshotSelectionCriteria c) =>
        new(c.MaxSequenceNr, c.MinSequenceNr, c.MaxTimestamp.Ticks, c.MinTimestamp.Ticks);
}

/// <summary>What a database must do for <see cref="SqlSnapshotStore"/>; same rules as <see cref="IJournalDriver"/>.</summary>
internal interface ISnapshotDriver : IDisposable, IAsyncDisposable
{
    string Database { get; }

    ValueTask Save(bool async, string persistenceId, long sequenceNr, long created, byte[] payload, string manifest, CancellationToken ct);

    ValueTask<StoredSnapshot?> LoadLatest(bool async, string persistenceId, SnapshotRange range, CancellationToken ct);

    ValueTask DeleteOne(bool async, string persistenceId, long sequenceNr, CancellationToken ct);

    ValueTask DeleteMatching(bool async, string persistenceId, SnapshotRange range, CancellationToken ct);
}
