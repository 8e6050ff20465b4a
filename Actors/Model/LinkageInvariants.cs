// DOC: Invariants across VMs and objects (spec §7): 3 linkage between VAs and vm_bos, 4 vm_bo
// uniqueness, 5 vm_bo refcount, 6 VM refcount, 7 object refcount lower bound.
// Reads GpuVm states (VM actors) and GemObject states (BO actors) together, so the caller must see
// a consistent cut of them (in the simulator: between two actor steps). Linear in VAs + vm_bos.

using System.Collections.Immutable;

namespace Gpuvmsim.Model;

/// <summary>Checks that span several owners; see <see cref="LinkageContext"/> for what the caller declares.</summary>
public static class LinkageInvariants
{
    public static ImmutableArray<InvariantViolation> Check(IEnumerable<GpuVm> vms, IEnumerable<GemObject> objects, LinkageContext? context = null)
    {
        context ??= LinkageContext.Quiescent;
        var found = ImmutableArray.CreateBuilder<InvariantViolation>();
        var vmById = vms.ToDictionary(v => v.Id);
        var objById = objects.ToDictionary(o => o.Id);
        var vmBos = objById.Values.SelectMany(o => o.Snapshot().VmBos).ToDictionary(b => b.Id);
        CheckVaSide(vmById, vmBos, context, found);
        CheckBoSide(vmById, objById, vmBos, context, found);
        CheckVmRefs(vmById, vmBos, context, found);
        return found.ToImmutable();
    }

    private static void CheckVaSide(Dictionary<VmId, GpuVm> vms, Dictionary<VmBoId, GpuVmBoSnapshot> vmBos, LinkageContext ctx,
        ImmutableArray<InvariantViolation>.Builder found)
    {
        foreach (var vm in vms.Values)
        {
            if (vm.IsFreed)
                continue;
            foreach (var va in vm.Vas())
            {
                if (ctx.InProgress.Contains((vm.Id, va.Id)))
                    continue;
                if (va.Obj is null && va.VmBo is { } stray)
                    found.Add(InvariantViolation.Of(3, $"NULL mapping {va} is linked to {stray}", vm.Id, va.Id, stray));
                if (va.Obj is { } obj && va.VmBo is null)
                    found.Add(InvariantViolation.Of(3, $"{va} has an object but no vm_bo", vm.Id, va.Id, obj));
                if (va.VmBo is not { } id)
                    continue;
                if (id.Obj != va.Obj || id.Vm != vm.Id)
                    found.Add(InvariantViolation.Of(3, $"{va} in {vm.Id} links to {id}", vm.Id, va.Id, id));
                if (!vmBos.TryGetValue(id, out var b))
                    found.Add(InvariantViolation.Of(3, $"{va} links to {id}, which no longer exists", vm.Id, va.Id, id));
                else if (!b.Vas.Contains(va.Id))
                    found.Add(InvariantViolation.Of(3, $"{va} links to {id}, but is not on its VA list", vm.Id, va.Id, id));
            }
        }
    }

    private static void CheckBoSide(Dictionary<VmId, GpuVm> vms, Dictionary<ObjId, GemObject> objects, Dictionary<VmBoId, GpuVmBoSnapshot> vmBos,
        LinkageContext ctx, ImmutableArray<InvariantViolation>.Builder found)
    {
        foreach (var obj in objects.Values)
        {
            var snapshot = obj.Snapshot();
            var seen = new HashSet<VmId>();
            foreach (var b in snapshot.VmBos)
            {
                if (b.Listed && !seen.Add(b.Id.Vm))
                    found.Add(InvariantViolation.Of(4, $"{obj.Id} has two vm_bos for {b.Id.Vm}", obj.Id, b.Id.Vm, b.Id));
                var external = ctx.ExternalVmBoRefs.GetValueOrDefault(b.Id);
                if (b.RefCount != b.Vas.Length + external)
                    found.Add(InvariantViolation.Of(5, $"{b.Id} has kref {b.RefCount} but {b.Vas.Length} linked VAs + {external} external refs", obj.Id, b.Id));
                foreach (var vaId in b.Vas)
                {
                    if (!vms.TryGetValue(b.Id.Vm, out var vm) || !vm.TryGetVa(vaId, out var va))
                        found.Add(InvariantViolation.Of(3, $"{b.Id} lists {vaId}, which is not in {b.Id.Vm}", obj.Id, b.Id, vaId));
                    else if (va.VmBo != b.Id && !ctx.InProgress.Contains((vm.Id, vaId)))
                        found.Add(InvariantViolation.Of(3, $"{b.Id} lists {va}, which links to {(va.VmBo?.ToString() ?? "nothing")}", obj.Id, b.Id, vaId));
                }
            }
            if (snapshot.IsFreed)
                continue;
            var counted = snapshot.VmBos.Count(b => !b.WeakObjRef);
            var others = ctx.ObjectOtherHolders.GetValueOrDefault(obj.Id);
            if (obj.RefCount < counted + obj.HandleCount + others)
                found.Add(InvariantViolation.Of(7,
                    $"{obj.Id} refcount {obj.RefCount} < {counted} vm_bos + {obj.HandleCount} handles + {others} other holders", obj.Id));
        }
    }

    private static void CheckVmRefs(Dictionary<VmId, GpuVm> vms, Dictionary<VmBoId, GpuVmBoSnapshot> vmBos, LinkageContext ctx,
        ImmutableArray<InvariantViolation>.Builder found)
    {
        foreach (var vm in vms.Values)
        {
            var bos = vmBos.Keys.Count(id => id.Vm == vm.Id);
            if (vm.IsFreed)
            {
                if (vm.Count != 0 || bos != 0)
                    found.Add(InvariantViolation.Of(6, $"{vm.Id} was freed with {vm.Count} VAs and {bos} vm_bos", vm.Id));
                continue;
            }
            var owners = ctx.VmOwnerRefs.GetValueOrDefault(vm.Id, 1);
            if (vm.RefCount != owners + vm.Count + bos)
                found.Add(InvariantViolation.Of(6, $"{vm.Id} kref {vm.RefCount} != {owners} owner refs + {vm.Count} VAs + {bos} vm_bos", vm.Id));
        }
    }
}
