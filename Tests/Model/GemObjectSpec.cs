using Gpuvmsim.Model;

namespace Gpuvmsim.Tests.Model;

/// <summary>The drm_gpuvm_bo lifecycle on one GEM object: references, lock asserts, use-after-free.</summary>
public sealed class GemObjectSpec
{
    private static readonly VmId Vm1 = new(1), Vm2 = new(2);
    private static readonly ObjId X = new(7);
    private static readonly LockWitness Locked = LockWitness.ObjLocked;

    [Fact]
    public void Obtain_creates_one_listed_vm_bo_per_vm_and_finds_it_afterwards()
    {
        var obj = new GemObject(X, size: 0x10000);
        var first = obj.VmBoObtain(Vm1, Locked);
        Assert.Equal((Vm1, KrefOutcome.Taken), (first.VmGet!.Value, first.ObjRef));
        Assert.Equal(2, obj.RefCount);
        var again = obj.VmBoObtain(Vm1, Locked);
        Assert.Equal(first.VmBo, again.VmBo);
        Assert.Null(again.VmGet);
        Assert.Equal(2, obj.VmBo(first.VmBo!.Value)!.RefCount);
        Assert.NotEqual(first.VmBo, obj.VmBoObtain(Vm2, Locked).VmBo);
        Assert.Equal(2, obj.VmBos.Count());
        Assert.Null(obj.VmBoFind(new VmId(3), Locked).VmBo);
        Assert.True(first.Clean && again.Clean);
    }

    [Fact]
    public void Find_and_obtain_without_the_objects_resv_trip_the_gpuva_lock_assert_but_still_work()
    {
        var obj = new GemObject(X, size: null);
        var r = obj.VmBoObtain(Vm1, LockWitness.None);
        Assert.NotNull(r.VmBo);
        Assert.Equal(["__drm_gpuvm_bo_find", "drm_gpuvm_bo_obtain"], r.Findings.Select(f => f.Site));
        Assert.All(r.Findings, f => Assert.Equal(FindingKind.LockAssert, f.Kind));
        Assert.Equal(FindingKind.LockAssert, Assert.Single(obj.VmBoFind(Vm1, LockWitness.None).Findings).Kind);
    }

    [Fact]
    public void The_last_put_destroys_the_vm_bo_drops_its_vm_and_object_references_and_checks_the_lock()
    {
        var obj = new GemObject(X, size: null);
        var id = obj.VmBoCreate(Vm1).VmBo!.Value;
        Assert.Empty(obj.VmBos);
        Assert.True(obj.VmBoGet(id).Clean);
        var notLast = obj.VmBoPut(id, LockWitness.None);
        Assert.Equal(KrefOutcome.Dropped, notLast.VmBoRef);
        Assert.True(notLast.Clean);
        var last = obj.VmBoPut(id, LockWitness.None);
        Assert.Equal((KrefOutcome.Released, id, Vm1, KrefOutcome.Dropped), (last.VmBoRef, last.Destroyed!.Value, last.VmPut!.Value, last.ObjRef));
        Assert.Equal("drm_gpuvm_bo_destroy", Assert.Single(last.Findings).Site);
        Assert.Null(obj.VmBo(id));
        Assert.Equal(FindingKind.UseAfterFree, Assert.Single(obj.VmBoGet(id).Findings).Kind);
    }

    [Fact]
    public void Unlinking_the_last_va_can_drop_the_last_object_reference_which_the_caller_then_frees()
    {
        var obj = new GemObject(X, size: null);
        var vmBo = obj.VmBoObtain(Vm1, Locked).VmBo!.Value;
        var va = new VaId(1, 0x1000);
        Assert.Equal(KrefOutcome.Taken, obj.Link(va, X, vmBo, Locked).VmBoRef);
        obj.VmBoPut(vmBo, Locked);
        Assert.Equal(KrefOutcome.Dropped, obj.Put()); // the creator's reference goes; the vm_bo holds the last one
        var unlink = obj.Unlink(va, X, vmBo, Locked);
        Assert.Equal((vmBo, KrefOutcome.Released), (unlink.Destroyed!.Value, unlink.ObjRef));
        Assert.Empty(obj.Free());
        Assert.True(obj.IsFreed);
        Assert.Equal(KrefOutcome.UseAfterFree, obj.Get());
    }

