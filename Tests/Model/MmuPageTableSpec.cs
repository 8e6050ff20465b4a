using Gpuvmsim.Model;

namespace Gpuvmsim.Tests.Model;

/// <summary>The msm page table: preallocated table pages, PTE refusal and rollback, PRR, queries.</summary>
public sealed class MmuPageTableSpec
{
    private const ulong P = 4096, TwoMiB = 1UL << 21, OneGiB = 1UL << 30;
    private static readonly ObjId A = new(1);
    private static readonly MmuConfig Lpae = new();

    [Theory]
    [InlineData(0UL, P, 3UL)]
    [InlineData(TwoMiB - P, 2 * P, 4UL)]
    [InlineData(OneGiB - P, 2 * P, 5UL)]
    [InlineData(0UL, 4 * TwoMiB, 6UL)]
    [InlineData(P, 0UL, 3UL)]
    [InlineData(0UL, 0UL, 0UL)]
    public void Prealloc_count_adds_the_l1_l2_and_l3_regions_a_range_spans(ulong iova, ulong len, ulong expected)
    {
        Assert.Equal(expected, MmuPrealloc.CountFor(iova, len, Lpae));
    }

    [Fact]
    public void Mapping_takes_table_pages_from_the_pool_once_per_region_and_unmapping_keeps_them()
    {
        var mmu = new MmuPageTable { Prealloc = Pool(3) };
        Assert.Equal(3, mmu.Map(0, A, 0, 4 * P, GpuVmWorld.ProtReadWrite).TablePagesTaken);
        Assert.Equal(0, mmu.Map(8 * P, null, 0, P, GpuVmWorld.ProtReadWrite).TablePagesTaken);
        Assert.Equal(new Pte(A, 2 * P, 3), mmu.Lookup(2 * P));
        Assert.True(mmu.Lookup(8 * P)!.Value.IsPrr);
        Assert.Equal(0, mmu.Unmap(0, 4 * P).Errno);
        Assert.Equal(3, mmu.TablePages);
        Assert.Equal(0u, mmu.Prealloc!.Remaining);
    }

    [Fact]
    public void Running_out_of_table_pages_fails_the_map_with_einval_after_undoing_it()
    {
        var mmu = new MmuPageTable { Prealloc = Pool(3) };
        var r = mmu.Map(TwoMiB - P, A, 0, 2 * P, GpuVmWorld.ProtReadWrite);
        Assert.Equal((-Errno.EINVAL, -Errno.ENOMEM, 3), (r.Errno, r.PgtableErrno, r.TablePagesTaken));
        Assert.Null(mmu.Lookup(TwoMiB - P));
        Assert.Contains(r.Findings, f => f.Message.Contains("p->ptr >= p->count"));
        mmu.Prealloc = null;
        Assert.Equal(MmuFailure.OutOfTablePages, mmu.Map(10 * OneGiB, A, 0, P, 3).Failure);
    }

    [Fact]
    public void Mapping_over_an_existing_pte_is_refused_and_undone_unless_overwriting_is_configured()
    {
        var mmu = new MmuPageTable { Prealloc = Pool(10) };
        mmu.Map(4 * P, A, 0, P, 3);
        var r = mmu.Map(0, A, 0, 8 * P, 3);
        Assert.Equal((-Errno.EINVAL, MmuFailure.PteExists, -Errno.EEXIST), (r.Errno, r.Failure, r.PgtableErrno));
        Assert.Equal([new MmuMapping(4 * P, P, A, 0, 3)], mmu.Mappings());
        var loud = new MmuPageTable(new MmuConfig { WarnOnExistingPte = true }) { Prealloc = Pool(10) };
        loud.Map(0, A, 0, P, 3);
        Assert.Single(loud.Map(0, A, 0, P, 3).Findings);
        var overwriting = new MmuPageTable(new MmuConfig { RefuseExistingPte = false }) { Prealloc = Pool(10) };
        overwriting.Map(4 * P, A, 0, P, 3);
        Assert.Equal(0, overwriting.Map(0, null, 0, 8 * P, 3).Errno);
        Assert.True(overwriting.Lookup(4 * P)!.Value.IsPrr);
    }

    [Fact]
    public void Unmapping_a_range_with_holes_returns_einval_and_still_clears_every_pte()
    {
        var mmu = new MmuPageTable { Prealloc = Pool(10) };
        mmu.Map(0, A, 0, 2 * P, 3);
        mmu.Map(4 * P, A, 4 * P, 2 * P, 3);
        var r = mmu.Unmap(0, 6 * P);
        Assert.Equal((-Errno.EINVAL, 4 * P, 2 * P), (r.Errno, r.UnmappedLength, r.MissingLength));
        Assert.Empty(mmu.Mappings());
    }

    [Fact]
    public void A_bo_mapping_past_the_end_of_the_bo_stops_at_its_end_and_succeeds()
    {
        var mmu = new MmuPageTable { Prealloc = Pool(10) };
        var r = mmu.Map(0, A, 2 * P, 8 * P, 3, objSize: 4 * P);
        Assert.Equal((0, 2 * P), (r.Errno, r.MappedLength));
        Assert.False(mmu.IsFullyMapped(0, 8 * P));
        Assert.True(mmu.IsFullyMapped(0, 2 * P));
    }

    [Fact]
    public void Adjacent_contiguous_ptes_are_one_mapping_and_a_partial_unmap_splits_it()
    {
        var mmu = new MmuPageTable { Prealloc = Pool(10) };
        mmu.Map(0, A, 0, 2 * P, 3);
        mmu.Map(2 * P, A, 2 * P, 2 * P, 3);
        Assert.Equal([new MmuMapping(0, 4 * P, A, 0, 3)], mmu.Mappings());
        mmu.Unmap(P, P);
        Assert.Equal([new MmuMapping(0, P, A, 0, 3), new MmuMapping(2 * P, 2 * P, A, 2 * P, 3)], mmu.Mappings());
        Assert.Equal([new MmuMapping(2 * P, P, A, 2 * P, 3)], mmu.MappingsIn(2 * P, P));
    }

    [Fact]
    public void A_failed_allocation_keeps_the_pages_it_got_in_v2_and_drops_them_in_merged()
    {
        var v2 = new MmuPrealloc();
        v2.AddCount(0, P, Lpae);
        Assert.Equal(-Errno.ENOMEM, v2.Allocate(available: 1, merged: false));
        Assert.Equal((1u, true), (v2.Count, v2.HasPages));
        var merged = new MmuPrealloc();
        merged.AddCount(0, P, Lpae);
        Assert.Equal(-Errno.ENOMEM, merged.Allocate(available: 1));
        Assert.False(merged.HasPages);
        var ok = Pool(3);
        Assert.Equal(3u, ok.Cleanup());
        Assert.Equal(0u, ok.Cleanup());
    }

    private static MmuPrealloc Pool(uint pages)
    {
        var p = new MmuPrealloc();
        p.Reserve(pages);
        Assert.Equal(0, p.Allocate());
        return p;
    }
}
