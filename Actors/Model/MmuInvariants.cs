// DOC: MMU invariants (spec §7): 12 consistency between VAs' `mapped` and the page table, 13
// preallocation bounds. Reads one GpuVm (VM actor) and its MmuPageTable (MMU actor) at a
// consistent cut. The v2 form is checked directly; for merged, the caller passes the page table
// as it will be once every queued vm_op has run (spec §7.12). Cost: O(VAs + PTE runs).

using System.Collections.Immutable;

namespace Gpuvmsim.Model;

/// <summary>Checks between VA bookkeeping and page tables.</summary>
public static class MmuInvariants
{
    /// <summary>
    /// Invariant 12: a mapped VA has a PTE for every page, pointing at (obj, offset + (page - addr)) or
    /// at PRR for a NULL VA; an unmapped VA has none. With <paramref name="quiescent"/>, no PTE may lie
    /// outside every VA (skip it while jobs are pending or the VM is unusable).
    /// </summary>
    public static ImmutableArray<InvariantViolation> CheckConsistency(GpuVm vm, MmuPageTable mmu, bool quiescent = true)
    {
        var found = ImmutableArray.CreateBuilder<InvariantViolation>();
        foreach (var va in vm.Vas())
        {
            var runs = mmu.MappingsIn(va.Addr, va.Range).ToList();
            if (!va.Mapped)
            {
                if (runs.Count != 0)
                    found.Add(InvariantViolation.Of(12, $"{va} is not mapped but has PTEs at 0x{runs[0].Iova:x}", vm.Id, va.Id));
                continue;
            }
            var expect = va.Addr;
            foreach (var run in runs)
            {
                if (run.Iova != expect)
                    break;
                var wantOffset = va.IsNull ? 0 : unchecked(va.Offset + (run.Iova - va.Addr));
                if (run.Obj != va.Obj || run.Offset != wantOffset)
                {
                    found.Add(InvariantViolation.Of(12,
                        $"{va}: PTE at 0x{run.Iova:x} maps {(run.Obj?.ToString() ?? "PRR")}@0x{run.Offset:x}, expected {(va.Obj?.ToString() ?? "PRR")}@0x{wantOffset:x}",
                        vm.Id, va.Id));
                    expect = ulong.MaxValue;
                    break;
                }
                expect = unchecked(run.Iova + run.Length);
            }
            if (expect != ulong.MaxValue && expect != va.End)
                found.Add(InvariantViolation.Of(12, $"{va} is mapped but has no PTE at 0x{expect:x}", vm.Id, va.Id));
        }
        if (quiescent)
            CheckNoStrayPtes(vm, mmu, found);
        return found.ToImmutable();
    }

    /// <summary>Invariant 13: 0 ≤ ptr ≤ count; and a pool is attached only while a VM_BIND job runs.</summary>
    public static ImmutableArray<InvariantViolation> CheckPrealloc(MmuPageTable mmu, bool jobRunning)
    {
        var found = ImmutableArray.CreateBuilder<InvariantViolation>();
        if (mmu.Prealloc is { } p && p.Ptr > p.Count)
            found.Add(InvariantViolation.Of(13, $"{p}: ptr beyond count", p));
        if (!jobRunning && mmu.Prealloc is { } attached)
            found.Add(InvariantViolation.Of(13, $"mmu->prealloc is still set ({attached}) while no job runs", attached));
        return found.ToImmutable();
    }

    private static void CheckNoStrayPtes(GpuVm vm, MmuPageTable mmu, ImmutableArray<InvariantViolation>.Builder found)
    {
        foreach (var run in mmu.Mappings())
        {
            var at = run.Iova;
            var end = unchecked(run.Iova + run.Length);
            foreach (var va in vm.WalkRange(run.Iova, end))
            {
                if (va.Range == 0)
                    continue;
                if (va.Addr > at)
                    break;
                at = Math.Max(at, va.End);
                if (at >= end)
                    break;
            }
            if (at < end)
                found.Add(InvariantViolation.Of(12, $"PTE at 0x{at:x} lies outside every VA", vm.Id));
        }
    }
}
