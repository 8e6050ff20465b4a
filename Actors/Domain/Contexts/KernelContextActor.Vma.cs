using Gpuvmsim.Checking;
using Gpuvmsim.Domain.Designs;
using Gpuvmsim.Domain.Kernel;
using Gpuvmsim.Domain.World;
using Gpuvmsim.Messages.Bo;
using Gpuvmsim.Messages.Mmu;
using Gpuvmsim.Messages.Scheduler;
using Gpuvmsim.Messages.Vm;
using Gpuvmsim.Model;

namespace Gpuvmsim.Domain.Contexts;

/// <summary>
/// The seed's <c>struct op_arg</c>: the VM, the job (null in the close path), the flags for new MAP VMAs, and the job's
/// list of preallocated VMAs (a count here: 3 per MAP/MAP_NULL, 1 or 2 per UNMAP).
/// </summary>
internal sealed class OpArg(VmEntry vm, BindJob? job)
{
    public VmEntry Vm { get; } = vm;

    public BindJob? Job { get; } = job;

    public GpuVaFlags Flags { get; set; }

    public int PreallocatedVmas { get; set; } = job?.PreallocVmas ?? 0;
}

/// <summary>msm_gem_vma.c: VMA lifetime, map/unmap, and the drm_gpuvm step callbacks of the seed patch.</summary>
public sealed partial class KernelContextActor
{
    /// <summary>
    /// <c>__vma_init</c> (caller holds vm_lock): for a kernel-managed VM allocate the range in drm_mm under mm_lock
    /// (<c>BUG_ON(offset != 0)</c>, <c>BUG_ON(!obj)</c>); insert the VA (mapped = false); for an object, obtain its vm_bo
    /// (may allocate), link the VA to it and drop the obtain reference.
    /// </summary>
    private async KernelTask<(int Errno, GpuVa? Va)> VmaInit(OpArg arg, BoEntry? bo, ulong offset, ulong addr, ulong range)
    {
        var vm = arg.Vm;
        if (vm.Managed)
        {
            if (offset != 0)
                throw new KernelOops("__vma_init", "bug-on", "BUG_ON(offset != 0) on a kernel-managed VM");
            if (bo is null)
                throw new KernelOops("__vma_init", "bug-on", "BUG_ON(!obj): NULL mappings are not valid for a kernel-managed VM");
            await Lock(vm.MmLock, "__vma_init");
            var node = await Call<MmNodeInserted>(vm.Actor, new MmInsertNode(Id, bo.Size));
            Unlock(vm.MmLock, "__vma_init");
            if (node.Errno != 0)
                return (node.Errno, null);
            (addr, range) = (node.Addr, bo.Size);
        }
        var init = new VaInit(addr, range, bo?.Id, offset);
        var inserted = await Call<VaInserted>(vm.Actor, new InsertVa(Id, init, "__vma_init"));
        if (inserted.Errno != 0)
            return (inserted.Errno, null);
        var va = new GpuVa(inserted.Id, addr, range, bo?.Id, offset);
        if (bo is null)
            return (0, va);

        var obtained = await ObtainVmBo(bo, vm, inSignallingPath: arg.Job is not null);
        if (obtained is not { } vmBo)
            return (-Errno.ENOMEM, va);
        bo.Actor.Tell(new LinkVa(Id, va.Id, vmBo), Self);
        await Call<VaUpdated>(vm.Actor, new UpdateVa(Id, va.Id, LinkVmBo: vmBo));
        await PutVmBo(bo, vmBo, inFreePath: false);
        return (0, va with { VmBo = vmBo });
    }

    /// <summary>
    /// <c>drm_gpuvm_bo_obtain</c>: find, or create (a GFP_KERNEL allocation). Under memory pressure an allocation in the
    /// fence-signalling path (run_job) may fail; the scheduler chooses.
    /// </summary>
    private async KernelTask<VmBoId?> ObtainVmBo(BoEntry bo, VmEntry vm, bool inSignallingPath)
    {
        if (inSignallingPath && World.Scenario.Options.MemoryPressure)
        {
            var found = await Call<VmBoObtained>(bo.Actor, new FindVmBo(Id, vm.Id));
            if (found.VmBo is { } existing)
                return existing;
            MightAlloc("drm_gpuvm_bo_obtain");
            if (Choose(2) == 1)
            {
                Monitor.Event(Name, "  -> kzalloc failed (-ENOMEM)");
                return null;
            }
        }
        var r = await Call<VmBoObtained>(bo.Actor, new ObtainVmBo(Id, vm.Id, WeakObjRef: vm.Managed));
        if (r.Created)
            MightAlloc("drm_gpuvm_bo_obtain");
        return r.VmBo;
    }

