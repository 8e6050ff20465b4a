// DOC: The helpers that apply split/merge steps to a GpuVm: drm_gpuva_map, drm_gpuva_remap,
// drm_gpuva_unmap (drivers/gpu/drm/drm_gpuvm.c), and a step handler that uses them in place.
//
// drm_gpuva_map initialises a new drm_gpuva from a MAP step and inserts it; drm_gpuva_remap
// removes the REMAP's VA and inserts its prev and next pieces; drm_gpuva_unmap removes the
// UNMAP's VA. Every new mapping is a new VA (new id), even when it looks like a removed one:
// that is how the test vectors were produced (gpuvm-ops-format.md, "with a new drm_gpuva for
// each new mapping"). The kernel ignores drm_gpuva_insert's result inside drm_gpuva_map; the
// model returns it so a caller can see the (otherwise silent) failure.
//
// These helpers touch only the VA space. vm_bo linking, object references and page tables are
// the caller's (see GpuVmWorld for the whole kernel flow). Caller holds the VM lock.

namespace Gpuvmsim.Model;

/// <summary>The result of drm_gpuva_remap: the removal and the (optional) insertions of prev and next.</summary>
public readonly record struct RemapResult(RemoveResult Removed, InsertResult? Prev, InsertResult? Next);

public sealed partial class GpuVm
{
    /// <summary>drm_gpuva_map: inserts a new VA initialised from <paramref name="op"/> with <paramref name="flags"/>.</summary>
    public InsertResult Map(in OpMap op, GpuVaFlags flags = GpuVaFlags.None) => Insert(VaInit.From(op, flags));

    /// <summary>
    /// drm_gpuva_remap: removes <c>op.Unmap.Va</c>, then inserts prev and next (new VAs with
    /// <paramref name="pieceFlags"/>; the drm helper leaves flags to the driver, msm copies the
    /// original's flags).
    /// </summary>
    public RemapResult Remap(in OpRemap op, GpuVaFlags pieceFlags = GpuVaFlags.None)
    {
        var removed = Remove(op.Unmap.Va.Id);
        InsertResult? prev = op.Prev is { } p ? Insert(VaInit.From(p, pieceFlags)) : null;
        InsertResult? next = op.Next is { } n ? Insert(VaInit.From(n, pieceFlags)) : null;
        return new RemapResult(removed, prev, next);
    }

    /// <summary>drm_gpuva_op_remap_to_unmap_range: the (start, range) a REMAP leaves empty (see <see cref="OpRemap.UnmapRange"/>).</summary>
    public static (ulong Start, ulong Range) RemapToUnmapRange(in OpRemap remap) => remap.UnmapRange();

    /// <summary>drm_gpuva_unmap: removes <c>op.Va</c>.</summary>
    public RemoveResult Unmap(in OpUnmap op) => Remove(op.Va.Id);

    /// <summary>Applies one step with the helper for its kind (the generator's loop over an ops list).</summary>
    public void Apply(in GpuVaOp op)
    {
        switch (op.Kind)
        {
            case GpuVaOpKind.Map:
                Map(op.Map);
                break;
            case GpuVaOpKind.Remap:
                Remap(op.Remap);
                break;
            default:
                Unmap(op.Unmap);
                break;
        }
    }
}

/// <summary>
/// A step handler that applies each step to the GpuVm being walked, right away, with
/// drm_gpuva_map/remap/unmap: the fastest path a VM actor has (no ops list, no allocation per
/// step). REMAP pieces inherit the original's flags, as msm's sm_step_remap does.
/// </summary>
public sealed class InPlaceStepHandler(GpuVm vm) : ISmStepHandler
{
    /// <summary>Flags given to the VA each MAP step inserts (msm: arg->flags).</summary>
    public GpuVaFlags MapFlags { get; set; }

    /// <summary>The VA the last MAP step inserted.</summary>
    public VaId LastMapped { get; private set; }

    public int StepMap(in OpMap op)
    {
        var r = vm.Map(op, MapFlags);
        LastMapped = r.Id;
        return r.Errno;
    }

    public int StepRemap(in OpRemap op)
    {
        vm.Remap(op, op.Unmap.Va.Flags);
        return 0;
    }

    public int StepUnmap(in OpUnmap op)
    {
        vm.Unmap(op);
        return 0;
    }
}
