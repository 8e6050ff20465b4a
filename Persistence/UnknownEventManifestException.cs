namespace Gpuvmsim.Persistence;

/// <summary>
/// A stored event (or snapshot) names a manifest — an event version such as <c>va-inserted.v3</c> — that no type
/// is registered for, or a serializer id this program does not write. The database is fine; this build of
/// the program cannot read it.
/// </summary>
public sealed class UnknownEventManifestException : InputException
{
    internal UnknownEventManifestException(string message, string manifest, string persistenceId, long sequenceNr)
        : base(message)
    {
        Manifest = manifest;
        PersistenceId = persistenceId;
        SequenceNr = sequenceNr;
    }

    /// <summary>The manifest found in the row.</summary>
    public string Manifest { get; }

    /// <summary>The row's persistence id.</summary>
    public string PersistenceId { get; }

    /// <summary>The row's sequence number.</summary>
    public long SequenceNr { get; }
}
