// DOC: The drm_gpuvm_bo lifecycle and drm_gpuva_link/unlink, on the object that owns the vm_bos.
//
// Each method is the kernel function it names (drm_gpuvm.c @ cb9f145f638d), including where its
// asserts sit:
//   create          no lock; kref 1, takes a VM ref (VmGet) and an obj ref; NOT on obj->gpuva.list
//   find            assert (in __drm_gpuvm_bo_find); on a hit kref+1
//   obtain          find (assert), else create + assert + list_add_tail
//   obtain_prealloc find (assert); hit: put the preallocated one (destroys it), else assert + add it
//   get             no lock; kref+1
//   put             kref-1; at 0 destroy: assert, list_del from obj->gpuva.list, VmPut, obj put
//   link            NULL obj: no-op; WARN if obj != vm_bo->obj; kref+1; assert; add VA to vm_bo
//   unlink          NULL obj: no-op; assert; remove VA from vm_bo; put (may destroy, may free obj)
//   evict           dma_resv_assert_held(obj->resv); set evicted; add to/remove from the evict list
//   extobj_add      on the VM's extobj list when the object's resv is not the VM's
// The lock rule and its free-path exemption are in LockWitness; see GemObject.cs for the DOC.
// A vm_bo that was destroyed is gone: using its id again is a use-after-free finding.

using System.Collections.Immutable;

namespace Gpuvmsim.Model;

public sealed partial class GemObject
{
    private sealed class VmBoState(VmBoId id, bool weakObjRef)
    {
        public VmBoId Id { get; } = id;
        public Kref Kref = Kref.Initial;
        public bool Listed;
        public bool Evicted;
        public bool OnEvictList;
        public bool OnExtobjList;
        public bool WeakObjRef { get; } = weakObjRef;
        public List<VaId> Vas { get; } = [];
    }

    private readonly List<VmBoState> gpuvaList = [];
    private readonly Dictionary<VmBoId, VmBoState> vmBos = [];
    private int nextSerial;

    /// <summary>obj->gpuva.list: the listed vm_bos in list order.</summary>
    public IEnumerable<GpuVmBoSnapshot> VmBos => gpuvaList.Select(SnapshotOf);

    /// <summary>A vm_bo that still exists (listed or not), or null when it was destroyed or never existed.</summary>
    public GpuVmBoSnapshot? VmBo(VmBoId id) => vmBos.TryGetValue(id, out var b) ? SnapshotOf(b) : null;

    /// <summary>drm_gpuvm_bo_create: a new vm_bo for (<paramref name="vm"/>, this object), kref 1, not listed.
    /// Takes a VM reference (VmGet) and, unless <paramref name="weakObjRef"/> (v2 DRM_GPUVM_VA_WEAK_REF), an object reference. No lock needed.</summary>
    public GemOpResult VmBoCreate(VmId vm, bool weakObjRef = false)
    {
        var r = new Builder(this);
        var b = CreateState(vm, weakObjRef, ref r);
        r.VmBo = b.Id;
        r.VmBoRef = KrefOutcome.Taken;
        return r.Build();
    }

    /// <summary>drm_gpuvm_bo_find: the listed vm_bo for <paramref name="vm"/> with kref+1, or none. Needs the gpuva lock.</summary>
    public GemOpResult VmBoFind(VmId vm, LockWitness held)
    {
        var r = new Builder(this);
        var b = FindListed(vm, held, "__drm_gpuvm_bo_find", ref r);
        if (b is not null)
        {
            r.VmBo = b.Id;
            r.VmBoRef = b.Kref.Get();
        }
        return r.Build();
    }

    /// <summary>drm_gpuvm_bo_obtain (later drm_gpuvm_bo_obtain_locked): find, or create and add to obj->gpuva.list.
    /// The returned vm_bo carries one reference for the caller. Needs the gpuva lock.</summary>
    public GemOpResult VmBoObtain(VmId vm, LockWitness held, bool weakObjRef = false)
    {
        var r = new Builder(this);
        var b = FindListed(vm, held, "__drm_gpuvm_bo_find", ref r);
        if (b is not null)
        {
            r.VmBo = b.Id;
            r.VmBoRef = b.Kref.Get();
            return r.Build();
        }
        b = CreateState(vm, weakObjRef, ref r);
        AssertGpuvaLock(held, "drm_gpuvm_bo_obtain", ref r);
        AddToList(b);
        r.VmBo = b.Id;
        r.VmBoRef = KrefOutcome.Taken;
        return r.Build();
    }

