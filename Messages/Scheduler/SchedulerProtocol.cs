using System.Collections.Immutable;
using Gpuvmsim.Messages.Fences;
using Gpuvmsim.Messages.Locks;
using Gpuvmsim.Model;

namespace Gpuvmsim.Messages.Scheduler;

/// <summary>One VM_BIND job (a v2 submit on a VM_BIND queue).</summary>
public readonly record struct JobId(int Value)
{
    public override string ToString() => $"J{Value}";
}

/// <summary>One VM_BIND submitqueue: a scheduler entity.</summary>
public readonly record struct QueueId(int Value)
{
    public override string ToString() => $"Q{Value}";
}

/// <summary>The op of a VM_BIND request (<c>MSM_SUBMIT_BO_OP_*</c>).</summary>
public enum BindOpKind { Map, MapNull, Unmap }

/// <summary>One op of a job, its handle already looked up.</summary>
public sealed record BindOp(BindOpKind Kind, ObjId? Obj, ulong Addr, ulong Range, ulong Offset, bool Dump);

/// <summary>
/// A prepared job (<c>struct msm_gem_submit</c> of a VM_BIND queue): its ops, the vm_bo references and pins taken in
/// the ioctl, its preallocation, its in-fence and the fence it signals when done.
/// </summary>
public sealed record BindJob(
    JobId Id, QueueId Queue, VmId Vm, ImmutableArray<BindOp> Ops, ImmutableArray<VmBoId> VmBoRefs,
    ImmutableArray<ObjId> LookupRefs, ImmutableArray<ObjId> Pins, int PreallocVmas, uint PreallocPages,
    FenceId? InFence, FenceId OutFence, string Submitter)
{
    public bool Equals(BindJob? other) =>
        other is not null && Id == other.Id && Queue == other.Queue && Vm == other.Vm && Structural.Equal(Ops, other.Ops)
        && Structural.Equal(VmBoRefs, other.VmBoRefs) && Structural.Equal(LookupRefs, other.LookupRefs) && Structural.Equal(Pins, other.Pins)
        && PreallocVmas == other.PreallocVmas && PreallocPages == other.PreallocPages && InFence == other.InFence
        && OutFence == other.OutFence && Submitter == other.Submitter;

    public override int GetHashCode() =>
        HashCode.Combine(Id, Structural.Hash(Ops), Structural.Hash(VmBoRefs), Structural.Hash(Pins), PreallocVmas, PreallocPages, InFence, OutFence);

    public override string ToString() => $"{Id}[{string.Join(", ", Ops.Select(o => $"{o.Kind} 0x{o.Addr:x}+0x{o.Range:x}"))}]";
}

/// <summary><c>drm_sched_entity_push_job</c>; answered with <see cref="JobPushed"/>.</summary>
public sealed record PushJob(ContextId From, BindJob Job);

public sealed record JobPushed(JobId Job);

/// <summary>The scheduler queues the run-job work item on its worker for <see cref="Job"/>. Sent to the worker context.</summary>
public sealed record RunJob(BindJob Job);

/// <summary>The worker starts the queued work item; answered with <see cref="WorkStart"/>.</summary>
public sealed record StartWork(ContextId From, JobId Job);

/// <summary>Cancelled: <c>drm_sched_stop</c> cancelled the work before it began; the job stays queued.</summary>
public sealed record WorkStart(JobId Job, bool Cancelled);

/// <summary>run_job returned; the scheduler signals the job's fence with <see cref="FenceError"/>. No answer.</summary>
public sealed record JobFinished(ContextId From, JobId Job, int FenceError);

/// <summary><c>drm_sched_stop</c>'s first half: pause submission and cancel queued-but-not-started work; answered with <see cref="SchedulerStopped"/>.</summary>
public sealed record StopScheduler(ContextId From);

public sealed record SchedulerStopped(bool WorkRunning);

/// <summary><c>drm_sched_fini</c>: entities stopped, queued jobs never run; answered with <see cref="SchedulerFinalized"/>.</summary>
public sealed record FiniScheduler(ContextId From);

public sealed record SchedulerFinalized;

/// <summary><c>drm_sched_entity_destroy</c> of a queue: the jobs still queued are killed; answered with <see cref="EntityDestroyed"/>.</summary>
public sealed record DestroyEntity(ContextId From, QueueId Queue);

public sealed record EntityDestroyed(ImmutableArray<BindJob> Killed)
{
    public bool Equals(EntityDestroyed? other) => other is not null && Structural.Equal(Killed, other.Killed);

    public override int GetHashCode() => Structural.Hash(Killed);
}
