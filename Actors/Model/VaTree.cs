// DOC: VaTree, the ordered index behind GpuVm (the model's counterpart of drm_gpuvm.rb.tree).
//
// The kernel keeps its VAs in an augmented interval tree keyed by [addr, addr+range-1] and links
// them, in tree order, into rb.list. VAs never overlap, so an ordered map keyed by address is
// enough to answer every query the kernel asks of the interval tree (GpuVm does the interval
// reasoning); this class is only that ordered map. It is a B+tree laid out in flat arrays:
// leaves of up to 32 entries hold (addr, seq) keys and the GpuVm slot of each VA; inner nodes of
// up to 32 children hold separator keys. The upper levels of a tree of a million VAs take about a
// megabyte and stay in cache, so a lookup costs about one cache miss for the leaf.
//
// Keys are (addr, seq) where seq is GpuVm's insertion counter: the kernel's tree places a VA with
// the same start as an existing one after it (only zero-range VAs can share a start), and the
// insertion counter reproduces that order. Keys are therefore unique.
//
// Not thread-safe; guarded by whatever guards its GpuVm (the VM lock).
// Nodes split when they exceed their capacity and merge with (or borrow from) a sibling when they
// fall under a quarter of it, so every leaf is at the same depth and the depth is O(log n).

namespace Gpuvmsim.Model;

internal sealed class VaTree
{
    internal const int LeafCap = 32;
    internal const int InnerCap = 32;
    private const int LeafMin = LeafCap / 4;
    private const int InnerMin = InnerCap / 4;
    private const int LS = LeafCap + 1; // stride: one spare entry, so a node can overflow before it splits
    private const int IS = InnerCap + 1;

    private ulong[] lAddr = new ulong[LS * 4];
    private ulong[] lSeq = new ulong[LS * 4];
    private int[] lSlot = new int[LS * 4];
    private int[] lCount = new int[4];
    private int leafTop;
    private int leafFree = -1;

    private ulong[] iAddr = new ulong[IS * 4];
    private ulong[] iSeq = new ulong[IS * 4];
    private int[] iChild = new int[IS * 4];
    private int[] iCount = new int[4];
    private int innerTop;
    private int innerFree = -1;

    private int root;
    private int height; // 0: the root is a leaf
    private readonly int[] pathNode = new int[64];
    private readonly int[] pathIdx = new int[64];

    public VaTree() => root = AllocLeaf();

    /// <summary>Number of entries.</summary>
    public int Count { get; private set; }

    /// <summary>
    /// Finds where <paramref name="addr"/> falls: <paramref name="lastLE"/> is the slot of the last
    /// entry with key addr ≤ addr and <paramref name="firstGT"/> the slot of the first entry with key
    /// addr &gt; addr, each -1 when it is not in the leaf reached (the caller then follows its list
    /// links). At least one is set unless the tree is empty.
    /// </summary>
    public void Seek(ulong addr, out int lastLE, out int firstGT)
    {
        var n = Descend(addr, ulong.MaxValue, record: false);
        int b = n * LS, cnt = lCount[n], idx = LeafUpper(n, addr, ulong.MaxValue);
        lastLE = idx > 0 ? lSlot[b + idx - 1] : -1;
        firstGT = idx < cnt ? lSlot[b + idx] : -1;
    }

    /// <summary>
    /// Inserts a new key. <paramref name="neighbor"/> is the slot of an adjacent entry in key order
    /// (the predecessor when <paramref name="neighborIsPred"/>, else the successor), -1 if the tree was empty.
    /// </summary>
    public void Insert(ulong addr, ulong seq, int slot, out int neighbor, out bool neighborIsPred)
    {
        var n = Descend(addr, seq, record: true);
        int b = n * LS, cnt = lCount[n], idx = LeafUpper(n, addr, seq);
        if (idx > 0)
            (neighbor, neighborIsPred) = (lSlot[b + idx - 1], true);
        else
            (neighbor, neighborIsPred) = (cnt > 0 ? lSlot[b] : -1, false);
        ShiftLeaf(b + idx, b + idx + 1, cnt - idx);
        lAddr[b + idx] = addr;
        lSeq[b + idx] = seq;
        lSlot[b + idx] = slot;
        lCount[n] = ++cnt;
        Count++;
        if (cnt > LeafCap)
            SplitLeaf(n, height);
    }

