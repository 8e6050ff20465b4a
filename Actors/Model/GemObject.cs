// DOC: GemObject, the model of one struct drm_gem_object and the drm_gpuvm_bos hanging off it.
//
// What it is: the BO actor's whole state for one BO: the object's refcount (kref) and handle
// count, its size, obj->gpuva.list (the vm_bos of this object, one per VM), and for each vm_bo
// its kref, its list of linked VAs (vm_bo->list.gpuva), its evicted flag and its membership of
// the VM's evict/extobj lists. A vm_bo belongs to its object: it is created, found, linked and
// destroyed here (GemObject.VmBo.cs). The VM side of a link (va->vm_bo) lives in the GpuVm and
// is set by the caller; ids connect the two (spec §1.2–1.4).
//
// Locking (spec §1.3, §1.4, invariant 9): obj->gpuva.list and every vm_bo's VA list are guarded
// by the object's gpuva lock, which is its dma_resv in every design modelled (drm_gem_gpuva_
// assert_lock_held). vm_bo->evicted is guarded by the resv (dma_resv_assert_held in
// drm_gpuvm_bo_evict). Link, unlink, find, obtain and a put that destroys a vm_bo need the lock;
// create and get do not. msm treats an object whose refcount is 0 as locked in its free path.
// The model never takes locks: each call takes a LockWitness saying what the caller holds and
// lists the asserts the kernel would trip (ModelFinding), then does what the kernel does after
// the WARN. The refcounts are atomic in the kernel and need no lock.
//
// Lifetime: a new object has the creator's reference. Each handle holds one; each vm_bo holds one
// (except v2's DRM_GPUVM_VA_WEAK_REF vm_bos). A put that reaches 0 returns Released: the caller
// runs the driver's free path (msm_gem_free_object, with LockWitness.FreePath) and then calls
// Free(); after that every call on the object is a use-after-free finding.
// The lock lives in the object: an object freed while a caller holds its resv is invariant 8's
// violation, which the lock checker (not this class) detects from the Released outcome.
//
// Mirrors: drm_gem_object_get/put, drm_gem_handle_create/delete (counting only), and the
// drm_gpuvm_bo_* / drm_gpuva_link / drm_gpuva_unlink functions of drm_gpuvm.c @ cb9f145f638d.

using System.Collections.Immutable;

namespace Gpuvmsim.Model;

/// <summary>What one GemObject call did, for the caller to act on.</summary>
/// <param name="VmBo">The vm_bo the call returns (find/obtain/create/get/link), null when none (a find that missed).</param>
/// <param name="VmBoRef">What happened to that vm_bo's kref (Taken by find/get/link; Released when it was destroyed).</param>
/// <param name="Destroyed">A vm_bo this call destroyed (kref reached 0): it left obj->gpuva.list and dropped its refs.</param>
/// <param name="VmGet">A VM reference the call took (drm_gpuvm_bo_create): the caller applies it with <see cref="GpuVm.Get"/>.</param>
/// <param name="VmPut">A VM reference the call dropped (vm_bo destroyed): the caller applies it with <see cref="GpuVm.Put"/>.</param>
/// <param name="ObjRef">What happened to this object's refcount (Released: run the free path, then <see cref="GemObject.Free"/>).</param>
/// <param name="Findings">Lock asserts, WARNs and use-after-free the kernel would have hit; the call still did what the kernel does.</param>
public sealed record GemOpResult(
    VmBoId? VmBo, KrefOutcome VmBoRef, VmBoId? Destroyed, VmId? VmGet, VmId? VmPut, KrefOutcome ObjRef,
    ImmutableArray<ModelFinding> Findings)
{
    /// <summary>No finding was raised.</summary>
    public bool Clean => Findings.IsEmpty;
}



/// <summary>An immutable copy of one GEM object.</summary>
/// <param name="VmBos">Every vm_bo not yet destroyed: listed ones in obj->gpuva.list order, then unlisted ones.</param>
public sealed record GemObjectSnapshot(
    ObjId Id, ulong? Size, int RefCount, int HandleCount, bool IsFreed, ObjId ResvObj, ImmutableArray<GpuVmBoSnapshot> VmBos);

/// <summary>One GEM object and its vm_bos; owned by one BO actor. See the file's DOC for locking.</summary>
public sealed partial class GemObject
{
    private Kref refcount;

    /// <summary>A new object holding <paramref name="refs"/> references (the creator's).</summary>
    /// <param name="id">The object's id.</param>
    /// <param name="size">Its size in bytes, when known (the gpuvm-ops format has none).</param>
    /// <param name="refs">Initial refcount (1: the creator's reference).</param>
    /// <param name="resvObj">Whose dma_resv it uses: itself, or the VM's r_obj for msm MSM_BO_NO_SHARE objects.</param>
    public GemObject(ObjId id, ulong? size, int refs = 1, ObjId? resvObj = null)
    {
        Id = id;
        Size = size;
        refcount = Kref.Of(refs);
        ResvObj = resvObj ?? id;
    }

