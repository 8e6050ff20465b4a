namespace Gpuvmsim.Persistence;

/// <summary>What happened to one <see cref="AtomicWrite"/> (Akka's WriteMessageSuccess / Rejected / Failure).</summary>
public enum WriteStatus
{
    /// <summary>Every event of the write is stored and will survive a crash of this process.</summary>
    Persisted,

    /// <summary>
    /// Nothing of the write is stored because of the write itself (an event that cannot be serialized,
    /// a sequence number already taken); the journal is healthy and later writes may succeed.
    /// </summary>
    Rejected,

    /// <summary>
    /// The store failed (I/O, lost connection, corrupt file, cancellation). Nothing of the write is stored;
    /// writes after a failed one in the same call are failed too, so a persistence id never gets a gap.
    /// </summary>
    Failed,
}

/// <summary>The outcome of one atomic write; <see cref="Error"/> says why when it is not <see cref="WriteStatus.Persisted"/>.</summary>
public readonly record struct WriteResult(WriteStatus Status, Exception? Error)
{
    /// <summary>The write is stored.</summary>
    public static WriteResult Persisted { get; } = new(WriteStatus.Persisted, null);

    /// <summary>A write not stored because of its own content.</summary>
    public static WriteResult Rejected(Exception reason) => new(WriteStatus.Rejected, reason);

    /// <summary>A write not stored because the store failed.</summary>
    public static WriteResult Failed(Exception reason) => new(WriteStatus.Failed, reason);

    /// <summary>True when every event of the write is stored.</summary>
    public bool IsPersisted => Status == WriteStatus.Persisted;

    /// <summary>The throwing twin of <see cref="IsPersisted"/>: returns when stored, otherwise throws <see cref="Error"/>.</summary>
    public void EnsurePersisted()
    {
        if (Status != WriteStatus.Persisted)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(Error!);
    }
}
