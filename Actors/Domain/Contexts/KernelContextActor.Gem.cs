using Gpuvmsim.Domain.Kernel;
using Gpuvmsim.Domain.World;
using Gpuvmsim.Messages.Bo;
using Gpuvmsim.Messages.Vm;
using Gpuvmsim.Model;

namespace Gpuvmsim.Domain.Contexts;

/// <summary>msm_gem.c: object references, the obj lock, the free path, and the legacy (kernel-managed VM) paths.</summary>
public sealed partial class KernelContextActor
{
    /// <summary>
    /// The seed's <c>cond_lock</c>: "Hold a ref while we have the obj locked, so drm_gpuvm doesn't manage to drop the
    /// last ref to the obj while it is locked" (kernel-model.md §5.7, S7). Without the knob the reference is not taken.
    /// </summary>
    private async KernelTask CondLock(BoEntry? bo)
    {
        if (bo is null)
            return;
        if (Design.IsOn(Designs.Knobs.CondLockTakesRef))
            await GetObj(bo, "cond_lock");
        await Lock(bo.Resv, "msm_gem_lock");
    }

    /// <summary>The seed's <c>cond_unlock</c>: unlock, then drop the reference <see cref="CondLock"/> took.</summary>
    private async KernelTask CondUnlock(BoEntry? bo)
    {
        if (bo is null)
            return;
        Unlock(bo.Resv, "msm_gem_unlock");
        if (Design.IsOn(Designs.Knobs.CondLockTakesRef))
            await PutObj(bo, "cond_lock");
    }

    /// <summary><c>drm_gem_object_get</c>.</summary>
    private async KernelTask GetObj(BoEntry bo, string holder) =>
        await Call<ObjRefChanged>(bo.Actor, new GetObj(Id, holder));

    /// <summary><c>drm_gem_object_put</c>: the last put runs <c>msm_gem_free_object</c> here, in this context.</summary>
    private async KernelTask PutObj(BoEntry bo, string holder)
    {
        var r = await Call<ObjRefChanged>(bo.Actor, new PutObj(Id, holder));
        if (r.Outcome == KrefOutcome.Released)
            await FreeObject(bo);
    }

    /// <summary>
    /// <c>msm_gem_free_object</c> (v2): the object is treated as locked (refcount 0, gpuvm patch 01). VMAs still in
    /// kernel-managed VMs (weak references) are torn down under each VM's vm_lock; then the memory is released.
    /// </summary>
    private async KernelTask FreeObject(BoEntry bo)
    {
        Monitor.Event(Name, $"msm_gem_free_object({bo.Name})");
        await PutIovaSpaces(bo, null, close: true, inFreePath: true);
        bo.Actor.Tell(new FreeObj(Id), Self);
    }

    /// <summary>
    /// <c>put_iova_spaces(obj, vm, close)</c>: for each vm_bo of the object (only <paramref name="onlyVm"/>'s if given),
    /// hold a vm_bo reference (the driver's get→put dance), unmap each VA, close it if asked, then drop the reference.
    /// The caller holds the obj lock (or runs the free path).
    /// </summary>
    private async KernelTask PutIovaSpaces(BoEntry bo, VmEntry? onlyVm, bool close, bool inFreePath)
    {
        var state = await Call<ObjState>(bo.Actor, new QueryObj(Id));
        foreach (var vmBo in state.VmBos.Where(v => onlyVm is null || v.Id.Vm == onlyVm.Id))
        {
            var vm = Directory.Vm(vmBo.Id.Vm);
            if (!inFreePath)
                await Call<VmBoRefChanged>(bo.Actor, new GetVmBo(Id, vmBo.Id));
            foreach (var vaId in vmBo.Vas)
            {
                var cursor = await Call<VaCursor>(vm.Actor, new LookupVa(Id, vaId));
                if (cursor.Va is not { } va)
                    continue;
                await VmaUnmap(vm, va, inFreePath);
                if (close)
                    await VmaCloseLegacy(vm, va with { Mapped = false }, inFreePath);
            }
            if (!inFreePath)
                await PutVmBo(bo, vmBo.Id, inFreePath: false);
        }
    }

    /// <summary>
    /// <c>msm_gem_vma_close</c> (v2, legacy): <c>GEM_WARN_ON(!vm->managed)</c>, then vm_lock around <c>__vma_close</c>.
    /// On a VM_BIND VM it modifies the tree without op_lock — what the early return of msm_gem_close prevents.
    /// </summary>
    private async KernelTask VmaCloseLegacy(VmEntry vm, GpuVa va, bool inFreePath)
    {
        if (!vm.Managed)
        {
            Monitor.InvariantViolated("warn:msm_gem_vma_close-on-vm-bind",
                $"msm_gem_vma_close on VM_BIND VM {vm.Name}: a legacy path modifies it without op_lock",
                $"WARNING: CPU: 0 PID: {Task.Pid} at msm_gem_vma_close: GEM_WARN_ON(!vm->managed)\n{Task.Doing}\n");
        }
        await Lock(vm.VmLock, "msm_gem_vma_close");
        await VmaClose(vm, va, inFreePath);
        Unlock(vm.VmLock, "msm_gem_vma_close");
    }

    /// <summary>
    /// The GEM_CLOSE ioctl of one handle: <c>msm_gem_close</c> (returns early for VM_BIND contexts; otherwise, under
    /// the obj lock, tears down the object's VMAs in the context's VM), then <c>drm_gem_handle_delete</c> drops the
    /// handle's reference, which may free the object (S21, S12).
    /// </summary>
    private async KernelTask GemClose(BoEntry bo, VmEntry vm)
    {
        if (!vm.Managed && Design.IsOn(Designs.Knobs.LegacyCloseEarlyReturn))
        {
            Monitor.Event(Name, "msm_gem_close: VM_BIND context, return");
        }
        else
        {
            await Lock(bo.Resv, "msm_gem_lock");
            await PutIovaSpaces(bo, vm, close: true, inFreePath: false);
            Unlock(bo.Resv, "msm_gem_unlock");
        }
        var r = await Call<ObjRefChanged>(bo.Actor, new DeleteHandle(Id));
        if (r.Outcome == KrefOutcome.Released)
            await FreeObject(bo);
    }

    /// <summary>
    /// GET_IOVA on a kernel-managed VM (<c>msm_gem_get_iova</c>): under the obj lock, find the object's VMA in the VM or
    /// create one (<c>msm_gem_vma_new</c>: vm_lock, then the drm_mm allocation under mm_lock), then map it.
    /// Order: obj resv → vm_lock → mm_lock.
    /// </summary>
    private async KernelTask LegacyMap(BoEntry bo, VmEntry vm)
    {
        await Lock(bo.Resv, "msm_gem_lock");
        var state = await Call<ObjState>(bo.Actor, new QueryObj(Id));
        var existing = state.VmBos.FirstOrDefault(v => v.Id.Vm == vm.Id && v.Vas.Length > 0);
        GpuVa? va = null;
        if (existing is not null && (await Call<VaCursor>(vm.Actor, new LookupVa(Id, existing.Vas[0]))).Va is { } found)
            va = found;
        if (va is null)
        {
            await Lock(vm.VmLock, "msm_gem_vma_new");
            var created = await VmaInit(new OpArg(vm, null), bo, 0, 0, bo.Size);
            Unlock(vm.VmLock, "msm_gem_vma_new");
            va = created.Va;
        }
        if (va is { } v)
            await VmaMap(vm, v, "msm_gem_get_iova");
        Unlock(bo.Resv, "msm_gem_unlock");
    }
}
