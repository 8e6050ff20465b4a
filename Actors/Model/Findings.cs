// DOC: What a model call reports besides its result: lock-assert failures, WARNs, use-after-free.
//
// The kernel keeps running after a lockdep assert or a WARN; so does the model. A call that would
// trigger `drm_gem_gpuva_assert_lock_held` without the lock, a `drm_WARN_ON`, or touch a freed
// object performs the operation exactly as the kernel would afterwards and lists a ModelFinding
// naming the kernel function (the Site) where the check sits. The caller decides whether a
// finding is a bug (a checker turns them into `unlock-not-held`/`use-after-free` findings).
//
// LockWitness is the caller's statement of what it holds when it calls a GemObject operation;
// the model never takes locks itself. Spec §1.3, §5.7, invariant 9.

namespace Gpuvmsim.Model;

/// <summary>The kind of a kernel check a model call tripped.</summary>
public enum FindingKind
{
    /// <summary>A lockdep assert failed (drm_gem_gpuva_assert_lock_held, dma_resv_assert_held).</summary>
    LockAssert,

    /// <summary>A WARN/WARN_ON fired; the operation continued as the kernel does.</summary>
    Warn,

    /// <summary>The call touched an object that was already freed (refcount 0 or destroyed).</summary>
    UseAfterFree,
}

/// <summary>One tripped kernel check.</summary>
/// <param name="Kind">What kind of check.</param>
/// <param name="Site">The kernel function containing the check, e.g. <c>drm_gpuva_unlink</c>.</param>
/// <param name="Message">Readable description naming the objects.</param>
public sealed record ModelFinding(FindingKind Kind, string Site, string Message)
{
    public override string ToString() => $"{Kind} in {Site}: {Message}";
}

/// <summary>
/// What the calling context holds, as the kernel's lock asserts see it, for one GEM object.
/// The object's gpuva lock is its dma_resv in every design modelled here (msm registers no
/// custom gpuva lock and does not use IMMEDIATE_MODE).
/// </summary>
/// <param name="ObjResv">The caller holds the object's dma_resv (its gpuva lock).</param>
/// <param name="InFreePath">The caller is the designated free path (msm_gem_free_object, v2 patch
/// 01 "Don't require obj lock in destructor path"): an object whose refcount is 0 counts as locked.</param>
public readonly record struct LockWitness(bool ObjResv, bool InFreePath = false)
{
    /// <summary>Holds nothing.</summary>
    public static LockWitness None => new(false);

    /// <summary>Holds the object's resv.</summary>
    public static LockWitness ObjLocked => new(true);

    /// <summary>Runs in the object's free path without its lock.</summary>
    public static LockWitness FreePath => new(false, true);

    /// <summary>Whether drm_gem_gpuva_assert_lock_held passes for an object with <paramref name="refcount"/>.</summary>
    public bool SatisfiesGpuvaLock(int refcount) => ObjResv || (InFreePath && refcount == 0);
}
