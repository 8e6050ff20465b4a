using Gpuvmsim.Runtime;

namespace Gpuvmsim.Persistence.Actors;

/// <summary>
/// Recovery: snapshot, replayed events, <see cref="RecoveryCompleted"/>. Runs at the start of every incarnation;
/// commands that arrive meanwhile are stashed internally and unstashed, in order, once it completes.
/// </summary>
public abstract partial class Eventsourced
{
    private Recovery _recovery = Recovery.Default;

    /// <summary>Binds the plugins and asks for the snapshot (or, when the recovery wants none, for the events).</summary>
    private void StartRecovery()
    {
        if (string.IsNullOrEmpty(PersistenceId))
            throw new InvalidOperationException($"{GetType().Name} at {Self.Path} has an empty PersistenceId");
        _persistence = PersistenceExtension.Of(Context.System);
        _journal = _persistence.JournalFor(JournalPluginId);
        _snapshotStore = _persistence.SnapshotStoreFor(SnapshotPluginId);
        _instanceId = _persistence.NextInstanceId();
        _recovery = Recovery;
        if (_recovery.FromSnapshot.MaxSequenceNr <= 0)
        {
            StartReplay();
            return;
        }
        _phase = Phase.WaitingForSnapshot;
        _snapshotStore.Tell(new LoadSnapshot(PersistenceId, _recovery.FromSnapshot, _recovery.ToSequenceNr), Self);
    }

    private bool OnWaitingForSnapshot(object message)
    {
        switch (message)
        {
            case LoadSnapshotResult result:
                if (result.Snapshot is { } snapshot)
                {
                    SetSequenceNr(snapshot.Metadata.SequenceNr);
                    if (!Recover(new SnapshotOffer(snapshot.Metadata, snapshot.Snapshot))) return true;
                }
                StartReplay();
                return true;
            case LoadSnapshotFailed failed:
                FailRecovery(failed.Cause, null);
                return true;
            default:
                return StashInternally(message);
        }
    }

    private void StartReplay()
    {
        _phase = Phase.Replaying;
        _journal!.Tell(new ReplayMessages(LastSequenceNr + 1, _recovery.ToSequenceNr, _recovery.ReplayMax, PersistenceId, Self, _instanceId), Self);
    }

    private bool OnReplaying(object message)
    {
        switch (message)
        {
            case ReplayedMessage replayed when replayed.ActorInstanceId == _instanceId:
                SetSequenceNr(replayed.Persistent.SequenceNr);
                Recover(replayed.Persistent.Payload);
                return true;
            case RecoverySuccess success when success.ActorInstanceId == _instanceId:
                SetSequenceNr(Math.Max(success.HighestSequenceNr, LastSequenceNr));
                // Commands may persist from the RecoveryCompleted handler: it runs in the processing phase.
                _phase = Phase.ProcessingCommands;
                var mark = MarkUnflushed();
                if (!Recover(RecoveryCompleted.Instance))
                {
                    DiscardUnflushed(mark);
                    return true;
                }
                EndOfTurn(unstash: true);
                return true;
            case ReplayMessagesFailure failure when failure.ActorInstanceId == _instanceId:
                FailRecovery(failure.Cause, null);
                return true;
            default:
                return StashInternally(message);
        }
    }

    /// <summary>Gives one message to the recovery handler.</summary>
    /// <returns>False when the handler threw: the recovery failed and the actor is stopping.</returns>
    private bool Recover(object message)
    {
        try
        {
            if (!ReceiveRecover(message) && message is not RecoveryCompleted) Unhandled(message);
            return true;
        }
        catch (Exception e)
        {
            FailRecovery(e, message);
            return false;
        }
    }

    private void FailRecovery(Exception cause, object? message)
    {
        try
        {
            OnRecoveryFailure(cause, message);
        }
        finally
        {
            StopAfterFatalError();
        }
    }

    private void SetSequenceNr(long sequenceNr)
    {
        LastSequenceNr = sequenceNr;
        _sequenceNr = sequenceNr;
    }
}
