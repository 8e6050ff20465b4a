using Gpuvmsim.Messages.Locks;

namespace Gpuvmsim.Locking;

/// <summary>
/// The owner's side of one lock instance: who holds it and who waits, as a pure state machine.
/// The actor that owns the lock (a VM for its vm_lock, a BO for its resv, a lock actor in a lock script)
/// feeds it <see cref="AcquireLock"/> and <see cref="ReleaseLock"/> requests in delivery order and sends the
/// answers it returns. It never reports bugs itself: lockdep and the deadlock detector watch the contexts.
///
/// Semantics per kind:
/// <list type="bullet">
/// <item>mutex, spinlock, and a ww-mutex taken without an acquire context: one holder, waiters served in
/// arrival order;</item>
/// <item>ww-mutex under an acquire context: wait-die, as <c>reservation_ww_class</c> is <c>DEFINE_WD_CLASS</c>.
/// A requester that already holds ww locks gets -EDEADLK (<see cref="LockBackoff"/>) when the holder or a waiting
/// context is older (lower stamp); otherwise it waits. Context waiters queue in stamp order ahead of younger ones,
/// and younger waiting contexts that hold ww locks die when an older one queues ahead of them;</item>
/// <item>lock map (a work item's completion): the worker takes it while the work runs; others
/// <see cref="AcquireMode.WaitForRelease"/>, which returns once the holder lets go.</item>
/// </list>
/// A context asking again for a lock it holds is never answered (it blocks forever, as the kernel would).
/// </summary>
public sealed class LockState
{
    private List<Waiter>? waiters;

    public LockState(LockInfo info) => Info = info;

    public LockInfo Info { get; }

    /// <summary>The holder, or null when free.</summary>
    public ContextId? Holder { get; private set; }

    /// <summary>The holder's ww acquire-context stamp, or null when held without a context.</summary>
    public long? HolderStamp { get; private set; }

    /// <summary>Contexts waiting, in the order they will be served.</summary>
    public IEnumerable<ContextId> Waiters => waiters?.Select(w => w.Context) ?? [];

    /// <summary>Handles one acquire request; returns the answers to send now (possibly none: the requester waits).</summary>
    public LockAnswers Request(AcquireLock request)
    {
        var waiter = new Waiter(request.Context, request.Mode, request.WwStamp, request.WwHeld);
        if (Holder is null)
            return request.Mode == AcquireMode.WaitForRelease ? LockAnswers.Grant(request.Context) : TakeBy(waiter);

        if (request.Mode == AcquireMode.TryLock)
            return LockAnswers.Busy(request.Context);

        // The holder asking again is a self-deadlock: it waits forever, exactly like the kernel.
        if (Holder != request.Context && MustDie(waiter))
            return LockAnswers.Backoff(request.Context);

        Enqueue(waiter);
        return KillYoungerWaiters(waiter);
    }

    /// <summary>
    /// Handles a release. Returns null if <paramref name="context"/> does not hold the lock
    /// (the caller reports unlock-not-held), otherwise the answers for the waiters this release serves.
    /// </summary>
    public LockAnswers? Release(ContextId context)
    {
        if (Holder != context)
            return null;
        Holder = null;
        HolderStamp = null;
        return ServeWaiters();
    }

    /// <summary>
    /// Hands a free lock to <paramref name="context"/> without a request: a work item queued for a worker is "held"
    /// by that worker from the moment it is queued until the worker finishes it.
    /// </summary>
    public LockAnswers AssignTo(ContextId context)
    {
        if (Holder is not null)
            throw new InvalidOperationException($"{Info.Name} is held by {Holder}; it cannot be assigned to {context}");
        Holder = context;
        HolderStamp = null;
        return LockAnswers.None;
    }

    /// <summary>Drops a context from the waiters (it died or gave up); returns answers if that unblocks others.</summary>
    public LockAnswers Forget(ContextId context)
    {
        waiters?.RemoveAll(w => w.Context == context);
        return LockAnswers.None;
    }

    /// <summary>
    /// Adds this lock's state to a run-state hash (DFS pruning), with each ww stamp named by <paramref name="stampKey"/>
    /// instead of its value: wait-die only compares stamps, and the run's hash adds their age order.
    /// </summary>
    public ulong Hash(ulong seed, Func<long, long> stampKey)
    {
        var h = Mix(seed, (ulong)Info.Id.Value);
        h = Mix(h, Holder is { } c ? (ulong)c.Value + 1 : 0);
        h = Mix(h, StampState(HolderStamp));
        if (waiters is not null)
        {
            // A waiter's stamp and ww-held count decide whether it dies when an older context queues (KillYoungerWaiters).
            foreach (var w in waiters)
                h = Mix(Mix(Mix(Mix(h, (ulong)w.Context.Value), (ulong)w.Mode), StampState(w.Stamp)), (ulong)w.WwHeld);
        }
        return h;

        ulong StampState(long? stamp) => stamp is { } s ? (ulong)(stampKey(s) + 2) : 0;
    }

    private LockAnswers TakeBy(Waiter waiter)
    {
        Hold(waiter);
        return LockAnswers.Grant(waiter.Context);
    }

    private void Hold(Waiter waiter)
    {
        Holder = waiter.Context;
        HolderStamp = waiter.Stamp;
    }