    /// <summary>
    /// drm_gpuvm_bo_obtain_prealloc: if a vm_bo for <paramref name="prealloc"/>'s VM is listed,
    /// returns it with kref+1 and puts <paramref name="prealloc"/> (which destroys it: see Destroyed,
    /// VmPut, ObjRef); else lists <paramref name="prealloc"/> and returns it. Needs the gpuva lock.
    /// </summary>
    public GemOpResult VmBoObtainPrealloc(VmBoId prealloc, LockWitness held)
    {
        var r = new Builder(this);
        if (!vmBos.TryGetValue(prealloc, out var pre))
            return r.UseAfterFree("drm_gpuvm_bo_obtain_prealloc", $"{prealloc} was destroyed");
        var found = FindListed(prealloc.Vm, held, "__drm_gpuvm_bo_find", ref r);
        if (found is not null)
        {
            r.VmBo = found.Id;
            r.VmBoRef = found.Kref.Get();
            PutState(pre, held, ref r);
            return r.Build();
        }
        AssertGpuvaLock(held, "drm_gpuvm_bo_obtain_prealloc", ref r);
        if (!pre.Listed)
            AddToList(pre);
        r.VmBo = pre.Id;
        r.VmBoRef = KrefOutcome.None;
        return r.Build();
    }

    /// <summary>drm_gpuvm_bo_get: kref+1, no lock. UseAfterFree for a destroyed vm_bo.</summary>
    public GemOpResult VmBoGet(VmBoId id)
    {
        var r = new Builder(this);
        if (!vmBos.TryGetValue(id, out var b))
            return r.UseAfterFree("drm_gpuvm_bo_get", $"{id} was destroyed");
        r.VmBo = id;
        r.VmBoRef = b.Kref.Get();
        return r.Build();
    }

    /// <summary>
    /// drm_gpuvm_bo_put: kref-1. At 0 the vm_bo is destroyed: asserts the gpuva lock, leaves
    /// obj->gpuva.list, drops its VM reference (VmPut) and its object reference (ObjRef, which may be
    /// Released). A put that may reach 0 needs the gpuva lock; the kernel asserts only when it does.
    /// </summary>
    public GemOpResult VmBoPut(VmBoId id, LockWitness held)
    {
        var r = new Builder(this);
        if (!vmBos.TryGetValue(id, out var b))
            return r.UseAfterFree("drm_gpuvm_bo_put", $"{id} was destroyed");
        r.VmBo = id;
        r.VmBoRef = PutState(b, held, ref r);
        return r.Build();
    }

    /// <summary>
    /// drm_gpuva_link (BO side): adds <paramref name="va"/> to the vm_bo's VA list and takes a vm_bo
    /// reference. A VA with no object (<paramref name="vaObj"/> null) is a no-op. WARNs when the VA's
    /// object is not this one, and goes on. Needs the gpuva lock of the VA's object. The VM side is
    /// <see cref="GpuVm.SetVmBo"/>.
    /// </summary>
    public GemOpResult Link(VaId va, ObjId? vaObj, VmBoId vmBo, LockWitness held)
    {
        var r = new Builder(this);
        if (vaObj is null)
            return r.Build();
        if (!vmBos.TryGetValue(vmBo, out var b))
            return r.UseAfterFree("drm_gpuva_link", $"{vmBo} was destroyed");
        if (vaObj != Id)
            r.Add(FindingKind.Warn, "drm_gpuva_link", $"{va}'s object {vaObj} is not {vmBo}'s object {Id}");
        r.VmBo = vmBo;
        r.VmBoRef = b.Kref.Get();
        AssertGpuvaLock(held, "drm_gpuva_link", ref r);
        if (b.Vas.Contains(va))
            r.Add(FindingKind.Warn, "drm_gpuva_link", $"{va} is already on {vmBo}'s list (list_add_tail would corrupt it)");
        else
            b.Vas.Add(va);
        return r.Build();
    }

    /// <summary>
    /// drm_gpuva_unlink (BO side): removes <paramref name="va"/> from the vm_bo's VA list and puts the
    /// vm_bo, which may destroy it and drop the last object reference (ObjRef Released). A VA with no
    /// object is a no-op. Needs the gpuva lock. The VM side is <see cref="GpuVm.SetVmBo"/>(va, null).
    /// </summary>
    public GemOpResult Unlink(VaId va, ObjId? vaObj, VmBoId vmBo, LockWitness held)
    {
        var r = new Builder(this);
        if (vaObj is null)
            return r.Build();
        if (!vmBos.TryGetValue(vmBo, out var b))
            return r.UseAfterFree("drm_gpuva_unlink", $"{vmBo} was destroyed");
        AssertGpuvaLock(held, "drm_gpuva_unlink", ref r);
        if (!b.Vas.Remove(va))
            r.Add(FindingKind.Warn, "drm_gpuva_unlink", $"{va} is not on {vmBo}'s list");
        r.VmBo = vmBo;
        r.VmBoRef = PutState(b, held, ref r);
        return r.Build();
    }

