// DOC: VM_BIND requests as the model receives them, and their validation.
//
// A MapRequest maps [addr, addr+range) to a BO at an offset (obj == null: a NULL/sparse mapping,
// msm MAP_NULL); an UnmapRequest unmaps [addr, addr+range). They are immutable values.
//
// Two checks exist side by side, because the kernel and msm differ (spec §1.1, §4.2, S19):
// * RequestValidator.CheckKernelRange is drm_gpuvm_range_valid and nothing else: no u64
//   overflow, inside the VA space, off the kernel node. It accepts range 0 and never looks at
//   the BO. This is what drm_gpuvm_sm_map/sm_unmap apply, and what the gpuvm-ops verb uses.
// * RequestValidator.CheckMap/CheckUnmap is the stricter msm lookup_op check plus the Aug 2025
//   "offset/range validation" fix: page-aligned addr, range and offset; range > 0; no overflow;
//   inside the space; offset + range within the BO when its size is known.
// A rejection is a RequestError value naming the rule and the field; nothing is changed and no
// exception is thrown (exceptions are for the CLI edge). No lock: pure functions of the request
// and the VM's bounds (which never change after drm_gpuvm_init).

namespace Gpuvmsim.Model;

/// <summary>A request against one VM.</summary>
public abstract record VmRequest(ulong Addr, ulong Range)
{
    /// <summary>addr + range (wrapping).</summary>
    public ulong End => unchecked(Addr + Range);
}

/// <summary>Map [Addr, Addr+Range) to <paramref name="Obj"/> at <paramref name="Offset"/> (null Obj: NULL mapping).</summary>
/// <param name="Flags">The VA flags the driver assigns (msm: MSM_VMA_DUMP for MAP with the DUMP flag).</param>
public sealed record MapRequest(ulong Addr, ulong Range, ObjId? Obj, ulong Offset, GpuVaFlags Flags = GpuVaFlags.None)
    : VmRequest(Addr, Range)
{
    /// <summary>The request as drm_gpuvm_map_req (a drm_gpuva_op_map).</summary>
    public OpMap Op => new(Addr, Range, Obj, Offset);
}

/// <summary>Unmap [Addr, Addr+Range).</summary>
public sealed record UnmapRequest(ulong Addr, ulong Range) : VmRequest(Addr, Range);

/// <summary>The rule a rejected request broke.</summary>
public enum Rule
{
    /// <summary>addr, range or offset is not a multiple of the page size.</summary>
    Unaligned,

    /// <summary>range is 0 (the kernel accepts it; msm's strict check does not).</summary>
    ZeroRange,

    /// <summary>addr + range (or offset + range) overflows u64.</summary>
    Overflow,

    /// <summary>[addr, addr+range) is not inside [mm_start, mm_start+mm_range).</summary>
    OutsideVaSpace,

    /// <summary>[addr, addr+range) overlaps the kernel-reserved node.</summary>
    KernelNode,

    /// <summary>offset + range is beyond the end of the BO.</summary>
    BeyondObject,

    /// <summary>The BO does not exist (msm's handle lookup fails: -ENOENT).</summary>
    NoSuchObject,
}

/// <summary>A rejected request: which rule, which field, and a readable message.</summary>
public sealed record RequestError(Rule Rule, string Field, string Message)
{
    /// <summary>The errno msm returns for it: -ENOENT for a missing BO, -EINVAL for every other rule.</summary>
    public int Errno => Rule == Rule.NoSuchObject ? -Model.Errno.ENOENT : -Model.Errno.EINVAL;

    public override string ToString() => Message;
}

/// <summary>The kernel-exact and the strict request checks (see the file's DOC).</summary>
public static class RequestValidator
{
    /// <summary>The page size msm checks against (PAGE_SIZE on arm64 with 4 KiB pages).</summary>
    public const ulong DefaultPageSize = 4096;