    /// <summary>
    /// <c>drm_gpuvm_bo_put</c>; when it destroys the vm_bo and that drops the object's last reference, the free path
    /// runs here. An unlocked put that reaches zero finishes its destroy in a second step (the window S8 races in).
    /// </summary>
    private async KernelTask PutVmBo(BoEntry bo, VmBoId vmBo, bool inFreePath)
    {
        var r = await Call<VmBoRefChanged>(bo.Actor, new PutVmBo(Id, vmBo, inFreePath));
        if (r.DestroyPending)
            r = await Call<VmBoRefChanged>(bo.Actor, new FinishVmBoDestroy(Id, vmBo));
        if (r.Destroyed && r.ObjCount == 0 && !inFreePath)
            await FreeObject(bo);
    }

    /// <summary>
    /// <c>__vma_close</c> (caller holds vm_lock): <c>GEM_WARN_ON(mapped)</c>, the managed drm_mm removal under mm_lock,
    /// <c>drm_gpuva_remove</c>, <c>drm_gpuva_unlink</c> (which may destroy the vm_bo and free the object), then free.
    /// </summary>
    private async KernelTask VmaClose(VmEntry vm, GpuVa va, bool inFreePath)
    {
        if (va.Mapped)
        {
            Monitor.InvariantViolated("warn:__vma_close-mapped", $"__vma_close of a VMA of {vm.Name} that is still mapped",
                $"WARNING: CPU: 0 PID: {Task.Pid} at __vma_close: GEM_WARN_ON(msm_vma->mapped)\n{va}\n");
        }
        if (vm.Managed && va.Addr != 0)
        {
            await Lock(vm.MmLock, "__vma_close");
            vm.Actor.Tell(new MmRemoveNode(Id, va.Addr), Self);
            Unlock(vm.MmLock, "__vma_close");
        }
        await Call<VaRemoved>(vm.Actor, new RemoveVa(Id, va.Id, "__vma_close"));
        if (BoOf(va.Obj) is { } bo && va.VmBo is { } vmBo)
        {
            var r = await Call<VmBoRefChanged>(bo.Actor, new UnlinkVa(Id, va.Id, vmBo, inFreePath));
            if (r.Destroyed && r.ObjCount == 0 && !inFreePath)
                await FreeObject(bo);
        }
    }

    /// <summary><c>msm_gem_vma_map</c>: if already mapped, nothing; else mapped = true, then the MMU map; on error mapped = false.</summary>
    private async KernelTask<int> VmaMap(VmEntry vm, GpuVa va, string function)
    {
        if (va.Mapped)
            return 0;
        await Call<VaUpdated>(vm.Actor, new UpdateVa(Id, va.Id, Mapped: true));
        AssertObjLocked(BoOf(va.Obj), "msm_gem_vma_map", inFreePath: false);
        var r = await Call<MapResult>(vm.Mmu, new MapRange(Id, va.Addr, va.Obj, va.Offset, va.Range, function));
        if (r.Errno != 0)
            await Call<VaUpdated>(vm.Actor, new UpdateVa(Id, va.Id, Mapped: false));
        return r.Errno;
    }

    /// <summary><c>msm_gem_vma_unmap</c>: if mapped, unmap the whole range (asserting the obj lock) and clear mapped.</summary>
    private async KernelTask VmaUnmap(VmEntry vm, GpuVa va, bool inFreePath = false)
    {
        if (va.Mapped)
        {
            AssertObjLocked(BoOf(va.Obj), "msm_gem_vma_unmap_range", inFreePath);
            await Call<MmuDone>(vm.Mmu, new UnmapRange(Id, va.Addr, va.Range, va.Obj, "msm_gem_vma_unmap"));
            await Call<VaUpdated>(vm.Actor, new UpdateVa(Id, va.Id, Mapped: false));
        }
    }

