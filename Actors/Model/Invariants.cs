// DOC: Invariant checks of spec §7 that concern the model, as functions returning violations.
//
// Each check reads model states (never changes them) and returns InvariantViolation values naming
// the invariant's number, the objects involved and what is wrong; an empty list means it holds.
// They are meant to run after every actor step, so they are linear in the size of the states they
// read and allocate nothing when all is well beyond the result. They assume the caller holds (or
// is) the owner of each state it passes; they take no lock.
//
// Where the kernel's state alone cannot tell right from wrong, the caller declares the rest:
// LinkageContext carries the external vm_bo references, the VM owner references, the object's
// other holders and the VAs whose create/close is in progress (spec §7.3, 7.5–7.7).
// Files: VaSpaceInvariants (1, 2, 14, 18 for NULL VAs), LinkageInvariants (3–7),
// MmuInvariants (12, 13), SplitMergeChecker (16, 18 for steps).

using System.Collections.Immutable;

namespace Gpuvmsim.Model;

/// <summary>One broken invariant.</summary>
/// <param name="Number">The invariant's number in spec §7.</param>
/// <param name="Invariant">Its short name, e.g. "vm_bo refcount".</param>
/// <param name="Message">What is wrong, readable.</param>
/// <param name="Objects">The objects involved (ids as text: vm1, bo2, va3.0, vmbo(vm1,bo2)#0).</param>
public sealed record InvariantViolation(int Number, string Invariant, string Message, ImmutableArray<string> Objects)
{
    public override string ToString() => $"invariant {Number} ({Invariant}): {Message}";

    internal static InvariantViolation Of(int number, string message, params object[] objects) =>
        new(number, NameOf(number), message, [.. objects.Select(o => o.ToString() ?? "")]);

    /// <summary>The short name of invariant <paramref name="number"/>.</summary>
    public static string NameOf(int number) => number switch
    {
        1 => "disjointness",
        2 => "bounds",
        3 => "linkage",
        4 => "vm_bo uniqueness",
        5 => "vm_bo refcount",
        6 => "VM refcount",
        7 => "object refcount",
        12 => "MMU consistency",
        13 => "preallocation",
        14 => "managed VMs",
        16 => "split/merge well-formedness",
        18 => "flags",
        _ => $"invariant {number}",
    };
}

/// <summary>What the kernel state cannot say and the caller declares for invariants 3, 5, 6 and 7.</summary>
public sealed record LinkageContext
{
    /// <summary>vm_bo references held outside VA links (v2 submit refs, merged's transient get around a remap, iterator refs).</summary>
    public IReadOnlyDictionary<VmBoId, int> ExternalVmBoRefs { get; init; } = ImmutableDictionary<VmBoId, int>.Empty;

    /// <summary>References on each VM other than VAs and vm_bos (the context's, ...); a VM not listed has 1 (its creator's).</summary>
    public IReadOnlyDictionary<VmId, int> VmOwnerRefs { get; init; } = ImmutableDictionary<VmId, int>.Empty;

    /// <summary>References on each object besides vm_bos and handles (drm_exec locks, cond_lock, vm_op and job op refs).</summary>
    public IReadOnlyDictionary<ObjId, int> ObjectOtherHolders { get; init; } = ImmutableDictionary<ObjId, int>.Empty;

    /// <summary>VAs whose create or close is in progress: invariant 3 does not apply to them yet.</summary>
    public IReadOnlySet<(VmId Vm, VaId Va)> InProgress { get; init; } = ImmutableHashSet<(VmId, VaId)>.Empty;

    public static LinkageContext Quiescent { get; } = new();
}
