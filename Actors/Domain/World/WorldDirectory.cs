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
    // Paths are formatted on the first Resolve only: most runs never resolve one, and a run registers every actor.
    private readonly List<IActorRef> registered = [];
    private Dictionary<string, IActorRef>? byPath;

    public LockDirectory Locks { get; } = new();

    /// <summary>lockdep's <c>fs_reclaim</c> map: taken by direct reclaim, touched by every GFP_KERNEL allocation.</summary>
    public LockInfo? FsReclaim { get; set; }

    /// <summary>lockdep's <c>dma_fence_map</c>: held across run_job (fence signalling), touched by every fence wait.</summary>
    public LockInfo? FenceSignalling { get; set; }

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

    /// <summary><see cref="ContextRef"/> as one delegate for the run, rather than one per lock event.</summary>
    public Func<ContextId, IActorRef> ContextRefs => contextRefs ??= ContextRef;

    private Func<ContextId, IActorRef>? contextRefs;

    public string ContextName(ContextId id) => contextNames.TryGetValue(id, out var n) ? n : id.ToString();

    public FenceId Fence(string name) => fences[name];

    public string FenceName(FenceId id) => fenceNames.TryGetValue(id, out var n) ? n : id.ToString();

    /// <summary>The context that will signal a fence (a scripted <c>signal-fence</c>, or the worker of a job), if any.</summary>
    public ContextId? SignallerOf(FenceId id) => fenceSignallers.TryGetValue(id, out var c) ? c : null;

    public (JobId Job, FenceId OutFence) JobOf(string context, int step) => jobs[(context, step)];

    public IActorRef Resolve(string path)
    {
        if (byPath is null)
        {
            byPath = new Dictionary<string, IActorRef>(registered.Count, StringComparer.Ordinal);
            foreach (var actor in registered)
                byPath[actor.Path.ToStringWithoutAddress()] = actor;
        }
        return byPath[path];
    }

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
        AddActor(actor);
    }

    public void AddActor(IActorRef actor)
    {
        registered.Add(actor);
        if (byPath is not null)
            byPath[actor.Path.ToStringWithoutAddress()] = actor;
    }

    public void AddFence(string name, FenceId id, ContextId? signaller)
    {
        fences.Add(name, id);
        fenceNames.Add(id, name);
        if (signaller is { } s)
            fenceSignallers[id] = s;
    }

    public void AddJob(string context, int step, JobId job, FenceId outFence) => jobs.Add((context, step), (job, outFence));
}

/// <summary>
/// One VM and the actors around it. Created before its actors (their constructors read it); the refs are set as the
/// actors are created. Scheduler, worker and run-job work exist for VM_BIND VMs only.
/// </summary>
public sealed class VmEntry(VmId id, string name, bool managed, ulong vaStart, ulong vaRange, LockInfo vmLock, LockInfo opLock, LockInfo mmLock, LockInfo? runJobWork)
{
    private IActorRef actor = ActorRefs.Nobody;
    private IActorRef? scheduler;

    public VmId Id { get; } = id;

    public string Name { get; } = name;

    public bool Managed { get; } = managed;

    public ulong VaStart { get; } = vaStart;

    public ulong VaRange { get; } = vaRange;

    public IActorRef Actor
    {
        get => actor;
        set
        {
            actor = value;
            VmLock = new LockHandle(VmLockInfo, value);
            OpLock = new LockHandle(OpLockInfo, value);
            MmLock = new LockHandle(MmLockInfo, value);
        }
    }

    public IActorRef Mmu { get; set; } = ActorRefs.Nobody;

    public IActorRef? Scheduler
    {
        get => scheduler;
        set
        {
            scheduler = value;
            RunJobWork = RunJobWorkInfo is { } work && value is not null ? new LockHandle(work, value) : null;
        }
    }

    public ContextId? Worker { get; set; }

    public LockInfo VmLockInfo { get; } = vmLock;

    public LockInfo OpLockInfo { get; } = opLock;

    public LockInfo MmLockInfo { get; } = mmLock;

    public LockInfo? RunJobWorkInfo { get; } = runJobWork;

    public LockHandle VmLock { get; private set; } = null!;

    public LockHandle OpLock { get; private set; } = null!;

    public LockHandle MmLock { get; private set; } = null!;

    public LockHandle? RunJobWork { get; private set; }

    public override string ToString() => Name;
}

/// <summary>One GEM object, its actor and its resv (the obj lock). The ref is set when the actor is created.</summary>
public sealed class BoEntry(ObjId id, string name, ulong size, LockInfo resv)
{
    private IActorRef actor = ActorRefs.Nobody;

    public ObjId Id { get; } = id;

    public string Name { get; } = name;

    public ulong Size { get; } = size;

    public LockInfo ResvInfo { get; } = resv;

    public IActorRef Actor
    {
        get => actor;
        set
        {
            actor = value;
            Resv = new LockHandle(ResvInfo, value);
        }
    }

    public LockHandle Resv { get; private set; } = null!;

    public override string ToString() => Name;
}

/// <summary>One VM_BIND submitqueue.</summary>
public sealed record QueueEntry(QueueId Id, string Name, VmId Vm);
