using Gpuvmsim.Locking;
using Gpuvmsim.Messages.Journal;
using Gpuvmsim.Messages.Locks;
using Gpuvmsim.Messages.Vm;
using Gpuvmsim.Model;
using Gpuvmsim.Runtime.Deterministic;
using Gpuvmsim.Scenarios;

namespace Gpuvmsim.Domain.World;

/// <summary>
/// DOC: one <c>struct msm_gem_vm</c> — a drm_gpuvm VA space (through <see cref="GpuVm"/>), the drm_mm allocator of a
/// kernel-managed VM, the <c>unusable</c> flag, and the three locks embedded in it:
/// <list type="table">
/// <item><term>vm_lock</term><description>mutex, "protects gpuvm insert/remove/traverse"</description></item>
/// <item><term>op_lock</term><description>mutex, serialises every modification of a VM_BIND VM (run_job, vm_close)</description></item>
/// <item><term>mm_lock</term><description>spinlock, the drm_mm of a managed VM; innermost</description></item>
/// </list>
/// Lock order of the v2 design: [op_lock →] obj resv → vm_lock [→ mm_lock] (kernel-model.md §2.2).
///
/// The actor checks what the kernel asserts (invariant 9): a VA insert or remove needs vm_lock, and on a VM_BIND VM
/// also op_lock; reading the tree needs vm_lock or op_lock (v2's unlocked walk is safe only under op_lock);
/// drm_mm needs mm_lock. A failed check is reported and the operation proceeds, as after a lockdep WARN.
/// Touching a VA that was removed is a use-after-free (invariant 17: the iterator's saved <c>next</c>).
/// Scenarios: S1–S16, S21.
/// </summary>
public sealed class VmActor : WorldActor
{
    private readonly VmEntry entry;
    private readonly GpuVm vm;
    private readonly SortedDictionary<ulong, ulong> mmNodes = [];
    private VaInserted? lastInserted;
    private MmNodeInserted? lastNode;
    private bool unusable;

    public VmActor(WorldContext world, VmSpec spec) : base(world, $"vm/{spec.Name}")
    {
        entry = world.Directory.Vm(spec.Name);
        vm = InitialWorld.BuildVm(world.Scenario, spec);
        foreach (var va in vm.Vas())
        {
            if (entry.Managed)
                mmNodes[va.Addr] = va.Range;
        }
        LockTable.Add(entry.VmLockInfo);
        LockTable.Add(entry.OpLockInfo);
        LockTable.Add(entry.MmLockInfo);
        world.Monitor.RegisterVm(entry.Id, vm, () => unusable);
    }

    protected override bool Handle(object message)
    {
        switch (message)
        {
            case FindFirstVa m:
                RequireTreeLock(m.From, "drm_gpuvm_for_each_va_range_safe");
                var first = vm.FindFirst(m.Addr, m.Range);
                Sender.Tell(first is { } f ? Cursor(f) : new VaCursor(null, null), Self);
                return true;
            case LookupVa m:
                Sender.Tell(vm.IsLive(m.Va) ? Cursor(m.Va) : new VaCursor(null, null), Self);
                return true;
            case ListVas m:
                RequireTreeLock(m.From, "drm_gpuvm_for_each_va_range");
                Sender.Tell(new VaList([.. vm.WalkRange(m.Addr, unchecked(m.Addr + m.Range))]), Self);
                return true;
            case PlanSmMap m:
                RequireTreeLock(m.From, "drm_gpuvm_sm_map");
                Sender.Tell(Steps(vm.SmMapOpsCreate(m.Request)), Self);
                return true;
            case PlanSmUnmap m:
                RequireTreeLock(m.From, "drm_gpuvm_sm_unmap");
                Sender.Tell(Steps(vm.SmUnmapOpsCreate(m.Addr, m.Range)), Self);
                return true;
            case PlanSmUnmapVa m:
                RequireTreeLock(m.From, "drm_gpuvm_sm_unmap_va");
                Sender.Tell(Steps(vm.SmUnmapVaOpsCreate(m.Va, m.ReqAddr, m.ReqRange)), Self);
                return true;
            case InsertVa m:
                RequireModifyLocks(m.From, m.Function, "drm_gpuva_insert");
                Persist(new VaInsertedBy(m.From, m.Va));
                Sender.Tell(lastInserted!, Self);
                return true;
            case RemoveVa m:
                OnRemove(m);
                return true;
            case UpdateVa m:
                if (!vm.IsLive(m.Va))
                {
                    World.Monitor.UseAfterFree("freed-vma-write", $"a write to VA {m.Va} of {entry.Name} after it was removed",
                        $"BUG: KASAN: use-after-free: {World.Directory.ContextName(m.From)} updates msm_gem_vma {m.Va} of {entry.Name}, which was closed and freed\n");
                    Sender.Tell(new VaUpdated(false), Self);
                    return true;
                }
                Persist(new VaUpdatedBy(m.From, m.Va, m.Mapped, m.Flags, m.LinkVmBo));
                Sender.Tell(new VaUpdated(true), Self);
                return true;
            case MmInsertNode m:
                RequireHeld(m.From, entry.MmLock, "drm_mm_insert_node_in_range", "drm_mm operations need mm_lock");
                Persist(new MmNodeInsertedBy(m.From, m.Size));
                Sender.Tell(lastNode!, Self);
                return true;
            case MmRemoveNode m:
                RequireHeld(m.From, entry.MmLock, "drm_mm_remove_node", "drm_mm operations need mm_lock");
                Persist(new MmNodeRemovedBy(m.From, m.Addr));
                return true;
            case MarkVmUnusable m:
                if (!unusable)
                    Persist(new VmMarkedUnusable(m.From, m.Reason));
                return true;
            case QueryVmUnusable:
                Sender.Tell(new VmUnusableState(unusable), Self);
                return true;
            case VmRefDelta m:
                Persist(new VmRefChanged(m.Delta));
                return true;
            default:
                return false;
        }
    }

