using Gpuvmsim.Domain.Designs;
using Gpuvmsim.Domain.Kernel;
using Gpuvmsim.Domain.World;
using Gpuvmsim.Messages.Fences;
using Gpuvmsim.Messages.Locks;
using Gpuvmsim.Messages.Scheduler;
using Gpuvmsim.Model;
using Gpuvmsim.Scenarios;

namespace Gpuvmsim.Domain.Contexts;

/// <summary>
/// DOC: an execution context of the msm world: a userspace thread in an ioctl (scripted steps: VM_BIND submit, GEM
/// close, legacy map, file close, the shrinker when reclaim runs in that thread), or the VM_BIND scheduler's worker
/// running <c>msm_vma_job_run</c>. Its code is a C# transcription of the seed patch ([PATCH v2 28/34]) and the
/// surrounding msm/drm_gpuvm code, one partial file per kernel source file:
/// <list type="bullet">
/// <item><c>.Gem.cs</c>: msm_gem.c — cond_lock, object references and the free path, put_iova_spaces, close, legacy map;</item>
/// <item><c>.Vma.cs</c>: msm_gem_vma.c — __vma_init/__vma_close, vma map/unmap, the sm_step callbacks;</item>
/// <item><c>.JobRun.cs</c>: msm_gem_vma.c — msm_vma_job_run, run_bo_op, run_bo_unmap under each lock order;</item>
/// <item><c>.Submit.cs</c>: msm_gem_submit.c — the SUBMIT ioctl on a VM_BIND queue;</item>
/// <item><c>.Close.cs</c>: msm_gem_vm_close, file close, drm_sched_stop/fini, killed jobs;</item>
/// <item><c>.Reclaim.cs</c>: the shrinker, fence waits.</item>
/// </list>
/// Every behaviour a design switches reads its knob (<see cref="Knobs"/>). Locks are taken by message
/// (<see cref="ExecutionContextActor"/>), kernel state is read and changed by message to the world actors that own it.
/// </summary>
public sealed partial class KernelContextActor : ScriptContextActor
{
    private readonly bool isWorker;

    /// <summary>A scripted context (a userspace thread).</summary>
    public KernelContextActor(WorldContext world, ContextId id, string name, int pid, IReadOnlyList<StepSpec> steps)
        : base(world, id, name, pid, steps)
    {
    }

    /// <summary>The worker of a VM's VM_BIND scheduler (a kworker): no script, it runs the jobs it is given.</summary>
    public KernelContextActor(WorldContext world, ContextId id, string name, int pid) : base(world, id, name, pid, [])
    {
        isWorker = true;
        Task.Idle = true;
    }

    /// <summary>GPU steps leave state in the world's directory and in fields of this class (jobs, fences, handles).</summary>
    protected override bool StateIsKnownBetweenSteps => false;

    private Design Design => World.Design;

    private WorldDirectory Directory => World.Directory;

    protected override bool Handle(object message)
    {
        switch (message)
        {
            case RunJob run when isWorker:
                Task.Idle = false;
                Task.Doing = $"{Name} running {run.Job.Id}";
                // A worker has no script: each job it runs is its next "step" in reports.
                CurrentStepLabel = $"run-job {run.Job.Id}";
                Run(RunJobWork(run.Job), () =>
                {
                    Task.Idle = true;
                    Task.Doing = null;
                    CurrentStep++;
                });
                return true;
            case FenceSignalled or FenceWaitTimedOut:
                return true; // the other half of a bounded wait that already ended
            default:
                return base.Handle(message);
        }
    }

    protected override async KernelTask<int?> ExecuteStep(StepSpec step, int index)
    {
        Task.Doing = $"{Name} step {index + 1} \"{CurrentStepLabel}\"";
        switch (step)
        {
            case VmBindStep s:
                var ret = await VmBindSubmit(s);
                Monitor.Event(Name, ret == 0 ? "  -> 0" : $"  -> {Errno.Name(ret)}");
                return null;
            case GemCloseStep s:
                await GemClose(Directory.Bo(s.Bo), Directory.Vm(s.Vm));
                return null;
            case LegacyMapStep s:
                await LegacyMap(Directory.Bo(s.Bo), Directory.Vm(s.Vm));
                return null;
            case FileCloseStep s:
                await FileClose(Directory.Vm(s.Vm));
                return null;
            case VmCloseStep s:
                await VmClose(Directory.Vm(s.Vm));
                return null;
            case SignalFenceStep s:
                Directory.Fences.Tell(new SignalFence(Id, Directory.Fence(s.Fence), 0), Self);
                return null;
            case WaitFenceStep s:
                await WaitFence(Directory.Fence(s.Fence), "dma_fence_wait", bounded: false);
                return null;
            case ShrinkStep s:
                await Shrink(s);
                return null;
            default:
                return await base.ExecuteStep(step, index);
        }
    }

    private BoEntry? BoOf(ObjId? obj) => obj is { } o ? Directory.Bo(o) : null;

    /// <summary>A GFP_KERNEL allocation: lockdep's <c>might_alloc</c> (fs_reclaim) and <c>might_sleep</c>.</summary>
    private void MightAlloc(string function)
    {
        LockMapTouch(Directory.FsReclaim!, function);
        MightSleep(function, "a GFP_KERNEL allocation");
    }
}
