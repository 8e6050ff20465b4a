using Gpuvmsim.Model;

namespace Gpuvmsim.Tests.Model;

/// <summary>The B+tree behind GpuVm against a SortedSet, through random inserts, removes and seeks.</summary>
public sealed class VaTreeSpec
{
    [Theory]
    [InlineData(1, 200, 50)]
    [InlineData(2, 5_000, 400)]
    [InlineData(3, 60_000, 3_000)]
    public void Random_inserts_removes_and_seeks_agree_with_a_sorted_set(int seed, int operations, int keySpace)
    {
        var rng = new Random(seed);
        var tree = new VaTree();
        var reference = new SortedSet<(ulong Addr, ulong Seq)>();
        var slotOf = new Dictionary<(ulong, ulong), int>();
        ulong seq = 0;
        for (var i = 0; i < operations; i++)
        {
            var addr = (ulong)rng.Next(keySpace);
            if (rng.Next(100) < 55 || reference.Count == 0)
            {
                var key = (addr, seq++);
                tree.Insert(Row(key.addr, key.Item2, i));
                reference.Add(key);
                slotOf[key] = i;
                var at = tree.Locate(key.addr, key.Item2);
                var pred = reference.Where(k => Compare(k, key) < 0).Select(k => (int?)slotOf[k]).LastOrDefault();
                var succ = reference.Where(k => Compare(k, key) > 0).Select(k => (int?)slotOf[k]).FirstOrDefault();
                Assert.Equal(i, SlotAt(tree, at));
                Assert.Equal(pred, tree.Prev(at) is { Valid: true } p ? SlotAt(tree, p) : null);
                Assert.Equal(succ, tree.Next(at) is { Valid: true } n ? SlotAt(tree, n) : null);
            }
            else
            {
                var key = reference.ElementAt(rng.Next(reference.Count));
                Assert.True(tree.Remove(key.Addr, key.Seq));
                Assert.False(tree.Remove(key.Addr, key.Seq));
                reference.Remove(key);
            }
            if (i % 97 == 0 || operations < 1000)
                Assert.Null(tree.CheckShape());
            var probe = (ulong)rng.Next(keySpace + 2);
            tree.Seek(probe, out var lastLE, out var firstGT);
            var wantLE = reference.Where(k => k.Addr <= probe).Select(k => (int?)slotOf[k]).LastOrDefault();
            var wantGT = reference.Where(k => k.Addr > probe).Select(k => (int?)slotOf[k]).FirstOrDefault();
            Assert.Equal(wantLE, lastLE.Valid ? SlotAt(tree, lastLE) : null);
            Assert.Equal(wantGT, firstGT.Valid ? SlotAt(tree, firstGT) : null);
            if (i > operations - 3)
            {
                var order = new List<(ulong, ulong)>();
                tree.InOrder(order);
                Assert.Equal(reference, order);
            }
        }
        Assert.Equal(reference.Count, tree.Count);
    }

    [Fact]
    public void Draining_a_large_tree_collapses_it_back_to_an_empty_root()
    {
        var tree = new VaTree();
        for (var i = 0; i < 20_000; i++)
            tree.Insert(Row((ulong)i * 7919 % 20_011, (ulong)i, i));
        Assert.Null(tree.CheckShape());
        for (var i = 0; i < 20_000; i++)
            Assert.True(tree.Remove((ulong)i * 7919 % 20_011, (ulong)i));
        Assert.Null(tree.CheckShape());
        Assert.Equal(0, tree.Count);
        tree.Seek(5, out var lastLE, out var firstGT);
        Assert.False(lastLE.Valid || firstGT.Valid);
        Assert.False(tree.First().Valid);
    }

    private static ulong[] Row(ulong addr, ulong seq, int payload)
    {
        var row = new ulong[VaTree.RowSize];
        row[VaTree.FAddr] = addr;
        row[VaTree.FSeq] = seq;
        row[VaTree.FRange] = 1;
        row[VaTree.FObj] = (ulong)payload;
        return row;
    }

    private static int SlotAt(VaTree tree, Pos p) => (int)tree.Field(p, VaTree.FObj);

    private static int Compare((ulong Addr, ulong Seq) a, (ulong Addr, ulong Seq) b) =>
        a.Addr != b.Addr ? a.Addr.CompareTo(b.Addr) : a.Seq.CompareTo(b.Seq);
}
