using Gpuvmsim.Messages.Journal;
using Gpuvmsim.Messages.Locks;
using Gpuvmsim.Messages.Mmu;
using Gpuvmsim.Messages.Scheduler;
using Gpuvmsim.Model;
using Gpuvmsim.Runtime.Deterministic;
using Gpuvmsim.Scenarios;

namespace Gpuvmsim.Domain.World;

/// <summary>
/// DOC: one <c>struct msm_mmu</c> of a VM — its io-pgtable (through <see cref="MmuPageTable"/>) and
/// <c>mmu->prealloc</c>, the page-table pages a VM_BIND job preallocated (kernel-model.md §1.7). A VM_BIND page table
/// takes table pages only from the attached preallocation: none attached, or all used, is -ENOMEM, never an
/// allocation. Preallocations allocated but never cleaned up are leaks (invariant 11). The locks its callers need
/// (op_lock for <c>mmu->prealloc</c>, invariant 13; the object's resv for a map or unmap of its range, invariant 9) are
/// asserted by the calling kernel code at the call, as the kernel's asserts are, not here when the message arrives.
/// </summary>
public sealed class MmuActor : WorldActor
{
    private readonly VmEntry vmEntry;
    private readonly MmuPageTable table;
    private readonly Dictionary<JobId, MmuPrealloc> pools = [];
    private JobId? attached;
    private int lastErrno;

    public MmuActor(WorldContext world, VmSpec spec) : base(world, $"mmu/{spec.Name}")
    {
        vmEntry = world.Directory.Vm(spec.Name);
        table = InitialWorld.BuildMmu(world.Scenario, spec);
        world.Monitor.RegisterMmu(vmEntry.Id, table, () => pools.Keys.ToList(), () => attached);
    }

    protected override bool Handle(object message)
    {
        switch (message)
        {
            case AllocatePrealloc m:
                Persist(new PreallocAllocated(m.From, m.Job, m.Pages));
                Sender.Tell(MmuDone.Instance, Self);
                return true;
            case AttachPrealloc m:
                Persist(new PreallocAttached(m.From, m.Job));
                Sender.Tell(MmuDone.Instance, Self);
                return true;
            case DetachPrealloc m:
                Persist(new PreallocDetached(m.From));
                Sender.Tell(MmuDone.Instance, Self);
                return true;
            case CleanupPrealloc m:
                Persist(new PreallocCleanedUp(m.From, m.Job));
                Sender.Tell(MmuDone.Instance, Self);
                return true;
            case MapRange m:
                Persist(new RangeMapped(m.From, m.Iova, m.Obj, m.Offset, m.Len));
                Sender.Tell(new MapResult(lastErrno), Self);
                return true;
            case UnmapRange m:
                Persist(new RangeUnmapped(m.From, m.Iova, m.Len));
                Sender.Tell(MmuDone.Instance, Self);
                return true;
            default:
                return false;
        }
    }

    protected override void ApplyEvent(WorldEvent e)
    {
        switch (e)
        {
            case PreallocAllocated ev:
                var pool = new MmuPrealloc();
                pool.Reserve(ev.Pages);
                pool.Allocate();
                pools[ev.Job] = pool;
                break;
            case PreallocAttached ev:
                attached = ev.Job;
                table.Prealloc = pools.GetValueOrDefault(ev.Job);
                break;
            case PreallocDetached:
                attached = null;
                table.Prealloc = null;
                break;
            case PreallocCleanedUp ev:
                if (pools.Remove(ev.Job, out var cleaned))
                    cleaned.Cleanup();
                break;
            case RangeMapped ev:
                lastErrno = table.Map(ev.Iova, ev.Obj, ev.Offset, ev.Len, GpuVmWorld.ProtReadWrite).Errno;
                break;
            case RangeUnmapped ev:
                table.Unmap(ev.Iova, ev.Len);
                break;
            default:
                throw new InvalidOperationException($"{PersistenceId}: unexpected event {e.GetType().Name}");
        }
    }

    public override void AddState(ref StateHasher hasher)
    {
        ulong h = 0;
        table.AddState(ref h);
        hasher.Add((long)h);
        hasher.Add(attached?.Value ?? -1);
        foreach (var (job, pool) in pools.OrderBy(p => p.Key.Value))
        {
            hasher.Add(job.Value);
            hasher.Add(pool.Remaining);
        }
    }
}
