// DOC: The split/merge steps (struct drm_gpuva_op and its parts) and the callback contract.
//
// drm_gpuvm_sm_map / drm_gpuvm_sm_unmap describe how to integrate a request as a sequence of
// steps: MAP (insert the requested mapping), REMAP (remove an existing mapping and put back the
// piece in front of the request, `prev`, and/or after it, `next`) and UNMAP (remove an existing
// mapping; `keep` says the old PTEs could be kept). These records are the model's copies of
// drm_gpuva_op_map, drm_gpuva_op_unmap, drm_gpuva_op_remap and drm_gpuva_op
// (include/drm/drm_gpuvm.h). They are immutable values: the ops-list form returns them, the
// callback form passes them by reference, actors can put them in messages.
//
// An OpUnmap names the VA it removes by its VaId and carries a GpuVa snapshot taken when the step
// was generated, exactly as the kernel's op points at the live drm_gpuva.
//
// The callback form calls an ISmStepHandler (the kernel's sm_step_map/remap/unmap in
// drm_gpuvm_ops). A handler returns 0 or a negative errno; a non-zero value stops the walk at
// once and is returned with no rollback (spec §3.1 step 5, example E20). Handlers run while the
// walk holds no lock of its own: the caller holds whatever serialises the VM (spec §1.1).

using System.Collections.Immutable;

namespace Gpuvmsim.Model;

/// <summary>drm_gpuva_op_map: a mapping to insert; also the map request (drm_gpuvm_map_req wraps one).</summary>
public readonly record struct OpMap(ulong Addr, ulong Range, ObjId? Obj, ulong Offset)
{
    /// <summary>addr + range (wrapping).</summary>
    public ulong End => unchecked(Addr + Range);

    public override string ToString() =>
        $"[0x{Addr:x},+0x{Range:x}) {(Obj is { } o ? o.ToString() : "NULL")}@0x{Offset:x}";
}

/// <summary>drm_gpuva_op_unmap: remove <paramref name="Va"/>; <paramref name="Keep"/> says its PTEs could be kept.</summary>
public readonly record struct OpUnmap(GpuVa Va, bool Keep);

/// <summary>drm_gpuva_op_remap: remove <c>Unmap.Va</c>, re-insert <paramref name="Prev"/> and/or <paramref name="Next"/>.</summary>
public readonly record struct OpRemap(OpUnmap Unmap, OpMap? Prev, OpMap? Next)
{
    /// <summary>
    /// drm_gpuva_op_remap_to_unmap_range: the hole the remap leaves, from the end of prev (or the
    /// VA's start) to the start of next (or the VA's end). In sm_map this is the VA ∩ the request.
    /// </summary>
    public (ulong Start, ulong Range) UnmapRange()
    {
        var start = Prev is { } p ? unchecked(p.Addr + p.Range) : Unmap.Va.Addr;
        var end = Next is { } n ? n.Addr : Unmap.Va.End;
        return (start, unchecked(end - start));
    }
}

/// <summary>enum drm_gpuva_op_type (the kinds sm_map and sm_unmap produce).</summary>
public enum GpuVaOpKind
{
    Map,
    Remap,
    Unmap,
}

/// <summary>struct drm_gpuva_op: one step of an ops list. Read the part that <see cref="Kind"/> names.</summary>
public readonly record struct GpuVaOp
{
    private GpuVaOp(GpuVaOpKind kind, OpMap map, OpRemap remap, OpUnmap unmap)
    {
        Kind = kind;
        Map = map;
        Remap = remap;
        Unmap = unmap;
    }

    public GpuVaOpKind Kind { get; }

    /// <summary>The MAP step (valid when <see cref="Kind"/> is Map).</summary>
    public OpMap Map { get; }

    /// <summary>The REMAP step (valid when <see cref="Kind"/> is Remap).</summary>
    public OpRemap Remap { get; }

    /// <summary>The UNMAP step (valid when <see cref="Kind"/> is Unmap).</summary>
    public OpUnmap Unmap { get; }

    public static GpuVaOp ForMap(in OpMap map) => new(GpuVaOpKind.Map, map, default, default);

    public static GpuVaOp ForRemap(in OpRemap remap) => new(GpuVaOpKind.Remap, default, remap, default);

    public static GpuVaOp ForUnmap(in OpUnmap unmap) => new(GpuVaOpKind.Unmap, default, default, unmap);

    /// <summary>Calls the handler method for this step's kind (what drm_gpuvm_sm_map does per step).</summary>
    public int Dispatch(ISmStepHandler handler) => Kind switch
    {
        GpuVaOpKind.Map => handler.StepMap(Map),
        GpuVaOpKind.Remap => handler.StepRemap(Remap),
        _ => handler.StepUnmap(Unmap),
    };

    public override string ToString() => Kind switch
    {
        GpuVaOpKind.Map => $"MAP {Map}",
        GpuVaOpKind.Remap => $"REMAP unmap={Remap.Unmap.Va} keep={Remap.Unmap.Keep} prev={Remap.Prev?.ToString() ?? "-"} next={Remap.Next?.ToString() ?? "-"}",
        _ => $"UNMAP {Unmap.Va} keep={Unmap.Keep}",
    };
}

/// <summary>
/// The driver's step callbacks (drm_gpuvm_ops.sm_step_map / sm_step_remap / sm_step_unmap).
/// Each returns 0 to continue or a negative errno to stop the walk immediately (no rollback).
/// Handlers may modify the GpuVm being walked (that is how drivers apply steps in place).
/// </summary>
public interface ISmStepHandler
{
    /// <summary>Insert the requested mapping (always the last step of sm_map).</summary>
    int StepMap(in OpMap op);

    /// <summary>Split an existing mapping the request only partly covers.</summary>
    int StepRemap(in OpRemap op);

    /// <summary>Remove an existing mapping the request fully covers.</summary>
    int StepUnmap(in OpUnmap op);
}

/// <summary>How a callback walk (SmMap, SmUnmap, SmUnmapVa) ended.</summary>
/// <param name="Errno">0, -EINVAL for an invalid range, or the first non-zero value a handler returned.</param>
/// <param name="DanglingVa">
/// Set when the walk was about to touch a VA that is no longer in the tree: a handler removed the
/// VA the safe iterator had saved as `next` (drm_gpuvm_for_each_va_range_safe), or SmUnmapVa got
/// a removed VA. The kernel would read freed memory there; the walk stopped and names the VA.
/// </param>
public readonly record struct WalkResult(int Errno, VaId? DanglingVa = null)
{
    /// <summary>The walk ran to its end without error.</summary>
    public bool Ok => Errno == 0 && DanglingVa is null;
}

/// <summary>The result of drm_gpuvm_sm_map_ops_create / drm_gpuvm_sm_unmap_ops_create.</summary>
/// <param name="Errno">0 or -EINVAL (invalid range: no ops).</param>
/// <param name="Ops">The steps in kernel order; empty when Errno is non-zero.</param>
public sealed record OpsResult(int Errno, ImmutableArray<GpuVaOp> Ops)
{
    public bool Ok => Errno == 0;
}
