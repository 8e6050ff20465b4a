using Gpuvmsim.Checking;
using Gpuvmsim.Domain.Designs;
using Gpuvmsim.Domain.Kernel;
using Gpuvmsim.Domain.World;
using Gpuvmsim.Messages.Bo;
using Gpuvmsim.Messages.Locks;
using Gpuvmsim.Messages.Mmu;
using Gpuvmsim.Messages.Scheduler;
using Gpuvmsim.Messages.Vm;
using Gpuvmsim.Model;

namespace Gpuvmsim.Domain.Contexts;

/// <summary>
/// msm_gem_vma.c of the seed: the VM_BIND scheduler's work item. Lock order (v2): [run-job work →] op_lock → obj resv
/// → vm_lock. With fence-signalling annotations, run_job runs inside <c>dma_fence_begin_signalling</c>.
/// </summary>
public sealed partial class KernelContextActor
{
    /// <summary>A garbage value read from the stack: what an uninitialised <c>int ret</c> holds when it is not 0.</summary>
    private const int StackGarbage = 0x5a5a5a5a;

    /// <summary>The last op's result was an uninitialised value read by <see cref="ReadRet"/>.</summary>
    private bool readGarbage;

    /// <summary><c>drm_sched_run_job_work</c>: start the queued work (unless drm_sched_stop cancelled it), run the job, complete.</summary>
    private async KernelTask RunJobWork(BindJob job)
    {
        var vm = Directory.Vm(job.Vm);
        var start = await Call<WorkStart>(vm.Scheduler!, new StartWork(Id, job.Id));
        if (start.Cancelled)
        {
            Monitor.Event(Name, $"{job.Id}: work cancelled by drm_sched_stop");
            return;
        }
        LockMapAcquire(vm.RunJobWork!.Info, "drm_sched_run_job_work");
        var fenceError = await JobRun(job, vm);
        Unlock(vm.RunJobWork!, "drm_sched_run_job_work");
        vm.Scheduler!.Tell(new JobFinished(Id, job.Id, fenceError), Self);
    }

    /// <summary>
    /// <c>msm_vma_job_run</c>. Returns the fence error the scheduler signals. v2 declares a second <c>int ret</c> inside
    /// the loop: an op's error only marks the VM unusable, later ops still run and the job reports success (§5.1).
    /// </summary>
    private async KernelTask<int> JobRun(BindJob job, VmEntry vm)
    {
        var signalling = World.Scenario.Options.FenceSignallingAnnotations;
        if (signalling)
            LockMapAcquire(Directory.FenceSignalling!, "dma_fence_begin_signalling");
        var ret = 0;
        (int Op, int Errno)? failed = null;
        await Lock(vm.OpLock, "msm_vma_job_run");
        await Call<MmuDone>(vm.Mmu, new AttachPrealloc(Id, job.Id));
        var arg = new OpArg(vm, job);
        for (var i = 0; i < job.Ops.Length; i++)
        {
            readGarbage = false;
            var r = await RunBoOp(arg, job.Ops[i]);
            if (r == 0)
                continue;
            if (!readGarbage)
                failed ??= (i, r); // a garbage `ret` is no error of the op: the uninit-value finding covers it
            vm.Actor.Tell(new MarkVmUnusable(Id, $"{job.Id} op {i + 1} failed with {Errno.Name(r)}"), Self);
            if (!Design.IsOn(Knobs.RetShadowing))
            {
                ret = r;
                break;
            }
        }
        await SubmitRetire(job, vm);
        foreach (var obj in job.Pins)
        {
            var bo = Directory.Bo(obj);
            await Lock(bo.Resv, "msm_gem_lock");
            await Call<PinCountChanged>(bo.Actor, new PinObj(Id, false));
            Unlock(bo.Resv, "msm_gem_unlock");
        }
        foreach (var obj in job.LookupRefs)
            await PutObj(Directory.Bo(obj), $"submit {job.Id}");
        await Call<MmuDone>(vm.Mmu, new DetachPrealloc(Id));
        Unlock(vm.OpLock, "msm_vma_job_run");
        if (signalling)
            LockMapRelease(Directory.FenceSignalling!, "dma_fence_end_signalling");

        if (failed is { } f && ret == 0)
        {
            Monitor.Raise(new Finding(FindingKinds.LostError, $"{FindingKinds.LostError}:msm_vma_job_run",
                $"{job.Id}: op {f.Op + 1} failed with {Errno.Name(f.Errno)} but the job's fence signals success",
                $"msm_vma_job_run({job.Id}): run_bo_op of op {f.Op + 1} ({job.Ops[f.Op].Kind} 0x{job.Ops[f.Op].Addr:x}+0x{job.Ops[f.Op].Range:x}) returned {Errno.Name(f.Errno)}.\n" +
                "The error went into the loop's own `int ret`, which shadows the function's: the VM is marked unusable,\n" +
                $"the remaining ops still ran, and run_job returned ERR_PTR(0) == NULL, so {Directory.FenceName(job.OutFence)} signals without an error\n" +
                "(kernel-model.md §5.1).\n", Monitor.Step));
        }
        return ret;
    }

