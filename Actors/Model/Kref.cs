// DOC: struct kref as the model counts it.
//
// Every reference count of the model (the VM's kref, a vm_bo's kref, a GEM object's refcount)
// is a Kref. The kernel's refcount_t saturates and WARNs on misuse; the model instead reports
// the misuse as an outcome the caller sees, never as an exception: a get on a count that is
// already 0, or a put that would go below 0, is a use-after-free (spec §1.3, §7.5–7.7). Reaching
// 0 through a put is Released: the caller runs the release function (destroy the vm_bo, free the
// object, drm_gpuvm_free).
//
// A Kref is a field of the object it counts and is guarded by whatever guards that object; the
// kernel's kref itself is atomic and needs no lock.

namespace Gpuvmsim.Model;



/// <summary>A reference count (struct kref). Mutable value type: keep it in a field and call through <c>ref</c>.</summary>
public struct Kref
{
    private int count;

    /// <summary>kref_init: a new object starts with one reference.</summary>
    public static Kref Initial => new() { count = 1 };

    /// <summary>A count with an explicit start value (for objects created with several references).</summary>
    public static Kref Of(int count) => new() { count = count };

    /// <summary>kref_read.</summary>
    public readonly int Count => count;

    /// <summary>kref_get: <see cref="KrefOutcome.Taken"/>, or <see cref="KrefOutcome.UseAfterFree"/> on a zero count.</summary>
    public KrefOutcome Get()
    {
        if (count <= 0)
            return KrefOutcome.UseAfterFree;
        count++;
        return KrefOutcome.Taken;
    }

    /// <summary>kref_put: <see cref="KrefOutcome.Dropped"/>, <see cref="KrefOutcome.Released"/> at zero,
    /// or <see cref="KrefOutcome.UseAfterFree"/> when the count was already zero.</summary>
    public KrefOutcome Put()
    {
        if (count <= 0)
            return KrefOutcome.UseAfterFree;
        count--;
        return count == 0 ? KrefOutcome.Released : KrefOutcome.Dropped;
    }
}
