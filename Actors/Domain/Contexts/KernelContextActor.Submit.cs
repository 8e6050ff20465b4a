using System.Collections.Immutable;
using Gpuvmsim.Domain.Designs;
using Gpuvmsim.Domain.Kernel;
using Gpuvmsim.Messages.Bo;
using Gpuvmsim.Messages.Mmu;
using Gpuvmsim.Messages.Scheduler;
using Gpuvmsim.Messages.Vm;
using Gpuvmsim.Model;
using Gpuvmsim.Scenarios;

namespace Gpuvmsim.Domain.Contexts;

/// <summary>msm_gem_submit.c (v2): the SUBMIT ioctl on a VM_BIND submitqueue (kernel-model.md §4.1).</summary>
public sealed partial class KernelContextActor
{
    /// <summary>
    /// The ioctl: -EPIPE if the VM is unusable; look up the MAP handles (a reference each); lock the objects with a ww
    /// acquire context (drm_exec); <c>msm_vma_job_prepare</c> (a vm_bo reference per op object, 3 preallocated VMAs per
    /// MAP/MAP_NULL and the design's count per UNMAP, page-table pages for the MAP ranges); pin; attach the job's fence
    /// to each object; push the job; unlock. Returns 0 or the ioctl's error.
    /// </summary>
    private async KernelTask<int> VmBindSubmit(VmBindStep step)
    {
        var queue = Directory.Queue(step.Queue);
        var vm = Directory.Vm(queue.Vm);
        var (jobId, outFence) = Directory.JobOf(Name, CurrentStep);
        if ((await Call<VmUnusableState>(vm.Actor, new QueryVmUnusable(Id))).Unusable)
            return -Errno.EPIPE;

        var ops = step.Ops.Select(o => new BindOp(
            o.Op, o.Bo is null ? null : Directory.Bo(o.Bo).Id, o.Addr, o.Range, o.Offset, o.Dump)).ToImmutableArray();
        var objs = ops.Select(o => o.Obj).OfType<ObjId>().Distinct().Select(Directory.Bo).ToList();

        foreach (var bo in objs)
            await GetObj(bo, $"submit {jobId}");
        var stamp = NewWwStamp();
        await LockAll(objs, stamp);

        var vmBos = ImmutableArray.CreateBuilder<VmBoId>();
        foreach (var bo in objs)
        {
            if (await ObtainVmBo(bo, vm, inSignallingPath: false) is { } vmBo)
                vmBos.Add(vmBo);
        }
        var unmapVmas = Design.IntOf(Knobs.UnmapPreallocVmas);
        var preallocVmas = ops.Sum(o => o.Kind == BindOpKind.Unmap ? unmapVmas : 3);
        MightAlloc("msm_vma_job_prepare");
        var pages = ops.Where(o => o.Kind != BindOpKind.Unmap)
            .Aggregate(0UL, (sum, o) => sum + MmuPrealloc.CountFor(o.Addr, o.Range, new MmuConfig()));
        await Call<MmuDone>(vm.Mmu, new AllocatePrealloc(Id, jobId, (uint)Math.Max(0, (long)pages - step.PreallocShortBy)));

        foreach (var bo in objs)
            await Call<PinCountChanged>(bo.Actor, new PinObj(Id, true));
        foreach (var bo in objs)
            bo.Actor.Tell(new AddResvFence(Id, outFence), Self);

        var inFence = step.InFence is { } f ? Directory.Fence(f) : (Messages.Fences.FenceId?)null;
        var job = new BindJob(jobId, queue.Id, vm.Id, ops, vmBos.ToImmutable(), [.. objs.Select(b => b.Id)],
            [.. objs.Select(b => b.Id)], preallocVmas, (uint)pages, inFence, outFence, Name);
        await Call<JobPushed>(vm.Scheduler!, new PushJob(Id, job));

        for (var i = objs.Count - 1; i >= 0; i--)
            Unlock(objs[i].Resv, "drm_exec_fini");
        WwAcquireFini(stamp);
        return 0;
    }

    /// <summary><c>submit_lock_objects</c>: drm_exec with wait-die back-off over all the submit's objects.</summary>
    private async KernelTask LockAll(List<World.BoEntry> objs, long stamp)
    {
        while (true)
        {
            World.BoEntry? contended = null;
            foreach (var bo in objs)
            {
                if (Task.Holds(bo.Resv.Info.Id))
                    continue;
                if (await Lock(bo.Resv, "drm_exec_lock_obj", Messages.Locks.AcquireMode.Lock, stamp) == LockOutcome.Backoff)
                {
                    contended = bo;
                    break;
                }
            }
            if (contended is null)
                return;
            foreach (var held in objs.Where(b => Task.Holds(b.Resv.Info.Id)).Reverse().ToList())
                Unlock(held.Resv, "drm_exec_unlock_all");
            await Lock(contended.Resv, "drm_exec_lock_obj", Messages.Locks.AcquireMode.LockSlow, stamp);
        }
    }
}
