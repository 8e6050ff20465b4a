using Gpuvmsim.Model;

namespace Gpuvmsim.Benchmarks;

/// <summary>One benchmark request: map [Addr, Addr+Range) to Bo at Offset, or unmap it.</summary>
internal readonly record struct BenchRequest(bool IsMap, ulong Addr, ulong Range, long Bo, ulong Offset);

/// <summary>
/// The gpuvm benchmark's workload: a VA space populated with about N mappings and a stream of
/// random requests that split mappings, cover several, re-map exact ones, unmap whole ones or
/// their middles and fill holes. A feedback rule keeps the population near N while requests run.
/// Everything is derived from a seed, so the model and the baseline see identical requests.
/// </summary>
internal static class GpuvmWorkload
{
    public const ulong Page = 4096;
    private const ulong Cell = 256 * Page; // one initial mapping per 1 MiB cell

    public static ulong SpaceRange(int mappings) => (ulong)Math.Max(mappings, 1) * Cell * 2;

    /// <summary>The initial mappings: one per cell, 16–128 pages, with a gap before it, of one of 8 BOs.</summary>
    public static List<BenchRequest> Population(int mappings, int seed)
    {
        var rng = new Random(seed);
        var list = new List<BenchRequest>(mappings);
        for (var i = 0; i < mappings; i++)
        {
            var gap = (ulong)rng.Next(0, 64) * Page;
            var len = (ulong)rng.Next(16, 129) * Page;
            list.Add(new BenchRequest(true, ((ulong)i * Cell) + gap, len, 1 + rng.Next(8), (ulong)rng.Next(0, 256) * Page));
        }
        return list;
    }

    /// <summary>A GpuVm holding the population.</summary>
    public static GpuVm Build(int mappings, int seed)
    {
        var vm = new GpuVm(new VmId(1), 0, SpaceRange(mappings));
        foreach (var r in Population(mappings, seed))
            vm.Map(new OpMap(r.Addr, r.Range, new ObjId(r.Bo), r.Offset));
        return vm;
    }

    /// <summary>
    /// Generates <paramref name="count"/> requests by running them on <paramref name="vm"/> (which
    /// ends in the state after all of them), steering the mix to keep about <paramref name="target"/> mappings.
    /// </summary>
    public static BenchRequest[] Requests(GpuVm vm, int target, int count, int seed)
    {
        var rng = new Random(seed);
        var handler = new InPlaceStepHandler(vm);
        var requests = new BenchRequest[count];
        var span = SpaceRange(target) / 2;
        for (var i = 0; i < count; i++)
        {
            var at = (ulong)rng.NextInt64(0, (long)(span / Page)) * Page;
            var found = vm.FindFirst(at, span - at) ?? vm.First();
            var r = found is { } id ? Next(vm, vm.GetVa(id), rng, vm.Count < target) : new BenchRequest(true, at, 16 * Page, 1, 0);
            requests[i] = r;
            Apply(vm, handler, r);
        }
        return requests;
    }

    /// <summary>The callback walk applying steps in place (the VM actor's fastest path).</summary>
    public static void Apply(GpuVm vm, InPlaceStepHandler handler, in BenchRequest r)
    {
        if (r.IsMap)
            vm.SmMap(handler, new OpMap(r.Addr, r.Range, new ObjId(r.Bo), r.Offset));
        else
            vm.SmUnmap(handler, r.Addr, r.Range);
    }

    private static BenchRequest Next(GpuVm vm, GpuVa v, Random rng, bool grow)
    {
        var pages = v.Range / Page;
        var bo = 1 + rng.Next(8);
        var roll = rng.Next(100);
        if (roll < 20)
            return new BenchRequest(true, v.Addr, v.Range, rng.Next(2) == 0 ? v.Obj!.Value.Value : bo, v.Offset); // exact re-map
        if (grow)
        {
            if (roll < 55 && pages >= 3)
            {
                var start = 1 + (ulong)rng.NextInt64(0, (long)pages - 2);
                var len = 1 + (ulong)rng.NextInt64(0, (long)(pages - start - 1));
                return new BenchRequest(true, v.Addr + (start * Page), len * Page, bo, (ulong)rng.Next(0, 256) * Page); // split inside
            }
            if (roll < 80 && pages >= 3)
            {
                var start = 1 + (ulong)rng.NextInt64(0, (long)pages - 2);
                return new BenchRequest(false, v.Addr + (start * Page), (1 + (ulong)rng.NextInt64(0, (long)(pages - start - 1))) * Page, 0, 0); // unmap middle
            }
            return new BenchRequest(true, v.End, (1 + (ulong)rng.Next(0, 32)) * Page, v.Obj!.Value.Value, v.Offset + v.Range); // fill after, contiguous
        }
        if (roll < 60 && vm.Next(v.Id) is { } n1 && vm.Next(n1) is { } n2)
        {
            var last = vm.GetVa(n2);
            var end = last.Addr + Page + ((ulong)rng.NextInt64(0, (long)(last.Range / Page)) * Page);
            var start = v.Addr + ((ulong)rng.NextInt64(0, (long)pages) * Page);
            return new BenchRequest(rng.Next(3) != 0, start, end - start, bo, 0); // cover several (map or unmap)
        }
        return new BenchRequest(false, v.Addr, v.Range, 0, 0); // unmap exact
    }
}

/// <summary>
/// The naive baseline: the same VA space as a sorted List, every request found by a linear scan
/// from the start and applied with List insert/remove, with the kernel's split semantics (prev/next
/// pieces with their offsets, no merging), so it ends in exactly the state the model ends in.
/// </summary>
internal sealed class SortedListVaSpace
{
    private readonly List<BenchRequest> vas = [];

    public SortedListVaSpace(IEnumerable<BenchRequest> population)
    {
        foreach (var r in population)
            Apply(r);
    }

    public int Count => vas.Count;

    public IEnumerable<(ulong Addr, ulong Range, long Bo, ulong Offset)> Vas => vas.Select(v => (v.Addr, v.Range, v.Bo, v.Offset));

    public void Apply(in BenchRequest r)
    {
        var end = r.Addr + r.Range;
        var i = 0;
        while (i < vas.Count && vas[i].Addr + vas[i].Range <= r.Addr)
            i++;
        while (i < vas.Count && vas[i].Addr < end)
        {
            var va = vas[i];
            var vaEnd = va.Addr + va.Range;
            vas.RemoveAt(i);
            if (va.Addr < r.Addr)
                vas.Insert(i++, va with { Range = r.Addr - va.Addr });
            if (vaEnd > end)
            {
                vas.Insert(i, va with { Addr = end, Range = vaEnd - end, Offset = va.Offset + (end - va.Addr) });
                break;
            }
        }
        if (r.IsMap)
            vas.Insert(i, r);
    }
}
