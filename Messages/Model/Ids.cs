// DOC: Identities of the model's objects.
//
// The model is split the way the actors own the kernel's state: a VM actor owns one GpuVm (the
// drm_gpuvm VA space and its kref), a BO actor owns one GemObject (a drm_gem_object with its
// obj->gpuva.list of drm_gpuvm_bo), an MMU actor owns one MmuPageTable. None of them holds a
// reference to another; they name each other by the ids below, which are plain values, equal
// when they name the same object, and cheap to hash and to put in messages.
//
// No lock guards an id. VaId and VmBoId are never reused within their owner, so a caller that
// kept one (for example the `next` saved by the kernel's safe iterator) can later ask whether
// the object still exists and so detect a dangling reference (spec §1.1, invariant 17).

namespace Gpuvmsim.Model;

/// <summary>Names one drm_gpuvm (one GPU VA space, owned by a VM actor).</summary>
public readonly record struct VmId(int Value)
{
    public override string ToString() => $"vm{Value}";
}

/// <summary>Names one drm_gem_object (a BO). In the gpuvm-ops format this is the integer <c>bo</c> id.</summary>
public readonly record struct ObjId(long Value)
{
    public override string ToString() => $"bo{Value}";
}

/// <summary>
/// Names one drm_gpuva inside one <see cref="GpuVm"/>. <see cref="Seq"/> numbers the GpuVm's
/// insertions (1, 2, 3, ...) and is never reused, so after the VA is removed
/// <see cref="GpuVm.IsLive"/> answers false forever; every insertion (also of a VA that looks exactly
/// like a removed one) gets a new id. <see cref="Addr"/> is the VA's start (which never changes),
/// so the GpuVm finds the VA by (addr, seq) without a separate index.
/// </summary>
public readonly record struct VaId(ulong Seq, ulong Addr)
{
    public override string ToString() => $"va{Seq}";
}

/// <summary>
/// Names one drm_gpuvm_bo: the (VM, BO) combination, owned by the BO's <see cref="GemObject"/>.
/// <see cref="Serial"/> distinguishes instances for the same pair (a preallocated one that lost the
/// race in drm_gpuvm_bo_obtain_prealloc, or one created after an earlier one was destroyed); it is
/// never reused within the object.
/// </summary>
public readonly record struct VmBoId(ObjId Obj, VmId Vm, int Serial)
{
    public override string ToString() => $"vmbo({Vm},{Obj})#{Serial}";
}

/// <summary>Kernel error numbers the model returns, negated as the kernel returns them (0 = success).</summary>
public static class Errno
{
    public const int ENOENT = 2;
    public const int ESRCH = 3;
    public const int ENOMEM = 12;
    public const int EEXIST = 17;
    public const int EINVAL = 22;
    public const int ENOSPC = 28;
    public const int EPIPE = 32;
    public const int EDEADLK = 35;

    /// <summary>Readable name of a (negative or positive) errno, e.g. <c>-EINVAL</c>.</summary>
    public static string Name(int errno)
    {
        var name = Math.Abs(errno) switch
        {
            0 => "0",
            ENOENT => "ENOENT",
            ENOMEM => "ENOMEM",
            EEXIST => "EEXIST",
            EINVAL => "EINVAL",
            EPIPE => "EPIPE",
            ESRCH => "ESRCH",
            ENOSPC => "ENOSPC",
            EDEADLK => "EDEADLK",
            var n => n.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        return errno < 0 ? "-" + name : name;
    }
}
