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
    /// <remarks>Each step continues after the previous VA's key, so the caller may change the VM while enumerating. A
    /// struct, so that <c>foreach</c> allocates nothing: the invariants walk every VM after every delivery.</remarks>
    public VaWalk Vas(bool includeKernelNode = false) => new(this, includeKernelNode);

    /// <summary>The sequence of <see cref="Vas"/>; <c>foreach</c> over it allocates nothing.</summary>
    public readonly struct VaWalk(GpuVm vm, bool includeKernelNode) : IEnumerable<GpuVa>
    {
        public Enumerator GetEnumerator() => new(vm, includeKernelNode);

        IEnumerator<GpuVa> IEnumerable<GpuVa>.GetEnumerator() => GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public struct Enumerator(GpuVm vm, bool includeKernelNode) : IEnumerator<GpuVa>
        {
            private bool started;
            private GpuVa current;

            public readonly GpuVa Current => current;

            readonly object System.Collections.IEnumerator.Current => current;

            public bool MoveNext()
            {
                while (true)
                {
                    var p = started ? vm.tree.After(current.Addr, current.Id.Seq) : vm.tree.First();
                    started = true;
                    if (!p.Valid)
                        return false;
                    current = vm.Snapshot(p);
                    if (includeKernelNode || !current.IsKernelNode)
                        return true;
                }
            }

            public void Reset() => started = false;

            public readonly void Dispose()
            {
            }
        }
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
        for (var p = tree.First(); p.Valid; p = tree.Next(p))
        {
            var va = Snapshot(p);
            StableHash.Add(ref hash, va.Addr);
            StableHash.Add(ref hash, va.Range);
            StableHash.Add(ref hash, va.Obj?.Value);
            StableHash.Add(ref hash, va.Offset);
            StableHash.Add(ref hash, (ulong)va.Flags);
            StableHash.Add(ref hash, va.Mapped);
            StableHash.Add(ref hash, va.IsKernelNode);
            StableHash.Add(ref hash, va.VmBo.HasValue);
            if (va.VmBo is { } b)
            {
                StableHash.Add(ref hash, b.Obj.Value);
                StableHash.Add(ref hash, (long)b.Vm.Value);
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

    /// <summary>What invariant 1 compares: ids by a recursive walk of the tree, ids along rb.list (the leaf chain), and the tree's own shape check.</summary>
    internal (List<VaId> TreeOrder, List<VaId> ListOrder, string? ShapeError) StructureView()
    {
        var keys = new List<(ulong Addr, ulong Seq)>(tree.Count);
        tree.InOrder(keys);
        var list = new List<VaId>(tree.Count);
        for (var p = tree.First(); p.Valid && list.Count <= tree.Count; p = tree.Next(p))
            list.Add(new VaId(tree.SeqAt(p), tree.AddrAt(p)));
        return ([.. keys.Select(k => new VaId(k.Seq, k.Addr))], list, tree.CheckShape());
    }
}
