using Gpuvmsim.Locking;
using Gpuvmsim.Messages.Locks;

namespace Gpuvmsim.Checking;

/// <summary>
/// Lockdep for one schedule: the held-lock stacks of every task, the checks lockdep makes at each
/// acquisition and release, and the dependency edges this schedule produced.
///
/// Mirrors <c>kernel/locking/lockdep.c</c>:
/// <list type="bullet">
/// <item>at an acquisition attempt (before blocking, as <c>lock_acquire</c> runs before the wait) a non-trylock
/// acquisition checks recursion (<c>check_deadlock</c>: the same class already held, unless both are ww-mutexes
/// under one acquire context, the <c>nest_lock</c> case) and, when no lock of its class is held, adds an edge from
/// the held locks, walking down the held stack to the first non-trylock lock (<c>check_prevs_add</c>);</item>
/// <item>a release of a lock not held is "bad unlock balance";</item>
/// <item>a sleeping acquisition or <c>might_sleep()</c> while a spinlock is held is "sleeping function called
/// from invalid context";</item>
/// <item>freeing an object whose embedded lock is held is "held lock freed".</item>
/// </list>
/// Cycles are not searched here: the edges of all schedules are merged into a <see cref="LockDependencyGraph"/>
/// in a fixed order, so the verdict does not depend on which core ran which schedule.
/// Single-threaded: one instance per schedule, driven by the deterministic dispatcher's thread.
/// </summary>
public sealed class LockdepRun
{
    private readonly Dictionary<ContextId, TaskLocks> tasks = [];
    private readonly Dictionary<(string From, string To), EdgeWitness> newEdges = [];
    private readonly List<Finding> findings = [];
    private readonly HashSet<string> findingKeys = [];
    private readonly Func<(string From, string To), bool>? alreadyKnown;

    /// <param name="scheduleIndex">The schedule's index in the exploration (orders witnesses across schedules).</param>
    /// <param name="alreadyKnown">Optional: edges that an earlier schedule already witnessed, to skip recording them again.</param>
    public LockdepRun(long scheduleIndex, Func<(string From, string To), bool>? alreadyKnown = null)
    {
        ScheduleIndex = scheduleIndex;
        this.alreadyKnown = alreadyKnown;
    }

    public long ScheduleIndex { get; }

    public IReadOnlyCollection<TaskLocks> Tasks => tasks.Values;

    /// <summary>Findings raised by this schedule's acquisitions and releases, in order.</summary>
    public IReadOnlyList<Finding> Findings => findings;

    /// <summary>Dependency edges first seen in this schedule, with where they were seen.</summary>
    public IReadOnlyCollection<EdgeWitness> NewEdges => newEdges.Values;

    public TaskLocks Register(ContextId id, string name, int pid)
    {
        var task = new TaskLocks(id, name, pid);
        tasks.Add(id, task);
        return task;
    }

    public TaskLocks Task(ContextId id) => tasks[id];

    /// <summary>
    /// Called when <paramref name="task"/> is about to ask for <paramref name="lockInfo"/>.
    /// Returns false when the task already holds this very lock: it will block forever (recursive locking).
    /// </summary>
    public bool BeforeAcquire(TaskLocks task, LockInfo lockInfo, AcquisitionSite site, AcquireMode mode, long? wwStamp)
    {
        if (lockInfo.Kind.MaySleep() && lockInfo.Kind != LockKind.LockMap && mode != AcquireMode.TryLock && task.LastSpinlock() is { } spin)
            RaiseSleepInAtomic(task, spin, site, $"{lockInfo.Class.Name} ({AcquireVerb(lockInfo)})");

        if (mode == AcquireMode.TryLock)
            return true;

        var selfDeadlock = task.Holds(lockInfo.Id);
        var same = task.LastOfClass(lockInfo.Class);
        var nested = same is not null && !selfDeadlock
            && (lockInfo.Kind == LockKind.LockMap
                || (lockInfo.Kind == LockKind.WwMutex && wwStamp is not null && same.WwStamp == wwStamp));
        if (same is not null && !nested)
        {
            Raise(new Finding(
                FindingKinds.RecursiveLocking,
                $"{FindingKinds.RecursiveLocking}:{lockInfo.Class.Name}",
                selfDeadlock
                    ? $"{task.Comm} takes {lockInfo.Name} ({lockInfo.Class.Name}) again while holding it: it blocks forever"
                    : $"{task.Comm} takes {lockInfo.Name} while holding {same.Lock.Name}, both {lockInfo.Class.Name}, without a shared acquire context",
                LockdepReports.RecursiveLocking(task, lockInfo, site, same),
                site.Delivery));
        }

        // With a lock of its class held, check_deadlock returns 0 (recursion) or 2 (nested under the acquire context)
        // and validate_chain adds no dependency at all, not even from held locks of other classes: "lock A; lock B;
        // lock A" orders nothing, nor does a mutex taken between two ww locks of one context. Lock maps are recursive
        // reads: check_deadlock skips them and their edges are added.
        if (selfDeadlock)
            return false; // it waits forever for itself
        if (same is null || lockInfo.Kind == LockKind.LockMap)
            RecordEdges(task, lockInfo, site);
        return true;
    }

