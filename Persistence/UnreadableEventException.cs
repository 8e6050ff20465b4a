namespace Gpuvmsim.Persistence;

/// <summary>A stored event (or snapshot) has a known manifest but its bytes are not valid JSON for that type.</summary>
public sealed class UnreadableEventException : InputException
{
    internal UnreadableEventException(string message, string persistenceId, long sequenceNr, Exception inner)
        : base(message, inner)
    {
        PersistenceId = persistenceId;
        SequenceNr = sequenceNr;
    }

    /// <summary>The row's persistence id.</summary>
    public string PersistenceId { get; }

    /// <summary>The row's sequence number.</summary>
    public long SequenceNr { get; }
}
