// DOC: VaTree, where GpuVm keeps its VAs (the model's drm_gpuvm rb.tree and rb.list in one).
//
// The kernel keeps its VAs in an augmented interval tree keyed by [addr, addr+range-1] and links
// them, in tree order, into rb.list. VAs never overlap, so an ordered map keyed by address is
// enough to answer every query the kernel asks of the interval tree (GpuVm does the interval
// reasoning); this class is that ordered map, and it also stores each VA's fields. It is a B+tree
// in flat arrays: a leaf is one block of up to 32 rows of 64 bytes (addr, seq, range, offset, obj,
// vm_bo, flags and state of one VA), leaves are chained in key order (that chain is rb.list), and
// inner nodes of up to 32 children hold separator keys. A lookup prefetches a node's lines all at
// once, so it waits for memory about once per level that is not cached, and the VA it finds is
// then already in cache: at a million VAs a request touches the inner levels and one leaf.
// A Pos (leaf, index) names a row until the tree is next modified.
//
// Keys are (addr, seq) where seq is GpuVm's insertion counter: the kernel's tree places a VA with
// the same start as an existing one after it (only zero-range VAs can share a start), and the
// insertion counter reproduces that order. Keys are therefore unique.
//
// Nodes split when they exceed their capacity and merge with (or borrow from) a sibling when they
// fall under a quarter of it (VaTree.Rebalance.cs), so every leaf is at the same depth and the
// depth is O(log n). Not thread-safe; guarded by whatever guards its GpuVm (the VM lock).

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Gpuvmsim.Model;

/// <summary>A position in the tree: row <see cref="Index"/> of leaf <see cref="Leaf"/>; valid until the next modification.</summary>
internal readonly record struct Pos(int Leaf, int Index)
{
    public static Pos None => new(-1, 0);

    public bool Valid => Leaf >= 0;
}

internal sealed partial class VaTree
{
    internal const int LeafCap = 32;
    internal const int InnerCap = 64;

    /// <summary>ulongs per row, and the field offsets inside a row.</summary>
    internal const int RowSize = 8, FAddr = 0, FSeq = 1, FRange = 2, FOffset = 3, FObj = 4, FVmBoObj = 5, FVmBoVm = 6, FFlags = 7;

    private const int LS = LeafCap + 1; // rows per leaf block: one spare, so a leaf can overflow before it splits
    private const int LB = LS * RowSize;
    private const int IS = InnerCap + 1;
    private const int IB = 3 * IS, ISeq = IS, IChild = 2 * IS; // an inner block: separator addrs, seqs, children

    // Room for one leaf and no inner node at first: most trees (one per simulated VM, one VM per run) stay that small,
    // and an explorer builds one per schedule.
    private ulong[] leaves = new ulong[LB];
    private int[] lCount = new int[1];
    private int[] lNext = new int[1];
    private int[] lPrev = new int[1];
    private int leafTop;
    private int leafFree = -1;

    private ulong[] inners = [];
    private int[] iCount = [];
    private int innerTop;
    private int innerFree = -1;

    private int root;
    private int height; // 0: the root is a leaf
    private readonly int[] pathNode = new int[64];
    private readonly int[] pathIdx = new int[64];

    // The finger: the leaf the last descent reached, with the key bounds that lead there. A later
    // key inside [low, high) reaches the same leaf by the same path, so the descent is skipped. Every
    // split, merge or borrow (anything that moves a separator) drops the finger.
    private int fingerLeaf = -1;
    private bool fingerHasLow, fingerHasHigh;
    private ulong fingerLowAddr, fingerLowSeq, fingerHighAddr, fingerHighSeq;

    public VaTree() => root = AllocLeaf();

    /// <summary>Number of rows.</summary>
    public int Count { get; private set; }

    /// <summary>The last row whose addr is ≤ addr, and the first whose addr is &gt; addr (each None if there is none).</summary>
    public void Seek(ulong addr, out Pos lastLE, out Pos firstGT)
    {
        var n = Descend(addr, ulong.MaxValue);
        int cnt = lCount[n], idx = LeafUpper(n, addr, ulong.MaxValue);
        lastLE = idx > 0 ? new Pos(n, idx - 1) : Prev(new Pos(n, 0));
        firstGT = idx < cnt ? new Pos(n, idx) : FirstOf(lNext[n]);
    }

    /// <summary>The row with exactly this key, or None.</summary>
    public Pos Locate(ulong addr, ulong seq)
    {
        var n = Descend(addr, seq);
        var idx = LeafUpper(n, addr, seq) - 1;
        return idx >= 0 && Key(n, idx, FAddr) == addr && Key(n, idx, FSeq) == seq ? new Pos(n, idx) : Pos.None;
    }

    /// <summary>The first row whose key is greater than (addr, seq), or None.</summary>
    public Pos After(ulong addr, ulong seq)
    {
        var n = Descend(addr, seq);
        var idx = LeafUpper(n, addr, seq);
        return idx < lCount[n] ? new Pos(n, idx) : FirstOf(lNext[n]);
    }

    /// <summary>The first row in key order, or None.</summary>
    public Pos First()
    {
        var n = root;
        for (var h = height; h > 0; h--)
            n = (int)inners[(n * IB) + IChild];
        return FirstOf(n);
    }

    /// <summary>The row after <paramref name="p"/> in key order (rb.list's next), or None.</summary>
    public Pos Next(Pos p) => p.Index + 1 < lCount[p.Leaf] ? new Pos(p.Leaf, p.Index + 1) : FirstOf(lNext[p.Leaf]);