    /// <summary>Removes the entry with exactly this key; false if there is none.</summary>
    public bool Remove(ulong addr, ulong seq)
    {
        var n = Descend(addr, seq, record: true);
        int b = n * LS, cnt = lCount[n], idx = LeafUpper(n, addr, seq) - 1;
        if (idx < 0 || lAddr[b + idx] != addr || lSeq[b + idx] != seq)
            return false;
        ShiftLeaf(b + idx + 1, b + idx, cnt - idx - 1);
        lCount[n] = --cnt;
        Count--;
        if (height > 0 && cnt < LeafMin)
            FixLeaf(n, height);
        return true;
    }

    /// <summary>All slots in key order (a full in-order walk of the tree, for invariant checks).</summary>
    public void InOrder(List<int> into) => Collect(root, height, into);

    /// <summary>Checks the B+tree's own shape; null when sound, else what is wrong.</summary>
    public string? CheckShape()
    {
        var keys = new List<(ulong, ulong)>();
        var err = CheckNode(root, height, isRoot: true, keys);
        if (err is not null)
            return err;
        for (var i = 1; i < keys.Count; i++)
            if (!Less(keys[i - 1].Item1, keys[i - 1].Item2, keys[i].Item1, keys[i].Item2))
                return $"keys out of order at {i}";
        return keys.Count == Count ? null : $"count {Count} but {keys.Count} keys";
    }

    private static bool Less(ulong a1, ulong s1, ulong a2, ulong s2) => a1 < a2 || (a1 == a2 && s1 < s2);

    private int Descend(ulong addr, ulong seq, bool record)
    {
        var n = root;
        for (int h = height, depth = 0; h > 0; h--, depth++)
        {
            int b = n * IS, lo = 1, hi = iCount[n];
            while (lo < hi)
            {
                var mid = (lo + hi) >>> 1;
                if (Less(addr, seq, iAddr[b + mid], iSeq[b + mid]))
                    hi = mid;
                else
                    lo = mid + 1;
            }
            if (record)
            {
                pathNode[depth] = n;
                pathIdx[depth] = lo - 1;
            }
            n = iChild[b + lo - 1];
        }
        return n;
    }