    /// <summary>
    /// <c>run_bo_op</c>: UNMAP goes to <see cref="RunBoUnmap"/>; MAP/MAP_NULL lock the objects (v2: only the MAP's own,
    /// §5.5), take vm_lock, and run <c>drm_gpuvm_sm_map</c> through the step callbacks.
    /// </summary>
    private async KernelTask<int> RunBoOp(OpArg arg, BindOp op)
    {
        if (op.Kind == BindOpKind.Unmap)
            return ReadRet(await RunBoUnmap(arg, op.Addr, op.Range), arg.Job!);

        var vm = arg.Vm;
        arg.Flags = op.Kind == BindOpKind.Map && op.Dump ? MsmVmaFlags.Dump : GpuVaFlags.None;
        var request = new OpMap(op.Addr, op.Range, op.Obj, op.Offset);
        List<BoEntry> objs;
        if (Design.IsOn(Knobs.MapLocksOnlyNewBo))
        {
            objs = BoOf(op.Obj) is { } own ? [own] : [];
        }
        else
        {
            // The fix: lock every object the MAP splits or removes too (walking the tree is safe under op_lock).
            var preview = await Call<SmSteps>(vm.Actor, new PlanSmMap(Id, request));
            objs = [.. TouchedObjects(preview.Ops).Prepend(op.Obj).OfType<ObjId>().Distinct().Select(Directory.Bo)];
        }
        var vmLockFirst = Design.LockOrder == "vm-lock-first";
        if (vmLockFirst)
            await Lock(vm.VmLock, "run_bo_op");
        var stamp = await LockObjects(objs);
        if (!vmLockFirst)
            await Lock(vm.VmLock, "run_bo_op");

        var steps = await Call<SmSteps>(vm.Actor, new PlanSmMap(Id, request));
        var ret = steps.Errno != 0 ? steps.Errno : await ApplySteps(arg, steps.Ops);

        if (!vmLockFirst)
            Unlock(vm.VmLock, "run_bo_op");
        await UnlockObjects(objs, stamp);
        if (vmLockFirst)
            Unlock(vm.VmLock, "run_bo_op");
        return ret;
    }

    /// <summary>
    /// <c>run_bo_unmap</c> under the design's lock order (kernel-model.md §2.2):
    /// <list type="bullet">
    /// <item><c>v2</c>: walk the VM without vm_lock (safe only because op_lock serialises every modifier); per VA take its
    /// object (<c>cond_lock</c>), then vm_lock, and run <c>drm_gpuvm_sm_unmap_va</c> — with each VA's own range (§5.3);</item>
    /// <item><c>vm-lock-first</c>: vm_lock for the whole walk, each object taken under it (order 2);</item>
    /// <item><c>obj-lock-first</c>: find the objects under vm_lock, drop it, lock them all (no acquire context), retake
    /// vm_lock (order 1).</item>
    /// </list>
    /// Returns null for v2's uninitialised <c>ret</c> when no VA overlaps (§5.2).
    /// </summary>
    private async KernelTask<int?> RunBoUnmap(OpArg arg, ulong addr, ulong range)
    {
        var vm = arg.Vm;
        if (!Task.Holds(vm.OpLock.Info.Id))
        {
            Monitor.InvariantViolated("warn:run_bo_unmap-op_lock", "run_bo_unmap without op_lock",
                $"WARNING: CPU: 0 PID: {Task.Pid} at run_bo_unmap: GEM_WARN_ON(!mutex_is_locked(&vm->op_lock))\n{Task.Doing}\n");
        }
        return Design.LockOrder switch
        {
            "vm-lock-first" => await RunBoUnmapVmLockFirst(arg, addr, range),
            "obj-lock-first" => await RunBoUnmapObjLockFirst(arg, addr, range),
            _ => await RunBoUnmapV2(arg, addr, range),
        };
    }