    /// <summary>
    /// drm_gpuvm_range_valid, explained: null when the kernel accepts [addr, addr+range) for
    /// <paramref name="vm"/>, else the first of its three conditions that fails.
    /// </summary>
    public static RequestError? CheckKernelRange(GpuVm vm, ulong addr, ulong range)
    {
        if (GpuVm.Overflows(addr, range))
            return new RequestError(Rule.Overflow, "range", $"addr 0x{addr:x} + range 0x{range:x} overflows u64");
        if (!vm.InMmRange(addr, range))
            return new RequestError(Rule.OutsideVaSpace, addr < vm.MmStart ? "addr" : "range",
                $"[0x{addr:x}, 0x{unchecked(addr + range):x}) is outside the VA space {VaSpaceText(vm)}");
        if (vm.InKernelNode(addr, range))
            return new RequestError(Rule.KernelNode, "addr",
                $"[0x{addr:x}, 0x{unchecked(addr + range):x}) overlaps the kernel-reserved node [0x{vm.ReserveOffset:x}, +0x{vm.ReserveRange:x})");
        return null;
    }

    /// <summary>
    /// The VA space as a half-open range. One that ends exactly at 2^64 wraps to 0 in u64: drm_gpuvm_init warns
    /// about it, and drm_gpuvm_in_mm_range then refuses every request, which the text says instead of printing 0x0.
    /// </summary>
    private static string VaSpaceText(GpuVm vm) =>
        vm.MmEnd > vm.MmStart || vm.MmRange == 0
            ? $"[0x{vm.MmStart:x}, 0x{vm.MmEnd:x})"
            : $"[0x{vm.MmStart:x}, +0x{vm.MmRange:x}), whose end overflows u64 (drm_gpuvm_init warns; no request fits)";

    /// <summary>The strict check of a map request; <paramref name="objSize"/> is the BO's size when known.</summary>
    public static RequestError? CheckMap(GpuVm vm, MapRequest req, ulong? objSize, ulong pageSize = DefaultPageSize) =>
        Aligned("addr", req.Addr, pageSize) ?? Aligned("range", req.Range, pageSize) ?? Aligned("offset", req.Offset, pageSize)
        ?? NonZero(req.Range) ?? CheckKernelRange(vm, req.Addr, req.Range) ?? WithinObject(req, objSize);

    /// <summary>The strict check of an unmap request.</summary>
    public static RequestError? CheckUnmap(GpuVm vm, UnmapRequest req, ulong pageSize = DefaultPageSize) =>
        Aligned("addr", req.Addr, pageSize) ?? Aligned("range", req.Range, pageSize)
        ?? NonZero(req.Range) ?? CheckKernelRange(vm, req.Addr, req.Range);

    /// <summary>The strict check of either kind of request.</summary>
    public static RequestError? Check(GpuVm vm, VmRequest req, ulong? objSize = null, ulong pageSize = DefaultPageSize) => req switch
    {
        MapRequest m => CheckMap(vm, m, objSize, pageSize),
        UnmapRequest u => CheckUnmap(vm, u, pageSize),
        _ => throw new ArgumentOutOfRangeException(nameof(req), req, "unknown request kind"),
    };

    private static RequestError? Aligned(string field, ulong value, ulong pageSize) =>
        pageSize != 0 && value % pageSize != 0
            ? new RequestError(Rule.Unaligned, field, $"{field} 0x{value:x} is not a multiple of the 0x{pageSize:x} page size")
            : null;

    private static RequestError? NonZero(ulong range) =>
        range == 0 ? new RequestError(Rule.ZeroRange, "range", "range is 0") : null;

    private static RequestError? WithinObject(MapRequest req, ulong? objSize)
    {
        if (req.Obj is null || objSize is not { } size)
            return null;
        if (GpuVm.Overflows(req.Offset, req.Range))
            return new RequestError(Rule.Overflow, "offset", $"offset 0x{req.Offset:x} + range 0x{req.Range:x} overflows u64");
        return req.Offset + req.Range > size
            ? new RequestError(Rule.BeyondObject, "offset",
                $"offset 0x{req.Offset:x} + range 0x{req.Range:x} is beyond the end of {req.Obj} (size 0x{size:x})")
            : null;
    }
}
