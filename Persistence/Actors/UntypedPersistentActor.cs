namespace Gpuvmsim.Persistence.Actors;

/// <summary>
/// A persistent actor with one method per phase (Akka's <c>UntypedPersistentActor</c>): call <c>Unhandled(message)</c>
/// for what <see cref="OnCommand"/> does not handle. See <see cref="Eventsourced"/>.
/// </summary>
public abstract class UntypedPersistentActor : Eventsourced
{
    protected sealed override bool ReceiveRecover(object message)
    {
        OnRecover(message);
        return true;
    }

    protected sealed override bool ReceiveCommand(object message)
    {
        OnCommand(message);
        return true;
    }

    /// <summary>Handles one recovered message: a <see cref="SnapshotOffer"/>, an event, or <see cref="RecoveryCompleted"/>.</summary>
    protected abstract void OnRecover(object message);

    /// <summary>Handles one command.</summary>
    protected abstract void OnCommand(object message);
}
