namespace Gpuvmsim.Persistence;

/// <summary>
/// An atomic write was rejected because one of its sequence numbers is already stored for its persistence id
/// (the journal's unique index on (persistence id, sequence number)): typically two writers of one entity.
/// Nothing of the rejected write was stored.
/// </summary>
public sealed class SequenceNumberConflictException : Exception
{
    internal SequenceNumberConflictException(string message, string persistenceId, long sequenceNr, Exception? inner)
        : base(message, inner)
    {
        PersistenceId = persistenceId;
        SequenceNr = sequenceNr;
    }

    /// <summary>The persistence id written twice.</summary>
    public string PersistenceId { get; }

    /// <summary>The first sequence number of the rejected write found already stored.</summary>
    public long SequenceNr { get; }
}