    public ObjId Id { get; }

    public ulong? Size { get; }

    /// <summary>The object whose dma_resv this object uses (itself unless NO_SHARE).</summary>
    public ObjId ResvObj { get; }

    /// <summary>kref_read(&amp;obj-&gt;refcount).</summary>
    public int RefCount => refcount.Count;

    /// <summary>obj->handle_count.</summary>
    public int HandleCount { get; private set; }

    /// <summary><see cref="Free"/> was called: the memory is gone.</summary>
    public bool IsFreed { get; private set; }

    /// <summary>drm_gem_object_get. UseAfterFree on a zero refcount (the finding is the outcome).</summary>
    public KrefOutcome Get() => IsFreed ? KrefOutcome.UseAfterFree : refcount.Get();

    /// <summary>drm_gem_object_put. Released: the caller runs the free path, then <see cref="Free"/>.</summary>
    public KrefOutcome Put() => IsFreed ? KrefOutcome.UseAfterFree : refcount.Put();

    /// <summary>drm_gem_handle_create: a new handle, which holds a reference.</summary>
    public KrefOutcome HandleCreate()
    {
        var outcome = Get();
        if (outcome == KrefOutcome.Taken)
            HandleCount++;
        return outcome;
    }

    /// <summary>drm_gem_handle_delete: drops a handle and its reference (Released: free the object).</summary>
    public KrefOutcome HandleDelete()
    {
        if (HandleCount == 0)
            return KrefOutcome.UseAfterFree;
        HandleCount--;
        return Put();
    }

    /// <summary>
    /// The end of the free path: the object's memory is released. Returns the findings of freeing
    /// it too early (refcount not 0) or with vm_bos still attached (their VAs would dangle).
    /// </summary>
    public ImmutableArray<ModelFinding> Free()
    {
        var findings = ImmutableArray.CreateBuilder<ModelFinding>();
        if (IsFreed)
            findings.Add(new ModelFinding(FindingKind.UseAfterFree, "drm_gem_object_free", $"{Id} freed twice"));
        if (refcount.Count != 0)
            findings.Add(new ModelFinding(FindingKind.UseAfterFree, "drm_gem_object_free", $"{Id} freed with refcount {refcount.Count}"));
        if (vmBos.Count != 0)
            findings.Add(new ModelFinding(FindingKind.Warn, "drm_gem_object_free", $"{Id} freed with {vmBos.Count} vm_bo(s) still attached"));
        IsFreed = true;
        return findings.ToImmutable();
    }

    /// <summary>An immutable copy of the object and its vm_bos.</summary>
    public GemObjectSnapshot Snapshot() =>
        new(Id, Size, RefCount, HandleCount, IsFreed, ResvObj, [.. AllVmBoStates().Select(SnapshotOf)]);

    /// <summary>Adds this object to a state hash: counts, then each vm_bo (VM, kref, flags, number of VAs),
    /// listed ones in list order then unlisted ones by serial. Serials and VA ids are names and are left out.</summary>
    public void AddState(ref ulong hash)
    {
        StableHash.Add(ref hash, Id.Value);
        StableHash.Add(ref hash, (long?)Size);
        StableHash.Add(ref hash, (long)RefCount);
        StableHash.Add(ref hash, (long)HandleCount);
        StableHash.Add(ref hash, IsFreed);
        StableHash.Add(ref hash, ResvObj.Value);
        foreach (var b in AllVmBoStates())
        {
            StableHash.Add(ref hash, (long)b.Id.Vm.Value);
            StableHash.Add(ref hash, (long)b.Kref.Count);
            StableHash.Add(ref hash, ((b.Listed ? 1UL : 0) << 0) | ((b.Evicted ? 1UL : 0) << 1) | ((b.OnEvictList ? 1UL : 0) << 2)
                | ((b.OnExtobjList ? 1UL : 0) << 3) | ((b.WeakObjRef ? 1UL : 0) << 4));
            StableHash.Add(ref hash, (long)b.Vas.Count);
        }
    }

    /// <summary>This object's state hash alone.</summary>
    public ulong StateHash()
    {
        var hash = StableHash.Seed;
        AddState(ref hash);
        return hash;
    }

    private static GpuVmBoSnapshot SnapshotOf(VmBoState b) =>
        new(b.Id, b.Kref.Count, b.Listed, b.Evicted, b.OnEvictList, b.OnExtobjList, b.WeakObjRef, [.. b.Vas]);

    private IEnumerable<VmBoState> AllVmBoStates() =>
        gpuvaList.Concat(vmBos.Values.Where(b => !b.Listed).OrderBy(b => b.Id.Serial));
}
