using Gpuvmsim.Checking;
using Gpuvmsim.Domain.Kernel;
using Gpuvmsim.Locking;
using Gpuvmsim.Messages.Locks;
using Gpuvmsim.Runtime;

namespace Gpuvmsim.Domain.Contexts;

/// <summary>How an acquisition ended.</summary>
public enum LockOutcome
{
    Acquired,

    /// <summary>A trylock found it held.</summary>
    Busy,

    /// <summary>-EDEADLK from a wait-die ww-mutex: drop the acquire context's locks and retry.</summary>
    Backoff,
}

/// <summary>The lock client of an execution context: every acquisition and release, as lockdep sees it.</summary>
public abstract partial class ExecutionContextActor
{
    /// <summary>
    /// <c>ww_acquire_init</c>: a new acquire-context stamp, younger than every other. The run's state (dfs pruning)
    /// keeps the age order of the live stamps and their owners (<see cref="RunMonitor.AddWwStampOrder"/>), never their
    /// values: wait-die only compares them.
    /// </summary>
    protected long NewWwStamp() => Monitor.NextWwStamp(Id);

    /// <summary><c>ww_acquire_fini</c>: the acquire context ends, once its last ww lock is released.</summary>
    protected void WwAcquireFini(long stamp) => Monitor.WwAcquireFini(stamp);

    /// <summary>
    /// Takes <paramref name="lockHandle"/> (<c>mutex_lock</c>, <c>spin_lock</c>, <c>ww_mutex_lock</c> with a stamp, a trylock,
    /// or a wait for a work item). Lockdep checks run before the request, as <c>lock_acquire</c> runs before the wait;
    /// the context is blocked until the owner answers.
    /// </summary>
    protected async KernelTask<LockOutcome> Lock(
        LockHandle lockHandle, string function, AcquireMode mode = AcquireMode.Lock, long? wwStamp = null)
    {
        var info = lockHandle.Info;
        var site = Site(function);
        Monitor.Lockdep.BeforeAcquire(Task, info, site, mode, wwStamp);
        Monitor.Event(Name, $"{function}({info.Name})");
        if (mode != AcquireMode.TryLock)
            Task.Blocked = new BlockedOn(info, ""); // reports name a lock wait by its lock; no text to format per acquisition
        var held = wwStamp is { } stamp ? Task.WwHeld(stamp) : 0;
        var reply = await RequestLock(lockHandle.Owner, new AcquireLock(info.Id, Id, mode, wwStamp, held));
        Task.Blocked = null;
        switch (reply)
        {
            case LockGranted:
                if (mode != AcquireMode.WaitForRelease)
                {
                    Monitor.Lockdep.Acquired(Task, info, site, mode == AcquireMode.TryLock, wwStamp);
                    Monitor.Event(Name, $"  -> holds {info.Name}");
                }
                return LockOutcome.Acquired;
            case LockBusy:
                Monitor.Event(Name, $"  -> {info.Name} busy");
                return LockOutcome.Busy;
            default:
                Monitor.Event(Name, $"  -> -EDEADLK on {info.Name}");
                return LockOutcome.Backoff;
        }
    }

    /// <summary>Releases a held lock; releasing one not held is reported (bad unlock balance) and changes nothing.</summary>
    protected void Unlock(LockHandle lockHandle, string function)
    {
        Monitor.Event(Name, $"{function}({lockHandle.Info.Name})");
        if (Monitor.Lockdep.Release(Task, lockHandle.Info, Site(function)))
            lockHandle.Owner.Tell(new ReleaseLock(lockHandle.Info.Id, Id), Self);
    }

    /// <summary>
    /// Enters a lockdep-only section (<c>fs_reclaim_acquire</c>, <c>dma_fence_begin_signalling</c>): no owner, no
    /// waiting, but dependencies are recorded as for a lock.
    /// </summary>
    protected void LockMapAcquire(LockInfo map, string function)
    {
        var site = Site(function);
        Monitor.Lockdep.BeforeAcquire(Task, map, site, AcquireMode.Lock, null);
        Monitor.Lockdep.Acquired(Task, map, site, false, null);
    }

    protected void LockMapRelease(LockInfo map, string function) => Monitor.Lockdep.Release(Task, map, Site(function));

    /// <summary>Acquire and release at once (<c>might_lock</c>, <c>fs_reclaim_acquire/release</c> of an allocation).</summary>
    protected void LockMapTouch(LockInfo map, string function)
    {
        Monitor.Lockdep.BeforeAcquire(Task, map, Site(function), AcquireMode.Lock, null);
    }

    /// <summary><c>might_sleep()</c>.</summary>
    protected void MightSleep(string function, string what) => Monitor.Lockdep.MightSleep(Task, Site(function), what);

    /// <summary>Called when the script returns to user space: locks still held are a finding.</summary>
    protected void ReturnToUserSpace()
    {
        Task.Exited = true;
        if (Task.Held.Count == 0)
            return;
        var classes = string.Join(", ", Task.Held.Select(h => h.Lock.Class.Name).Distinct().Order(StringComparer.Ordinal));
        Monitor.Raise(new Finding(FindingKinds.HeldLockAtExit, $"{FindingKinds.HeldLockAtExit}:{classes}",
            $"{Task.Comm} finished its script still holding {string.Join(", ", Task.Held.Select(h => h.Lock.Name))}",
            LockdepReports.HeldAtExit(Task, Site("exit_to_user_mode")), Monitor.Step));
    }

    /// <summary>Sends <paramref name="request"/> and suspends until its lock's owner answers it.</summary>
    private KernelTask<object> RequestLock(IActorRef owner, AcquireLock request) => Send(owner, request, new LockAnswerSlot(request.Lock));

    /// <summary>The reply slot of a lock request: a <see cref="Request"/> whose match needs no delegate (one per acquisition).</summary>
    private sealed class LockAnswerSlot(LockId id) : KernelTask<object>, IReplySlot
    {
        public bool Accepts(object message) => IsAnswerFor(message, id);

        public void Complete(object message) => SetResult(message);
    }

    private static bool IsAnswerFor(object message, LockId id) => message switch
    {
        LockGranted g => g.Lock == id,
        LockBusy b => b.Lock == id,
        LockBackoff k => k.Lock == id,
        _ => false,
    };
}
