namespace Gpuvmsim.Locking;

/// <summary>
/// A lockdep lock class: every instance of one class is the same node of the dependency graph
/// (all VMs' <c>vm_lock</c> are <c>&amp;vm->vm_lock</c>, all BO resvs are <c>reservation_ww_class_mutex</c>).
/// A class is its name alone, as lockdep keys a class by its <c>lock_class_key</c>: a mutex and a spinlock a scenario
/// declares in one class are one class, whose <see cref="Kind"/> each carries for its own lock.
/// </summary>
public sealed record LockClass(string Name, LockKind Kind)
{
    public bool Equals(LockClass? other) => other is not null && string.Equals(Name, other.Name, StringComparison.Ordinal);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Name);

    public override string ToString() => Name;

    // The classes of the msm VM_BIND world (kernel-model.md §2.1, §2.3).
    public static readonly LockClass VmLock = new("&vm->vm_lock", LockKind.Mutex);
    public static readonly LockClass OpLock = new("&vm->op_lock", LockKind.Mutex);
    public static readonly LockClass MmLock = new("&vm->mm_lock", LockKind.Spinlock);
    public static readonly LockClass MmuLock = new("&vm->mmu_lock", LockKind.Mutex);
    public static readonly LockClass Resv = new("reservation_ww_class_mutex", LockKind.WwMutex);
    public static readonly LockClass WwAcquire = new("reservation_ww_class_acquire", LockKind.LockMap);
    public static readonly LockClass LruLock = new("&priv->lru.lock", LockKind.Mutex);
    public static readonly LockClass RunJobWork = new("(work_completion)(&sched->work_run_job)", LockKind.LockMap);
    public static readonly LockClass FsReclaim = new("fs_reclaim", LockKind.LockMap);
    public static readonly LockClass DmaFenceSignalling = new("dma_fence_map", LockKind.LockMap);
}

/// <summary>One lock instance: its id in the run, a readable instance name, and its class.</summary>
public sealed record LockInfo(Gpuvmsim.Messages.Locks.LockId Id, string Name, LockClass Class)
{
    public LockKind Kind => Class.Kind;

    /// <summary>A stable fake kernel address for lockdep-style reports.</summary>
    public string Address => $"ffff8881{0x00a00000 + Id.Value * 0x40:x8}";

    public override string ToString() => Name;
}
