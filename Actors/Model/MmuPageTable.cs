// DOC: MmuPageTable, one msm_mmu page table (a per-process io-pgtable, ARM LPAE by default).
//
// What it is: a multi-level page table of PAGE_SIZE pages. Each page's PTE points into a BO (obj,
// offset) or at the PRR page (MAP_NULL: sgt == NULL). Table pages below the root are taken from
// the attached MmuPrealloc (VM_BIND page tables: msm's alloc_pt) and are never freed on unmap
// (page-granule unmaps do not free tables). Defaults follow arm64 LPAE with 4 KiB pages: level
// shifts 39/30/21/12; a table at level i covers 2^shift[i-1] bytes; the root exists from the start.
//
// map (msm_iommu_pagetable_map / _map_prr over io-pgtable-arm): maps the range one leaf table
// (2 MiB chunk) at a time; before each chunk the missing tables on its path are taken from the
// pool; a chunk that already has a PTE fails with -EEXIST (io-pgtable refuses to overwrite; merged
// sets IO_PGTABLE_QUIRK_NO_WARN, v2 WARNs; MmuConfig makes both switchable). On any failure msm
// unmaps what this call mapped and returns -EINVAL; the tables it took stay taken. A BO mapping
// that runs past the end of the BO stops at its end and still returns 0 (the sg walk just ends).
// unmap (msm_iommu_pagetable_unmap): clears every PTE in the range; if some page had none it
// returns -EINVAL but unmaps the rest. PTEs are stored as maximal runs, so whole-VM unmaps and
// queries cost O(runs), not O(pages).
//
// Locking: owned by the MMU actor. v2 runs map/unmap under op_lock (VM_BIND jobs) or vm_lock;
// merged under mmu_lock (spec §2.1, invariant 9). Not thread-safe; checks no lock.

using System.Collections.Immutable;

namespace Gpuvmsim.Model;

/// <summary>Page-table geometry and io-pgtable behaviour.</summary>
public sealed record MmuConfig
{
    /// <summary>Index shift of each level, root first; the last is the page shift. Default: arm64 LPAE, 4 KiB.</summary>
    public ImmutableArray<int> LevelShifts { get; init; } = [39, 30, 21, 12];

    /// <summary>Mapping over an existing PTE fails with -EEXIST (io-pgtable); false: the new PTE overwrites.</summary>
    public bool RefuseExistingPte { get; init; } = true;

    /// <summary>That refusal WARNs (no IO_PGTABLE_QUIRK_NO_WARN: v2); merged sets the quirk and stays quiet.</summary>
    public bool WarnOnExistingPte { get; init; }

    /// <summary>Table pages come only from the attached MmuPrealloc (VM_BIND page tables); false: allocated freely (kernel-managed VMs).</summary>
    public bool PreallocOnly { get; init; } = true;

    public int PageShift => LevelShifts[^1];

    public ulong PageSize => 1UL << PageShift;
}

/// <summary>Why an MMU map failed (the io-pgtable error behind msm's -EINVAL).</summary>
public enum MmuFailure
{
    None,

    /// <summary>-EEXIST: a PTE already existed in the range.</summary>
    PteExists,

    /// <summary>-ENOMEM: no table page (no pool attached, or the pool is used up).</summary>
    OutOfTablePages,

    /// <summary>iova or length not page aligned (the kernel BUG()s in calc_pgsize).</summary>
    Unaligned,
}

/// <summary>One page's translation: a BO page, or the PRR page when <paramref name="Obj"/> is null.</summary>
public readonly record struct Pte(ObjId? Obj, ulong Offset, int Prot)
{
    public bool IsPrr => Obj is null;
}

/// <summary>A maximal run of consecutive pages mapped to consecutive offsets of one target.</summary>
public readonly record struct MmuMapping(ulong Iova, ulong Length, ObjId? Obj, ulong Offset, int Prot);

/// <summary>The result of a map.</summary>
/// <param name="Errno">What msm returns: 0, or -EINVAL after undoing this call's PTEs.</param>
/// <param name="Failure">The io-pgtable cause when Errno is not 0.</param>
/// <param name="MappedLength">Bytes mapped (less than asked when a BO mapping ran past the BO's end; 0 on failure).</param>
/// <param name="TablePagesTaken">Table pages this call took from the pool (kept even on failure).</param>
public sealed record MmuMapResult(int Errno, MmuFailure Failure, ulong MappedLength, int TablePagesTaken, ImmutableArray<ModelFinding> Findings)
{
    /// <summary>The io-pgtable error behind msm's -EINVAL: -ENOMEM (no table page), -EEXIST (PTE present), -EINVAL (unaligned), or 0.</summary>
    public int PgtableErrno => Failure switch
    {
        MmuFailure.OutOfTablePages => -Model.Errno.ENOMEM,
        MmuFailure.PteExists => -Model.Errno.EEXIST,
        MmuFailure.Unaligned => -Model.Errno.EINVAL,
        _ => 0,
    };
}