    private async KernelTask<int?> RunBoUnmapV2(OpArg arg, ulong addr, ulong range)
    {
        var vm = arg.Vm;
        var end = addr + range;
        int? ret = Design.IsOn(Knobs.UnmapUninitRet) ? null : 0;
        var cursor = await Call<VaCursor>(vm.Actor, new FindFirstVa(Id, addr, range));
        while (cursor.Va is { } vma && vma.Addr < end)
        {
            var next = cursor.Next;
            var bo = BoOf(vma.Obj);
            await CondLock(bo);
            await Lock(vm.VmLock, "run_bo_unmap");
            ret = await UnmapVaStep(arg, vma, addr, range);
            Unlock(vm.VmLock, "run_bo_unmap");
            await CondUnlock(bo);
            if (ret != 0 || next is not { } saved)
                break;
            cursor = await Call<VaCursor>(vm.Actor, new LookupVa(Id, saved));
            if (cursor.Va is null)
            {
                ReportDanglingNext(vm, saved);
                break;
            }
        }
        return ret;
    }

    private async KernelTask<int?> RunBoUnmapVmLockFirst(OpArg arg, ulong addr, ulong range)
    {
        var vm = arg.Vm;
        var end = addr + range;
        var ret = 0;
        await Lock(vm.VmLock, "run_bo_unmap");
        var cursor = await Call<VaCursor>(vm.Actor, new FindFirstVa(Id, addr, range));
        while (cursor.Va is { } vma && vma.Addr < end)
        {
            var next = cursor.Next;
            var bo = BoOf(vma.Obj);
            await CondLock(bo);
            ret = await UnmapVaStep(arg, vma, addr, range);
            await CondUnlock(bo);
            if (ret != 0 || next is not { } saved)
                break;
            cursor = await Call<VaCursor>(vm.Actor, new LookupVa(Id, saved));
        }
        Unlock(vm.VmLock, "run_bo_unmap");
        return ret;
    }

    private async KernelTask<int?> RunBoUnmapObjLockFirst(OpArg arg, ulong addr, ulong range)
    {
        var vm = arg.Vm;
        await Lock(vm.VmLock, "run_bo_unmap");
        var before = await Call<VaList>(vm.Actor, new ListVas(Id, addr, range));
        Unlock(vm.VmLock, "run_bo_unmap");
        var objs = before.Vas.Select(v => v.Obj).OfType<ObjId>().Distinct().Select(Directory.Bo).ToList();
        foreach (var bo in objs)
            await CondLock(bo);
        await Lock(vm.VmLock, "run_bo_unmap");
        var ret = 0;
        var now = await Call<VaList>(vm.Actor, new ListVas(Id, addr, range));
        foreach (var vma in now.Vas)
        {
            ret = await UnmapVaStep(arg, vma, addr, range);
            if (ret != 0)
                break;
        }
        Unlock(vm.VmLock, "run_bo_unmap");
        for (var i = objs.Count - 1; i >= 0; i--)
            await CondUnlock(objs[i]);
        return ret;
    }

    /// <summary>
    /// <c>drm_gpuvm_sm_unmap_va</c> of one VA. v2 passes the VA's own range, so a VA that extends past the requested
    /// range is removed whole (over-unmap, §5.3, invariant 16); fixed, the request's range gives a REMAP.
    /// </summary>
    private async KernelTask<int> UnmapVaStep(OpArg arg, GpuVa vma, ulong addr, ulong range)
    {
        var overUnmap = Design.IsOn(Knobs.OverUnmap);
        var (reqAddr, reqRange) = overUnmap ? (vma.Addr, vma.Range) : (addr, range);
        if (overUnmap && (vma.Addr < addr || vma.End > addr + range))
        {
            Monitor.InvariantViolated("split-merge:over-unmap",
                $"UNMAP [0x{addr:x}, 0x{addr + range:x}) removes all of {vma}",
                $"invariant 16 (split/merge well-formedness): run_bo_unmap calls drm_gpuvm_sm_unmap_va with the VA's own range,\n" +
                $"so UNMAP [0x{addr:x}, 0x{addr + range:x}) removes {vma} entirely; drm_gpuvm_sm_unmap would have kept\n" +
                $"the parts outside the request as REMAP pieces (kernel-model.md §5.3, U1/U2).\n");
        }
        var steps = await Call<SmSteps>(arg.Vm.Actor, new PlanSmUnmapVa(Id, vma.Id, reqAddr, reqRange));
        return steps.Errno != 0 ? steps.Errno : await ApplySteps(arg, steps.Ops);
    }

