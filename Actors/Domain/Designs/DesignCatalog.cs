using System.Collections.Immutable;

namespace Gpuvmsim.Domain.Designs;

/// <summary>
/// The built-in designs of the v2 world (issue 4):
/// <list type="bullet">
/// <item><c>v2</c>: the seed patch as posted, every bug of kernel-model.md §5 on;</item>
/// <item><c>v2-fixed</c>: the same locking with each bug fixed (one knob each);</item>
/// <item><c>vm-lock-first</c>, <c>obj-lock-first</c>: v2-fixed with the two lock orders that the seed's comment in
/// <c>run_bo_unmap</c> explains are broken (§2.2).</item>
/// </list>
/// </summary>
public static class DesignCatalog
{
    public static Design V2 { get; } = new(
        "v2",
        "[PATCH v2 28/34] drm/msm: Wire up gpuvm ops, as posted (with its bugs)",
        Knobs.All.ToImmutableSortedDictionary(k => k.Name, k => DefaultOf(k), StringComparer.Ordinal));

    public static Design V2Fixed { get; } = V2.With("v2-fixed",
    [
        new(Knobs.RetShadowing.Name, "off"),
        new(Knobs.UnmapUninitRet.Name, "off"),
        new(Knobs.OverUnmap.Name, "off"),
        new(Knobs.UnmapPreallocVmas.Name, "2"),
        new(Knobs.PreallocNullUnchecked.Name, "off"),
        new(Knobs.MapLocksOnlyNewBo.Name, "off"),
        new(Knobs.RemapClosesBeforeLink.Name, "off"),
        new(Knobs.RemapMarksPiecesMapped.Name, "off"),
        new(Knobs.CleanupPutWithoutLock.Name, "off"),
        new(Knobs.KilledJobLeaks.Name, "off"),
    ], "v2's locking with each bug of §5 fixed");

    public static Design VmLockFirst { get; } = V2Fixed.With("vm-lock-first",
        [new(Knobs.LockOrder.Name, "vm-lock-first")],
        "v2-fixed, but VM_BIND paths take vm_lock before the object locks (order 2 of the seed's comment)");

    public static Design ObjLockFirst { get; } = V2Fixed.With("obj-lock-first",
        [new(Knobs.LockOrder.Name, "obj-lock-first")],
        "v2-fixed, but UNMAP locks every object first, found under vm_lock (order 1 of the seed's comment)");

    public static IReadOnlyList<Design> All { get; } = [V2, V2Fixed, VmLockFirst, ObjLockFirst];

    /// <summary>The built-in design named <paramref name="name"/>, or a clear error listing them.</summary>
    public static Design Find(string name) =>
        All.FirstOrDefault(d => d.Name == name)
        ?? throw new InputException($"unknown design '{name}'; valid designs: {string.Join(", ", All.Select(d => d.Name))}");

    private static string DefaultOf(Knob knob) => knob.Name switch
    {
        // Knobs that are not bugs of the seed: the seed's own behaviour is the correct one.
        "close-takes-op-lock-first" => "off",
        _ => knob.AllowedValues[0],
    };
}
