namespace Gpuvmsim.Persistence.Actors;

/// <summary>
/// How a persistent actor recovers (Akka's <c>Recovery</c>): from the youngest snapshot matching
/// <paramref name="FromSnapshot"/>, then the events after it up to <paramref name="ToSequenceNr"/>, at most
/// <paramref name="ReplayMax"/> of them. Override <see cref="Eventsourced.Recovery"/> to change it.
/// </summary>
public sealed record Recovery(SnapshotSelectionCriteria FromSnapshot, long ToSequenceNr = long.MaxValue, long ReplayMax = long.MaxValue)
{
    /// <summary>The latest snapshot and every event after it.</summary>
    public static Recovery Default { get; } = new(SnapshotSelectionCriteria.Latest);

    /// <summary>No snapshot and no event; the actor only learns its highest sequence number, so new events continue the stream.</summary>
    public static Recovery None { get; } = new(SnapshotSelectionCriteria.None, 0);
}

/// <summary>
/// Given to the recovery handler when a snapshot was loaded, before any replayed event (Akka's <c>SnapshotOffer</c>):
/// the state to start from, and the sequence number it covers.
/// </summary>
public sealed record SnapshotOffer(SnapshotMetadata Metadata, object Snapshot);

/// <summary>
/// Given to the recovery handler once per incarnation, after the snapshot and every replayed event and before the first
/// command (Akka's <c>RecoveryCompleted</c>). Persisting from its handler is allowed.
/// </summary>
public sealed class RecoveryCompleted
{
    private RecoveryCompleted() { }

    public static RecoveryCompleted Instance { get; } = new();

    public override string ToString() => "RecoveryCompleted";
}

/// <summary>
/// An event persisted with tags (Akka's <c>Tagged</c>): <c>Persist(new Tagged(evt, ["vm-1"]), handler)</c> stores
/// <paramref name="Payload"/> with tag rows the read journal's <c>CurrentEventsByTag</c> finds. The handler receives
/// the <see cref="Tagged"/> itself; replay gives the bare payload.
/// </summary>
public sealed record Tagged(object Payload, IReadOnlyList<string> Tags);
