using Gpuvmsim.Domain.Simulation;
using Gpuvmsim.Locking;
using Gpuvmsim.Messages.Journal;
using Gpuvmsim.Messages.Locks;
using Gpuvmsim.Runtime;
using Gpuvmsim.Runtime.Deterministic;

namespace Gpuvmsim.Domain.World;

/// <summary>
/// A world actor: it owns kernel state (a VM's VA tree, a BO's vm_bos, an MMU's page table, a scheduler's queues)
/// and the locks embedded in it, and it changes that state only by persisting events (<see cref="Persist"/>).
/// Its dispatch table answers the lock protocol for the locks it owns; subclasses handle the rest.
///
/// Event sourcing: <see cref="ApplyEvent"/> is the only code that changes state. After a restart the fresh instance
/// (its constructor sets the scenario's initial state) re-applies its own events from the run's <see cref="WorldEventLog"/>, then the failed message is
/// re-delivered (the supervisor's <c>RedeliverFailedMessage</c>), so a replay continues exactly where it was.
/// Persisting goes through the run's side channel, not through journal messages, so recording a run never changes
/// the deliveries it is made of.
/// </summary>
public abstract class WorldActor : ActorBase, IStateHashable
{
    private LockAnswers? lastLockAnswers;

    protected WorldActor(WorldContext world, string persistenceId)
    {
        World = world;
        PersistenceId = persistenceId;
        LockTable = new LockTable(world.Monitor);
    }

    protected WorldContext World { get; }

    /// <summary>This actor's stream in a bind journal, e.g. <c>vm/V</c>.</summary>
    public string PersistenceId { get; }

    public long LastSequenceNr { get; private set; }

    protected LockTable LockTable { get; }

    protected internal sealed override bool Receive(object message)
    {
        if (World.Faults?.Fire(PersistenceId) == true)
            throw new InjectedFailureException(PersistenceId, World.Monitor.TraceStep);
        switch (message)
        {
            case AcquireLock acquire:
                PersistLock(new LockRequested(acquire.Lock, acquire.Context, acquire.Mode, acquire.WwStamp, acquire.WwHeld));
                return true;
            case ReleaseLock release:
                PersistLock(new LockReleased(release.Lock, release.Context));
                return true;
            case ConfirmRelease confirm:
                Sender.Tell(new ReleaseConfirmed(confirm.Lock), Self);
                return true;
            default:
                return Handle(message);
        }
    }

    /// <summary>The actor's own protocol; false for a message it does not know.</summary>
    protected abstract bool Handle(object message);

    /// <summary>Records <paramref name="e"/> in the run's event log and applies it.</summary>
    protected void Persist(WorldEvent e)
    {
        LastSequenceNr++;
        World.Events.Append(PersistenceId, LastSequenceNr, e, World.Monitor.TraceStep);
        Apply(e);
    }

    /// <summary>Persists a lock event and answers the contexts it grants, refuses or backs off.</summary>
    protected void PersistLock(WorldEvent e)
    {
        Persist(e);
        if (lastLockAnswers is { } answers)
            LockTable.Send(answers, LockIdOf(e), World.Directory.ContextRefs, Self);
        lastLockAnswers = null;
    }

    /// <summary>Changes state for one event; never sends, never reports (recovery replays it silently).</summary>
    protected abstract void ApplyEvent(WorldEvent e);

    protected override void PostRestart(Exception reason)
    {
        // A restart builds a fresh instance from the Props: the constructor set the initial state, the events follow.
        LastSequenceNr = 0;
        foreach (var e in World.Events.EventsOf(PersistenceId))
        {
            LastSequenceNr++;
            Apply(e);
        }
        lastLockAnswers = null;
        PreStart();
    }

    public abstract void AddState(ref StateHasher hasher);

    private void Apply(WorldEvent e)
    {
        if (e is LockRequested or LockReleased or LockAssigned)
            lastLockAnswers = LockTable.Apply(e);
        else
            ApplyEvent(e);
    }

    private static LockId LockIdOf(WorldEvent e) => e switch
    {
        LockRequested r => r.Lock,
        LockReleased r => r.Lock,
        LockAssigned a => a.Lock,
        _ => throw new ArgumentException($"not a lock event: {e}", nameof(e)),
    };
}