    /// <summary>Index of the first entry of the leaf whose key is greater than (addr, seq).</summary>
    private int LeafUpper(int leaf, ulong addr, ulong seq)
    {
        int b = leaf * LS, lo = 0, hi = lCount[leaf];
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (Less(addr, seq, lAddr[b + mid], lSeq[b + mid]))
                hi = mid;
            else
                lo = mid + 1;
        }
        return lo;
    }

    private void ShiftLeaf(int from, int to, int n)
    {
        if (n <= 0)
            return;
        lAddr.AsSpan(from, n).CopyTo(lAddr.AsSpan(to));
        lSeq.AsSpan(from, n).CopyTo(lSeq.AsSpan(to));
        lSlot.AsSpan(from, n).CopyTo(lSlot.AsSpan(to));
    }

    private void MoveLeaf(int from, int to, int n)
    {
        if (n <= 0)
            return;
        lAddr.AsSpan(from, n).CopyTo(lAddr.AsSpan(to));
        lSeq.AsSpan(from, n).CopyTo(lSeq.AsSpan(to));
        lSlot.AsSpan(from, n).CopyTo(lSlot.AsSpan(to));
    }

    private void ShiftInner(int from, int to, int n)
    {
        if (n <= 0)
            return;
        iAddr.AsSpan(from, n).CopyTo(iAddr.AsSpan(to));
        iSeq.AsSpan(from, n).CopyTo(iSeq.AsSpan(to));
        iChild.AsSpan(from, n).CopyTo(iChild.AsSpan(to));
    }

    // `depth` below is the number of inner nodes on the path above the node (its index in pathNode + 1).
    private void SplitLeaf(int leaf, int depth)
    {
        var right = AllocLeaf();
        int cnt = lCount[leaf], mid = cnt / 2;
        MoveLeaf(leaf * LS + mid, right * LS, cnt - mid);
        lCount[leaf] = mid;
        lCount[right] = cnt - mid;
        InsertIntoParent(leaf, lAddr[right * LS], lSeq[right * LS], right, depth);
    }

    private void InsertIntoParent(int left, ulong keyAddr, ulong keySeq, int right, int depth)
    {
        if (depth == 0)
        {
            var nr = AllocInner();
            var rb = nr * IS;
            iChild[rb] = left;
            iChild[rb + 1] = right;
            iAddr[rb + 1] = keyAddr;
            iSeq[rb + 1] = keySeq;
            iCount[nr] = 2;
            root = nr;
            height++;
            return;
        }
        int p = pathNode[depth - 1], pos = pathIdx[depth - 1] + 1, b = p * IS, cnt = iCount[p];
        ShiftInner(b + pos, b + pos + 1, cnt - pos);
        iAddr[b + pos] = keyAddr;
        iSeq[b + pos] = keySeq;
        iChild[b + pos] = right;
        iCount[p] = ++cnt;
        if (cnt > InnerCap)
            SplitInner(p, depth - 1);
    }

    private void SplitInner(int node, int depth)
    {
        var right = AllocInner();
        int cnt = iCount[node], mid = cnt / 2, b = node * IS;
        ulong upAddr = iAddr[b + mid], upSeq = iSeq[b + mid];
        ShiftInner(b + mid, right * IS, cnt - mid); // child `mid` becomes the right node's child 0
        iCount[node] = mid;
        iCount[right] = cnt - mid;
        InsertIntoParent(node, upAddr, upSeq, right, depth);
    }

    private void RemoveFromInner(int node, int pos)
    {
        int b = node * IS, cnt = iCount[node];
        ShiftInner(b + pos + 1, b + pos, cnt - pos - 1);
        iCount[node] = cnt - 1;
    }

    private void FixLeaf(int leaf, int depth)
    {
        int p = pathNode[depth - 1], ci = pathIdx[depth - 1], pb = p * IS;
        var (left, right, sep) = ci > 0 ? (iChild[pb + ci - 1], leaf, ci) : (leaf, iChild[pb + 1], 1);
        int lc = lCount[left], rc = lCount[right], lb = left * LS, rb = right * LS;
        if (lc + rc <= LeafCap)
        {
            MoveLeaf(rb, lb + lc, rc);
            lCount[left] = lc + rc;
            FreeLeaf(right);
            RemoveFromInner(p, sep);
            FixInner(p, depth - 1);
            return;
        }
        int total = lc + rc, newLeft = total / 2;
        if (lc < newLeft)
        {
            var k = newLeft - lc;
            MoveLeaf(rb, lb + lc, k);
            ShiftLeaf(rb + k, rb, rc - k);
        }
        else
        {
            var k = lc - newLeft;
            ShiftLeaf(rb, rb + k, rc);
            MoveLeaf(lb + newLeft, rb, k);
        }
        lCount[left] = newLeft;
        lCount[right] = total - newLeft;
        iAddr[pb + sep] = lAddr[rb];
        iSeq[pb + sep] = lSeq[rb];
    }

    private void FixInner(int node, int depth)
    {
        if (depth == 0)
        {
            if (iCount[node] == 1)
            {
                root = iChild[node * IS];
                height--;
                FreeInner(node);
            }
            return;
        }
        if (iCount[node] >= InnerMin)
            return;
        int p = pathNode[depth - 1], ci = pathIdx[depth - 1], pb = p * IS;
        var (left, right, sep) = ci > 0 ? (iChild[pb + ci - 1], node, ci) : (node, iChild[pb + 1], 1);
        int lc = iCount[left], rc = iCount[right], lb = left * IS, rb = right * IS;
        ulong sepAddr = iAddr[pb + sep], sepSeq = iSeq[pb + sep];
        if (lc + rc <= InnerCap)
        {
            ShiftInner(rb, lb + lc, rc);
            iAddr[lb + lc] = sepAddr; // the right node's child 0 is bounded by the parent's separator
            iSeq[lb + lc] = sepSeq;
            iCount[left] = lc + rc;
            FreeInner(right);
            RemoveFromInner(p, sep);
            FixInner(p, depth - 1);
            return;
        }
        int total = lc + rc, newLeft = total / 2;
        if (lc < newLeft)
        {
            var k = newLeft - lc;
            ShiftInner(rb, lb + lc, k);
            iAddr[lb + lc] = sepAddr;
            iSeq[lb + lc] = sepSeq;
            sepAddr = iAddr[rb + k];
            sepSeq = iSeq[rb + k];
            ShiftInner(rb + k, rb, rc - k);
        }
        else
        {
            var k = lc - newLeft;
            ShiftInner(rb, rb + k, rc);
            iAddr[rb + k] = sepAddr;
            iSeq[rb + k] = sepSeq;
            ShiftInner(lb + newLeft, rb, k);
            sepAddr = iAddr[rb];
            sepSeq = iSeq[rb];
        }
        iCount[left] = newLeft;
        iCount[right] = total - newLeft;
        iAddr[pb + sep] = sepAddr;
        iSeq[pb + sep] = sepSeq;
    }

    private int AllocLeaf()
    {
        int n;
        if (leafFree >= 0)
        {
            n = leafFree;
            leafFree = lSlot[n * LS];
        }
        else
        {
            n = leafTop++;
            if (n == lCount.Length)
            {
                var cap = lCount.Length * 2;
                Array.Resize(ref lCount, cap);
                Array.Resize(ref lAddr, cap * LS);
                Array.Resize(ref lSeq, cap * LS);
                Array.Resize(ref lSlot, cap * LS);
            }
        }
        lCount[n] = 0;
        return n;
    }

    private void FreeLeaf(int n)
    {
        lCount[n] = 0;
        lSlot[n * LS] = leafFree;
        leafFree = n;
    }

    private int AllocInner()
    {
        int n;
        if (innerFree >= 0)
        {
            n = innerFree;
            innerFree = iChild[n * IS];
        }
        else
        {
            n = innerTop++;
            if (n == iCount.Length)
            {
                var cap = iCount.Length * 2;
                Array.Resize(ref iCount, cap);
                Array.Resize(ref iAddr, cap * IS);
                Array.Resize(ref iSeq, cap * IS);
                Array.Resize(ref iChild, cap * IS);
            }
        }
        iCount[n] = 0;
        return n;
    }

    private void FreeInner(int n)
    {
        iCount[n] = 0;
        iChild[n * IS] = innerFree;
        innerFree = n;
    }

    private void Collect(int n, int h, List<int> into)
    {
        if (h == 0)
        {
            for (var i = 0; i < lCount[n]; i++)
                into.Add(lSlot[n * LS + i]);
            return;
        }
        for (var i = 0; i < iCount[n]; i++)
            Collect(iChild[n * IS + i], h - 1, into);
    }

    private string? CheckNode(int n, int h, bool isRoot, List<(ulong, ulong)> keys)
    {
        if (h == 0)
        {
            if (!isRoot && lCount[n] < LeafMin)
                return $"leaf {n} underfull ({lCount[n]})";
            for (var i = 0; i < lCount[n]; i++)
                keys.Add((lAddr[n * LS + i], lSeq[n * LS + i]));
            return null;
        }
        if (iCount[n] < (isRoot ? 2 : InnerMin) || iCount[n] > InnerCap)
            return $"inner {n} has {iCount[n]} children";
        for (var i = 0; i < iCount[n]; i++)
        {
            var before = keys.Count;
            var err = CheckNode(iChild[n * IS + i], h - 1, isRoot: false, keys);
            if (err is not null)
                return err;
            if (i > 0 && keys.Count > before)
            {
                var (ka, ks) = keys[before];
                if (Less(ka, ks, iAddr[n * IS + i], iSeq[n * IS + i]))
                    return $"inner {n} separator {i} above its child's first key";
                if (before > 0 && !Less(keys[before - 1].Item1, keys[before - 1].Item2, iAddr[n * IS + i], iSeq[n * IS + i]))
                    return $"inner {n} separator {i} not above the previous child's keys";
            }
        }
        return null;
    }
}
