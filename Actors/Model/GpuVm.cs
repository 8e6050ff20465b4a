// DOC: GpuVm, the model of struct drm_gpuvm: one GPU VA space and its mappings (drm_gpuva).
//
// What it is: the VA space [mm_start, mm_start + mm_range), the set of VAs in it, and the VM's
// kref. drm_gpuvm keeps VAs in an interval tree (rb.tree) and in a list in tree order (rb.list);
// GpuVm keeps them, fields and all, in a B+tree (VaTree) whose chained leaves play rb.list, so the
// kernel's safe iterator can be reproduced exactly. The queries
// give the interval tree's answers, including its corner cases for zero-range VAs and requests
// (drm_gpuva_find_first with range 0 finds the VA that straddles addr; a range-0 VA at address 0
// has last = 2^64-1): while no zero-range VA is stored the fast path answers in O(log n); with
// one stored, queries fall back to an exact linear scan of the list (such states are tiny).
//
// Locking: drm_gpuvm takes no lock itself. Insert, remove, iteration and split/merge must be
// serialised by the driver: vm_lock (v2) or the VM's dma_resv (merged); in v2 every change to a
// VM_BIND VM also needs op_lock (spec §2.1, invariant 9). The owner (the VM actor) is the only
// caller, so GpuVm is not thread-safe and checks no lock; the actors assert their locks before
// calling. The kref is atomic in the kernel and needs no lock.
//
// Reference counting (spec §1.1): the VM starts with one reference; every inserted VA takes one
// (drm_gpuva_insert; not the kernel_alloc_node) and every vm_bo takes one (its GemObject reports
// that as VmGet/VmPut for the caller to apply with Get/Put). Put to zero runs drm_gpuvm_free:
// drm_gpuvm_fini WARNs if VAs remain; the caller then frees the VM.
//
// Mirrors: drm_gpuvm_init, drm_gpuvm_range_valid, drm_gpuva_insert/remove, drm_gpuva_find_first,
// drm_gpuva_find, drm_gpuva_find_prev/next, drm_gpuvm_interval_empty, __drm_gpuva_next,
// drm_gpuvm_get/put (drivers/gpu/drm/drm_gpuvm.c @ cb9f145f638d).
// The split/merge walks live in GpuVm.SplitMerge.cs, the apply helpers in GpuVm.Apply.cs,
// snapshots and hashing in GpuVm.State.cs.

using System.Collections.Immutable;

namespace Gpuvmsim.Model;

/// <summary>The result of drm_gpuva_insert.</summary>
/// <param name="Errno">0, -EINVAL (range not valid for this VM) or -EEXIST (overlaps a VA).</param>
/// <param name="Id">The new VA's id when Errno is 0.</param>
/// <param name="VmRef">The VM reference the insert took (Taken, or UseAfterFree on a freed VM).</param>
public readonly record struct InsertResult(int Errno, VaId Id, KrefOutcome VmRef);

/// <summary>The result of drm_gpuva_remove.</summary>
/// <param name="Removed">The VA was in the tree and is gone.</param>
/// <param name="Va">The VA as it was (for the caller's unlink, which needs va->vm_bo and va->gem.obj).</param>
/// <param name="VmRef">The VM reference the removal dropped (Released: the VM is freed).</param>
/// <param name="Finding">The WARN or use-after-free the call tripped, if any.</param>
public readonly record struct RemoveResult(bool Removed, GpuVa Va, KrefOutcome VmRef, ModelFinding? Finding = null);



/// <summary>One GPU VA space (struct drm_gpuvm). Owned by one VM actor; see the file's DOC for locking.</summary>
public sealed partial class GpuVm
{
    // State bits, kept above the 32 flag bits of a row's FFlags field.
    private const ulong HasObj = 1UL << 32, HasVmBo = 1UL << 33, IsMapped = 1UL << 34, Kernel = 1UL << 35;

    private readonly VaTree tree = new();
    private int zeroRangeCount;
    private ulong nextSeq = 1;
    private Kref kref = Kref.Initial;
    private readonly VaId? kernelNode;

