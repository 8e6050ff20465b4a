using Gpuvmsim.Domain.Kernel;
using Gpuvmsim.Domain.World;
using Gpuvmsim.Locking;
using Gpuvmsim.Messages.Contexts;
using Gpuvmsim.Messages.Locks;
using Gpuvmsim.Runtime.Deterministic;
using Gpuvmsim.Scenarios;

namespace Gpuvmsim.Domain.Contexts;

/// <summary>
/// A context that executes its scenario script step by step: the lock-script steps (<c>lock</c>, <c>unlock</c>,
/// <c>trylock</c>, <c>sleep</c>) here, the GPU steps in <see cref="ThreadContextActor"/>.
///
/// Lock-script semantics (cli-contract.md): <c>lock</c> blocks while another context holds the lock; taking a lock
/// the context already holds blocks it forever (reported as recursive-locking). ww-mutexes are taken under an
/// implicit acquire context that starts at the first ww lock taken while holding none (<c>ww_acquire_init</c>) and
/// ends when the last is released. On -EDEADLK (wait-die) the context does what drm_exec does: it releases every
/// ww lock of that acquire context, sleeps on the contended one (<c>ww_mutex_lock_slow</c>), then re-runs its
/// script from the step of that first ww lock; the next step of the lock the slow path took is skipped (drm_exec's
/// <c>prelocked</c>: one lock, dropped with the others at the next back-off). A ww
/// trylock while the acquire context is active joins it (<c>ww_mutex_trylock(lock, ctx)</c>). An unlock waits until
/// the lock's owner applied it, as <c>mutex_unlock</c> returns with the lock free.
/// </summary>
public class ScriptContextActor : ExecutionContextActor
{
    private readonly IReadOnlyList<StepSpec> steps;
    private LockId? prelocked;
    private long? wwStamp;
    private int wwSectionStart;

    public ScriptContextActor(WorldContext world, ContextId id, string name, int pid, IReadOnlyList<StepSpec> steps)
        : base(world.Monitor, id, name, pid)
    {
        this.steps = steps;
        World = world;
    }

    protected WorldContext World { get; }

    protected LockDirectory Locks => World.Directory.Locks;

    protected override bool Handle(object message)
    {
        if (message is not StartScript)
            return false;
        Run(RunScript(), ReturnToUserSpace);
        return true;
    }

    private async KernelTask RunScript()
    {
        for (var i = 0; i < steps.Count; i++)
        {
            if (StateIsKnownBetweenSteps)
                ReplaceHistory(StateBeforeStep(i));
            CurrentStep = i;
            CurrentStepLabel = steps[i].Label;
            Monitor.Event(Name, $"step {i + 1}: {CurrentStepLabel}");
            if (await ExecuteStep(steps[i], i) is { } restartAt)
                i = restartAt - 1;
        }
    }

    /// <summary>
    /// True when nothing but the fields of this class and the held locks carries over from one step to the next, so
    /// the context's state before a step is known without its history (a lock script; GPU steps keep more).
    /// </summary>
    protected virtual bool StateIsKnownBetweenSteps => true;

    private StateHasher StateBeforeStep(int index)
    {
        var state = new StateHasher();
        state.Add(nameof(StateBeforeStep));
        state.Add(index);
        state.Add(prelocked?.Value ?? -1);
        state.Add(wwStamp is { } stamp ? Monitor.WwStampKey(stamp) : -2L);
        state.Add(wwSectionStart);
        return state;
    }

    /// <summary>Executes one step; returns the step index to continue from when the script must rewind (a ww back-off).</summary>
    protected virtual async KernelTask<int?> ExecuteStep(StepSpec step, int index)
    {
        switch (step)
        {
            case LockStep s:
                return await LockStepAsync(Locks[s.Lock], index);
            case UnlockStep s:
                await UnlockStep(Locks[s.Lock]);
                return null;
            case TryLockStep s:
                // Inside an acquire context a ww trylock is ww_mutex_trylock(lock, ctx): the lock joins the context.
                var l = Locks[s.Lock];
                await Lock(l, TryLockFunction(l.Info.Kind), AcquireMode.TryLock, l.Info.Kind == LockKind.WwMutex ? wwStamp : null);
                return null;
            case SleepStep:
                MightSleep("msleep", "an explicit sleep step");
                return null;
            default:
                throw new SimulationBugException($"{Name}: step kind '{step.Kind}' is not executable by a lock-script context");
        }
    }

    private async KernelTask<int?> LockStepAsync(LockHandle l, int index)
    {
        if (l.Info.Kind != LockKind.WwMutex)
        {
            await Lock(l, LockFunction(l.Info.Kind));
            return null;
        }
        if (prelocked == l.Info.Id)
        {
            prelocked = null;
            return null;
        }
        if (wwStamp is null)
        {
            wwStamp = NewWwStamp();
            wwSectionStart = index;
        }
        if (await Lock(l, "ww_mutex_lock", AcquireMode.Lock, wwStamp) != LockOutcome.Backoff)
            return null;

        // -EDEADLK: back off like drm_exec_cleanup() + drm_exec_lock_obj()'s slow path, then retry the section.
        foreach (var held in Task.Held.Where(h => h.WwStamp == wwStamp).Reverse().ToList())
            await Release(Locks.ById(held.Lock.Id), "ww_mutex_unlock");
        await Lock(l, "ww_mutex_lock_slow", AcquireMode.LockSlow, wwStamp);
        prelocked = l.Info.Id; // replaces an earlier one: that lock was just released with the rest
        return wwSectionStart;
    }

    private async KernelTask UnlockStep(LockHandle l)
    {
        await Release(l, UnlockFunction(l.Info.Kind));
        if (wwStamp is { } stamp && Task.WwHeld(stamp) == 0)
        {
            WwAcquireFini(stamp);
            wwStamp = null;
            prelocked = null;
        }
    }

    /// <summary>
    /// Releases <paramref name="l"/> and, if it was held, waits until its owner applied the release: the unlock is
    /// synchronous, as in the kernel, so what the script does next cannot meet the lock still held.
    /// </summary>
    private async KernelTask Release(LockHandle l, string function)
    {
        var held = Task.Holds(l.Info.Id);
        Unlock(l, function);
        if (held)
            await Call<ReleaseConfirmed>(l.Owner, new ConfirmRelease(l.Info.Id));
    }

    private static string LockFunction(LockKind kind) => kind == LockKind.Spinlock ? "spin_lock" : "mutex_lock";

    private static string UnlockFunction(LockKind kind) => kind switch
    {
        LockKind.Spinlock => "spin_unlock",
        LockKind.WwMutex => "ww_mutex_unlock",
        _ => "mutex_unlock",
    };

    private static string TryLockFunction(LockKind kind) => kind switch
    {
        LockKind.Spinlock => "spin_trylock",
        LockKind.WwMutex => "ww_mutex_trylock",
        _ => "mutex_trylock",
    };
}
