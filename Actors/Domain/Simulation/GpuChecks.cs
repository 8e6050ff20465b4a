using System.Collections.Immutable;
using System.Text;
using Gpuvmsim.Checking;
using Gpuvmsim.Domain.World;
using Gpuvmsim.Messages.Scheduler;
using Gpuvmsim.Model;

namespace Gpuvmsim.Domain.Simulation;

/// <summary>
/// The end-of-run checks of the msm world, run when nothing is deliverable any more and every task finished normally:
/// <list type="bullet">
/// <item>leaks (invariant 11): a job killed without releasing its pins, vm_bo references, object references and
/// preallocation; and, whatever the cause, pins, vm_bo references, object references or preallocated pages that no
/// live holder accounts for;</item>
/// <item>the structural invariants of kernel-model.md §7 over the final state: 1, 2 and 14 per VM, 3–7 over all VMs
/// and objects (declaring what live jobs legitimately hold), and 12 (MMU consistency) for every VM not unusable.</item>
/// </list>
/// </summary>
internal static class GpuChecks
{
    public static void AtQuiescence(RunMonitor monitor, WorldContext world)
    {
        var view = monitor.World;
        var live = view.LiveJobs.Values.SelectMany(f => f()).ToList();
        var holders = live.Concat(view.LeakedJobs).ToList();
        foreach (var job in view.LeakedJobs)
            ReportKilledJobLeak(monitor, world, job);
        // A deadlock or an oops freezes the world in the middle of an operation: references held by blocked or dead
        // tasks are not leaks, half-done updates are not broken invariants. Those runs report the hang itself.
        if (monitor.Lockdep.Tasks.Any(t => t.Died || (!t.Exited && !t.Idle)))
            return;
        CheckUnaccounted(monitor, world, holders);
        CheckInvariants(monitor, world, holders);
    }

    private static void ReportKilledJobLeak(RunMonitor monitor, WorldContext world, BindJob job)
    {
        var names = string.Join(", ", job.Pins.Select(o => world.Directory.Bo(o).Name));
        monitor.Raise(new Finding(FindingKinds.Leak, $"{FindingKinds.Leak}:killed-job",
            $"{job.Id} was killed (-ESRCH) and freed still holding {job.Pins.Length} pin(s), {job.VmBoRefs.Length} vm_bo reference(s), " +
            $"{job.LookupRefs.Length} object reference(s), {job.PreallocVmas} preallocated VMA(s) and {job.PreallocPages} page-table page(s)",
            $"unreferenced object / leak: {job} on {world.Directory.Vm(job.Vm).Name} never ran: drm_sched_fini stopped its entity and the\n" +
            "entity's teardown killed it. In v2 the pins, vm_bo references, object references and preallocation of a job are\n" +
            $"released only by run_job (msm_submit_retire), so they are never released: pinned [{names}] (kernel-model.md §5.8, S1).\n",
            monitor.Step));
    }

    private static void CheckUnaccounted(RunMonitor monitor, WorldContext world, List<BindJob> holders)
    {
        foreach (var (id, (obj, pins, freed)) in world.Monitor.World.Bos)
        {
            if (freed())
                continue;
            var name = world.Directory.Bo(id).Name;
            var heldPins = holders.Sum(j => j.Pins.Count(p => p == id));
            if (pins() > heldPins)
                Leak(monitor, "pin", $"BO {name} is pinned {pins()} time(s) but no job or context will unpin it ({heldPins} accounted for)");
            foreach (var vmBo in obj.VmBos)
            {
                var expected = vmBo.Vas.Length + holders.Sum(j => j.VmBoRefs.Count(r => r == vmBo.Id));
                if (vmBo.RefCount > expected)
                    Leak(monitor, "vm-bo-ref", $"{vmBo.Id} of {name} holds {vmBo.RefCount} references for {vmBo.Vas.Length} VA(s): {vmBo.RefCount - expected} will never be dropped");
            }
            var hardVmBos = obj.VmBos.Count(v => !v.WeakObjRef);
            var expectedRefs = obj.HandleCount + hardVmBos + holders.Sum(j => j.LookupRefs.Count(r => r == id));
            if (obj.RefCount > expectedRefs)
                Leak(monitor, "obj-ref", $"BO {name} has {obj.RefCount} references; handles, vm_bos and jobs account for {expectedRefs}");
        }
        var liveJobIds = holders.Select(j => j.Id).ToHashSet();
        foreach (var (vmId, (_, pools, _)) in world.Monitor.World.Mmus)
        {
            foreach (var job in pools().Where(j => !liveJobIds.Contains(j)))
                Leak(monitor, "prealloc", $"the page-table preallocation of {job} in {world.Directory.Vm(vmId).Name}'s MMU was never cleaned up");
        }
    }

    private static void CheckInvariants(RunMonitor monitor, WorldContext world, List<BindJob> holders)
    {
        var view = world.Monitor.World;
        var violations = new List<InvariantViolation>();
        foreach (var (id, (vm, unusable)) in view.Vms)
        {
            violations.AddRange(VaSpaceInvariants.Check(vm));
            if (world.Directory.Vm(id).Managed)
                violations.AddRange(VaSpaceInvariants.CheckManaged(vm, o => view.Bos.TryGetValue(o, out var b) ? b.Obj.Size : null));
            if (!unusable() && view.Mmus.TryGetValue(id, out var mmu))
                violations.AddRange(MmuInvariants.CheckConsistency(vm, mmu.Table, quiescent: true));
        }
        var context = new LinkageContext
        {
            ExternalVmBoRefs = holders.SelectMany(j => j.VmBoRefs).GroupBy(r => r).ToImmutableDictionary(g => g.Key, g => g.Count()),
            ObjectOtherHolders = holders.SelectMany(j => j.LookupRefs).GroupBy(r => r).ToImmutableDictionary(g => g.Key, g => g.Count()),
        };
        var liveObjects = view.Bos.Values.Where(b => !b.Freed()).Select(b => b.Obj);
        violations.AddRange(LinkageInvariants.Check(view.Vms.Values.Select(v => v.Vm), liveObjects, context));
        foreach (var v in violations)
        {
            monitor.InvariantViolated($"inv{v.Number}:{v.Invariant}", $"invariant {v.Number} ({v.Invariant}): {v.Message}",
                $"invariant {v.Number} ({v.Invariant}) does not hold at the end of the run:\n  {v.Message}\n  objects: {string.Join(", ", v.Objects)}\n");
        }
    }

    private static void Leak(RunMonitor monitor, string what, string summary) =>
        monitor.Raise(new Finding(FindingKinds.Leak, $"{FindingKinds.Leak}:{what}", summary, $"unreferenced object / leak: {summary}\n", monitor.Step));
}