    /// <summary>
    /// <c>vma_from_op</c>: take the next preallocated VMA and <c>__vma_init</c> it. When the list is empty it WARNs and
    /// returns NULL (kernel-model.md §5.4); the close path has no submit at all (<c>arg->submit == NULL</c>).
    /// </summary>
    private async KernelTask<(bool IsNull, int Errno, GpuVa? Va)> VmaFromOp(OpArg arg, OpMap op, string function)
    {
        if (arg.Job is null)
            throw new KernelOops(function, "null-deref", "vma_from_op dereferences arg->submit, which is NULL in msm_gem_vm_close");
        if (arg.PreallocatedVmas == 0)
        {
            Monitor.InvariantViolated("warn:vma_from_op-prealloc-empty", $"{arg.Job.Id}: the preallocated VMAs ran out",
                $"WARNING: CPU: 0 PID: {Task.Pid} at vma_from_op: WARN_ON(list_empty(&arg->submit->preallocated_vmas))\n{Task.Doing}\n");
            return (true, 0, null);
        }
        arg.PreallocatedVmas--;
        var (errno, va) = await VmaInit(arg, BoOf(op.Obj), op.Offset, op.Addr, op.Range);
        return (false, errno, va);
    }

    /// <summary><c>msm_gem_vm_sm_step_map</c>: a new VMA from the preallocation, flags from the request, then map it.</summary>
    private async KernelTask<int> SmStepMap(OpArg arg, OpMap op)
    {
        var (isNull, errno, va) = await VmaFromOp(arg, op, "msm_gem_vm_sm_step_map");
        if (isNull)
            return NullVma("msm_gem_vm_sm_step_map", "vma->flags = arg->flags with vma == NULL");
        if (errno != 0 || va is not { } v)
            return errno != 0 ? errno : -Errno.ENOMEM;
        await Call<VaUpdated>(arg.Vm.Actor, new UpdateVa(Id, v.Id, Flags: arg.Flags));
        return await VmaMap(arg.Vm, v with { Flags = arg.Flags }, "msm_gem_vma_map");
    }

    /// <summary>
    /// <c>msm_gem_vm_sm_step_remap</c>: unmap the hole unconditionally, mark the original unmapped, close it, and insert
    /// prev/next with its flags. v2 closes before linking the pieces (the vm_bo may die and be re-allocated, §5.6) and
    /// marks the pieces mapped even when the original was evicted (S14); fixed, the vm_bo is held across the close, the
    /// pieces are linked first and keep the original's mapped state.
    /// </summary>
    private async KernelTask<int> SmStepRemap(OpArg arg, OpRemap op)
    {
        var vm = arg.Vm;
        var orig = op.Unmap.Va;
        var (start, len) = op.UnmapRange();
        if (op.Unmap.Keep && orig.Mapped)
            ReportTransientUnmap(vm, orig, start, len);
        AssertObjLocked(BoOf(orig.Obj), "msm_gem_vma_unmap_range", inFreePath: false);
        await Call<MmuDone>(vm.Mmu, new UnmapRange(Id, start, len, orig.Obj, "msm_gem_vma_unmap_range"));
        await Call<VaUpdated>(vm.Actor, new UpdateVa(Id, orig.Id, Mapped: false));
        var piecesMapped = Design.IsOn(Knobs.RemapMarksPiecesMapped) || orig.Mapped;
        var bo = BoOf(orig.Obj);

        if (Design.IsOn(Knobs.RemapClosesBeforeLink))
        {
            await VmaClose(vm, orig with { Mapped = false }, inFreePath: false);
            return await RemapPieces(arg, op, orig.Flags, piecesMapped);
        }

        if (bo is not null && orig.VmBo is { } kept)
            await Call<VmBoRefChanged>(bo.Actor, new GetVmBo(Id, kept));
        var ret = await RemapPieces(arg, op, orig.Flags, piecesMapped);
        await VmaClose(vm, orig with { Mapped = false }, inFreePath: false);
        if (bo is not null && orig.VmBo is { } held)
        {
            if (!orig.Mapped)
                bo.Actor.Tell(new EvictVmBo(Id, held, true), Self);
            await PutVmBo(bo, held, inFreePath: false);
        }
        return ret;
    }

