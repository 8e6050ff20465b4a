namespace Gpuvmsim.Messages.Locks;

/// <summary>One lock instance in a run (a VM's vm_lock, a BO's resv, a scripted lock A).</summary>
public readonly record struct LockId(int Value)
{
    public override string ToString() => $"L{Value}";
}

/// <summary>One execution context (a task in kernel terms): an ioctl thread, the close path, a scheduler worker.</summary>
public readonly record struct ContextId(int Value)
{
    public override string ToString() => $"C{Value}";
}

/// <summary>How a context asks for a lock.</summary>
public enum AcquireMode
{
    /// <summary><c>mutex_lock</c>, <c>spin_lock</c>, <c>ww_mutex_lock</c>: wait until granted.</summary>
    Lock,

    /// <summary><c>mutex_trylock</c>/<c>dma_resv_trylock</c>: granted at once or refused with <see cref="LockBusy"/>.</summary>
    TryLock,

    /// <summary><c>ww_mutex_lock_slow</c>: wait for the contended lock after a back-off, without the wait-die check.</summary>
    LockSlow,

    /// <summary>
    /// Wait until the current holder releases, without taking the lock: <c>cancel_work_sync</c>/<c>flush_work</c>
    /// on a work item, which lockdep records as acquire+release of the work's lockdep map.
    /// </summary>
    WaitForRelease,
}

/// <summary>
/// Sent by an execution context to the actor that owns <paramref name="Lock"/>.
/// Answered with <see cref="LockGranted"/> (now or when the holder releases), <see cref="LockBusy"/> (a refused
/// trylock), or <see cref="LockBackoff"/> (a ww-mutex wait-die refusal: the requester must drop its ww locks and retry).
/// A context that already holds the lock never gets an answer: it is blocked forever (recursive locking).
/// </summary>
/// <param name="WwStamp">The requester's ww acquire-context stamp (lower is older), or null without a context.</param>
/// <param name="WwHeld">How many ww-mutexes the requester holds under that acquire context.</param>
public sealed record AcquireLock(LockId Lock, ContextId Context, AcquireMode Mode, long? WwStamp = null, int WwHeld = 0);

/// <summary>Sent by an execution context to the owner of a lock it holds. No answer.</summary>
public sealed record ReleaseLock(LockId Lock, ContextId Context);

/// <summary>
/// Sent by an execution context to the owner of a lock right after its <see cref="ReleaseLock"/>; answered with
/// <see cref="ReleaseConfirmed"/>. The channel keeps order, so the answer means the release is applied: the context
/// waits for it because <c>mutex_unlock</c> returns with the lock free, and nothing that happens after the unlock
/// (another context's trylock, a wait-die check) may still find it held.
/// </summary>
public sealed record ConfirmRelease(LockId Lock);

/// <summary>The owner applied every release the context sent before <see cref="ConfirmRelease"/>.</summary>
public sealed record ReleaseConfirmed(LockId Lock);

/// <summary>The requester now holds <paramref name="Lock"/> (or, for <see cref="AcquireMode.WaitForRelease"/>, the holder let go).</summary>
public sealed record LockGranted(LockId Lock);

/// <summary>A trylock found the lock held.</summary>
public sealed record LockBusy(LockId Lock);

/// <summary>-EDEADLK from a wait-die ww-mutex: a younger acquire context met an older holder while holding other ww locks.</summary>
public sealed record LockBackoff(LockId Lock);
