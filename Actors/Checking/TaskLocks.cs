using Gpuvmsim.Locking;
using Gpuvmsim.Messages.Locks;

namespace Gpuvmsim.Checking;

/// <summary>A lock a task holds, with where it took it.</summary>
/// <param name="WwStamp">The acquire-context stamp when taken as a ww-mutex under a context.</param>
public sealed record HeldLock(LockInfo Lock, AcquisitionSite Site, bool TryLock, long? WwStamp);

/// <summary>
/// What one execution context (a kernel task) holds and waits for: lockdep's per-task held-lock stack
/// (<c>task_struct::held_locks</c>) plus the blocking state the deadlock detector needs.
/// Owned by the run's <see cref="LockdepRun"/>; the context's actor updates it through that run.
/// </summary>
public sealed class TaskLocks
{
    private readonly List<HeldLock> held = [];

    public TaskLocks(ContextId id, string name, int pid)
    {
        Id = id;
        Name = name;
        Pid = pid;
    }

    public ContextId Id { get; }

    /// <summary>The task's name, as <c>comm</c> in kernel reports.</summary>
    public string Name { get; }

    public int Pid { get; }

    /// <summary>Held locks, oldest first (lockdep prints them as #0, #1, …).</summary>
    public IReadOnlyList<HeldLock> Held => held;

    /// <summary>What the task is blocked on, or null while it runs.</summary>
    public BlockedOn? Blocked { get; internal set; }

    /// <summary>True once the task finished its script (or died): it will never run again.</summary>
    public bool Exited { get; internal set; }

    /// <summary>True while a worker has no work (a kworker waiting for its next item): neither running nor blocked.</summary>
    public bool Idle { get; set; }

    /// <summary>What the task is doing, for reports: its step, e.g. <c>T1 step 2 "vm-close V"</c>.</summary>
    public string? Doing { get; set; }

    /// <summary>True when the task died in an oops; it keeps its locks forever.</summary>
    public bool Died { get; internal set; }

    public string Comm => $"{Name}/{Pid}";

    // Loops rather than lambdas: these run at every acquisition and release, and a capturing lambda allocates.
    public bool Holds(LockId id) => LastIndexOf(id) >= 0;

    /// <summary>How many ww-mutexes the task holds under the acquire context <paramref name="stamp"/>.</summary>
    public int WwHeld(long stamp)
    {
        var n = 0;
        foreach (var h in held)
        {
            if (h.WwStamp == stamp)
                n++;
        }
        return n;
    }

    /// <summary>The most recently taken held lock of <paramref name="cls"/>, or null.</summary>
    public HeldLock? LastOfClass(LockClass cls)
    {
        for (var i = held.Count - 1; i >= 0; i--)
        {
            if (held[i].Lock.Class == cls)
                return held[i];
        }
        return null;
    }

    /// <summary>The most recently taken held spinlock, or null.</summary>
    public HeldLock? LastSpinlock()
    {
        for (var i = held.Count - 1; i >= 0; i--)
        {
            if (held[i].Lock.Kind == LockKind.Spinlock)
                return held[i];
        }
        return null;
    }

    internal void Push(HeldLock h) => held.Add(h);

    internal HeldLock? Remove(LockId id)
    {
        var at = LastIndexOf(id);
        if (at < 0)
            return null;
        var h = held[at];
        held.RemoveAt(at);
        return h;
    }

    private int LastIndexOf(LockId id)
    {
        for (var i = held.Count - 1; i >= 0; i--)
        {
            if (held[i].Lock.Id == id)
                return i;
        }
        return -1;
    }
}

/// <summary>Why a task is not running.</summary>
/// <param name="Lock">The lock (or work item) it waits for, if any.</param>
/// <param name="Description">Readable, for a wait on something that is not a lock: "waits on fence F1" (a lock wait is
/// named by its lock).</param>
/// <param name="WaitsForContext">The context that must act for this task to continue, when known (a fence's signaller).</param>
public sealed record BlockedOn(LockInfo? Lock, string Description, ContextId? WaitsForContext = null);