    /// <summary>Called when the owner granted the lock: it is pushed on the task's held stack.</summary>
    public void Acquired(TaskLocks task, LockInfo lockInfo, AcquisitionSite site, bool tryLock, long? wwStamp) =>
        task.Push(new HeldLock(lockInfo, site, tryLock, wwStamp));

    /// <summary>
    /// Called when <paramref name="task"/> releases <paramref name="lockInfo"/>. Returns false, and raises
    /// unlock-not-held, when the task does not hold it.
    /// </summary>
    public bool Release(TaskLocks task, LockInfo lockInfo, AcquisitionSite site)
    {
        if (task.Remove(lockInfo.Id) is not null)
            return true;
        Raise(new Finding(
            FindingKinds.UnlockNotHeld,
            $"{FindingKinds.UnlockNotHeld}:{lockInfo.Class.Name}",
            $"{task.Comm} releases {lockInfo.Name} ({lockInfo.Class.Name}) which it does not hold",
            LockdepReports.BadUnlock(task, lockInfo, site),
            site.Delivery));
        return false;
    }

    /// <summary><c>might_sleep()</c>: the task is about to do something that may sleep (wait, allocate).</summary>
    public void MightSleep(TaskLocks task, AcquisitionSite site, string what)
    {
        if (task.LastSpinlock() is { } spin)
            RaiseSleepInAtomic(task, spin, site, what);
    }

    /// <summary>
    /// An object is freed while tasks may hold its embedded lock <paramref name="lockInfo"/>
    /// ("WARNING: held lock freed!"). Returns true if some task held it.
    /// </summary>
    public bool LockFreed(LockInfo lockInfo, AcquisitionSite site, string freedWhat)
    {
        var holder = tasks.Values.FirstOrDefault(t => t.Holds(lockInfo.Id));
        if (holder is null)
            return false;
        Raise(new Finding(
            FindingKinds.UseAfterFree,
            $"{FindingKinds.UseAfterFree}:held-lock-freed:{lockInfo.Class.Name}",
            $"{freedWhat} freed while {holder.Comm} holds its {lockInfo.Name}: the unlock touches freed memory",
            LockdepReports.HeldLockFreed(holder, lockInfo, site, freedWhat),
            site.Delivery));
        return true;
    }

    /// <summary>Adds a finding found by another checker of this run, once per key.</summary>
    public void Raise(Finding finding)
    {
        if (findingKeys.Add(finding.Key))
            findings.Add(finding);
    }

    private void RaiseSleepInAtomic(TaskLocks task, HeldLock spin, AcquisitionSite site, string what) =>
        Raise(new Finding(
            FindingKinds.SleepInAtomic,
            $"{FindingKinds.SleepInAtomic}:{spin.Lock.Class.Name}",
            $"{task.Comm} may sleep ({what}) while holding spinlock {spin.Lock.Name}",
            LockdepReports.SleepInAtomic(task, site, what),
            site.Delivery));

    /// <remarks>A held ww lock of another class orders the new one even under one acquire context: lockdep's
    /// nest_lock only exempts locks of the nested class.</remarks>
    private void RecordEdges(TaskLocks task, LockInfo next, AcquisitionSite site)
    {
        for (var i = task.Held.Count - 1; i >= 0; i--)
        {
            var prev = task.Held[i];
            if (prev.Lock.Class != next.Class)
            {
                var key = (prev.Lock.Class.Name, next.Class.Name);
                if (!newEdges.ContainsKey(key) && alreadyKnown?.Invoke(key) != true)
                {
                    newEdges[key] = new EdgeWitness(
                        prev.Lock.Class, next.Class, prev.Lock, next, task.Comm, task.Pid,
                        prev.Site, site, [.. task.Held], ScheduleIndex, site.Delivery);
                }
            }
            // Earlier locks are already ordered before this one by its own edges (check_prevs_add stops here).
            if (!prev.TryLock)
                break;
        }
    }

    private static string AcquireVerb(LockInfo lockInfo) => lockInfo.Kind switch
    {
        LockKind.WwMutex => "ww_mutex_lock",
        LockKind.Spinlock => "spin_lock",
        _ => "mutex_lock",
    };
}

/// <summary>
/// The first time a schedule saw "<see cref="To"/> acquired while <see cref="From"/> was held": lockdep's saved
/// stack for that dependency, here the acquisition sites and the task's held locks at that moment.
/// </summary>
public sealed record EdgeWitness(
    LockClass From, LockClass To, LockInfo FromLock, LockInfo ToLock, string Comm, int Pid,
    AcquisitionSite FromSite, AcquisitionSite ToSite, IReadOnlyList<HeldLock> HeldAtAcquire,
    long ScheduleIndex, long Delivery)
{
    /// <summary>Total order of witnesses: earlier schedule first, then earlier delivery.</summary>
    public (long, long) Order => (ScheduleIndex, Delivery);
}