    protected override void ApplyEvent(WorldEvent e)
    {
        switch (e)
        {
            case VaInsertedBy ev:
                var inserted = vm.Insert(ev.Va);
                lastInserted = new VaInserted(inserted.Errno, inserted.Id);
                break;
            case VaRemovedBy ev:
                vm.Remove(ev.Va);
                break;
            case VaUpdatedBy ev:
                if (ev.Mapped is { } mapped)
                    vm.SetMapped(ev.Va, mapped);
                if (ev.Flags is { } flags)
                    vm.SetFlags(ev.Va, flags);
                if (ev.LinkVmBo is { } link)
                    vm.SetVmBo(ev.Va, link);
                break;
            case MmNodeInsertedBy ev:
                lastNode = AllocateNode(ev.Size);
                break;
            case MmNodeRemovedBy ev:
                mmNodes.Remove(ev.Addr);
                break;
            case VmMarkedUnusable:
                unusable = true;
                break;
            case VmRefChanged ev:
                if (ev.Delta > 0)
                    vm.Get();
                else
                    vm.Put();
                break;
            default:
                throw new InvalidOperationException($"{PersistenceId}: unexpected event {e.GetType().Name}");
        }
    }

    public override void AddState(ref StateHasher hasher)
    {
        hasher.Add((long)vm.StateHash());
        hasher.Add(unusable);
        hasher.Add(mmNodes.Count);
        LockTable.AddState(ref hasher);
    }

    private void OnRemove(RemoveVa m)
    {
        RequireModifyLocks(m.From, m.Function, "drm_gpuva_remove");
        if (!vm.TryGetVa(m.Va, out var va))
        {
            World.Monitor.UseAfterFree("freed-vma-remove", $"drm_gpuva_remove of VA {m.Va} of {entry.Name}, already removed",
                $"BUG: KASAN: use-after-free in drm_gpuva_remove: {World.Directory.ContextName(m.From)} removes VA {m.Va} of {entry.Name} a second time\n");
            Sender.Tell(new VaRemoved(default, false), Self);
            return;
        }
        Persist(new VaRemovedBy(m.From, m.Va));
        Sender.Tell(new VaRemoved(va, true), Self);
    }

    private VaCursor Cursor(VaId id) => new(vm.GetVa(id), vm.Next(id));

    private static SmSteps Steps(OpsResult ops) => new(ops.Errno, ops.Ops);

    /// <summary>drm_mm first fit inside the VA space, page aligned (msm asks for obj->size at PAGE_SIZE alignment).</summary>
    private MmNodeInserted AllocateNode(ulong size)
    {
        var at = entry.VaStart;
        foreach (var (addr, range) in mmNodes)
        {
            if (addr - at >= size && addr >= at)
                break;
            at = Math.Max(at, addr + range);
        }
        if (at + size > entry.VaStart + entry.VaRange || at + size < at)
            return new MmNodeInserted(-Errno.ENOSPC, 0);
        mmNodes[at] = size;
        return new MmNodeInserted(0, at);
    }

    private void RequireTreeLock(ContextId who, string function)
    {
        if (LockTable.HeldBy(entry.VmLock.Info.Id, who) || LockTable.HeldBy(entry.OpLock.Info.Id, who))
            return;
        World.Monitor.AssertHeldFailed(who, entry.VmLock.Info, function,
            $"traversing {entry.Name}'s VA tree needs vm_lock (or, for v2's unlocked walk, op_lock)");
    }

    private void RequireModifyLocks(ContextId who, string function, string gpuvmFunction)
    {
        // The messages are formatted only on failure: every VA insert and remove of every run passes through here.
        if (!Holds(who, entry.VmLock))
            World.Monitor.AssertHeldFailed(who, entry.VmLock.Info, function, $"{gpuvmFunction} on {entry.Name} needs vm_lock");
        if (!entry.Managed && !Holds(who, entry.OpLock))
            World.Monitor.AssertHeldFailed(who, entry.OpLock.Info, function, $"every modification of VM_BIND VM {entry.Name} needs op_lock (v2)");
    }

    private bool Holds(ContextId who, LockHandle required) => LockTable.HeldBy(required.Info.Id, who);

    private void RequireHeld(ContextId who, LockHandle required, string function, string what)
    {
        if (!Holds(who, required))
            World.Monitor.AssertHeldFailed(who, required.Info, function, what);
    }
}
