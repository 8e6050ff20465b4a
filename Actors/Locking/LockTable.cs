using Gpuvmsim.Domain.Simulation;
using Gpuvmsim.Messages.Journal;
using Gpuvmsim.Messages.Locks;
using Gpuvmsim.Runtime;
using Gpuvmsim.Runtime.Deterministic;

namespace Gpuvmsim.Locking;

/// <summary>
/// The locks one world actor owns (a VM its vm_lock, op_lock and mm_lock; a BO its resv; the scheduler its run-job
/// work item) as pure state: the owner applies <see cref="LockRequested"/>, <see cref="LockReleased"/> and
/// <see cref="LockAssigned"/> events here and sends the answers returned. Ownership is the owner's truth; the
/// requesting context's view (for lockdep) is kept by the context itself.
/// </summary>
public sealed class LockTable
{
    private readonly Dictionary<LockId, LockState> locks = [];
    private readonly RunMonitor monitor;

    public LockTable(RunMonitor monitor) => this.monitor = monitor;

    public LockState Add(LockInfo info)
    {
        var state = new LockState(info);
        locks.Add(info.Id, state);
        monitor.RegisterLock(state);
        return state;
    }

    public LockState this[LockId id] => locks[id];

    public bool Owns(LockId id) => locks.ContainsKey(id);

    /// <summary>True if <paramref name="context"/> holds the lock: the owner's view, used for lock preconditions.</summary>
    public bool HeldBy(LockId id, ContextId context) => locks[id].Holder == context;

    /// <summary>Applies a lock event; returns the answers to send, or null for a release of a lock not held.</summary>
    public LockAnswers? Apply(WorldEvent e) => e switch
    {
        LockRequested r => locks[r.Lock].Request(new AcquireLock(r.Lock, r.By, r.Mode, r.WwStamp, r.WwHeld)),
        LockReleased r => locks[r.Lock].Release(r.By),
        LockAssigned a => locks[a.Lock].AssignTo(a.To),
        _ => throw new ArgumentException($"not a lock event: {e}", nameof(e)),
    };

    /// <summary>Sends the answers of one lock event.</summary>
    public static void Send(LockAnswers answers, LockId id, Func<ContextId, IActorRef> contextRef, IActorRef self)
    {
        // Indexed: a foreach over the interface would box an enumerator per lock event.
        for (var i = 0; i < answers.Granted.Count; i++)
            contextRef(answers.Granted[i]).Tell(new LockGranted(id), self);
        for (var i = 0; i < answers.Refused.Count; i++)
            contextRef(answers.Refused[i]).Tell(new LockBusy(id), self);
        for (var i = 0; i < answers.BackedOff.Count; i++)
            contextRef(answers.BackedOff[i]).Tell(new LockBackoff(id), self);
    }

    public void AddState(ref StateHasher hasher)
    {
        foreach (var state in locks.Values)
            hasher.Add((long)state.Hash(0, monitor.WwStampKeys));
    }
}

/// <summary>A lock as a context sees it: what it is and which actor to ask.</summary>
public sealed record LockHandle(LockInfo Info, IActorRef Owner)
{
    public override string ToString() => Info.Name;
}
