namespace Gpuvmsim.Persistence;

/// <summary>
/// An event journal with Akka.Persistence.Sql's storage layout (Akka's <c>AsyncWriteJournal</c> contract).
/// Open one with <see cref="Journal.Open"/>.
/// <para>
/// Every operation exists twice: a synchronous method, for the deterministic simulation that calls the store
/// inside one scheduling step, and a <c>…Async</c> twin for services. Both run the same code. On SQLite the
/// async twins complete synchronously once the store's gate is taken (SQLite has no asynchronous I/O); on
/// PostgreSQL they do real asynchronous I/O. Every method is thread-safe and may block on I/O; none calls back
/// into user code while it holds a connection or a lock (replay callbacks run between pages).
/// </para>
/// </summary>
public interface IJournal : IDisposable, IAsyncDisposable
{
    /// <summary>The random id of this journal instance, stored in <c>journal.writer_uuid</c> of every row it writes.</summary>
    string WriterUuid { get; }

    /// <summary>The queries over the same tables (the read journal).</summary>
    IReadJournal Query { get; }

    /// <summary>
    /// Stores the atomic writes in order. Consecutive writes are grouped into transactions of up to
    /// <c>batch-size</c> rows; an atomic write is never split (one bigger than <c>batch-size</c> gets a
    /// transaction of its own). A write whose sequence numbers are taken is rejected whole
    /// (<see cref="SequenceNumberConflictException"/>), and its neighbours in the same transaction are
    /// retried one by one so that they are not punished for it.
    /// </summary>
    /// <returns>One result per write, in the same order. This method does not throw for storage failures:
    /// they come back as <see cref="WriteStatus.Failed"/> results (see <see cref="WriteResult.EnsurePersisted"/>).</returns>
    /// <exception cref="ObjectDisposedException">The journal is disposed.</exception>
    IReadOnlyList<WriteResult> WriteMessages(IReadOnlyList<AtomicWrite> writes);

    /// <inheritdoc cref="WriteMessages"/>
    Task<IReadOnlyList<WriteResult>> WriteMessagesAsync(IReadOnlyList<AtomicWrite> writes, CancellationToken cancellationToken = default);

    /// <summary>
    /// Calls <paramref name="onReplayed"/> for each stored, not-deleted event of <paramref name="persistenceId"/>
    /// with <paramref name="fromSequenceNr"/> ≤ sequence number ≤ <paramref name="toSequenceNr"/>, in sequence
    /// order, at most <paramref name="max"/> times. Rows are read in pages of <c>replay-batch-size</c>.
    /// </summary>
    /// <returns>The number of events replayed.</returns>
    /// <exception cref="UnknownEventManifestException">An event's manifest is not registered; events before it were delivered.</exception>
    /// <exception cref="UnreadableEventException">An event's bytes cannot be read as its type.</exception>
    long ReplayMessages(string persistenceId, long fromSequenceNr, long toSequenceNr, long max, Action<PersistentRepr> onReplayed);

    /// <inheritdoc cref="ReplayMessages"/>
    Task<long> ReplayMessagesAsync(string persistenceId, long fromSequenceNr, long toSequenceNr, long max, Action<PersistentRepr> onReplayed, CancellationToken cancellationToken = default);

    /// <summary>
    /// The highest sequence number stored for <paramref name="persistenceId"/>, deleted events included
    /// (deleting never lowers it), considering only rows at or above <paramref name="fromSequenceNr"/>.
    /// </summary>
    /// <returns>That number, or 0 when there is none.</returns>
    long ReadHighestSequenceNr(string persistenceId, long fromSequenceNr = 0);

    /// <inheritdoc cref="ReadHighestSequenceNr"/>
    Task<long> ReadHighestSequenceNrAsync(string persistenceId, long fromSequenceNr = 0, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes the events of <paramref name="persistenceId"/> up to <paramref name="toSequenceNr"/>, in one
    /// transaction, with the Akka.Persistence.Sql semantics: every such row is marked <c>deleted</c>, all of
    /// them except the highest marked one are physically removed (so the highest sequence number survives),
    /// and their tag rows are removed.
    /// </summary>
    void DeleteMessagesTo(string persistenceId, long toSequenceNr);

    /// <inheritdoc cref="DeleteMessagesTo"/>
    Task DeleteMessagesToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken = default);
}