/// <summary>The result of an unmap: -EINVAL when part of the range had no PTE (the rest is unmapped anyway).</summary>
public readonly record struct MmuUnmapResult(int Errno, ulong UnmappedLength, ulong MissingLength);

/// <summary>One page table with its table pages and PTEs; owned by the MMU actor.</summary>
public sealed partial class MmuPageTable(MmuConfig? config = null)
{
    private struct Run
    {
        public ulong Start, Count, Offset; // in pages, pages, bytes
        public long Obj;
        public bool HasObj;
        public int Prot;
    }

    private readonly List<Run> runs = [];
    private readonly HashSet<(int Level, ulong Index)> tables = [];

    public MmuConfig Config { get; } = config ?? new MmuConfig();

    /// <summary>mmu->prealloc: the pool table pages come from; set only while a VM_BIND job runs.</summary>
    public MmuPrealloc? Prealloc { get; set; }

    /// <summary>Table pages in use below the root.</summary>
    public int TablePages => tables.Count;

    /// <summary>Maps [iova, iova+len) to <paramref name="obj"/> at <paramref name="offset"/>, or to PRR when obj is null.</summary>
    /// <param name="objSize">The BO's size when known: pages past its end are not mapped.</param>
    public MmuMapResult Map(ulong iova, ObjId? obj, ulong offset, ulong len, int prot, ulong? objSize = null)
    {
        var findings = ImmutableArray.CreateBuilder<ModelFinding>();
        var ps = Config.PageSize;
        if (iova % ps != 0 || len % ps != 0 || (obj is not null && offset % ps != 0))
        {
            findings.Add(new ModelFinding(FindingKind.Warn, "calc_pgsize", $"unaligned map 0x{iova:x}+0x{len:x} (BUG_ON in the kernel)"));
            return new MmuMapResult(-Errno.EINVAL, MmuFailure.Unaligned, 0, 0, findings.ToImmutable());
        }
        var mapLen = obj is not null && objSize is { } size ? (offset >= size ? 0 : Math.Min(len, size - offset)) : len;
        if (mapLen == 0)
            return new MmuMapResult(0, MmuFailure.None, 0, 0, []);
        if (GpuVm.Overflows(iova, mapLen))
        {
            findings.Add(new ModelFinding(FindingKind.Warn, "msm_iommu_pagetable_map", $"0x{iova:x}+0x{mapLen:x} overflows"));
            return new MmuMapResult(-Errno.EINVAL, MmuFailure.Unaligned, 0, 0, findings.ToImmutable());
        }
        ulong start = iova >> Config.PageShift, pages = mapLen >> Config.PageShift, end = start + pages;
        var existing = FirstExistingPage(start, end);
        var leafShift = Config.LevelShifts[^2];
        var taken = 0;
        var failure = MmuFailure.None;
        for (var chunk = iova; chunk - iova < mapLen;)
        {
            for (var level = 1; level < Config.LevelShifts.Length && failure == MmuFailure.None; level++)
            {
                var key = (level, chunk >> Config.LevelShifts[level - 1]);
                if (tables.Contains(key))
                    continue;
                if (!TakeTablePage(findings))
                    failure = MmuFailure.OutOfTablePages;
                else
                {
                    tables.Add(key);
                    taken++;
                }
            }
            var chunkEnd = ((chunk >> leafShift) + 1) << leafShift;
            var chunkLen = chunkEnd == 0 || chunkEnd - iova > mapLen ? mapLen - (chunk - iova) : chunkEnd - chunk;
            if (failure == MmuFailure.None && Config.RefuseExistingPte && existing is { } e
                && e >= chunk >> Config.PageShift && e < (chunk + chunkLen) >> Config.PageShift)
            {
                failure = MmuFailure.PteExists;
                if (Config.WarnOnExistingPte)
                    findings.Add(new ModelFinding(FindingKind.Warn, "arm_lpae_init_pte", $"PTE for 0x{e << Config.PageShift:x} already exists"));
            }
            if (failure != MmuFailure.None)
                return new MmuMapResult(-Errno.EINVAL, failure, 0, taken, findings.ToImmutable());
            chunk += chunkLen;
        }
        if (!Config.RefuseExistingPte)
            RemovePages(start, end);
        AddRun(new Run { Start = start, Count = pages, Offset = obj is null ? 0 : offset, Obj = obj?.Value ?? 0, HasObj = obj is not null, Prot = prot });
        return new MmuMapResult(0, MmuFailure.None, mapLen, taken, findings.ToImmutable());
    }

