// DOC: VaTree's rebalancing and node allocation: leaf and inner splits on overflow, merge with or
// borrow from a sibling on underflow (under a quarter full), root growth and collapse, the leaf
// chain (rb.list) kept in step, and a shape check for the invariant tests. Guarded like VaTree.
// `depth` below is the number of inner nodes above a node: its parent is pathNode[depth - 1].

namespace Gpuvmsim.Model;

internal sealed partial class VaTree
{
    private const int LeafMin = LeafCap / 4;
    private const int InnerMin = InnerCap / 4;

    /// <summary>All rows' keys in order, by a recursive walk of the tree (not the leaf chain), for invariant checks.</summary>
    public void InOrder(List<(ulong Addr, ulong Seq)> into) => Collect(root, height, into);

    /// <summary>Checks the B+tree's own shape and that the leaf chain follows the tree order; null when sound.</summary>
    public string? CheckShape()
    {
        var keys = new List<(ulong Addr, ulong Seq)>();
        var err = CheckNode(root, height, isRoot: true, keys);
        if (err is not null)
            return err;
        for (var i = 1; i < keys.Count; i++)
            if (!Less(keys[i - 1].Addr, keys[i - 1].Seq, keys[i].Addr, keys[i].Seq))
                return $"keys out of order at {i}";
        var chained = 0;
        for (var p = First(); p.Valid; p = Next(p), chained++)
            if (chained >= keys.Count || (AddrAt(p), SeqAt(p)) != keys[chained])
                return $"the leaf chain departs from the tree order at {chained}";
        if (chained != keys.Count)
            return $"the leaf chain has {chained} rows, the tree {keys.Count}";
        return keys.Count == Count ? null : $"count {Count} but {keys.Count} keys";
    }

    private void MoveRows(int fromLeaf, int fromIdx, int toLeaf, int toIdx, int rows)
    {
        if (rows > 0)
            leaves.AsSpan((fromLeaf * LB) + (fromIdx * RowSize), rows * RowSize).CopyTo(leaves.AsSpan((toLeaf * LB) + (toIdx * RowSize)));
    }

    private void ShiftInner(int from, int to, int n)
    {
        if (n <= 0)
            return;
        var span = inners.AsSpan();
        foreach (var field in (ReadOnlySpan<int>)[0, ISeq, IChild])
            span.Slice(from + field, n).CopyTo(span[(to + field)..]);
    }

    private void SplitLeaf(int leaf, int depth)
    {
        fingerLeaf = -1;
        var right = AllocLeaf();
        int cnt = lCount[leaf], mid = cnt / 2;
        MoveRows(leaf, mid, right, 0, cnt - mid);
        lCount[leaf] = mid;
        lCount[right] = cnt - mid;
        lNext[right] = lNext[leaf];
        lPrev[right] = leaf;
        if (lNext[leaf] >= 0)
            lPrev[lNext[leaf]] = right;
        lNext[leaf] = right;
        InsertIntoParent(leaf, Key(right, 0, FAddr), Key(right, 0, FSeq), right, depth);
    }

    private void InsertIntoParent(int left, ulong keyAddr, ulong keySeq, int right, int depth)
    {
        if (depth == 0)
        {
            var nr = AllocInner();
            var rb = nr * IB;
            inners[rb + IChild] = (ulong)left;
            inners[rb + IChild + 1] = (ulong)right;
            inners[rb + 1] = keyAddr;
            inners[rb + ISeq + 1] = keySeq;
            iCount[nr] = 2;
            root = nr;
            height++;
            return;
        }
        int p = pathNode[depth - 1], pos = pathIdx[depth - 1] + 1, b = p * IB, cnt = iCount[p];
        ShiftInner(b + pos, b + pos + 1, cnt - pos);
        inners[b + pos] = keyAddr;
        inners[b + ISeq + pos] = keySeq;
        inners[b + IChild + pos] = (ulong)right;
        iCount[p] = ++cnt;
        if (cnt > InnerCap)
            SplitInner(p, depth - 1);
    }

    private void SplitInner(int node, int depth)
    {
        fingerLeaf = -1;
        var right = AllocInner();
        int cnt = iCount[node], mid = cnt / 2, b = node * IB;
        ulong upAddr = inners[b + mid], upSeq = inners[b + ISeq + mid];
        ShiftInner(b + mid, right * IB, cnt - mid); // child `mid` becomes the right node's child 0
        iCount[node] = mid;
        iCount[right] = cnt - mid;
        InsertIntoParent(node, upAddr, upSeq, right, depth);
    }

    private void RemoveFromInner(int node, int pos)
    {
        int b = node * IB, cnt = iCount[node];
        ShiftInner(b + pos + 1, b + pos, cnt - pos - 1);
        iCount[node] = cnt - 1;
    }

    private void FixLeaf(int leaf, int depth)
    {
        fingerLeaf = -1;
        int p = pathNode[depth - 1], ci = pathIdx[depth - 1], pb = p * IB;
        var (left, right, sep) = ci > 0 ? ((int)inners[pb + IChild + ci - 1], leaf, ci) : (leaf, (int)inners[pb + IChild + 1], 1);
        int lc = lCount[left], rc = lCount[right];
        if (lc + rc <= LeafCap)
        {
            MoveRows(right, 0, left, lc, rc);
            lCount[left] = lc + rc;
            lNext[left] = lNext[right];
            if (lNext[right] >= 0)
                lPrev[lNext[right]] = left;
            FreeLeaf(right);
            RemoveFromInner(p, sep);
            FixInner(p, depth - 1);
            return;
        }
        int total = lc + rc, newLeft = total / 2;
        if (lc < newLeft)
        {
            var k = newLeft - lc;
            MoveRows(right, 0, left, lc, k);
            MoveRows(right, k, right, 0, rc - k);
        }
        else
        {
            var k = lc - newLeft;
            MoveRows(right, 0, right, k, rc);
            MoveRows(left, newLeft, right, 0, k);
        }
        lCount[left] = newLeft;
        lCount[right] = total - newLeft;
        inners[pb + sep] = Key(right, 0, FAddr);
        inners[pb + ISeq + sep] = Key(right, 0, FSeq);
    }

