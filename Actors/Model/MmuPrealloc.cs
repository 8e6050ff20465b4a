// DOC: MmuPrealloc, struct msm_mmu_prealloc: the page-table pages a VM_BIND job reserves up front.
//
// run_job must not allocate memory (it is in the fence-signalling path), so msm counts, before
// the job is queued, how many page-table pages its MAPs could need (prealloc_count: for every
// L1/L2/L3 level, the number of aligned regions of that level's size that [iova, iova+len)
// spans), allocates them (prealloc_allocate), hands them to the page table while the job runs
// (mmu->prealloc) and frees what is left afterwards (prealloc_cleanup). io-pgtable's alloc_pt
// takes pages[ptr++] and fails, after a WARN, when there is no pool or it is exhausted (spec §1.7,
// msm_iommu.c @ merged, invariant 13: 0 ≤ ptr ≤ count).
//
// Ownership and locking: the pool belongs to a job (v2: the submit; merged: the vm_bind job);
// while attached to an MmuPageTable it is used under op_lock (v2) or mmu_lock (merged). The
// model's pool is a small mutable object; the MMU actor attaches it (MmuPageTable.Prealloc).

namespace Gpuvmsim.Model;

/// <summary>struct msm_mmu_prealloc { count, ptr, pages }.</summary>
public sealed class MmuPrealloc
{
    /// <summary>p->count: pages counted (then, after a failed allocate, pages actually obtained).</summary>
    public uint Count { get; private set; }

    /// <summary>p->ptr: pages already handed to the page table.</summary>
    public uint Ptr { get; private set; }

    /// <summary>p->pages != NULL: the pages were allocated and not yet cleaned up.</summary>
    public bool HasPages { get; private set; }

    /// <summary>Pages left for alloc_pt.</summary>
    public uint Remaining => HasPages && Ptr < Count ? Count - Ptr : 0;

    /// <summary>
    /// msm_iommu_pagetable_prealloc_count's formula for one range: for each table level (region sizes
    /// 2^39, 2^30, 2^21 with the default shifts), ALIGN(iova+len) - ALIGN_DOWN(iova) in regions, in u64 arithmetic.
    /// </summary>
    public static ulong CountFor(ulong iova, ulong len, MmuConfig config)
    {
        unchecked
        {
            ulong total = 0;
            for (var level = 0; level < config.LevelShifts.Length - 1; level++)
            {
                var shift = config.LevelShifts[level];
                var size = 1UL << shift;
                var alignedEnd = (iova + len + size - 1) & ~(size - 1);
                var alignedStart = iova & ~(size - 1);
                total += (alignedEnd - alignedStart) >> shift;
            }
            return total;
        }
    }

    /// <summary>Adds <paramref name="pages"/> to <see cref="Count"/> directly (what merged does after merging MAP ranges per 2 MiB block).</summary>
    public void Reserve(uint pages) => Count = unchecked(Count + pages);

    /// <summary>prealloc_count: adds the pages one MAP range may need to <see cref="Count"/>.</summary>
    public void AddCount(ulong iova, ulong len, MmuConfig config) => Count = unchecked(Count + (uint)CountFor(iova, len, config));

    /// <summary>
    /// prealloc_allocate: obtains <see cref="Count"/> pages. When only <paramref name="available"/>
    /// pages can be had, the kernel sets count to what it got and returns -ENOMEM (merged also drops
    /// the array: <paramref name="merged"/>). Returns 0 or -ENOMEM.
    /// </summary>
    public int Allocate(uint? available = null, bool merged = true)
    {
        if (available is { } got && got < Count)
        {
            Count = got;
            HasPages = !merged;
            return -Errno.ENOMEM;
        }
        HasPages = true;
        return 0;
    }

    /// <summary>prealloc_cleanup: frees pages[ptr..count) and the array. Returns the number of unused pages freed.</summary>
    public uint Cleanup()
    {
        if (!HasPages)
            return 0;
        var unused = Remaining;
        HasPages = false;
        return unused;
    }

    /// <summary>alloc_pt's take: false when there are no pages or none are left (the caller WARNs and fails).</summary>
    internal bool TryTake()
    {
        if (!HasPages || Ptr >= Count)
            return false;
        Ptr++;
        return true;
    }

    public void AddState(ref ulong hash)
    {
        StableHash.Add(ref hash, (ulong)Count);
        StableHash.Add(ref hash, (ulong)Ptr);
        StableHash.Add(ref hash, HasPages);
    }

    public override string ToString() => $"prealloc{{count={Count}, ptr={Ptr}, pages={(HasPages ? "yes" : "NULL")}}}";
}
