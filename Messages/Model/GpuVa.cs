// DOC: drm_gpuva, the value a caller sees of one mapping.
//
// The live mapping is stored inside its GpuVm (owned by the VM actor; guarded by the VM lock:
// vm_lock in v2, the VM's dma_resv in merged). Callers get GpuVa snapshots: immutable copies of
// the kernel fields (va.addr, va.range, gem.obj, gem.offset, flags, vm_bo) plus msm's `mapped`
// bool (struct msm_gem_vma), taken at the moment of the call.
//
// A NULL (sparse) mapping has Obj == null. Offsets are kept exactly as the kernel keeps them,
// so a piece of a split NULL mapping can carry a non-zero offset (spec §1.2, §3, example x22).
// Flags: DRM_GPUVA_INVALIDATED = 1, DRM_GPUVA_SPARSE = 2, DRM_GPUVA_USERBITS = 4 and up; msm's
// MSM_VMA_DUMP = DRM_GPUVA_USERBITS << 0 (include/drm/drm_gpuvm.h, msm_gem.h).

namespace Gpuvmsim.Model;

/// <summary>enum drm_gpuva_flags. Bits from <see cref="UserBits"/> up belong to the driver.</summary>
[Flags]
public enum GpuVaFlags : uint
{
    None = 0,

    /// <summary>DRM_GPUVA_INVALIDATED: the backing GEM object is invalidated.</summary>
    Invalidated = 1 << 0,

    /// <summary>DRM_GPUVA_SPARSE: a sparse mapping.</summary>
    Sparse = 1 << 1,

    /// <summary>DRM_GPUVA_USERBITS: the first driver-defined bit.</summary>
    UserBits = 1 << 2,
}

/// <summary>msm's driver bits in <see cref="GpuVaFlags"/>.</summary>
public static class MsmVmaFlags
{
    /// <summary>MSM_VMA_DUMP (= DRM_GPUVA_USERBITS &lt;&lt; 0): include the mapping in GPU crash dumps.</summary>
    public const GpuVaFlags Dump = GpuVaFlags.UserBits;
}

/// <summary>A snapshot of one drm_gpuva (plus msm_gem_vma's <c>mapped</c>).</summary>
/// <param name="Id">The VA's id in its GpuVm; never reused.</param>
/// <param name="Addr">va.addr.</param>
/// <param name="Range">va.range.</param>
/// <param name="Obj">gem.obj; null for a NULL/sparse mapping.</param>
/// <param name="Offset">gem.offset, as the kernel holds it (also for NULL mappings).</param>
/// <param name="Flags">The whole flags field (msm assigns it, overwriting everything).</param>
/// <param name="Mapped">msm_gem_vma.mapped: PTEs exist (v2) or will exist once queued vm_ops ran (merged).</param>
/// <param name="VmBo">va->vm_bo: the linked drm_gpuvm_bo, null for NULL mappings and before drm_gpuva_link.</param>
/// <param name="IsKernelNode">This is the VM's kernel_alloc_node (reserved, holds no VM reference, cannot be removed).</param>
public readonly record struct GpuVa(
    VaId Id, ulong Addr, ulong Range, ObjId? Obj, ulong Offset,
    GpuVaFlags Flags = GpuVaFlags.None, bool Mapped = false, VmBoId? VmBo = null, bool IsKernelNode = false)
{
    /// <summary>addr + range (u64, wraps like the kernel's arithmetic).</summary>
    public ulong End => unchecked(Addr + Range);

    /// <summary>The interval tree's GPUVA_LAST: addr + range - 1 (wraps for range 0 at address 0).</summary>
    public ulong Last => unchecked(Addr + Range - 1);

    /// <summary>A NULL (sparse, PRR-backed) mapping.</summary>
    public bool IsNull => Obj is null;

    public override string ToString() =>
        $"{Id}[0x{Addr:x},+0x{Range:x}) {(Obj is { } o ? o.ToString() : "NULL")}@0x{Offset:x}";
}