    /// <summary>
    /// <c>msm_submit_retire</c> → <c>msm_vma_job_cleanup</c>: drop the job's vm_bo references (v2: holding only op_lock,
    /// §5.7 — fixed: under each object's lock), free unused preallocated VMAs, <c>prealloc_cleanup</c>.
    /// </summary>
    private async KernelTask SubmitRetire(BindJob job, VmEntry vm)
    {
        foreach (var vmBo in job.VmBoRefs)
        {
            var bo = Directory.Bo(vmBo.Obj);
            if (Design.IsOn(Knobs.CleanupPutWithoutLock))
            {
                await PutVmBo(bo, vmBo, inFreePath: false);
            }
            else
            {
                await CondLock(bo);
                await PutVmBo(bo, vmBo, inFreePath: false);
                await CondUnlock(bo);
            }
        }
        await Call<MmuDone>(vm.Mmu, new CleanupPrealloc(Id, job.Id));
    }

    /// <summary>
    /// Locks the objects an op needs: one with <c>cond_lock</c>; several with a ww acquire context like drm_exec
    /// (wait-die: on -EDEADLK drop them all, sleep on the contended one, retry). Returns the stamp used, if any.
    /// </summary>
    private async KernelTask<long?> LockObjects(List<BoEntry> objs)
    {
        if (objs.Count <= 1)
        {
            if (objs.Count == 1)
                await CondLock(objs[0]);
            return null;
        }
        var stamp = NewWwStamp();
        foreach (var bo in objs)
            await GetObj(bo, "drm_exec");
        await LockAll(objs, stamp);
        return stamp;
    }

    private async KernelTask UnlockObjects(List<BoEntry> objs, long? stamp)
    {
        if (stamp is null)
        {
            if (objs.Count == 1)
                await CondUnlock(objs[0]);
            return;
        }
        for (var i = objs.Count - 1; i >= 0; i--)
            Unlock(objs[i].Resv, "drm_exec_fini");
        WwAcquireFini(stamp.Value);
        for (var i = objs.Count - 1; i >= 0; i--)
            await PutObj(objs[i], "drm_exec");
    }

    /// <summary>Reading v2's <c>ret</c> in <c>if (ret)</c>: an uninitialised value is a finding, and the scheduler picks what it holds.</summary>
    private int ReadRet(int? ret, BindJob job)
    {
        if (ret is { } value)
            return value;
        Monitor.Raise(new Finding(FindingKinds.UninitValue, $"{FindingKinds.UninitValue}:run_bo_unmap",
            $"{job.Id}: run_bo_unmap returns an uninitialised `ret` (no VA in the UNMAP range)",
            "BUG: KMSAN: uninit-value in msm_vma_job_run\n" +
            " run_bo_unmap(): `int ret;` is assigned only inside drm_gpuvm_for_each_va_range_safe; the range has no VA,\n" +
            " so the loop never ran and the caller tests stack garbage (kernel-model.md §5.2, S11).\n" +
            " Both values are explored: 0, or garbage that marks the VM unusable for nothing.\n", Monitor.Step));
        readGarbage = true;
        return Choose(2) == 0 ? 0 : StackGarbage;
    }

    private void ReportDanglingNext(VmEntry vm, VaId saved) =>
        Monitor.UseAfterFree("run_bo_unmap-dangling-next",
            $"run_bo_unmap's saved next VA {saved} of {vm.Name} was removed by another context during the unlocked walk",
            $"BUG: KASAN: use-after-free in run_bo_unmap\n" +
            $"drm_gpuvm_for_each_va_range_safe saved `next` = {saved} before the loop body; another context closed that VMA\n" +
            "while this walk held neither vm_lock nor anything that excludes it, so the next iteration reads freed memory\n" +
            "(invariant 17: no legacy path may modify a VM_BIND VM; all modifiers must hold op_lock).\n");

    private static IEnumerable<ObjId?> TouchedObjects(IEnumerable<GpuVaOp> ops) =>
        ops.Select(op => op.Kind switch
        {
            GpuVaOpKind.Remap => op.Remap.Unmap.Va.Obj,
            GpuVaOpKind.Unmap => op.Unmap.Va.Obj,
            _ => op.Map.Obj,
        });
}