    /// <summary>drm_gpuvm_init: an empty VA space with one reference (the creator's).</summary>
    /// <param name="id">The VM's id.</param>
    /// <param name="mmStart">Start of the VA space.</param>
    /// <param name="mmRange">Size of the VA space. The kernel WARNs (and goes on) if start + range overflows u64; see <see cref="InitWarning"/>.</param>
    /// <param name="reserveOffset">Start of the kernel-reserved node (kernel_alloc_node); msm passes 0.</param>
    /// <param name="reserveRange">Size of the kernel-reserved node; 0 (msm) means there is none.</param>
    public GpuVm(VmId id, ulong mmStart, ulong mmRange, ulong reserveOffset = 0, ulong reserveRange = 0)
    {
        Id = id;
        MmStart = mmStart;
        MmRange = mmRange;
        if (Overflows(mmStart, mmRange))
            InitWarning = new ModelFinding(FindingKind.Warn, "drm_gpuvm_init", $"GPUVA address limited to 8 bytes: mm_start 0x{mmStart:x} + mm_range 0x{mmRange:x} overflows");
        if (reserveRange != 0)
        {
            ReserveOffset = reserveOffset;
            ReserveRange = reserveRange;
            if (Overflows(reserveOffset, reserveRange))
                InitWarning = new ModelFinding(FindingKind.Warn, "drm_gpuvm_init", $"reserve 0x{reserveOffset:x} + 0x{reserveRange:x} overflows; no kernel node");
            else
                kernelNode = AddVa(new VaInit(reserveOffset, reserveRange, null, 0), kernel: true);
        }
    }

    public VmId Id { get; }

    public ulong MmStart { get; }

    public ulong MmRange { get; }

    /// <summary>mm_start + mm_range, wrapping as the kernel's u64 arithmetic does.</summary>
    public ulong MmEnd => unchecked(MmStart + MmRange);

    /// <summary>kernel_alloc_node's start (0 when there is none).</summary>
    public ulong ReserveOffset { get; }

    /// <summary>kernel_alloc_node's size (0 when there is none).</summary>
    public ulong ReserveRange { get; }

    /// <summary>The WARN drm_gpuvm_init raised (u64 overflow of the space or of the reserved node), if any.</summary>
    public ModelFinding? InitWarning { get; }

    /// <summary>Number of VAs in the tree, not counting the kernel_alloc_node.</summary>
    public int Count => tree.Count - (kernelNode.HasValue ? 1 : 0);

    /// <summary>The VM's kref (kref_read(&amp;gpuvm-&gt;kref)).</summary>
    public int RefCount => kref.Count;

    /// <summary>The last reference was dropped: drm_gpuvm_free ran and the VM must not be used.</summary>
    public bool IsFreed { get; private set; }

    /// <summary>What drm_gpuvm_fini WARNed about when the VM was freed ("GPUVA tree is not empty").</summary>
    public ImmutableArray<ModelFinding> FiniWarnings { get; private set; } = [];

    /// <summary>drm_gpuvm_range_valid: no u64 overflow, inside [mm_start, mm_start+mm_range), no overlap
    /// with kernel_alloc_node. Range 0 is valid (kernel-exact; the strict check lives in RequestValidator).</summary>
    public bool RangeValid(ulong addr, ulong range) =>
        !Overflows(addr, range) && InMmRange(addr, range) && !InKernelNode(addr, range);

    /// <summary>check_add_overflow(addr, range).</summary>
    public static bool Overflows(ulong addr, ulong range) => addr > ulong.MaxValue - range;

    /// <summary>drm_gpuvm_in_mm_range (with the kernel's wrapping mm_end).</summary>
    public bool InMmRange(ulong addr, ulong range) => addr >= MmStart && unchecked(addr + range) <= MmEnd;

    /// <summary>drm_gpuvm_in_kernel_node.</summary>
    public bool InKernelNode(ulong addr, ulong range)
    {
        var end = unchecked(addr + range);
        var kend = unchecked(ReserveOffset + ReserveRange);
        return ReserveRange != 0 && addr < kend && ReserveOffset < end;
    }

    /// <summary>
    /// drm_gpuva_insert: -EINVAL if the range is not valid, -EEXIST if it overlaps a VA (as the
    /// interval tree sees overlap), else inserts, takes a VM reference and returns the new id.
    /// Caller holds the VM lock.
    /// </summary>
    public InsertResult Insert(in VaInit va)
    {
        if (!RangeValid(va.Addr, va.Range))
            return new InsertResult(-Errno.EINVAL, default, KrefOutcome.None);
        if (FindFirstPos(va.Addr, unchecked(va.Addr + va.Range - 1)).Valid)
            return new InsertResult(-Errno.EEXIST, default, KrefOutcome.None);
        var id = AddVa(va, kernel: false);
        return new InsertResult(0, id, Get());
    }