    private LockAnswers ServeWaiters()
    {
        if (waiters is null || waiters.Count == 0)
            return LockAnswers.None;

        LockAnswers? answers = null;
        // Everyone only waiting for the release goes; the first real locker takes the lock.
        for (var i = 0; i < waiters.Count;)
        {
            var w = waiters[i];
            if (w.Mode == AcquireMode.WaitForRelease)
            {
                answers = (answers ?? new LockAnswers()).AddGranted(w.Context);
                waiters.RemoveAt(i);
                continue;
            }
            if (Holder is null)
            {
                waiters.RemoveAt(i);
                Hold(w);
                answers = (answers ?? new LockAnswers()).AddGranted(w.Context);
                continue;
            }
            i++;
        }

        // A new owner needs no wait-die check: the only waiting context that may hold ww locks is the first one.
        return answers ?? LockAnswers.None;
    }

    /// <summary>
    /// Wait-die for a request that would wait (<c>__ww_mutex_add_waiter</c>, <c>__ww_mutex_check_kill</c>): a context
    /// holding ww locks dies rather than wait for an older holder, or behind an older waiting context (which it would
    /// have to die for the moment that one took the lock).
    /// </summary>
    private bool MustDie(Waiter waiter) => CanDie(waiter) && (IsOlder(HolderStamp, waiter) || OlderContextWaits(waiter));

    // A loop, not List.Exists: a lambda capturing the waiter would allocate on every request that meets a holder.
    private bool OlderContextWaits(Waiter than)
    {
        if (waiters is null)
            return false;
        foreach (var w in waiters)
        {
            if (IsOlder(w.Stamp, than))
                return true;
        }
        return false;
    }

    /// <summary>
    /// Wait-die once <paramref name="queued"/> waits (<c>__ww_mutex_die</c>): contexts it now precedes that hold ww
    /// locks are woken to die, so among waiting contexts only the first ever holds ww locks.
    /// </summary>
    private LockAnswers KillYoungerWaiters(Waiter queued)
    {
        if (queued.Stamp is null || waiters is null)
            return LockAnswers.None;
        LockAnswers? answers = null;
        for (var i = 0; i < waiters.Count;)
        {
            // The holder waiting for its own lock is never woken: it waits forever, as a recursive lock does.
            if (CanDie(waiters[i]) && IsOlder(queued.Stamp, waiters[i]) && waiters[i].Context != Holder)
            {
                answers = (answers ?? new LockAnswers()).AddBackedOff(waiters[i].Context);
                waiters.RemoveAt(i);
                continue;
            }
            i++;
        }
        return answers ?? LockAnswers.None;
    }

    /// <summary>A waiter that wait-die may kill: a ww lock request under an acquire context that holds ww locks
    /// (<c>__ww_mutex_kill</c>: ctx->acquired &gt; 0; the slow path holds none).</summary>
    private bool CanDie(Waiter waiter) =>
        Info.Kind == LockKind.WwMutex && waiter.Mode == AcquireMode.Lock && waiter.Stamp is not null && waiter.WwHeld > 0;

    private static bool IsOlder(long? stamp, Waiter than) => stamp is { } theirs && than.Stamp is { } mine && theirs < mine;

    private void Enqueue(Waiter waiter)
    {
        waiters ??= [];
        if (waiter.Stamp is { } stamp && Info.Kind == LockKind.WwMutex)
        {
            // Context waiters are served oldest first, ahead of younger context waiters (kernel: stamp-sorted list).
            var at = waiters.FindIndex(w => w.Stamp is { } other && other > stamp);
            if (at >= 0)
            {
                waiters.Insert(at, waiter);
                return;
            }
        }
        waiters.Add(waiter);
    }

    private static ulong Mix(ulong h, ulong v) => (h ^ v) * 0x100000001b3UL + 0x9e3779b97f4a7c15UL;

    private readonly record struct Waiter(ContextId Context, AcquireMode Mode, long? Stamp, int WwHeld);
}

/// <summary>What a lock owner must answer after one request or release.</summary>
public sealed class LockAnswers
{
    /// <summary>No answer: shared, since nothing is ever added to it.</summary>
    public static LockAnswers None { get; } = new();

    private List<ContextId>? _granted;
    private List<ContextId>? _refused;
    private List<ContextId>? _backedOff;

    /// <summary>Contexts to send <see cref="LockGranted"/>.</summary>
    public IReadOnlyList<ContextId> Granted => (IReadOnlyList<ContextId>?)_granted ?? [];

    /// <summary>Contexts to send <see cref="LockBusy"/>.</summary>
    public IReadOnlyList<ContextId> Refused => (IReadOnlyList<ContextId>?)_refused ?? [];

    /// <summary>Contexts to send <see cref="LockBackoff"/>.</summary>
    public IReadOnlyList<ContextId> BackedOff => (IReadOnlyList<ContextId>?)_backedOff ?? [];

    public bool IsEmpty => _granted is null && _refused is null && _backedOff is null;

    public static LockAnswers Grant(ContextId c) => new LockAnswers().AddGranted(c);

    public static LockAnswers Busy(ContextId c) => new LockAnswers { _refused = [c] };

    public static LockAnswers Backoff(ContextId c) => new LockAnswers().AddBackedOff(c);

    // Most lock events answer one context or none: the lists exist only once something goes into them.
    internal LockAnswers AddGranted(ContextId c)
    {
        (_granted ??= new List<ContextId>(1)).Add(c);
        return this;
    }

    internal LockAnswers AddBackedOff(ContextId c)
    {
        (_backedOff ??= new List<ContextId>(1)).Add(c);
        return this;
    }
}
