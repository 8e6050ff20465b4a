using System.Collections.Immutable;

namespace Gpuvmsim.Model;

/// <summary>An immutable copy of one vm_bo.</summary>
/// <param name="Listed">On obj->gpuva.list (false for a drm_gpuvm_bo_create'd vm_bo not yet obtained).</param>
/// <param name="Vas">vm_bo->list.gpuva in list order.</param>
public sealed record GpuVmBoSnapshot(
    VmBoId Id, int RefCount, bool Listed, bool Evicted, bool OnEvictList, bool OnExtobjList, bool WeakObjRef, ImmutableArray<VaId> Vas)
{
    public bool Equals(GpuVmBoSnapshot? other) =>
        other is not null && Id == other.Id && RefCount == other.RefCount && Listed == other.Listed && Evicted == other.Evicted
        && OnEvictList == other.OnEvictList && OnExtobjList == other.OnExtobjList && WeakObjRef == other.WeakObjRef
        && Messages.Structural.Equal(Vas, other.Vas);

    public override int GetHashCode() => HashCode.Combine(Id, RefCount, Listed, Evicted, WeakObjRef, Messages.Structural.Hash(Vas));
}
