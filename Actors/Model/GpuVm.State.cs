// DOC: GpuVm's snapshots and state hash.
//
// A snapshot is an immutable copy of the VA space in rb.list order (what the gpuvm-ops `final`
// list and the invariant checks read). The state hash feeds, in address order, every field that
// determines behaviour: the space, the kref, and per VA addr, range, obj, offset, flags, mapped
// and the linked vm_bo's (vm, obj). VA ids and vm_bo serials are names, not state, and are left
// out, so two histories that reach the same mappings hash alike. Caller holds the VM lock.

using System.Collections.Immutable;

namespace Gpuvmsim.Model;

/// <summary>An immutable copy of one VA space.</summary>
/// <param name="Vas">Every VA in rb.list (address) order, without the kernel_alloc_node.</param>
public sealed record GpuVmSnapshot(VmId Id, ulong MmStart, ulong MmRange, int RefCount, bool IsFreed, ImmutableArray<GpuVa> Vas);

public sealed partial class GpuVm
{
    /// <summary>Every VA in rb.list order (address order), without the kernel_alloc_node unless asked for.</summary>
    public IEnumerable<GpuVa> Vas(bool includeKernelNode = false)
    {
        for (var i = head; i >= 0; i = slots[i].Next)
            if (includeKernelNode || i != kernelSlot)
                yield return Snapshot(i);
    }

    /// <summary>An immutable copy of the whole VA space.</summary>
    public GpuVmSnapshot Snapshot() => new(Id, MmStart, MmRange, RefCount, IsFreed, [.. Vas()]);

    /// <summary>Adds this VA space to a state hash (see the file's DOC for what is included).</summary>
    public void AddState(ref ulong hash)
    {
        StableHash.Add(ref hash, (long)Id.Value);
        StableHash.Add(ref hash, MmStart);
        StableHash.Add(ref hash, MmRange);
        StableHash.Add(ref hash, (long)kref.Count);
        StableHash.Add(ref hash, IsFreed);
        StableHash.Add(ref hash, (long)tree.Count);
        for (var i = head; i >= 0; i = slots[i].Next)
        {
            ref var s = ref slots[i];
            StableHash.Add(ref hash, s.Addr);
            StableHash.Add(ref hash, s.Range);
            StableHash.Add(ref hash, s.HasObj ? s.Obj : null);
            StableHash.Add(ref hash, s.Offset);
            StableHash.Add(ref hash, (ulong)s.Flags);
            StableHash.Add(ref hash, s.Mapped);
            StableHash.Add(ref hash, s.HasVmBo);
            if (s.HasVmBo)
            {
                StableHash.Add(ref hash, s.VmBo.Obj.Value);
                StableHash.Add(ref hash, (long)s.VmBo.Vm.Value);
            }
        }
    }

    /// <summary>This VA space's state hash alone.</summary>
    public ulong StateHash()
    {
        var hash = StableHash.Seed;
        AddState(ref hash);
        return hash;
    }

    /// <summary>What invariant 1 compares: ids in tree (in-order) order, ids in list order, and the tree's own shape check.</summary>
    internal (List<VaId> TreeOrder, List<VaId> ListOrder, string? ShapeError) StructureView()
    {
        var treeSlots = new List<int>(tree.Count);
        tree.InOrder(treeSlots);
        var list = new List<VaId>(tree.Count);
        for (var i = head; i >= 0 && list.Count <= tree.Count; i = slots[i].Next)
            list.Add(new VaId(i, slots[i].Generation));
        return ([.. treeSlots.Select(s => new VaId(s, slots[s].Generation))], list, tree.CheckShape());
    }
}