    /// <summary>
    /// drm_gpuva_remove: removes the VA from the tree and the list and drops its VM reference.
    /// The kernel node is refused with a WARN. A VA that is no longer live is a use-after-free.
    /// Caller holds the VM lock. The returned snapshot still names the VA's obj and vm_bo.
    /// </summary>
    public RemoveResult Remove(VaId id)
    {
        var p = tree.Locate(id.Addr, id.Seq);
        if (!p.Valid)
            return new RemoveResult(false, new GpuVa(id, 0, 0, null, 0), KrefOutcome.None,
                new ModelFinding(FindingKind.UseAfterFree, "drm_gpuva_remove", $"{id} is not in {Id}'s tree"));
        var va = Snapshot(p);
        if (va.IsKernelNode)
            return new RemoveResult(false, va, KrefOutcome.None,
                new ModelFinding(FindingKind.Warn, "drm_gpuva_remove", "Can't destroy kernel reserved node."));
        tree.Remove(id.Addr, id.Seq);
        if (va.Range == 0)
            zeroRangeCount--;
        return new RemoveResult(true, va, Put());
    }

    /// <summary>Whether <paramref name="id"/> names a VA that is still in this VM's tree.</summary>
    public bool IsLive(VaId id) => tree.Locate(id.Addr, id.Seq).Valid;

    /// <summary>The VA's current fields; throws for an id that is not live (check <see cref="IsLive"/>).</summary>
    public GpuVa GetVa(VaId id) => Snapshot(PosOf(id));

    /// <summary>The VA's current fields, or false when the id is not live.</summary>
    public bool TryGetVa(VaId id, out GpuVa va)
    {
        var p = tree.Locate(id.Addr, id.Seq);
        va = p.Valid ? Snapshot(p) : default;
        return p.Valid;
    }

    /// <summary>drm_gpuva_find_first: the first VA (in tree order) overlapping [addr, addr+range-1], as the interval tree answers.</summary>
    public VaId? FindFirst(ulong addr, ulong range) => IdAt(FindFirstPos(addr, unchecked(addr + range - 1)));

    /// <summary>drm_gpuva_find: the VA found by find_first if it is exactly [addr, addr+range).</summary>
    public VaId? Find(ulong addr, ulong range)
    {
        var p = FindFirstPos(addr, unchecked(addr + range - 1));
        return p.Valid && tree.AddrAt(p) == addr && tree.RangeAt(p) == range ? IdAt(p) : null;
    }

    /// <summary>drm_gpuva_find_prev: the VA ending exactly at <paramref name="start"/> (adjacent only), if start-1 is in the space.</summary>
    public VaId? FindPrev(ulong start) =>
        RangeValid(unchecked(start - 1), 1) ? IdAt(FindFirstPos(unchecked(start - 1), start)) : null;

    /// <summary>drm_gpuva_find_next: the VA starting exactly at <paramref name="end"/> (adjacent only), if end is in the space.</summary>
    public VaId? FindNext(ulong end) =>
        RangeValid(end, 1) ? IdAt(FindFirstPos(end, unchecked(end + 1))) : null;

    /// <summary>drm_gpuvm_interval_empty.</summary>
    public bool IntervalEmpty(ulong addr, ulong range) => !FindFirstPos(addr, unchecked(addr + range - 1)).Valid;

    /// <summary>The first VA of rb.list (lowest address), if any (includes the kernel node).</summary>
    public VaId? First() => IdAt(tree.First());

    /// <summary>__drm_gpuva_next: the VA after <paramref name="id"/> in rb.list, or null at the end.
    /// Throws for an id that is not live: the kernel would follow a stale list entry.</summary>
    public VaId? Next(VaId id) => IdAt(tree.Next(PosOf(id)));

    /// <summary>The VA before <paramref name="id"/> in rb.list, or null at the start.</summary>
    public VaId? Prev(VaId id) => IdAt(tree.Prev(PosOf(id)));

    /// <summary>
    /// drm_gpuvm_for_each_va_range_safe(va, next, gpuvm, start, end): the first VA comes from
    /// find_first(start, end - start) and each `next` is taken from the list before the caller's
    /// body runs; the walk goes on while va.addr &lt; end. The body may remove the current VA or
    /// insert new ones (not visited); if it removes the saved next, the walk stops and reports it
    /// in <see cref="VaRangeWalk.DanglingVa"/>.
    /// </summary>
    public VaRangeWalk WalkRange(ulong start, ulong end) => new(this, start, end);

    /// <summary>Sets va->flags (msm assigns the whole field). Caller holds the VM lock.</summary>
    public void SetFlags(VaId id, GpuVaFlags flags)
    {
        ref var f = ref tree.Field(PosOf(id), VaTree.FFlags);
        f = (f & ~0xFFFF_FFFFUL) | (uint)flags;
    }

    /// <summary>Sets msm_gem_vma.mapped. Caller holds the VM lock (v2) or the VM resv (merged).</summary>
    public void SetMapped(VaId id, bool mapped)
    {
        ref var f = ref tree.Field(PosOf(id), VaTree.FFlags);
        f = mapped ? f | IsMapped : f & ~IsMapped;
    }

