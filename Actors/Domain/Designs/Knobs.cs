namespace Gpuvmsim.Domain.Designs;

/// <summary>
/// Every knob the v2 world has. Spec references are to ../shared/spec/kernel-model.md.
/// The bug knobs are "on" in the seed patch (<c>v2</c>) and "off" in <c>v2-fixed</c>.
/// </summary>
public static class Knobs
{
    public static readonly Knob RetShadowing = Knob.Bool("job-run-ret-shadowing",
        "msm_vma_job_run declares a new `int ret` in the loop: errors are lost, the job reports success and later ops still run (§5.1)");

    public static readonly Knob UnmapUninitRet = Knob.Bool("run-bo-unmap-uninit-ret",
        "run_bo_unmap returns an uninitialised `ret` when no VA overlaps the range; the scheduler chooses its value (§5.2)");

    public static readonly Knob OverUnmap = Knob.Bool("unmap-over-unmap",
        "run_bo_unmap passes each VA's own range to drm_gpuvm_sm_unmap_va, so a partial UNMAP removes whole VAs (§5.3)");

    public static readonly Knob UnmapPreallocVmas = new("unmap-prealloc-vmas",
        "VMAs preallocated per UNMAP op: v2 preallocates 1, but a partial unmap inside one VA needs 2 (§5.9, S16)", ["1", "2"]);

    public static readonly Knob PreallocNullUnchecked = Knob.Bool("prealloc-null-unchecked",
        "vma_from_op returns NULL when the preallocated VMAs run out and sm_step_map/remap dereference it (§5.4)");

    public static readonly Knob MapLocksOnlyNewBo = Knob.Bool("map-locks-only-new-bo",
        "run_bo_op locks only the MAP's own BO; VAs of other BOs it splits or removes are changed without their locks (§5.5)");

    public static readonly Knob RemapClosesBeforeLink = Knob.Bool("remap-closes-before-link",
        "sm_step_remap closes the original VA before linking prev/next: its vm_bo may die and be re-allocated in run_job (§5.6, S13)");

    public static readonly Knob RemapMarksPiecesMapped = Knob.Bool("remap-marks-pieces-mapped",
        "sm_step_remap marks prev/next mapped=true even when the original was evicted and has no PTEs (§5.6, S14)");

    public static readonly Knob CleanupPutWithoutLock = Knob.Bool("cleanup-put-without-obj-lock",
        "msm_vma_job_cleanup drops the job's vm_bo references holding only op_lock, not the object's resv (§5.7, S8)");

    public static readonly Knob KilledJobLeaks = Knob.Bool("killed-job-leaks",
        "a job that never runs (killed at entity teardown) keeps its pins, vm_bo references and preallocation (§5.8, S1)");

    public static readonly Knob CloseTakesOpLockFirst = Knob.Bool("close-takes-op-lock-first",
        "msm_gem_vm_close takes op_lock before drm_sched_stop instead of after drm_sched_fini (S2 (b): a real deadlock)");

    public static readonly Knob CondLockTakesRef = Knob.Bool("cond-lock-takes-ref",
        "cond_lock takes an object reference before locking so the last put cannot happen under the lock (§5.7, S7); off reproduces the bug it prevents");

    public static readonly Knob LegacyCloseEarlyReturn = Knob.Bool("legacy-close-early-return",
        "msm_gem_close returns early for VM_BIND contexts; off lets the legacy teardown modify a VM_BIND VM without op_lock (S21, S12)");

    public static readonly Knob LockOrder = new("lock-order",
        "how VM_BIND paths order the VM and object locks: `v2` = obj resv then vm_lock, UNMAP walking the VM without vm_lock under op_lock; " +
        "`vm-lock-first` = vm_lock then each object (§2.2 order 2); `obj-lock-first` = find the objects under vm_lock, drop it, lock them all, retake vm_lock (§2.2 order 1)",
        ["v2", "vm-lock-first", "obj-lock-first"]);

    public static IReadOnlyList<Knob> All { get; } =
    [
        RetShadowing, UnmapUninitRet, OverUnmap, UnmapPreallocVmas, PreallocNullUnchecked, MapLocksOnlyNewBo,
        RemapClosesBeforeLink, RemapMarksPiecesMapped, CleanupPutWithoutLock, KilledJobLeaks,
        CloseTakesOpLockFirst, CondLockTakesRef, LegacyCloseEarlyReturn, LockOrder,
    ];

    public static Knob Find(string name) =>
        All.FirstOrDefault(k => k.Name == name)
        ?? throw new InputException($"unknown knob '{name}'; valid knobs: {string.Join(", ", All.Select(k => k.Name))}");
}
