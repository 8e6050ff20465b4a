using Gpuvmsim.Domain.Designs;
using Gpuvmsim.Domain.Kernel;
using Gpuvmsim.Domain.World;
using Gpuvmsim.Messages.Bo;
using Gpuvmsim.Messages.Locks;
using Gpuvmsim.Messages.Mmu;
using Gpuvmsim.Messages.Scheduler;

namespace Gpuvmsim.Domain.Contexts;

/// <summary>Teardown (kernel-model.md §4.1 <c>msm_gem_vm_close</c>, §5.8): close of the file, of the VM, of the scheduler.</summary>
public sealed partial class KernelContextActor
{
    /// <summary>
    /// The file is closed (<c>msm_postclose</c>): <c>msm_submitqueue_close</c> drops the file's queue references
    /// (v2 does not flush the VM_BIND entities first), <c>msm_gem_vm_close</c>, then each entity is destroyed and the
    /// jobs still queued on it are killed (-ESRCH) and freed.
    /// </summary>
    private async KernelTask FileClose(VmEntry vm)
    {
        await VmClose(vm);
        if (vm.Scheduler is null)
            return;
        foreach (var queue in Directory.Queues.Where(q => q.Vm == vm.Id))
        {
            var destroyed = await Call<EntityDestroyed>(vm.Scheduler, new DestroyEntity(Id, queue.Id));
            foreach (var job in destroyed.Killed)
                await FreeKilledJob(job, vm);
        }
    }

    /// <summary>
    /// <c>msm_gem_vm_close</c> (v2): nothing for a managed VM; otherwise <c>drm_sched_stop</c> (waits for a running
    /// run_job), <c>drm_sched_fini</c>, then op_lock and <c>run_bo_unmap</c> of the whole VA space. Taking op_lock before
    /// <c>drm_sched_stop</c> instead is the real deadlock of S2 (b).
    /// </summary>
    private async KernelTask VmClose(VmEntry vm)
    {
        if (vm.Managed)
            return;
        var opLockFirst = Design.IsOn(Knobs.CloseTakesOpLockFirst);
        if (opLockFirst)
            await Lock(vm.OpLock, "msm_gem_vm_close");
        await DrmSchedStop(vm);
        await Call<SchedulerFinalized>(vm.Scheduler!, new FiniScheduler(Id));
        if (!opLockFirst)
            await Lock(vm.OpLock, "msm_gem_vm_close");
        await RunBoUnmap(new OpArg(vm, null), vm.VaStart, vm.VaRange); // the result is ignored
        Unlock(vm.OpLock, "msm_gem_vm_close");
    }

    /// <summary>
    /// <c>drm_sched_stop</c>: <c>drm_sched_wqueue_stop</c> pauses submission and <c>cancel_work_sync</c> cancels the run-job
    /// work if it has not started, or waits for it to finish (lockdep: acquire+release of the work's map).
    /// </summary>
    private async KernelTask DrmSchedStop(VmEntry vm)
    {
        await Call<SchedulerStopped>(vm.Scheduler!, new StopScheduler(Id));
        await Lock(vm.RunJobWork!, "cancel_work_sync", AcquireMode.WaitForRelease);
    }

    /// <summary>
    /// <c>free_job</c> of a killed job. In v2 the cleanup (vm_bo references, unpin, preallocation) happens only in
    /// run_job, so a job that never runs keeps them all (S1); fixed, free_job releases them.
    /// </summary>
    private async KernelTask FreeKilledJob(BindJob job, VmEntry vm)
    {
        if (Design.IsOn(Knobs.KilledJobLeaks))
        {
            Monitor.Event(Name, $"free_job({job.Id}): killed; its pins, vm_bo references and preallocation stay");
            Monitor.World.LeakedJobs.Add(job);
            return;
        }
        foreach (var obj in job.Pins)
        {
            var bo = Directory.Bo(obj);
            await Lock(bo.Resv, "msm_gem_lock");
            await Call<PinCountChanged>(bo.Actor, new PinObj(Id, false));
            Unlock(bo.Resv, "msm_gem_unlock");
        }
        foreach (var vmBo in job.VmBoRefs)
        {
            var bo = Directory.Bo(vmBo.Obj);
            await CondLock(bo);
            await PutVmBo(bo, vmBo, inFreePath: false);
            await CondUnlock(bo);
        }
        await Call<MmuDone>(vm.Mmu, new CleanupPrealloc(Id, job.Id));
        foreach (var obj in job.LookupRefs)
            await PutObj(Directory.Bo(obj), $"submit {job.Id}");
    }
}