    /// <summary>Unmaps [iova, iova+len): clears every PTE in it; -EINVAL when some page had none.</summary>
    public MmuUnmapResult Unmap(ulong iova, ulong len)
    {
        var ps = Config.PageShift;
        var start = iova >> ps;
        var end = start + (len >> ps);
        var removed = RemovePages(start, end);
        var missing = (end - start) - removed;
        return new MmuUnmapResult(missing == 0 ? 0 : -Errno.EINVAL, removed << ps, missing << ps);
    }

    /// <summary>What the page at <paramref name="iova"/> maps to, or null.</summary>
    public Pte? Lookup(ulong iova)
    {
        var page = iova >> Config.PageShift;
        var i = FirstRunEndingAfter(page);
        if (i >= runs.Count || runs[i].Start > page)
            return null;
        var r = runs[i];
        return new Pte(r.HasObj ? new ObjId(r.Obj) : null, r.HasObj ? r.Offset + ((page - r.Start) << Config.PageShift) : 0, r.Prot);
    }

    /// <summary>Whether every page of [iova, iova+len) has a PTE.</summary>
    public bool IsFullyMapped(ulong iova, ulong len)
    {
        ulong page = iova >> Config.PageShift, end = page + (len >> Config.PageShift);
        for (var i = FirstRunEndingAfter(page); page < end; i++)
        {
            if (i >= runs.Count || runs[i].Start > page)
                return false;
            page = runs[i].Start + runs[i].Count;
        }
        return true;
    }

    /// <summary>Every mapped range as maximal runs, in address order.</summary>
    public IEnumerable<MmuMapping> Mappings()
    {
        foreach (var r in runs)
            yield return new MmuMapping(r.Start << Config.PageShift, r.Count << Config.PageShift, r.HasObj ? new ObjId(r.Obj) : null, r.Offset, r.Prot);
    }

    /// <summary>The mapped runs that intersect [iova, iova+len), clipped to it.</summary>
    public IEnumerable<MmuMapping> MappingsIn(ulong iova, ulong len)
    {
        ulong first = iova >> Config.PageShift, end = first + (len >> Config.PageShift);
        for (var i = FirstRunEndingAfter(first); i < runs.Count && runs[i].Start < end; i++)
        {
            var r = runs[i];
            var s = Math.Max(r.Start, first);
            var e = Math.Min(r.Start + r.Count, end);
            var off = r.HasObj ? r.Offset + ((s - r.Start) << Config.PageShift) : 0;
            yield return new MmuMapping(s << Config.PageShift, (e - s) << Config.PageShift, r.HasObj ? new ObjId(r.Obj) : null, off, r.Prot);
        }
    }

    /// <summary>Adds the page table to a state hash: the PTE runs, the table pages (sorted), the attached pool.</summary>
    public void AddState(ref ulong hash)
    {
        StableHash.Add(ref hash, (long)runs.Count);
        foreach (var r in runs)
        {
            StableHash.Add(ref hash, r.Start);
            StableHash.Add(ref hash, r.Count);
            StableHash.Add(ref hash, r.HasObj ? r.Obj : null);
            StableHash.Add(ref hash, r.Offset);
            StableHash.Add(ref hash, (long)r.Prot);
        }
        StableHash.Add(ref hash, (long)tables.Count);
        foreach (var (level, index) in tables.OrderBy(t => t.Level).ThenBy(t => t.Index))
        {
            StableHash.Add(ref hash, (long)level);
            StableHash.Add(ref hash, index);
        }
        StableHash.Add(ref hash, Prealloc is not null);
        Prealloc?.AddState(ref hash);
    }

    private bool TakeTablePage(ImmutableArray<ModelFinding>.Builder findings)
    {
        if (!Config.PreallocOnly)
            return true;
        if (Prealloc is null)
        {
            findings.Add(new ModelFinding(FindingKind.Warn, "msm_iommu_pagetable_alloc_pt", "WARN_ON(!p): no preallocated pages attached"));
            return false;
        }
        if (!Prealloc.TryTake())
        {
            findings.Add(new ModelFinding(FindingKind.Warn, "msm_iommu_pagetable_alloc_pt", $"WARN_ON(p->ptr >= p->count): {Prealloc}"));
            return false;
        }
        return true;
    }
}
