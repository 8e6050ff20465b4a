using Gpuvmsim.Domain.Simulation;
using Gpuvmsim.Locking;
using Gpuvmsim.Messages.Locks;
using Gpuvmsim.Runtime;
using Gpuvmsim.Runtime.Deterministic;

namespace Gpuvmsim.Domain.World;

/// <summary>
/// Owns one scripted lock of a lock-script scenario (<c>locks = [ { name = A, kind = mutex } ]</c>) and answers
/// the lock protocol for it. Lock scripts need no VM at all: this actor is the whole world.
/// </summary>
public sealed class LockOwnerActor : ActorBase, IStateHashable
{
    private readonly LockTable table;

    public LockOwnerActor(RunMonitor monitor, LockInfo info)
    {
        table = new LockTable(monitor);
        table.Add(info);
    }

    protected internal override bool Receive(object message)
    {
        switch (message)
        {
            case AcquireLock acquire:
                table.Acquire(acquire, Sender, Self);
                return true;
            case ReleaseLock release:
                table.Release(release, Self);
                return true;
            default:
                return false;
        }
    }

    public void AddState(ref StateHasher hasher) => table.AddState(ref hasher);
}
