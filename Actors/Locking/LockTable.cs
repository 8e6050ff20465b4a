using Gpuvmsim.Domain.Simulation;
using Gpuvmsim.Messages.Locks;
using Gpuvmsim.Runtime;
using Gpuvmsim.Runtime.Deterministic;

namespace Gpuvmsim.Locking;

/// <summary>
/// The locks one actor owns, and the owner's half of the lock protocol: an actor that owns locks (a VM owns
/// vm_lock, op_lock and mm_lock; a BO its resv) passes <see cref="AcquireLock"/> and <see cref="ReleaseLock"/>
/// here from its dispatch table and this answers the requesters. Lock ownership is the owner's truth; the
/// requesting context's view (for lockdep) is kept by the context itself.
/// </summary>
public sealed class LockTable
{
    private readonly Dictionary<LockId, LockState> locks = [];
    private readonly Dictionary<ContextId, IActorRef> requesters = [];
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

    public void Acquire(AcquireLock request, IActorRef requester, IActorRef self)
    {
        requesters[request.Context] = requester;
        Send(locks[request.Lock].Request(request), request.Lock, self);
    }

    /// <summary>Releases a lock. Returns false if the context did not hold it (nothing changes).</summary>
    public bool Release(ReleaseLock release, IActorRef self)
    {
        var answers = locks[release.Lock].Release(release.Context);
        if (answers is null)
            return false;
        Send(answers, release.Lock, self);
        return true;
    }

    public void AddState(ref StateHasher hasher)
    {
        foreach (var state in locks.Values)
            hasher.Add((long)state.Hash(0));
    }

    private void Send(LockAnswers answers, LockId id, IActorRef self)
    {
        foreach (var c in answers.Granted)
            requesters[c].Tell(new LockGranted(id), self);
        foreach (var c in answers.Refused)
            requesters[c].Tell(new LockBusy(id), self);
        foreach (var c in answers.BackedOff)
            requesters[c].Tell(new LockBackoff(id), self);
    }
}

/// <summary>A lock as a context sees it: what it is and which actor to ask.</summary>
public sealed record LockHandle(LockInfo Info, IActorRef Owner)
{
    public override string ToString() => Info.Name;
}
