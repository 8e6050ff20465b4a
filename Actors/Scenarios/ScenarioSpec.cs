using Gpuvmsim.Locking;

namespace Gpuvmsim.Scenarios;

/// <summary>
/// A parsed scenario: the world to build (locks, VMs, BOs, queues, fences, the initial mappings), the
/// contexts and their scripted steps, scenario-local designs and the expected findings per design.
/// Everything carries the <see cref="SourceOrigin"/> it was read from. Produced by <see cref="ScenarioParser"/>,
/// which has already checked every cross reference.
/// </summary>
public sealed record ScenarioSpec(
    string Name,
    string? Description,
    string File,
    string Text,
    IReadOnlyList<LockSpec> Locks,
    IReadOnlyList<VmSpec> Vms,
    IReadOnlyList<BoSpec> Bos,
    IReadOnlyList<QueueSpec> Queues,
    IReadOnlyList<FenceSpec> Fences,
    IReadOnlyList<MappingSpec> InitialMappings,
    IReadOnlyList<ContextSpec> Contexts,
    ScenarioOptions Options,
    IReadOnlyList<DesignSpec> Designs,
    IReadOnlyList<ExpectSpec> Expectations)
{
    /// <summary>True when the scenario has no GPU world, only scripted locks (the normative lock-script subset).</summary>
    public bool IsLockScript => Vms.Count == 0;

    public VmSpec Vm(string name) => Vms.First(v => v.Name == name);

    public BoSpec Bo(string name) => Bos.First(b => b.Name == name);

    public QueueSpec Queue(string name) => Queues.First(q => q.Name == name);
}

/// <summary>A scripted lock: <c>{ name = A, kind = mutex }</c>. Its lockdep class is <c>class</c> if given, else its name, except that
/// ww-mutexes share <see cref="ScenarioParser.WwClassName"/> (one ww_class).</summary>
public sealed record LockSpec(string Name, LockKind Kind, string ClassName, SourceOrigin Origin)
{
    /// <summary>
    /// The class of a lock whose scenario names none: its own name, but one shared class for all ww-mutexes, which the
    /// kernel allows only within one ww_class and lockdep gives one class (<c>ww_class->mutex_key</c>).
    /// </summary>
    public static string DefaultClassOf(string name, LockKind kind) => kind == LockKind.WwMutex ? ScenarioParser.WwClassName : name;
}

/// <summary>A VM: a VM_BIND VM (userspace-managed VA, with a VM_BIND scheduler) or a kernel-managed one (drm_mm).</summary>
public sealed record VmSpec(string Name, bool Managed, ulong VaStart, ulong VaRange, SourceOrigin Origin);

/// <summary>A GEM object: its size, how many userspace handles refer to it at the start, and the fences already on its
/// reservation (GPU work still using it; a shrinker must wait for them).</summary>
public sealed record BoSpec(string Name, ulong Size, int Handles, IReadOnlyList<string> Fences, SourceOrigin Origin)
{
    /// <summary>The most handles a BO may start with: every run creates them one by one when it builds the world.</summary>
    public const int MaxHandles = 1024;
}

/// <summary>A VM_BIND submitqueue: one scheduler entity on its VM's scheduler.</summary>
public sealed record QueueSpec(string Name, string Vm, SourceOrigin Origin);

/// <summary>An in-fence that a context may signal (or that never signals).</summary>
public sealed record FenceSpec(string Name, SourceOrigin Origin);

/// <summary>A mapping that exists before the run starts (established without locks or jobs).</summary>
/// <param name="Bo">The BO, or null for a NULL (MAP_NULL, PRR-backed) mapping.</param>
/// <param name="Mapped">Whether its PTEs exist (false models a VMA the shrinker evicted).</param>
public sealed record MappingSpec(string Vm, string? Bo, ulong Addr, ulong Range, ulong Offset, bool Mapped, bool Dump, SourceOrigin Origin);

/// <summary>An execution context and its script.</summary>
public sealed record ContextSpec(string Name, IReadOnlyList<StepSpec> Steps, SourceOrigin Origin);

/// <summary>A scenario-local design: a built-in design with some knobs changed.</summary>
public sealed record DesignSpec(string Name, string Base, IReadOnlyList<KeyValuePair<string, string>> Knobs, string? Description, SourceOrigin Origin);

/// <summary>The exact set of finding kinds expected when the scenario is explored under one design.</summary>
public sealed record ExpectSpec(string Design, IReadOnlySet<string> Kinds, SourceOrigin Origin);

/// <summary>World-wide options of a scenario.</summary>
/// <param name="PageSize">The GPU page size; every address, range and offset must be a multiple.</param>
/// <param name="MemoryPressure">Allocations in the fence-signalling path may fail (the scheduler chooses).</param>
/// <param name="FenceSignallingAnnotations">run_job is wrapped in dma_fence_begin/end_signalling for lockdep (drm_sched's
/// opt-in annotation; off by default, as upstream).</param>
/// <param name="ShrinkerWait">How the shrinker waits for a busy BO's fences: <c>unbounded</c> or <c>bounded</c> (msm's 10 jiffies).</param>
public sealed record ScenarioOptions(ulong PageSize, bool MemoryPressure, bool FenceSignallingAnnotations, string ShrinkerWait)
{
    public static ScenarioOptions Default { get; } = new(4096, false, false, "unbounded");
}
