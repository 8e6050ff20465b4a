using Gpuvmsim.Messages.Fences;
using Gpuvmsim.Messages.Journal;
using Gpuvmsim.Runtime;
using Gpuvmsim.Runtime.Deterministic;

namespace Gpuvmsim.Domain.World;

/// <summary>
/// DOC: the run's dma_fences: scenario in-fences (signalled by a scripted <c>signal-fence</c> step, or never) and the
/// finished fence of every job (signalled by the scheduler when run_job returns, or with -ESRCH when the job is
/// killed). A waiter is answered once the fence has signalled. Waiters are journaled by path, since refs are not.
/// </summary>
public sealed class FenceActor(WorldContext world) : WorldActor(world, "fences")
{
    private readonly Dictionary<FenceId, int> signalled = [];
    private readonly Dictionary<FenceId, List<string>> waiters = [];

    protected override bool Handle(object message)
    {
        switch (message)
        {
            case SignalFence m:
                if (signalled.ContainsKey(m.Fence))
                    return true; // dma_fence_signal on a signalled fence is a no-op
                var waiting = waiters.GetValueOrDefault(m.Fence) ?? [];
                Persist(new FenceSignalledBy(m.From, m.Fence, m.Error));
                foreach (var path in waiting)
                    World.Directory.Resolve(path).Tell(new FenceSignalled(m.Fence, m.Error), Self);
                return true;
            case AwaitFence m:
                if (signalled.TryGetValue(m.Fence, out var error))
                    Sender.Tell(new FenceSignalled(m.Fence, error), Self);
                else
                    Persist(new FenceAwaited(m.Fence, Sender.Path.ToStringWithoutAddress()));
                return true;
            default:
                return false;
        }
    }

    protected override void ApplyEvent(WorldEvent e)
    {
        switch (e)
        {
            case FenceSignalledBy ev:
                signalled[ev.Fence] = ev.Error;
                waiters.Remove(ev.Fence);
                break;
            case FenceAwaited ev:
                if (!waiters.TryGetValue(ev.Fence, out var list))
                    waiters[ev.Fence] = list = [];
                list.Add(ev.Waiter);
                break;
            default:
                throw new InvalidOperationException($"fences: unexpected event {e.GetType().Name}");
        }
    }

    /// <summary>Whether a fence has signalled (for end-of-run checks).</summary>
    public bool IsSignalled(FenceId fence) => signalled.ContainsKey(fence);

    public override void AddState(ref StateHasher hasher)
    {
        foreach (var (f, err) in signalled.OrderBy(s => s.Key.Value))
        {
            hasher.Add(f.Value);
            hasher.Add(err);
        }
        foreach (var (f, list) in waiters.OrderBy(w => w.Key.Value))
        {
            hasher.Add(f.Value);
            foreach (var w in list)
                hasher.Add(w);
        }
    }
}