    private async KernelTask<int> RemapPieces(OpArg arg, OpRemap op, GpuVaFlags flags, bool mapped)
    {
        foreach (var piece in new[] { op.Prev, op.Next })
        {
            if (piece is not { } p)
                continue;
            var (isNull, errno, va) = await VmaFromOp(arg, p, "msm_gem_vm_sm_step_remap");
            if (isNull)
                return NullVma("msm_gem_vm_sm_step_remap", "to_msm_vma(prev_vma)->mapped with prev_vma == NULL");
            if (errno != 0 || va is not { } v)
                return errno != 0 ? errno : -Errno.ENOMEM;
            await Call<VaUpdated>(arg.Vm.Actor, new UpdateVa(Id, v.Id, Mapped: mapped, Flags: flags));
        }
        return 0;
    }

    /// <summary><c>msm_gem_vm_sm_step_unmap</c>: unmap the VMA, then close it.</summary>
    private async KernelTask<int> SmStepUnmap(OpArg arg, OpUnmap op)
    {
        if (op.Keep && op.Va.Mapped)
            ReportTransientUnmap(arg.Vm, op.Va, op.Va.Addr, op.Va.Range);
        await VmaUnmap(arg.Vm, op.Va);
        await VmaClose(arg.Vm, op.Va with { Mapped = false }, inFreePath: false);
        return 0;
    }

    /// <summary>Runs drm_gpuvm's steps through the callbacks, stopping at the first error with no rollback.</summary>
    private async KernelTask<int> ApplySteps(OpArg arg, IEnumerable<GpuVaOp> ops)
    {
        foreach (var op in ops)
        {
            Monitor.Event(Name, $"  {op.Kind} {(op.Kind == GpuVaOpKind.Map ? op.Map.ToString() : op.Kind == GpuVaOpKind.Remap ? op.Remap.Unmap.Va.ToString() : op.Unmap.Va.ToString())}");
            var r = op.Kind switch
            {
                GpuVaOpKind.Map => await SmStepMap(arg, op.Map),
                GpuVaOpKind.Remap => await SmStepRemap(arg, op.Remap),
                _ => await SmStepUnmap(arg, op.Unmap),
            };
            if (r != 0)
                return r;
        }
        return 0;
    }

    /// <summary>
    /// <c>msm_gem_assert_locked(obj)</c> in the caller, at the call (as lockdep asserts run): the object's resv must be
    /// held, except in the free path of an object whose refcount is 0.
    /// </summary>
    private void AssertObjLocked(BoEntry? bo, string function, bool inFreePath)
    {
        if (bo is null || inFreePath || Task.Holds(bo.ResvInfo.Id))
            return;
        Monitor.AssertHeldFailed(Id, bo.ResvInfo, function, $"msm_gem_assert_locked({bo.Name}): changing the page tables of {bo.Name}'s range needs its resv");
    }

    /// <summary>A NULL VMA from <c>vma_from_op</c>: dereferenced in v2 (an oops), -ENOMEM when the check exists.</summary>
    private int NullVma(string function, string access) =>
        Design.IsOn(Knobs.PreallocNullUnchecked)
            ? throw new KernelOops(function, "null-deref", $"vma_from_op returned NULL and {function} does {access}")
            : -Errno.ENOMEM;

    private void ReportTransientUnmap(VmEntry vm, GpuVa va, ulong start, ulong len) =>
        Monitor.Raise(new Finding(FindingKinds.TransientUnmap, $"{FindingKinds.TransientUnmap}:{vm.Name}",
            $"a MAP identical to {va} (keep=true) removes and re-creates its PTEs [0x{start:x}, +0x{len:x})",
            $"drm_gpuvm_sm_map said keep=true for {va}: its page-table entries could stay. msm ignores keep: it unmaps\n" +
            $"[0x{start:x}, +0x{len:x}) and maps it again inside run_job, so a GPU access in between faults.\n" +
            "A no-op remap is not free (kernel-model.md S15).\n", Monitor.Step));
}
