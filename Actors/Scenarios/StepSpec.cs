using Gpuvmsim.Messages.Scheduler;

namespace Gpuvmsim.Scenarios;

/// <summary>
/// One scripted step of a context. In a scenario file every step is an object with one key naming its kind
/// (<c>{ lock = A }</c>, <c>{ vm-bind { … } }</c>), so lock scripts and VM_BIND scripts share one shape.
/// </summary>
public abstract record StepSpec(SourceOrigin Origin)
{
    /// <summary>The step's kind as written in scenario files.</summary>
    public abstract string Kind { get; }

    /// <summary>A short label for tables and reports, e.g. <c>lock A</c>, <c>vm-bind Q1 [map B 0x4000+0x4000]</c>.</summary>
    public abstract string Label { get; }

    public override string ToString() => Label;
}

/// <summary><c>{ lock = NAME }</c>: take a lock, waiting while another context holds it.</summary>
public sealed record LockStep(string Lock, SourceOrigin Origin) : StepSpec(Origin)
{
    public override string Kind => "lock";
    public override string Label => $"lock {Lock}";
}

/// <summary><c>{ unlock = NAME }</c>: release a lock.</summary>
public sealed record UnlockStep(string Lock, SourceOrigin Origin) : StepSpec(Origin)
{
    public override string Kind => "unlock";
    public override string Label => $"unlock {Lock}";
}

/// <summary><c>{ trylock = NAME }</c>: take the lock if free; otherwise go on without it.</summary>
public sealed record TryLockStep(string Lock, SourceOrigin Origin) : StepSpec(Origin)
{
    public override string Kind => "trylock";
    public override string Label => $"trylock {Lock}";
}

/// <summary><c>{ sleep = true }</c>: an operation that may sleep (a GFP_KERNEL allocation, msleep).</summary>
public sealed record SleepStep(SourceOrigin Origin) : StepSpec(Origin)
{
    public override string Kind => "sleep";
    public override string Label => "sleep";
}

/// <summary>One op of a VM_BIND request (msm <c>MSM_SUBMIT_BO_OP_*</c>).</summary>
public sealed record BindOpSpec(BindOpKind Op, string? Bo, ulong Addr, ulong Range, ulong Offset, bool Dump, SourceOrigin Origin)
{
    public override string ToString() => Op switch
    {
        BindOpKind.Map => $"map {Bo} 0x{Addr:x}+0x{Range:x}@0x{Offset:x}{(Dump ? " dump" : "")}",
        BindOpKind.MapNull => $"map-null 0x{Addr:x}+0x{Range:x}",
        _ => $"unmap 0x{Addr:x}+0x{Range:x}",
    };
}

/// <summary>
/// <c>{ vm-bind { queue = Q, ops = [...], in-fence = F, out-fence = J } }</c>: the SUBMIT ioctl on a VM_BIND
/// queue (v2): validate, lock the objects, prepare (vm_bo refs, preallocation), pin, push the job.
/// </summary>
/// <param name="PreallocShortBy">Preallocate this many page-table pages fewer than counted (forces an ENOMEM in run_job).</param>
public sealed record VmBindStep(string Queue, IReadOnlyList<BindOpSpec> Ops, string? InFence, string? OutFence, int PreallocShortBy, SourceOrigin Origin)
    : StepSpec(Origin)
{
    public override string Kind => "vm-bind";
    public override string Label => $"vm-bind {Queue} [{string.Join(", ", Ops)}]" + (InFence is null ? "" : $" after {InFence}");
}

/// <summary><c>{ gem-close { bo = X, vm = V } }</c>: userspace closes its handle (msm_gem_close, then the handle's reference).</summary>
public sealed record GemCloseStep(string Bo, string Vm, SourceOrigin Origin) : StepSpec(Origin)
{
    public override string Kind => "gem-close";
    public override string Label => $"gem-close {Bo} on {Vm}";
}

/// <summary><c>{ legacy-map { bo = X, vm = K } }</c>: GET_IOVA on a kernel-managed VM (msm_gem_get_and_pin_iova).</summary>
public sealed record LegacyMapStep(string Bo, string Vm, SourceOrigin Origin) : StepSpec(Origin)
{
    public override string Kind => "legacy-map";
    public override string Label => $"legacy-map {Bo} in {Vm}";
}

/// <summary><c>{ file-close = V }</c>: the file is closed: msm_submitqueue_close, msm_gem_vm_close, entity teardown.</summary>
public sealed record FileCloseStep(string Vm, SourceOrigin Origin) : StepSpec(Origin)
{
    public override string Kind => "file-close";
    public override string Label => $"file-close {Vm}";
}

/// <summary><c>{ vm-close = V }</c>: msm_gem_vm_close alone.</summary>
public sealed record VmCloseStep(string Vm, SourceOrigin Origin) : StepSpec(Origin)
{
    public override string Kind => "vm-close";
    public override string Label => $"vm-close {Vm}";
}

/// <summary><c>{ signal-fence = F }</c>: signal an in-fence.</summary>
public sealed record SignalFenceStep(string Fence, SourceOrigin Origin) : StepSpec(Origin)
{
    public override string Kind => "signal-fence";
    public override string Label => $"signal-fence {Fence}";
}

/// <summary><c>{ wait-fence = F }</c>: wait until a fence (an in-fence or a job's out-fence) signals.</summary>
public sealed record WaitFenceStep(string Fence, SourceOrigin Origin) : StepSpec(Origin)
{
    public override string Kind => "wait-fence";
    public override string Label => $"wait-fence {Fence}";
}

/// <summary>
/// <c>{ shrink { bos = [X], purge = false } }</c>: a direct-reclaim shrinker scan under fs_reclaim: trylock each
/// BO, skip pinned ones, wait for its fences (unbounded or msm's 10 jiffies), evict (unmap its PTEs) or purge.
/// </summary>
public sealed record ShrinkStep(IReadOnlyList<string> Bos, bool Purge, SourceOrigin Origin) : StepSpec(Origin)
{
    public override string Kind => "shrink";
    public override string Label => $"shrink [{string.Join(", ", Bos)}]{(Purge ? " purge" : "")}";
}
