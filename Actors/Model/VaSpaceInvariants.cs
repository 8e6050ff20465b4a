// DOC: Invariants of one VA space (spec §7): 1 disjointness and list = tree order, 2 bounds (and
// range == 0 flagged as suspicious), 14 managed-VM rules, 18 "NULL VAs never carry DUMP".
// Reads one GpuVm (the VM actor's state; caller holds the VM lock). Linear in the number of VAs.

using System.Collections.Immutable;

namespace Gpuvmsim.Model;

/// <summary>Checks over a single <see cref="GpuVm"/>.</summary>
public static class VaSpaceInvariants
{
    /// <summary>Invariants 1, 2 and the NULL-VA part of 18.</summary>
    public static ImmutableArray<InvariantViolation> Check(GpuVm vm)
    {
        var found = ImmutableArray.CreateBuilder<InvariantViolation>();
        CheckDisjoint(vm, found);
        CheckBounds(vm, found);
        foreach (var va in vm.Vas())
            if (va.IsNull && (va.Flags & MsmVmaFlags.Dump) != 0)
                found.Add(InvariantViolation.Of(18, $"NULL mapping {va} carries MSM_VMA_DUMP", vm.Id, va.Id));
        return found.ToImmutable();
    }

    /// <summary>Invariant 1: VAs are sorted, never overlap, and rb.list is the tree's in-order sequence.</summary>
    public static void CheckDisjoint(GpuVm vm, ImmutableArray<InvariantViolation>.Builder found)
    {
        var (treeOrder, listOrder, shape) = vm.StructureView();
        if (shape is not null)
            found.Add(InvariantViolation.Of(1, $"tree shape broken: {shape}", vm.Id));
        if (!treeOrder.SequenceEqual(listOrder))
            found.Add(InvariantViolation.Of(1, $"rb.list ({listOrder.Count} VAs) is not the tree's in-order sequence ({treeOrder.Count} VAs)", vm.Id));
        GpuVa? prev = null;
        GpuVa? widest = null; // the non-empty VA reaching furthest so far
        foreach (var va in vm.Vas(includeKernelNode: true))
        {
            if (prev is { } p && va.Addr < p.Addr)
                found.Add(InvariantViolation.Of(1, $"{va} comes after {p} in rb.list but starts lower", vm.Id, p.Id, va.Id));
            if (va.Range != 0)
            {
                if (widest is { } w && va.Addr < w.End)
                    found.Add(InvariantViolation.Of(1, $"{va} overlaps {w}", vm.Id, w.Id, va.Id));
                if (widest is null || va.End > widest.Value.End)
                    widest = va;
            }
            prev = va;
        }
    }

    /// <summary>Invariant 2: every VA lies in the VA space, does not overflow, avoids the kernel node; range 0 is suspicious.</summary>
    public static void CheckBounds(GpuVm vm, ImmutableArray<InvariantViolation>.Builder found)
    {
        foreach (var va in vm.Vas())
        {
            if (RequestValidator.CheckKernelRange(vm, va.Addr, va.Range) is { } error)
                found.Add(InvariantViolation.Of(2, $"{va}: {error.Message}", vm.Id, va.Id));
            if (va.Range == 0)
                found.Add(InvariantViolation.Of(2, $"{va} has range 0 (accepted by drm_gpuvm_range_valid; legality unconfirmed)", vm.Id, va.Id));
        }
    }

    /// <summary>
    /// Invariant 14 for a kernel-managed VM: every VA has a BO, offset 0, and covers exactly the BO
    /// ([addr, addr + obj.size), the drm_mm node msm inserts). <paramref name="sizeOf"/> gives BO sizes.
    /// </summary>
    public static ImmutableArray<InvariantViolation> CheckManaged(GpuVm vm, Func<ObjId, ulong?> sizeOf)
    {
        var found = ImmutableArray.CreateBuilder<InvariantViolation>();
        foreach (var va in vm.Vas())
        {
            if (va.Obj is not { } obj)
            {
                found.Add(InvariantViolation.Of(14, $"{va} is a NULL mapping in a kernel-managed VM", vm.Id, va.Id));
                continue;
            }
            if (va.Offset != 0)
                found.Add(InvariantViolation.Of(14, $"{va} has offset 0x{va.Offset:x} (BUG_ON(offset != 0))", vm.Id, va.Id, obj));
            if (sizeOf(obj) is { } size && va.Range != size)
                found.Add(InvariantViolation.Of(14, $"{va}'s node is not [addr, addr + size 0x{size:x})", vm.Id, va.Id, obj));
        }
        return found.ToImmutable();
    }
}
