namespace Gpuvmsim.Locking;

/// <summary>The kinds of lock the simulation knows, with the kernel primitive each stands for.</summary>
public enum LockKind
{
    /// <summary><c>struct mutex</c>: a sleeping lock.</summary>
    Mutex,

    /// <summary><c>spinlock_t</c>: the holder must not sleep (<c>sleep-in-atomic</c> otherwise).</summary>
    Spinlock,

    /// <summary>
    /// <c>struct ww_mutex</c> of a wait-die class (<c>reservation_ww_class</c> is <c>DEFINE_WD_CLASS</c>):
    /// under an acquire context a younger requester that holds other ww locks backs off with -EDEADLK.
    /// Without an acquire context it behaves as a mutex.
    /// </summary>
    WwMutex,

    /// <summary>
    /// A lockdep map that is not a lock but is tracked as one: a work item's <c>(work_completion)</c>,
    /// <c>fs_reclaim</c>, <c>dma_fence_map</c>. Waiting for a work item is <see cref="Gpuvmsim.Messages.Locks.AcquireMode.WaitForRelease"/>.
    /// </summary>
    LockMap,
}

public static class LockKindNames
{
    /// <summary>The name used in scenario files: <c>mutex</c>, <c>spinlock</c>, <c>ww-mutex</c>, <c>lock-map</c>.</summary>
    public static string ToScenarioName(this LockKind kind) => kind switch
    {
        LockKind.Mutex => "mutex",
        LockKind.Spinlock => "spinlock",
        LockKind.WwMutex => "ww-mutex",
        LockKind.LockMap => "lock-map",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static bool TryParse(string name, out LockKind kind)
    {
        foreach (var candidate in Enum.GetValues<LockKind>())
        {
            if (candidate.ToScenarioName() == name)
            {
                kind = candidate;
                return true;
            }
        }
        kind = default;
        return false;
    }

    /// <summary>Whether taking a lock of this kind may sleep (forbidden while a spinlock is held).</summary>
    public static bool MaySleep(this LockKind kind) => kind is LockKind.Mutex or LockKind.WwMutex or LockKind.LockMap;
}
