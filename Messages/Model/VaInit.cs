namespace Gpuvmsim.Model;

/// <summary>A drm_gpuva to insert (what drm_gpuva_init fills in), plus msm's flags.</summary>
public readonly record struct VaInit(ulong Addr, ulong Range, ObjId? Obj, ulong Offset, GpuVaFlags Flags = GpuVaFlags.None)
{
    public static VaInit From(in OpMap op, GpuVaFlags flags = GpuVaFlags.None) => new(op.Addr, op.Range, op.Obj, op.Offset, flags);
}
