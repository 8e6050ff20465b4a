using Gpuvmsim.Persistence.Serialization;

namespace Gpuvmsim.Persistence.Sql;

/// <summary>The snapshot store over any <see cref="ISnapshotDriver"/>: validation and serialization, once for both APIs.</summary>
internal sealed class SqlSnapshotStore(ISnapshotDriver driver, EventRegistry registry, TimeProvider clock) : ISnapshotStore
{
    private const int MaxPersistenceIdLength = 255;
    private int _disposed;

    public void Save(SnapshotMetadata metadata, object snapshot) => Sync.Run(SaveCore(false, metadata, snapshot, CancellationToken.None));

    public Task SaveAsync(SnapshotMetadata metadata, object snapshot, CancellationToken cancellationToken = default) =>
        SaveCore(true, metadata, snapshot, cancellationToken).AsTask();

    public SelectedSnapshot? Load(string persistenceId, SnapshotSelectionCriteria criteria) =>
        Sync.Run(LoadCore(false, persistenceId, criteria, CancellationToken.None));

    public Task<SelectedSnapshot?> LoadAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken = default) =>
        LoadCore(true, persistenceId, criteria, cancellationToken).AsTask();

    public void Delete(SnapshotMetadata metadata) => Sync.Run(DeleteOne(false, metadata, CancellationToken.None));

    public Task DeleteAsync(SnapshotMetadata metadata, CancellationToken cancellationToken = default) =>
        DeleteOne(true, metadata, cancellationToken).AsTask();

    public void Delete(string persistenceId, SnapshotSelectionCriteria criteria) =>
        Sync.Run(DeleteMatching(false, persistenceId, criteria, CancellationToken.None));

    public Task DeleteAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken = default) =>
        DeleteMatching(true, persistenceId, criteria, cancellationToken).AsTask();

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
            driver.Dispose();
    }

    public ValueTask DisposeAsync() =>
        Interlocked.Exchange(ref _disposed, 1) == 0 ? driver.DisposeAsync() : ValueTask.CompletedTask;

    private ValueTask SaveCore(bool async, SnapshotMetadata metadata, object snapshot, CancellationToken ct)
    {
        CheckMetadata(metadata);
        ArgumentNullException.ThrowIfNull(snapshot);
        var bytes = registry.Serialize(snapshot, out var manifest);
        var created = metadata.Timestamp == default ? clock.GetUtcNow().UtcTicks : metadata.Timestamp.Ticks;
        return driver.Save(async, metadata.PersistenceId, metadata.SequenceNr, created, bytes, manifest, ct);
    }

    private async ValueTask<SelectedSnapshot?> LoadCore(bool async, string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(persistenceId);
        ArgumentNullException.ThrowIfNull(criteria);
        ThrowIfDisposed();
        var row = await driver.LoadLatest(async, persistenceId, SnapshotRange.From(criteria), ct).ConfigureAwait(false);
        if (row is null)
            return null;
        var location = new RowLocation(driver.Database, row.PersistenceId, row.SequenceNr, IsSnapshot: true);
        var snapshot = registry.Deserialize(row.Payload, row.SerializerId, row.Manifest, location);
        return new SelectedSnapshot(new SnapshotMetadata(row.PersistenceId, row.SequenceNr, new DateTime(row.Created, DateTimeKind.Utc)), snapshot);
    }

    private ValueTask DeleteOne(bool async, SnapshotMetadata metadata, CancellationToken ct)
    {
        CheckMetadata(metadata);
        return driver.DeleteOne(async, metadata.PersistenceId, metadata.SequenceNr, ct);
    }

    private ValueTask DeleteMatching(bool async, string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(persistenceId);
        ArgumentNullException.ThrowIfNull(criteria);
        ThrowIfDisposed();
        return driver.DeleteMatching(async, persistenceId, SnapshotRange.From(criteria), ct);
    }

    private void CheckMetadata(SnapshotMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentException.ThrowIfNullOrEmpty(metadata.PersistenceId, nameof(metadata));
        if (metadata.PersistenceId.Length > MaxPersistenceIdLength)
            throw JournalErrors.TooLong("persistence id", metadata.PersistenceId, MaxPersistenceIdLength, metadata.PersistenceId, metadata.SequenceNr);
        ArgumentOutOfRangeException.ThrowIfNegative(metadata.SequenceNr, nameof(metadata));
        ThrowIfDisposed();
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
}
