namespace Gpuvmsim.Persistence.Sql;

/// <summary>One journal row as read back, before deserialization. Column order of <see cref="JournalSql.EventColumns"/>.</summary>
internal readonly record struct StoredEvent(
    long Ordering, string PersistenceId, long SequenceNr, long Created, byte[] Message, int? Identifier, string? Manifest, string? WriterUuid)
{
    public const int OrderingColumn = 0;
    public const int PersistenceIdColumn = 1;
    public const int SequenceNrColumn = 2;
    public const int CreatedColumn = 3;
    public const int MessageColumn = 4;
    public const int IdentifierColumn = 5;
    public const int ManifestColumn = 6;
    public const int WriterUuidColumn = 7;
}

/// <summary>One tag row as read back; <see cref="Key"/> is the ordering or the sequence number, as the query says.</summary>
internal readonly record struct StoredTag(long Key, string Tag);

/// <summary>One event ready to insert: the serialized payload and what goes beside it.</summary>
internal readonly record struct SerializedRow(long SequenceNr, long Created, byte[] Message, string Manifest, string[] Tags);

/// <summary>One atomic write ready to insert, remembering its index in the caller's list.</summary>
internal sealed record SerializedWrite(int Index, string PersistenceId, SerializedRow[] Rows)
{
    public long LowestSequenceNr => Rows[0].SequenceNr;

    public long HighestSequenceNr => Rows[^1].SequenceNr;
}

/// <summary>
/// Thrown by a driver when an insert hits the journal's unique index on (persistence id, sequence number);
/// the transaction was rolled back. Never leaves the journal: it is turned into a per-write rejection.
/// </summary>
internal sealed class UniqueViolationException(Exception inner) : Exception("unique (persistence id, sequence number) violated", inner);
