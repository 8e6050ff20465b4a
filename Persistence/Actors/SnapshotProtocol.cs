namespace Gpuvmsim.Persistence.Actors;

// The snapshot-store plugin's protocol (Akka.Persistence's SnapshotProtocol). Requests are commands sent to the
// snapshot-store actor (IPersistenceExtension.SnapshotStoreFor); each is answered to its sender with one fact.
// A persistent actor's command handler receives the save and delete replies.

/// <summary>
/// Loads the youngest snapshot of <paramref name="PersistenceId"/> matching <paramref name="Criteria"/> and taken at or
/// below <paramref name="ToSequenceNr"/>. Sent by a persistent actor starting its recovery; answered with
/// <see cref="LoadSnapshotResult"/> or <see cref="LoadSnapshotFailed"/>.
/// </summary>
public sealed record LoadSnapshot(string PersistenceId, SnapshotSelectionCriteria Criteria, long ToSequenceNr);

/// <summary>The snapshot found, or null when none matches.</summary>
public sealed record LoadSnapshotResult(SelectedSnapshot? Snapshot, long ToSequenceNr);

/// <summary>The store could not load a snapshot; the persistent actor fails its recovery.</summary>
public sealed record LoadSnapshotFailed(Exception Cause)
{
    public override string ToString() => $"LoadSnapshotFailed({Cause.GetType().Name}: {Cause.Message})";
}

/// <summary>Stores a snapshot. Sent by <c>SaveSnapshot</c>; answered with <see cref="SaveSnapshotSuccess"/> or <see cref="SaveSnapshotFailure"/>.</summary>
public sealed record SaveSnapshot(SnapshotMetadata Metadata, object Snapshot);

/// <summary>The snapshot is stored; <paramref name="Metadata"/> carries the timestamp it was stored with.</summary>
public sealed record SaveSnapshotSuccess(SnapshotMetadata Metadata);

/// <summary>The snapshot was not stored (e.g. its type is not registered, or no snapshot store is configured).</summary>
public sealed record SaveSnapshotFailure(SnapshotMetadata Metadata, Exception Cause)
{
    public override string ToString() => $"SaveSnapshotFailure({Metadata}, {Cause.GetType().Name}: {Cause.Message})";
}

/// <summary>Deletes the snapshot at (persistence id, sequence number). Answered with <see cref="DeleteSnapshotSuccess"/> or <see cref="DeleteSnapshotFailure"/>.</summary>
public sealed record DeleteSnapshot(SnapshotMetadata Metadata);

/// <summary>The snapshot is deleted (or there was none).</summary>
public sealed record DeleteSnapshotSuccess(SnapshotMetadata Metadata);

/// <summary>The snapshot was not deleted.</summary>
public sealed record DeleteSnapshotFailure(SnapshotMetadata Metadata, Exception Cause);

/// <summary>Deletes every snapshot of <paramref name="PersistenceId"/> matching <paramref name="Criteria"/>. Answered with <see cref="DeleteSnapshotsSuccess"/> or <see cref="DeleteSnapshotsFailure"/>.</summary>
public sealed record DeleteSnapshots(string PersistenceId, SnapshotSelectionCriteria Criteria);

/// <summary>The matching snapshots are deleted.</summary>
public sealed record DeleteSnapshotsSuccess(SnapshotSelectionCriteria Criteria);

/// <summary>The snapshots were not deleted.</summary>
public sealed record DeleteSnapshotsFailure(SnapshotSelectionCriteria Criteria, Exception Cause);