    /// <summary>The row before <paramref name="p"/> in key order, or None.</summary>
    public Pos Prev(Pos p) => p.Index > 0 ? new Pos(p.Leaf, p.Index - 1) : LastOf(lPrev[p.Leaf]);

    /// <summary>One field of a row (see the F* offsets), readable and writable.</summary>
    public ref ulong Field(Pos p, int field) => ref leaves[(p.Leaf * LB) + (p.Index * RowSize) + field];

    public ulong AddrAt(Pos p) => Field(p, FAddr);

    public ulong SeqAt(Pos p) => Field(p, FSeq);

    public ulong RangeAt(Pos p) => Field(p, FRange);

    /// <summary>Inserts a row (RowSize ulongs, its key at FAddr/FSeq, not present yet).</summary>
    public void Insert(ReadOnlySpan<ulong> row)
    {
        ulong addr = row[FAddr], seq = row[FSeq];
        var n = Descend(addr, seq);
        int cnt = lCount[n], idx = LeafUpper(n, addr, seq), at = (n * LB) + (idx * RowSize);
        leaves.AsSpan(at, (cnt - idx) * RowSize).CopyTo(leaves.AsSpan(at + RowSize));
        row.CopyTo(leaves.AsSpan(at, RowSize));
        lCount[n] = ++cnt;
        Count++;
        if (cnt > LeafCap)
            SplitLeaf(n, height);
    }

    /// <summary>Removes the row with exactly this key; false if there is none.</summary>
    public bool Remove(ulong addr, ulong seq)
    {
        var n = Descend(addr, seq);
        int cnt = lCount[n], idx = LeafUpper(n, addr, seq) - 1;
        if (idx < 0 || Key(n, idx, FAddr) != addr || Key(n, idx, FSeq) != seq)
            return false;
        var at = (n * LB) + (idx * RowSize);
        leaves.AsSpan(at + RowSize, (cnt - idx - 1) * RowSize).CopyTo(leaves.AsSpan(at));
        lCount[n] = --cnt;
        Count--;
        if (height > 0 && cnt < LeafMin)
            FixLeaf(n, height);
        return true;
    }

    private ulong Key(int leaf, int idx, int field) => leaves[(leaf * LB) + (idx * RowSize) + field];

    private Pos FirstOf(int leaf) => leaf >= 0 && lCount[leaf] > 0 ? new Pos(leaf, 0) : Pos.None;

    private Pos LastOf(int leaf) => leaf >= 0 && lCount[leaf] > 0 ? new Pos(leaf, lCount[leaf] - 1) : Pos.None;

    private static bool Less(ulong a1, ulong s1, ulong a2, ulong s2) => a1 < a2 || (a1 == a2 && s1 < s2);

    /// <summary>Finds the leaf for (addr, seq), leaving the path in pathNode/pathIdx (reusing the finger when it can).</summary>
    private int Descend(ulong addr, ulong seq)
    {
        if (fingerLeaf >= 0
            && (!fingerHasLow || !Less(addr, seq, fingerLowAddr, fingerLowSeq))
            && (!fingerHasHigh || Less(addr, seq, fingerHighAddr, fingerHighSeq)))
            return fingerLeaf;
        fingerHasLow = fingerHasHigh = false;
        var n = root;
        for (int h = height, depth = 0; h > 0; h--, depth++)
        {
            int b = n * IB, lo = 1, cnt = iCount[n], hi = cnt;
            Prefetch(inners, b, cnt);
            Prefetch(inners, b + IChild, cnt);
            while (lo < hi)
            {
                var mid = (lo + hi) >>> 1;
                if (Less(addr, seq, inners[b + mid], inners[b + ISeq + mid]))
                    hi = mid;
                else
                    lo = mid + 1;
            }
            var child = lo - 1;
            if (child > 0)
                (fingerHasLow, fingerLowAddr, fingerLowSeq) = (true, inners[b + child], inners[b + ISeq + child]);
            if (child + 1 < cnt)
                (fingerHasHigh, fingerHighAddr, fingerHighSeq) = (true, inners[b + child + 1], inners[b + ISeq + child + 1]);
            pathNode[depth] = n;
            pathIdx[depth] = child;
            n = (int)inners[b + IChild + child];
        }
        Prefetch(leaves, n * LB, lCount[n] * RowSize);
        fingerLeaf = n;
        return n;
    }

    /// <summary>Index of the first row of the leaf whose key is greater than (addr, seq).</summary>
    private int LeafUpper(int leaf, ulong addr, ulong seq)
    {
        int b = leaf * LB, lo = 0, hi = lCount[leaf];
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            var r = b + (mid * RowSize);
            if (Less(addr, seq, leaves[r + FAddr], leaves[r + FSeq]))
                hi = mid;
            else
                lo = mid + 1;
        }
        return lo;
    }

    /// <summary>Asks for every cache line of a node at once, so a search waits for memory once, not per probe.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Prefetch(ulong[] array, int start, int count)
    {
        if (!Sse.IsSupported || count <= 0)
            return;
        var p = (byte*)Unsafe.AsPointer(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(array), start));
        var end = p + (count * sizeof(ulong));
        for (; p < end; p += 64)
            Sse.Prefetch0(p);
        Sse.Prefetch0(end - 1);
    }
}
