namespace Gpuvmsim.Checking;

/// <summary>
/// The stable names of finding kinds (../shared/spec/cli-contract.md). Scripts match on these strings;
/// kinds may be added, these never change.
/// </summary>
public static class FindingKinds
{
    public const string Deadlock = "deadlock";
    public const string RecursiveLocking = "recursive-locking";
    public const string LockOrderInversion = "lock-order-inversion";
    public const string UnlockNotHeld = "unlock-not-held";
    public const string InvariantViolation = "invariant-violation";
    public const string LostError = "lost-error";
    public const string UseAfterFree = "use-after-free";
    public const string Leak = "leak";
    public const string SleepInAtomic = "sleep-in-atomic";

    // Kinds this project adds.

    /// <summary>A context ended (returned to user space) still holding a lock (lockdep: "lock held when returning to user space!").</summary>
    public const string HeldLockAtExit = "held-lock-at-exit";

    /// <summary>A kernel oops: NULL pointer dereference or BUG_ON in a context, which dies holding its locks.</summary>
    public const string Oops = "oops";

    /// <summary>A value read before it was written (KMSAN "uninit-value"), e.g. v2's <c>run_bo_unmap</c> return on an empty range.</summary>
    public const string UninitValue = "uninit-value";

    /// <summary>
    /// PTEs removed and re-created for a mapping that did not change (a MAP whose split/merge said keep=true):
    /// a GPU access in the window faults. Not a crash; "no-op remap is not free" (kernel-model.md S15).
    /// </summary>
    public const string TransientUnmap = "transient-unmap";

    public static IReadOnlyList<string> All { get; } =
    [
        Deadlock, RecursiveLocking, LockOrderInversion, UnlockNotHeld, InvariantViolation, LostError,
        UseAfterFree, Leak, SleepInAtomic, HeldLockAtExit, Oops, UninitValue, TransientUnmap,
    ];
}
