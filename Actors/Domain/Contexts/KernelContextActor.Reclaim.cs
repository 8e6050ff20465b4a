using Gpuvmsim.Checking;
using Gpuvmsim.Domain.Kernel;
using Gpuvmsim.Messages.Bo;
using Gpuvmsim.Messages.Fences;
using Gpuvmsim.Messages.Locks;
using Gpuvmsim.Runtime;
using Gpuvmsim.Scenarios;

namespace Gpuvmsim.Domain.Contexts;

/// <summary>Memory reclaim: the msm shrinker in direct reclaim, and fence waits (S13, S14, S18).</summary>
public sealed partial class KernelContextActor
{
    /// <summary>msm's <c>wait_for_idle</c> gives up after 10 jiffies: 40 ms at HZ=250.</summary>
    private static readonly TimeSpan BoundedFenceWait = TimeSpan.FromMilliseconds(40);

    /// <summary>
    /// A shrinker scan in direct reclaim (under lockdep's <c>fs_reclaim</c>): for each BO, <c>dma_resv_trylock</c>
    /// (busy: skip), skip pinned BOs, wait for its fences (unbounded, or msm's bounded wait), then evict — unmap its PTEs,
    /// VMAs kept — or purge, which also closes its VMAs under vm_lock (the S13 assumption). Order: fs_reclaim → resv → vm_lock.
    /// </summary>
    private async KernelTask Shrink(ShrinkStep step)
    {
        LockMapAcquire(Directory.FsReclaim!, "fs_reclaim_acquire");
        foreach (var name in step.Bos)
        {
            var bo = Directory.Bo(name);
            if (await Lock(bo.Resv, "dma_resv_trylock", AcquireMode.TryLock) != LockOutcome.Acquired)
                continue;
            var state = await Call<ObjState>(bo.Actor, new QueryObj(Id));
            if (state.Pins == 0)
            {
                foreach (var fence in state.Fences)
                    await WaitFence(fence, "msm_gem_shrinker wait_for_idle", World.Scenario.Options.ShrinkerWait == "bounded");
                await PutIovaSpaces(bo, null, close: step.Purge, inFreePath: false);
            }
            Unlock(bo.Resv, "dma_resv_unlock");
        }
        LockMapRelease(Directory.FsReclaim!, "fs_reclaim_release");
    }

    /// <summary>
    /// <c>dma_fence_wait</c>: lockdep's <c>__dma_fence_might_wait</c> (the fence-signalling map), then sleep until the
    /// fence signals — or, bounded, until the timeout (virtual time moves only when nothing else can run, so the
    /// timeout ends exactly the waits that would otherwise hang).
    /// </summary>
    private async KernelTask WaitFence(FenceId fence, string function, bool bounded)
    {
        LockMapTouch(Directory.FenceSignalling!, function);
        MightSleep(function, $"waiting on fence {Directory.FenceName(fence)}");
        Monitor.Event(Name, $"{function}({Directory.FenceName(fence)})");
        Task.Blocked = new BlockedOn(null, $"waits on fence {Directory.FenceName(fence)}", Directory.SignallerOf(fence));
        var timer = bounded
            ? Context.System.Scheduler.ScheduleTellOnce(BoundedFenceWait, Self, new FenceWaitTimedOut(fence), Self)
            : null;
        var reply = await Request(Directory.Fences, new AwaitFence(fence),
            m => m is FenceSignalled s && s.Fence == fence || m is FenceWaitTimedOut t && t.Fence == fence);
        Task.Blocked = null;
        timer?.Cancel();
        Monitor.Event(Name, reply is FenceWaitTimedOut ? "  -> timed out" : "  -> signalled");
    }
}