    private void FixInner(int node, int depth)
    {
        fingerLeaf = -1;
        if (depth == 0)
        {
            if (iCount[node] == 1)
            {
                root = (int)inners[(node * IB) + IChild];
                height--;
                FreeInner(node);
            }
            return;
        }
        if (iCount[node] >= InnerMin)
            return;
        int p = pathNode[depth - 1], ci = pathIdx[depth - 1], pb = p * IB;
        var (left, right, sep) = ci > 0 ? ((int)inners[pb + IChild + ci - 1], node, ci) : (node, (int)inners[pb + IChild + 1], 1);
        int lc = iCount[left], rc = iCount[right], lb = left * IB, rb = right * IB;
        ulong sepAddr = inners[pb + sep], sepSeq = inners[pb + ISeq + sep];
        if (lc + rc <= InnerCap)
        {
            ShiftInner(rb, lb + lc, rc);
            inners[lb + lc] = sepAddr; // the right node's child 0 is bounded by the parent's separator
            inners[lb + ISeq + lc] = sepSeq;
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
            inners[lb + lc] = sepAddr;
            inners[lb + ISeq + lc] = sepSeq;
            (sepAddr, sepSeq) = (inners[rb + k], inners[rb + ISeq + k]);
            ShiftInner(rb + k, rb, rc - k);
        }
        else
        {
            var k = lc - newLeft;
            ShiftInner(rb, rb + k, rc);
            inners[rb + k] = sepAddr;
            inners[rb + ISeq + k] = sepSeq;
            ShiftInner(lb + newLeft, rb, k);
            (sepAddr, sepSeq) = (inners[rb], inners[rb + ISeq]);
        }
        iCount[left] = newLeft;
        iCount[right] = total - newLeft;
        inners[pb + sep] = sepAddr;
        inners[pb + ISeq + sep] = sepSeq;
    }

    private int AllocLeaf()
    {
        int n;
        if (leafFree >= 0)
        {
            n = leafFree;
            leafFree = lNext[n];
        }
        else
        {
            n = leafTop++;
            if (n == lCount.Length)
            {
                var cap = lCount.Length * 2;
                Array.Resize(ref lCount, cap);
                Array.Resize(ref lNext, cap);
                Array.Resize(ref lPrev, cap);
                Array.Resize(ref leaves, cap * LB);
            }
        }
        lCount[n] = 0;
        lNext[n] = lPrev[n] = -1;
        return n;
    }

    private void FreeLeaf(int n)
    {
        lCount[n] = 0;
        lNext[n] = leafFree;
        leafFree = n;
    }

    private int AllocInner()
    {
        int n;
        if (innerFree >= 0)
        {
            n = innerFree;
            innerFree = (int)(long)inners[(n * IB) + IChild];
        }
        else
        {
            n = innerTop++;
            if (n == iCount.Length)
            {
                var cap = Math.Max(2, iCount.Length * 2);
                Array.Resize(ref iCount, cap);
                Array.Resize(ref inners, cap * IB);
            }
        }
        iCount[n] = 0;
        return n;
    }

    private void FreeInner(int n)
    {
        iCount[n] = 0;
        inners[(n * IB) + IChild] = unchecked((ulong)(long)innerFree);
        innerFree = n;
    }

    private void Collect(int n, int h, List<(ulong, ulong)> into)
    {
        if (h == 0)
        {
            for (var i = 0; i < lCount[n]; i++)
                into.Add((Key(n, i, FAddr), Key(n, i, FSeq)));
            return;
        }
        for (var i = 0; i < iCount[n]; i++)
            Collect((int)inners[(n * IB) + IChild + i], h - 1, into);
    }

    private string? CheckNode(int n, int h, bool isRoot, List<(ulong Addr, ulong Seq)> keys)
    {
        if (h == 0)
        {
            if (!isRoot && lCount[n] < LeafMin)
                return $"leaf {n} underfull ({lCount[n]})";
            for (var i = 0; i < lCount[n]; i++)
                keys.Add((Key(n, i, FAddr), Key(n, i, FSeq)));
            return null;
        }
        if (iCount[n] < (isRoot ? 2 : InnerMin) || iCount[n] > InnerCap)
            return $"inner {n} has {iCount[n]} children";
        var b = n * IB;
        for (var i = 0; i < iCount[n]; i++)
        {
            var before = keys.Count;
            var err = CheckNode((int)inners[b + IChild + i], h - 1, isRoot: false, keys);
            if (err is not null)
                return err;
            if (i > 0 && keys.Count > before)
            {
                if (Less(keys[before].Addr, keys[before].Seq, inners[b + i], inners[b + ISeq + i]))
                    return $"inner {n} separator {i} above its child's first key";
                if (before > 0 && !Less(keys[before - 1].Addr, keys[before - 1].Seq, inners[b + i], inners[b + ISeq + i]))
                    return $"inner {n} separator {i} not above the previous child's keys";
            }
        }
        return null;
    }
}
