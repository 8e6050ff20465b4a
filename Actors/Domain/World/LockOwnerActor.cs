using Gpuvmsim.Locking;
using Gpuvmsim.Messages.Journal;
using Gpuvmsim.Runtime.Deterministic;

namespace Gpuvmsim.Domain.World;

/// <summary>
/// Owns one scripted lock of a lock-script scenario (<c>locks = [ { name = A, kind = mutex } ]</c>) and answers
/// the lock protocol for it. Lock scripts need no VM at all: these actors are the whole world.
/// </summary>
public sealed class LockOwnerActor : WorldActor
{
    public LockOwnerActor(WorldContext world, LockInfo info) : base(world, $"lock/{info.Name}") => LockTable.Add(info);

    protected override bool Handle(object message) => false;

    protected override void ApplyEvent(WorldEvent e) =>
        throw new InvalidOperationException($"a lock owner has no event {e.GetType().Name}");

    public override void AddState(ref StateHasher hasher) => LockTable.AddState(ref hasher);
}
