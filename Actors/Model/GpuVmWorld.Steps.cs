// DOC: The step handler GpuVmWorld runs for each split/merge step: the driver's sm_step_map,
// sm_step_remap and sm_step_unmap, as the drm_gpuvm kernel-doc example and merged msm do them.
//
//   MAP    insert a new VA (drm_gpuva_map) with the request's flags (never DUMP for a NULL
//          mapping); for a BO: obtain the vm_bo, link, put the obtain reference (net +1 per VA,
//          msm_gem_vma_new); with an MMU, map the PTEs from the pool and set mapped.
//   REMAP  with an MMU and a mapped original, unmap the hole (drm_gpuva_op_remap_to_unmap_range);
//          hold a vm_bo reference across the close (merged: drm_gpuvm_bo_get), remove the
//          original, insert prev/next with its flags and its `mapped` (merged propagates it), link
//          them to the same vm_bo, unlink the original, drop the extra reference.
//   UNMAP  with an MMU and a mapped VA, unmap its PTEs; remove the VA; unlink it.
// Each GemObject result goes through GpuVmWorld.Apply (VM references, findings, freeing).
// The caller of the walk holds the VM lock; the object locks are what LockWitness says (see
// GpuVmWorld's DOC). The page-table pool for the request is attached for the walk only.

using System.Collections.Immutable;

namespace Gpuvmsim.Model;

public sealed partial class GpuVmWorld
{
    /// <summary>IOMMU_READ | IOMMU_WRITE: what msm maps BOs and PRR with.</summary>
    public const int ProtReadWrite = 3;

    private sealed class StepHandler(GpuVmWorld world, GpuVm vm, VmRequest req, bool record = false) : ISmStepHandler, IDisposable
    {
        private readonly MmuPageTable? mmu = world.Mmu(vm.Id);
        private readonly ImmutableArray<GpuVaOp>.Builder? recorded = record ? ImmutableArray.CreateBuilder<GpuVaOp>(1) : null;
        private MmuPrealloc? pool;

        public VaId? Mapped { get; private set; }

        public ImmutableArray<GpuVaOp> Recorded => recorded?.ToImmutable() ?? [];

        /// <summary>Counts, allocates and attaches the request's page-table pool (msm prealloc_count/allocate).</summary>
        public StepHandler Prepare()
        {
            if (mmu is null)
                return this;
            pool = new MmuPrealloc();
            if (req is MapRequest)
                pool.AddCount(req.Addr, req.Range, mmu.Config);
            pool.Allocate();
            mmu.Prealloc = pool;
            return this;
        }

        public void Dispose()
        {
            if (mmu is null || pool is null)
                return;
            mmu.Prealloc = null;
            pool.Cleanup();
        }

        public int StepMap(in OpMap op)
        {
            recorded?.Add(GpuVaOp.ForMap(op));
            var flags = req is MapRequest m ? m.Flags : GpuVaFlags.None;
            if (op.Obj is null)
                flags &= ~MsmVmaFlags.Dump;
            var ins = vm.Map(op, flags);
            if (ins.Errno != 0)
                return ins.Errno;
            Mapped = ins.Id;
            if (op.Obj is { } obj)
                LinkNew(ins.Id, obj, null);
            if (mmu is null)
                return 0;
            var size = op.Obj is { } o && world.HasObject(o) ? world.Object(o).Size : null;
            var r = mmu.Map(op.Addr, op.Obj, op.Offset, op.Range, ProtReadWrite, size);
            world.findings.AddRange(r.Findings);
            if (r.Errno != 0)
                return r.Errno;
            vm.SetMapped(ins.Id, true);
            return 0;
        }

        public int StepRemap(in OpRemap op)
        {
            recorded?.Add(GpuVaOp.ForRemap(op));
            if (!Current(op.Unmap.Va, "sm_step_remap", out var orig))
                return -Errno.EINVAL;
            if (mmu is not null && orig.Mapped)
            {
                var (start, range) = op.UnmapRange();
                mmu.Unmap(start, range);
            }
            var obj = orig.Obj is { } o ? world.Object(o) : null;
            if (obj is not null && orig.VmBo is { } held)
                world.Apply(obj, obj.VmBoGet(held));
            world.Record(vm.Remove(orig.Id).Finding);
            foreach (var piece in new[] { op.Prev, op.Next })
            {
                if (piece is not { } p)
                    continue;
                var ins = vm.Map(p, orig.Flags);
                if (ins.Errno != 0)
                    return ins.Errno;
                vm.SetMapped(ins.Id, orig.Mapped);
                if (p.Obj is { } pobj)
                    LinkNew(ins.Id, pobj, orig.VmBo);
            }
            if (obj is not null && orig.VmBo is { } vmBo)
            {
                world.Apply(obj, obj.Unlink(orig.Id, orig.Obj, vmBo, HeldFor(obj.Id)));
                world.Apply(obj, obj.VmBoPut(vmBo, HeldFor(obj.Id)));
            }
            return 0;
        }

        public int StepUnmap(in OpUnmap op)
        {
            recorded?.Add(GpuVaOp.ForUnmap(op));
            if (!Current(op.Va, "sm_step_unmap", out var va))
                return -Errno.EINVAL;
            if (mmu is not null && va.Mapped)
                mmu.Unmap(va.Addr, va.Range);
            world.Record(vm.Remove(va.Id).Finding);
            if (va.Obj is { } o && va.VmBo is { } vmBo)
            {
                var obj = world.Object(o);
                world.Apply(obj, obj.Unlink(va.Id, va.Obj, vmBo, HeldFor(o)));
            }
            return 0;
        }

        /// <summary>drm_gpuva_link of a new VA: to <paramref name="vmBo"/> when given, else to a freshly obtained vm_bo.</summary>
        private void LinkNew(VaId va, ObjId objId, VmBoId? vmBo)
        {
            var obj = world.Object(objId);
            var held = HeldFor(objId);
            var obtained = vmBo is null;
            if (vmBo is null)
            {
                var r = obj.VmBoObtain(vm.Id, held);
                world.Apply(obj, r);
                vmBo = r.VmBo;
            }
            if (vmBo is not { } id)
                return;
            world.Apply(obj, obj.Link(va, objId, id, held));
            vm.SetVmBo(va, id);
            if (obtained)
                world.Apply(obj, obj.VmBoPut(id, held));
        }

        private LockWitness HeldFor(ObjId obj) =>
            !world.Options.LockOnlyRequestObject || (req is MapRequest { Obj: { } mine } && mine == obj)
                ? LockWitness.ObjLocked
                : LockWitness.None;

        private bool Current(GpuVa va, string site, out GpuVa current)
        {
            if (vm.TryGetVa(va.Id, out current))
                return true;
            world.findings.Add(new ModelFinding(FindingKind.UseAfterFree, site, $"{va} is no longer in {vm.Id}"));
            return false;
        }
    }
}
