using Gpuvmsim.Locking;
using Gpuvmsim.Messages.Fences;
using Gpuvmsim.Messages.Locks;
using Gpuvmsim.Messages.Scheduler;
using Gpuvmsim.Model;
using Gpuvmsim.Runtime;

namespace Gpuvmsim.Domain.World;

/// <summary>
/// Who is who in one run: the actors of every VM, BO, queue and context, the locks by name and id, fences and jobs.
/// Filled while the world is built (before the first delivery) and read-only afterwards.
/// </summary>
public sealed class WorldDirectory
{
    private readonly Dictionary<string, VmEntry> vmsByName = new(StringComparer.Ordinal);
    private readonly Dictionary<VmId, VmEntry> vms = [];
    private readonly Dictionary<string, BoEntry> bosByName = new(StringComparer.Ordinal);
    private readonly Dictionary<ObjId, BoEntry> bos = [];
    private readonly Dictionary<string, QueueEntry> queuesByName = new(StringComparer.Ordinal);
    private readonly Dictionary<QueueId, QueueEntry> queues = [];
    private readonly Dictionary<ContextId, IActorRef> contexts = [];
    private readonly Dictionary<ContextId, string> contextNames = [];
    private readonly Dictionary<string, FenceId> fences = new(StringComparer.Ordinal);
    private readonly Dictionary<FenceId, string> fenceNames = [];
    private readonly Dictionary<FenceId, ContextId> fenceSignallers = [];
    private readonly Dictionary<(string Context, int Step), (JobId Job, FenceId OutFence)> jobs = [];
    private readonly Dictionary<string, IActorRef> byPath = new(StringComparer.Ordinal);

    public LockDirectory Locks { get; } = new();

    public IActorRef Fences { get; set; } = ActorRefs.Nobody;

    public IEnumerable<VmEntry> Vms => vms.Values;

    public IEnumerable<BoEntry> Bos => bos.Values;

    public IEnumerable<QueueEntry> Queues => queues.Values;

    public VmEntry Vm(string name) => vmsByName[name];

    public VmEntry Vm(VmId id) => vms[id];

    public BoEntry Bo(string name) => bosByName[name];

    public BoEntry Bo(ObjId id) => bos[id];

    public QueueEntry Queue(string name) => queuesByName[name];

    public QueueEntry Queue(QueueId id) => queues[id];

    public IActorRef ContextRef(ContextId id) => contexts[id];

    public string ContextName(ContextId id) => contextNames.TryGetValue(id, out var n) ? n : id.ToString();

    public FenceId Fence(string name) => fences[name];

    public string FenceName(FenceId id) => fenceNames.TryGetValue(id, out var n) ? n : id.ToString();

    /// <summary>The context that will signal a fence (a scripted <c>signal-fence</c>, or the worker of a job), if any.</summary>
    public ContextId? SignallerOf(FenceId id) => fenceSignallers.TryGetValue(id, out var c) ? c : null;

    public (JobId Job, FenceId OutFence) JobOf(string context, int step) => jobs[(context, step)];

    public IActorRef Resolve(string path) => byPath[path];

    public void Add(VmEntry vm)
    {
        vmsByName.Add(vm.Name, vm);
        vms.Add(vm.Id, vm);
    }

    public void Add(BoEntry bo)
    {
        bosByName.Add(bo.Name, bo);
        bos.Add(bo.Id, bo);
    }

    public void Add(QueueEntry queue)
    {
        queuesByName.Add(queue.Name, queue);
        queues.Add(queue.Id, queue);
    }

    public void AddContext(ContextId id, string name, IActorRef actor)
    {
        contexts.Add(id, actor);
        contextNames.Add(id, name);
        byPath[actor.Path.ToStringWithoutAddress()] = actor;
    }

    public void AddActor(IActorRef actor) => byPath[actor.Path.ToStringWithoutAddress()] = actor;

    public void AddFence(string name, FenceId id, ContextId? signaller)
    {
        fences.Add(name, id);
        fenceNames.Add(id, name);
        if (signaller is { } s)
            fenceSignallers[id] = s;
    }

    public void AddJob(string context, int step, JobId job, FenceId outFence) => jobs.Add((context, step), (job, outFence));
}

/// <summary>One VM and the actors around it. Scheduler, worker and work lock exist for VM_BIND VMs only.</summary>
public sealed record VmEntry(
    VmId Id, string Name, bool Managed, ulong VaStart, ulong VaRange, IActorRef Actor, IActorRef Mmu,
    LockHandle VmLock, LockHandle OpLock, LockHandle MmLock)
{
    public IActorRef? Scheduler { get; set; }

    public ContextId? Worker { get; set; }

    public LockHandle? RunJobWork { get; set; }
}

/// <summary>One GEM object, its actor and its resv (the obj lock).</summary>
public sealed record BoEntry(ObjId Id, string Name, ulong Size, IActorRef Actor, LockHandle Resv);

/// <summary>One VM_BIND submitqueue.</summary>
public sealed record QueueEntry(QueueId Id, string Name, VmId Vm);
