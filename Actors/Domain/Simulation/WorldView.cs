using Gpuvmsim.Messages.Scheduler;
using Gpuvmsim.Model;

namespace Gpuvmsim.Domain.Simulation;

/// <summary>
/// Read access to the kernel state the world actors own, for checkers only (the invariants of kernel-model.md §7
/// and the end-of-run leak checks): like lockdep or KASAN reading kernel memory, a checker reads it directly and
/// never changes it. World actors register their state objects when they are created (again after a restart).
/// </summary>
public sealed class WorldView
{
    public Dictionary<VmId, (GpuVm Vm, Func<bool> Unusable)> Vms { get; } = [];

    public Dictionary<ObjId, (GemObject Obj, Func<int> Pins, Func<bool> Freed)> Bos { get; } = [];

    public Dictionary<VmId, (MmuPageTable Table, Func<IReadOnlyList<JobId>> LivePools, Func<JobId?> Attached)> Mmus { get; } = [];

    /// <summary>Per VM_BIND VM, the jobs its scheduler still holds (queued, or with work queued or running).</summary>
    public Dictionary<VmId, Func<IEnumerable<BindJob>>> LiveJobs { get; } = [];

    /// <summary>Jobs killed and freed without releasing what they held (v2, S1).</summary>
    public List<BindJob> LeakedJobs { get; } = [];
}