    /// <summary>Sets va->vm_bo, the VM side of drm_gpuva_link (non-null) and drm_gpuva_unlink (null);
    /// the BO side is <see cref="GemObject.Link"/>/<see cref="GemObject.Unlink"/>.</summary>
    public void SetVmBo(VaId id, VmBoId? vmBo)
    {
        var p = PosOf(id);
        ref var f = ref tree.Field(p, VaTree.FFlags);
        f = vmBo.HasValue ? f | HasVmBo : f & ~HasVmBo;
        var b = vmBo.GetValueOrDefault();
        tree.Field(p, VaTree.FVmBoObj) = unchecked((ulong)b.Obj.Value);
        tree.Field(p, VaTree.FVmBoVm) = (uint)b.Vm.Value | ((ulong)(uint)b.Serial << 32);
    }

    /// <summary>drm_gpuvm_get. UseAfterFree if the VM was already freed.</summary>
    public KrefOutcome Get() => kref.Get();

    /// <summary>drm_gpuvm_put. At zero, drm_gpuvm_fini runs (see <see cref="FiniWarnings"/>) and the VM is freed.</summary>
    public KrefOutcome Put()
    {
        var outcome = kref.Put();
        if (outcome == KrefOutcome.Released)
        {
            IsFreed = true;
            if (Count > 0)
                FiniWarnings = [new ModelFinding(FindingKind.Warn, "drm_gpuvm_fini", $"GPUVA tree is not empty, potentially leaking memory ({Count} VAs in {Id}).")];
        }
        return outcome;
    }

    private VaId? IdAt(Pos p) => p.Valid ? new VaId(tree.SeqAt(p), tree.AddrAt(p)) : null;

    private Pos PosOf(VaId id)
    {
        var p = tree.Locate(id.Addr, id.Seq);
        return p.Valid ? p : throw new KeyNotFoundException($"{id} is not live in {Id}");
    }

    private GpuVa Snapshot(Pos p)
    {
        ulong state = tree.Field(p, VaTree.FFlags), vmBoVm = tree.Field(p, VaTree.FVmBoVm);
        VmBoId? vmBo = (state & HasVmBo) != 0
            ? new VmBoId(new ObjId(unchecked((long)tree.Field(p, VaTree.FVmBoObj))), new VmId((int)(uint)vmBoVm), (int)(uint)(vmBoVm >> 32))
            : null;
        return new GpuVa(new VaId(tree.SeqAt(p), tree.AddrAt(p)), tree.AddrAt(p), tree.RangeAt(p),
            (state & HasObj) != 0 ? new ObjId(unchecked((long)tree.Field(p, VaTree.FObj))) : null, tree.Field(p, VaTree.FOffset),
            (GpuVaFlags)(uint)state, (state & IsMapped) != 0, vmBo, (state & Kernel) != 0);
    }

    /// <summary>
    /// The interval tree's iter_first(start, last): the first VA in tree order whose last (addr +
    /// range - 1, wrapping) is ≥ start, returned only if its addr ≤ last. VAs never overlap, so
    /// without zero-range VAs the lasts rise with the addrs and the answer is the VA at or before
    /// start, or the one after it; with a zero-range VA stored, the list is scanned exactly.
    /// </summary>
    private Pos FindFirstPos(ulong start, ulong last)
    {
        Pos n;
        if (zeroRangeCount > 0)
        {
            for (n = tree.First(); n.Valid && LastAt(n) < start; n = tree.Next(n))
            {
            }
        }
        else
        {
            tree.Seek(start, out var lastLE, out var firstGT);
            n = lastLE.Valid && LastAt(lastLE) >= start ? lastLE : firstGT;
        }
        return n.Valid && tree.AddrAt(n) <= last ? n : Pos.None;
    }

    private ulong LastAt(Pos p) => unchecked(tree.AddrAt(p) + tree.RangeAt(p) - 1);

    private VaId AddVa(in VaInit va, bool kernel)
    {
        Span<ulong> row = stackalloc ulong[VaTree.RowSize];
        var seq = nextSeq++;
        row[VaTree.FAddr] = va.Addr;
        row[VaTree.FSeq] = seq;
        row[VaTree.FRange] = va.Range;
        row[VaTree.FOffset] = va.Offset;
        row[VaTree.FObj] = unchecked((ulong)va.Obj.GetValueOrDefault().Value);
        row[VaTree.FVmBoObj] = 0;
        row[VaTree.FVmBoVm] = 0;
        row[VaTree.FFlags] = (uint)va.Flags | (va.Obj.HasValue ? HasObj : 0) | (kernel ? Kernel : 0);
        if (va.Range == 0)
            zeroRangeCount++;
        tree.Insert(row);
        return new VaId(seq, va.Addr);
    }
}
