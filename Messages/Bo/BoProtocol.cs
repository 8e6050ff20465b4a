using System.Collections.Immutable;
using Gpuvmsim.Messages.Locks;
using Gpuvmsim.Model;

namespace Gpuvmsim.Messages.Bo;

// The protocol of a BO actor (drm_gem_object: refcount, handles, pins, its gpuva list of drm_gpuvm_bo, and its
// dma_resv, the obj lock). vm_bo operations are checked against the lock the kernel asserts: the BO's own resv, or
// refcount 0 in the free path. A message to a freed BO is a use-after-free.

/// <summary><c>drm_gem_object_get</c> for <paramref name="Holder"/> (who keeps the reference); answered with <see cref="ObjRefChanged"/>.</summary>
public sealed record GetObj(ContextId From, string Holder);

/// <summary><c>drm_gem_object_put</c>; answered with <see cref="ObjRefChanged"/>. Count 0: the sender must run <c>msm_gem_free_object</c> and then send <see cref="FreeObj"/>.</summary>
public sealed record PutObj(ContextId From, string Holder);

/// <summary>A handle is closed (its reference dropped); answered with <see cref="ObjRefChanged"/>.</summary>
public sealed record DeleteHandle(ContextId From);

public sealed record ObjRefChanged(ObjId Obj, int Count, KrefOutcome Outcome);

/// <summary>The free path finished: the object's memory is released. No answer; the BO actor stops.</summary>
public sealed record FreeObj(ContextId From);

/// <summary><c>drm_gpuvm_bo_obtain</c> (find or create; allocates when it creates); answered with <see cref="VmBoObtained"/>.</summary>
public sealed record ObtainVmBo(ContextId From, VmId Vm, bool WeakObjRef);

public sealed record VmBoObtained(VmBoId? VmBo, bool Created);

/// <summary><c>drm_gpuvm_bo_find</c> (+1 if found); answered with <see cref="VmBoObtained"/> (Created false).</summary>
public sealed record FindVmBo(ContextId From, VmId Vm);

/// <summary><c>drm_gpuvm_bo_get</c>; answered with <see cref="VmBoRefChanged"/>.</summary>
public sealed record GetVmBo(ContextId From, VmBoId VmBo);

/// <summary>
/// <c>drm_gpuvm_bo_put</c>; answered with <see cref="VmBoRefChanged"/>. When the sender does not hold the obj lock and
/// the count reaches zero, only the kref drops: the vm_bo stays on the object's list until
/// <see cref="FinishVmBoDestroy"/>, which models the window in which another context can still find it.
/// </summary>
public sealed record PutVmBo(ContextId From, VmBoId VmBo, bool InFreePath = false);

/// <summary>The second half of an unlocked <c>drm_gpuvm_bo_destroy</c>: <c>list_del</c> and the puts. Answered with <see cref="VmBoRefChanged"/>.</summary>
public sealed record FinishVmBoDestroy(ContextId From, VmBoId VmBo);

/// <summary><c>drm_gpuva_link</c>: +1 on the vm_bo, the VA joins its list. No answer.</summary>
public sealed record LinkVa(ContextId From, VaId Va, VmBoId VmBo);

/// <summary><c>drm_gpuva_unlink</c>: −1 on the vm_bo (may destroy it, which may release the object); answered with <see cref="VmBoRefChanged"/>.</summary>
public sealed record UnlinkVa(ContextId From, VaId Va, VmBoId VmBo, bool InFreePath = false);

/// <param name="Destroyed">The vm_bo is gone (or, after an unlocked put, is dying).</param>
/// <param name="ObjCount">The object's refcount afterwards; 0 means the sender must run the free path.</param>
/// <param name="DestroyPending">An unlocked put reached zero: the sender must finish the destroy (<see cref="FinishVmBoDestroy"/>).</param>
public sealed record VmBoRefChanged(VmBoId VmBo, int Count, bool Destroyed, int ObjCount, bool DestroyPending = false);

/// <summary><c>drm_gpuvm_bo_evict</c>. No answer.</summary>
public sealed record EvictVmBo(ContextId From, VmBoId VmBo, bool Evict);

/// <summary>Pin (<c>msm_gem_pin_vma_locked</c> / <c>submit_pin_objects</c>) or unpin; answered with <see cref="PinCountChanged"/>.</summary>
public sealed record PinObj(ContextId From, bool Pin);

public sealed record PinCountChanged(int Pins);

/// <summary><c>dma_resv_add_fence</c>: a job's fence joins the object's reservation. No answer.</summary>
public sealed record AddResvFence(ContextId From, Fences.FenceId Fence);

/// <summary>Reads the object's state (shrinker, free path, teardown); answered with <see cref="ObjState"/>.</summary>
public sealed record QueryObj(ContextId From);

public sealed record ObjState(ObjId Obj, int RefCount, int Pins, ImmutableArray<GpuVmBoSnapshot> VmBos, ImmutableArray<Fences.FenceId> Fences)
{
    public bool Equals(ObjState? other) =>
        other is not null && Obj == other.Obj && RefCount == other.RefCount && Pins == other.Pins
        && Structural.Equal(VmBos, other.VmBos) && Structural.Equal(Fences, other.Fences);

    public override int GetHashCode() => HashCode.Combine(Obj, RefCount, Pins, Structural.Hash(VmBos), Structural.Hash(Fences));
}
