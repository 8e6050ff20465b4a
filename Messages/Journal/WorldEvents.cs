using Gpuvmsim.Messages.Fences;
using Gpuvmsim.Messages.Locks;
using Gpuvmsim.Messages.Scheduler;
using Gpuvmsim.Model;

namespace Gpuvmsim.Messages.Journal;

// The events of the world actors: past-tense facts, each the only way a world actor's state changes. Applying an
// actor's events in order rebuilds its state (a restarted actor recovers this way), and a bind journal stores
// them per actor (persistence id = run/actor). Never edit a published event: add a new one.

/// <summary>A fact in the life of a world actor.</summary>
public abstract record WorldEvent;

// Locks (any owner).

/// <summary>A context asked for a lock the actor owns.</summary>
public sealed record LockRequested(LockId Lock, ContextId By, AcquireMode Mode, long? WwStamp, int WwHeld) : WorldEvent;

/// <summary>A context released a lock the actor owns (or tried to).</summary>
public sealed record LockReleased(LockId Lock, ContextId By) : WorldEvent;

/// <summary>The owner handed a lock to a context without a request (the scheduler giving its work item to the worker).</summary>
public sealed record LockAssigned(LockId Lock, ContextId To) : WorldEvent;

// VM (drm_gpuvm + msm_gem_vm).

public sealed record VaInsertedBy(ContextId By, VaInit Va) : WorldEvent;

public sealed record VaRemovedBy(ContextId By, VaId Va) : WorldEvent;

public sealed record VaUpdatedBy(ContextId By, VaId Va, bool? Mapped, GpuVaFlags? Flags, VmBoId? LinkVmBo) : WorldEvent;

public sealed record MmNodeInsertedBy(ContextId By, ulong Size) : WorldEvent;

public sealed record MmNodeRemovedBy(ContextId By, ulong Addr) : WorldEvent;

public sealed record VmMarkedUnusable(ContextId By, string Reason) : WorldEvent;

public sealed record VmRefChanged(int Delta) : WorldEvent;

// BO (drm_gem_object and its drm_gpuvm_bo list). Locked = the context held the BO's resv.

public sealed record ObjRefTaken(ContextId By, string Holder) : WorldEvent;

public sealed record ObjRefDropped(ContextId By, string Holder) : WorldEvent;

public sealed record HandleDeleted(ContextId By) : WorldEvent;

public sealed record ObjFreed(ContextId By) : WorldEvent;

public sealed record VmBoObtainedBy(ContextId By, VmId Vm, bool WeakObjRef, bool Locked) : WorldEvent;

public sealed record VmBoFoundBy(ContextId By, VmId Vm, bool Locked) : WorldEvent;

public sealed record VmBoGotBy(ContextId By, VmBoId VmBo) : WorldEvent;

/// <param name="Deferred">An unlocked put reached zero: the kref is gone but the vm_bo stays listed until the destroy finishes.</param>
public sealed record VmBoPutBy(ContextId By, VmBoId VmBo, bool Locked, bool InFreePath, bool Deferred) : WorldEvent;

public sealed record VmBoDestroyFinished(ContextId By, VmBoId VmBo) : WorldEvent;

public sealed record VaLinkedBy(ContextId By, VaId Va, VmBoId VmBo, bool Locked) : WorldEvent;

public sealed record VaUnlinkedBy(ContextId By, VaId Va, VmBoId VmBo, bool Locked, bool InFreePath) : WorldEvent;

public sealed record VmBoEvictedBy(ContextId By, VmBoId VmBo, bool Evict, bool Locked) : WorldEvent;

public sealed record PinChanged(ContextId By, bool Pin) : WorldEvent;

public sealed record ResvFenceAdded(ContextId By, FenceId Fence) : WorldEvent;

// MMU (io-pgtable + mmu->prealloc).

public sealed record PreallocAllocated(ContextId By, JobId Job, uint Pages) : WorldEvent;

public sealed record PreallocAttached(ContextId By, JobId Job) : WorldEvent;

public sealed record PreallocDetached(ContextId By) : WorldEvent;

public sealed record PreallocCleanedUp(ContextId By, JobId Job) : WorldEvent;

public sealed record RangeMapped(ContextId By, ulong Iova, ObjId? Obj, ulong Offset, ulong Len) : WorldEvent;

public sealed record RangeUnmapped(ContextId By, ulong Iova, ulong Len) : WorldEvent;

// Scheduler (drm_sched for one VM_BIND VM).

public sealed record JobQueued(ContextId By, BindJob Job) : WorldEvent;

public sealed record InFenceArrived(FenceId Fence) : WorldEvent;

public sealed record WorkQueued(JobId Job) : WorldEvent;

public sealed record WorkStarted(ContextId By, JobId Job) : WorldEvent;

public sealed record JobCompleted(ContextId By, JobId Job, int FenceError) : WorldEvent;

public sealed record SchedulerStoppedBy(ContextId By) : WorldEvent;

public sealed record SchedulerFinalizedBy(ContextId By) : WorldEvent;

public sealed record EntityDestroyedBy(ContextId By, QueueId Queue) : WorldEvent;

// Fences.

public sealed record FenceSignalledBy(ContextId? By, FenceId Fence, int Error) : WorldEvent;

/// <summary>An actor waits for a fence; <paramref name="Waiter"/> is its path (refs are not journaled).</summary>
public sealed record FenceAwaited(FenceId Fence, string Waiter) : WorldEvent;
