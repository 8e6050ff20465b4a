using System.Collections.Immutable;
using Gpuvmsim.Messages.Locks;
using Gpuvmsim.Model;

namespace Gpuvmsim.Messages.Vm;

// The protocol of a VM actor (drm_gpuvm + msm_gem_vm). Every request names the context it acts for, so the VM
// can check the lock the kernel function requires (its own vm_lock/op_lock/mm_lock). Lock requests use
// Gpuvmsim.Messages.Locks.

/// <summary>
/// The start of <c>drm_gpuvm_for_each_va_range_safe</c>: the first VA overlapping [Addr, Addr+Range) and its list
/// successor (the iterator's saved <c>next</c>). Sent by a context; answered with <see cref="VaCursor"/>.
/// </summary>
public sealed record FindFirstVa(ContextId From, ulong Addr, ulong Range);

/// <summary>Re-reads a VA the context saved earlier (the iterator's <c>next</c>); answered with <see cref="VaCursor"/>.</summary>
public sealed record LookupVa(ContextId From, VaId Va);

/// <summary>A VA and its list successor; <see cref="Va"/> is null when there is none, or when the VA asked for was removed.</summary>
public sealed record VaCursor(GpuVa? Va, VaId? Next);

/// <summary>All VAs overlapping a range, in address order; answered with <see cref="VaList"/>.</summary>
public sealed record ListVas(ContextId From, ulong Addr, ulong Range);

public sealed record VaList(ImmutableArray<GpuVa> Vas)
{
    public bool Equals(VaList? other) => other is not null && Structural.Equal(Vas, other.Vas);

    public override int GetHashCode() => Structural.Hash(Vas);
}

/// <summary><c>drm_gpuvm_sm_map</c> against the live tree, as its list of steps; answered with <see cref="SmSteps"/>.</summary>
public sealed record PlanSmMap(ContextId From, OpMap Request);

/// <summary><c>drm_gpuvm_sm_unmap</c> against the live tree; answered with <see cref="SmSteps"/>.</summary>
public sealed record PlanSmUnmap(ContextId From, ulong Addr, ulong Range);

/// <summary>v2's <c>drm_gpuvm_sm_unmap_va</c> on one VA with the given request range; answered with <see cref="SmSteps"/>.</summary>
public sealed record PlanSmUnmapVa(ContextId From, VaId Va, ulong ReqAddr, ulong ReqRange);

/// <summary>The steps split/merge produced (no state changed); Errno is -EINVAL for an invalid range.</summary>
public sealed record SmSteps(int Errno, ImmutableArray<GpuVaOp> Ops)
{
    public bool Equals(SmSteps? other) => other is not null && Errno == other.Errno && Structural.Equal(Ops, other.Ops);

    public override int GetHashCode() => HashCode.Combine(Errno, Structural.Hash(Ops));
}

/// <summary><c>drm_gpuva_insert</c> (needs vm_lock; a VM_BIND VM in v2 also op_lock); answered with <see cref="VaInserted"/>.</summary>
public sealed record InsertVa(ContextId From, VaInit Va, string Function);

public sealed record VaInserted(int Errno, VaId Id);

/// <summary><c>drm_gpuva_remove</c>; answered with <see cref="VaRemoved"/>.</summary>
public sealed record RemoveVa(ContextId From, VaId Va, string Function);

/// <summary>The VA as it was when removed; Removed is false if it was already gone (a use-after-free).</summary>
public sealed record VaRemoved(GpuVa Va, bool Removed);

/// <summary>
/// Sets msm_gem_vma fields of a VA (mapped, flags, the vm_bo link); answered with <see cref="VaUpdated"/>. Answered, not
/// fire-and-forget: these fields are guarded by the object's lock, which another actor owns, so the writer must know
/// the write landed before it lets that lock go.
/// </summary>
public sealed record UpdateVa(ContextId From, VaId Va, bool? Mapped = null, GpuVaFlags? Flags = null, VmBoId? LinkVmBo = null);

/// <summary>The update landed (<see cref="Applied"/> false: the VA no longer exists).</summary>
public sealed record VaUpdated(bool Applied);

/// <summary><c>drm_mm_insert_node_in_range</c> of a kernel-managed VM (needs mm_lock); answered with <see cref="MmNodeInserted"/>.</summary>
public sealed record MmInsertNode(ContextId From, ulong Size);

public sealed record MmNodeInserted(int Errno, ulong Addr);

/// <summary><c>drm_mm_remove_node</c> (needs mm_lock). No answer.</summary>
public sealed record MmRemoveNode(ContextId From, ulong Addr);

/// <summary>Sets <c>vm->unusable</c> (it never clears). No answer.</summary>
public sealed record MarkVmUnusable(ContextId From, string Reason);

/// <summary>Reads <c>vm->unusable</c>; answered with <see cref="VmUnusableState"/>.</summary>
public sealed record QueryVmUnusable(ContextId From);

public sealed record VmUnusableState(bool Unusable);

/// <summary>A vm_bo took (+1) or dropped (−1) its reference on the VM (<c>drm_gpuvm_get/put</c>). Sent by a BO actor; no answer.</summary>
public sealed record VmRefDelta(int Delta);