    [Fact]
    public void Link_and_unlink_of_a_null_mapping_do_nothing()
    {
        var obj = new GemObject(X, size: null);
        var vmBo = obj.VmBoObtain(Vm1, Locked).VmBo!.Value;
        Assert.Null(obj.Link(new VaId(1, 0), null, vmBo, LockWitness.None).VmBo);
        Assert.Null(obj.Unlink(new VaId(1, 0), null, vmBo, LockWitness.None).VmBo);
        Assert.Equal(1, obj.VmBo(vmBo)!.RefCount);
    }

    [Fact]
    public void Linking_a_va_of_another_object_warns_and_links_it_anyway()
    {
        var obj = new GemObject(X, size: null);
        var vmBo = obj.VmBoObtain(Vm1, Locked).VmBo!.Value;
        var r = obj.Link(new VaId(1, 0), new ObjId(8), vmBo, Locked);
        Assert.Equal((FindingKind.Warn, "drm_gpuva_link"), (Assert.Single(r.Findings).Kind, r.Findings[0].Site));
        Assert.Single(obj.VmBo(vmBo)!.Vas);
    }

    [Fact]
    public void Obtain_prealloc_hands_back_the_listed_vm_bo_and_destroys_the_preallocated_one()
    {
        var obj = new GemObject(X, size: null);
        var listed = obj.VmBoObtain(Vm1, Locked).VmBo!.Value;
        var pre = obj.VmBoCreate(Vm1).VmBo!.Value;
        var r = obj.VmBoObtainPrealloc(pre, Locked);
        Assert.Equal((listed, pre, Vm1), (r.VmBo!.Value, r.Destroyed!.Value, r.VmPut!.Value));
        var fresh = obj.VmBoCreate(Vm2).VmBo!.Value;
        Assert.Equal(fresh, obj.VmBoObtainPrealloc(fresh, Locked).VmBo);
        Assert.True(obj.VmBo(fresh)!.Listed);
    }

    [Fact]
    public void The_free_path_counts_an_object_at_refcount_zero_as_locked()
    {
        var obj = new GemObject(X, size: null, refs: 1);
        var vmBo = obj.VmBoCreate(Vm1, weakObjRef: true).VmBo!.Value;
        obj.VmBoObtainPrealloc(vmBo, Locked);
        Assert.Equal(1, obj.RefCount);
        Assert.Equal(KrefOutcome.Released, obj.Put());
        var r = obj.VmBoPut(vmBo, LockWitness.FreePath);
        Assert.Equal(KrefOutcome.Released, r.VmBoRef);
        Assert.Equal(KrefOutcome.None, r.ObjRef);
        Assert.True(r.Clean);
    }

    [Fact]
    public void Evict_needs_the_objects_resv_and_moves_the_vm_bo_on_the_evict_list()
    {
        var obj = new GemObject(X, size: null);
        var vmBo = obj.VmBoObtain(Vm1, Locked).VmBo!.Value;
        Assert.Equal(FindingKind.LockAssert, Assert.Single(obj.VmBoEvict(vmBo, true, LockWitness.FreePath).Findings).Kind);
        Assert.True(obj.VmBo(vmBo)!.Evicted && obj.VmBo(vmBo)!.OnEvictList);
        Assert.True(obj.VmBoEvict(vmBo, false, Locked).Clean);
        Assert.False(obj.VmBo(vmBo)!.OnEvictList);
        obj.VmBoExtobjAdd(vmBo, vmResvObj: new ObjId(99));
        Assert.True(obj.VmBo(vmBo)!.OnExtobjList);
    }

    [Fact]
    public void The_state_hash_is_stable_and_changes_with_the_state()
    {
        static GemObject Build()
        {
            var o = new GemObject(X, size: 0x2000);
            var b = o.VmBoObtain(Vm1, Locked).VmBo!.Value;
            o.Link(new VaId(3, 0x1000), X, b, Locked);
            return o;
        }
        var (a, b) = (Build(), Build());
        Assert.Equal(a.StateHash(), b.StateHash());
        b.HandleCreate();
        Assert.NotEqual(a.StateHash(), b.StateHash());
        Assert.Equal(a.Snapshot().VmBos.Length, b.Snapshot().VmBos.Length);
    }
}
