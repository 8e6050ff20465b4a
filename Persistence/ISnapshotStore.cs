namespace Gpuvmsim.Persistence;

/// <summary>
/// A snapshot store with Akka.Persistence.Sql's <c>snapshot</c> table (Akka's <c>SnapshotStore</c> contract).
/// Open one with <see cref="SnapshotStore.Open"/>. Synchronous methods and <c>…Async</c> twins run the same
/// code, as in <see cref="IJournal"/>; every method is thread-safe and may block on I/O.
/// </summary>
public interface ISnapshotStore : IDisposable, IAsyncDisposable
{
    /// <summary>
    /// Stores <paramref name="snapshot"/> under (persistence id, sequence number), replacing a snapshot already
    /// stored there. A default <see cref="SnapshotMetadata.Timestamp"/> is stamped with the store's clock.
    /// </summary>
    /// <exception cref="EventNotSerializableException">The snapshot's type is not registered.</exception>
    void Save(SnapshotMetadata metadata, object snapshot);

    /// <inheritdoc cref="Save"/>
    Task SaveAsync(SnapshotMetadata metadata, object snapshot, CancellationToken cancellationToken = default);

    /// <summary>The youngest snapshot (highest sequence number) of <paramref name="persistenceId"/> matching <paramref name="criteria"/>.</summary>
    /// <returns>The snapshot, or null when none matches.</returns>
    /// <exception cref="UnknownEventManifestException">The snapshot's manifest is not registered.</exception>
    SelectedSnapshot? Load(string persistenceId, SnapshotSelectionCriteria criteria);

    /// <inheritdoc cref="Load"/>
    Task<SelectedSnapshot?> LoadAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken = default);

    /// <summary>Deletes the one snapshot stored at (persistence id, sequence number) of <paramref name="metadata"/>, if any.</summary>
    void Delete(SnapshotMetadata metadata);

    /// <inheritdoc cref="Delete(SnapshotMetadata)"/>
    Task DeleteAsync(SnapshotMetadata metadata, CancellationToken cancellationToken = default);

    /// <summary>Deletes every snapshot of <paramref name="persistenceId"/> matching <paramref name="criteria"/>.</summary>
    void Delete(string persistenceId, SnapshotSelectionCriteria criteria);

    /// <inheritdoc cref="Delete(string, SnapshotSelectionCriteria)"/>
    Task DeleteAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken = default);
}

/// <summary>Identifies a snapshot (Akka's <c>SnapshotMetadata</c>).</summary>
/// <param name="PersistenceId">The entity; at most 255 characters.</param>
/// <param name="SequenceNr">The sequence number of the last event the snapshot covers.</param>
/// <param name="Timestamp">When it was taken (UTC; stored as ticks in <c>snapshot.created</c>).</param>
public sealed record SnapshotMetadata(string PersistenceId, long SequenceNr, DateTime Timestamp = default);

/// <summary>A loaded snapshot.</summary>
public sealed record SelectedSnapshot(SnapshotMetadata Metadata, object Snapshot);

/// <summary>
/// Which snapshots an operation considers (Akka's <c>SnapshotSelectionCriteria</c>): those with
/// <see cref="MinSequenceNr"/> ≤ sequence number ≤ <see cref="MaxSequenceNr"/> and
/// <see cref="MinTimestamp"/> ≤ timestamp ≤ <see cref="MaxTimestamp"/>.
/// </summary>
public sealed record SnapshotSelectionCriteria(long MaxSequenceNr, DateTime MaxTimestamp, long MinSequenceNr = 0, DateTime MinTimestamp = default)
{
    /// <summary>Every snapshot: loading with it returns the latest one.</summary>
    public static SnapshotSelectionCriteria Latest { get; } = new(long.MaxValue, DateTime.MaxValue);

    /// <summary>No snapshot at all.</summary>
    public static SnapshotSelectionCriteria None { get; } = new(0, DateTime.MinValue);

    /// <summary>Snapshots up to a sequence number, whatever their time.</summary>
    public static SnapshotSelectionCriteria UpTo(long maxSequenceNr) => new(maxSequenceNr, DateTime.MaxValue);
}