    /// <summary>drm_gpuvm_bo_evict: sets the evicted mark and moves the vm_bo on or off the VM's evict list. Needs the object's resv.</summary>
    public GemOpResult VmBoEvict(VmBoId id, bool evict, LockWitness held)
    {
        var r = new Builder(this);
        if (!vmBos.TryGetValue(id, out var b))
            return r.UseAfterFree("drm_gpuvm_bo_evict", $"{id} was destroyed");
        if (!held.ObjResv)
            r.Add(FindingKind.LockAssert, "drm_gpuvm_bo_evict", $"dma_resv_assert_held({Id}) failed");
        b.Evicted = evict;
        b.OnEvictList = evict;
        r.VmBo = id;
        return r.Build();
    }

    /// <summary>drm_gpuvm_bo_extobj_add: puts the vm_bo on its VM's extobj list when this object's resv is not the VM's
    /// (<paramref name="vmResvObj"/> is the VM's r_obj). Internal spinlock; no lock needed.</summary>
    public GemOpResult VmBoExtobjAdd(VmBoId id, ObjId vmResvObj)
    {
        var r = new Builder(this);
        if (!vmBos.TryGetValue(id, out var b))
            return r.UseAfterFree("drm_gpuvm_bo_extobj_add", $"{id} was destroyed");
        if (ResvObj != vmResvObj)
            b.OnExtobjList = true;
        r.VmBo = id;
        return r.Build();
    }

    private VmBoState CreateState(VmId vm, bool weakObjRef, ref Builder r)
    {
        var b = new VmBoState(new VmBoId(Id, vm, nextSerial++), weakObjRef);
        vmBos.Add(b.Id, b);
        r.VmGet = vm;
        if (!weakObjRef)
            r.ObjRef = ObjGet("drm_gpuvm_bo_create", ref r);
        return b;
    }

    private VmBoState? FindListed(VmId vm, LockWitness held, string site, ref Builder r)
    {
        AssertGpuvaLock(held, site, ref r);
        foreach (var b in gpuvaList)
            if (b.Id.Vm == vm)
                return b;
        return null;
    }

    private void AddToList(VmBoState b)
    {
        b.Listed = true;
        gpuvaList.Add(b);
    }

    /// <summary>drm_gpuvm_bo_put on <paramref name="b"/>; records the destroy's effects in <paramref name="r"/>, returns the kref outcome.</summary>
    private KrefOutcome PutState(VmBoState b, LockWitness held, ref Builder r)
    {
        var outcome = b.Kref.Put();
        if (outcome != KrefOutcome.Released)
            return outcome;
        // drm_gpuvm_bo_destroy
        b.OnExtobjList = false;
        b.OnEvictList = false;
        AssertGpuvaLock(held, "drm_gpuvm_bo_destroy", ref r);
        if (b.Listed)
            gpuvaList.Remove(b);
        b.Listed = false;
        vmBos.Remove(b.Id);
        if (b.Vas.Count != 0)
            r.Add(FindingKind.UseAfterFree, "drm_gpuvm_bo_destroy", $"{b.Id} destroyed while {b.Vas.Count} VA(s) still link to it");
        r.Destroyed = b.Id;
        r.VmPut = b.Id.Vm;
        if (!b.WeakObjRef)
            r.ObjRef = ObjPut("drm_gpuvm_bo_destroy", ref r);
        return outcome;
    }

    private KrefOutcome ObjGet(string site, ref Builder r)
    {
        var outcome = Get();
        if (outcome == KrefOutcome.UseAfterFree)
            r.Add(FindingKind.UseAfterFree, site, $"drm_gem_object_get on {Id} with refcount 0");
        return outcome;
    }

    private KrefOutcome ObjPut(string site, ref Builder r)
    {
        var outcome = Put();
        if (outcome == KrefOutcome.UseAfterFree)
            r.Add(FindingKind.UseAfterFree, site, $"drm_gem_object_put on {Id} with refcount 0");
        return outcome;
    }

    private void AssertGpuvaLock(LockWitness held, string site, ref Builder r)
    {
        if (IsFreed)
            r.Add(FindingKind.UseAfterFree, site, $"{Id} was already freed");
        else if (!held.SatisfiesGpuvaLock(RefCount))
            r.Add(FindingKind.LockAssert, site, $"drm_gem_gpuva_assert_lock_held({Id}) failed: the caller does not hold {Id}'s resv");
    }

    private struct Builder(GemObject obj)
    {
        private ImmutableArray<ModelFinding>.Builder? findings;
        public VmBoId? VmBo;
        public KrefOutcome VmBoRef;
        public VmBoId? Destroyed;
        public VmId? VmGet;
        public VmId? VmPut;
        public KrefOutcome ObjRef;

        public void Add(FindingKind kind, string site, string message) =>
            (findings ??= ImmutableArray.CreateBuilder<ModelFinding>()).Add(new ModelFinding(kind, site, message));

        public GemOpResult UseAfterFree(string site, string message)
        {
            Add(FindingKind.UseAfterFree, site, $"{message} ({obj.Id})");
            return Build();
        }

        public readonly GemOpResult Build() =>
            new(VmBo, VmBoRef, Destroyed, VmGet, VmPut, ObjRef, findings?.ToImmutable() ?? []);
    }
}
