using Gpuvmsim.Runtime;
using Gpuvmsim.Runtime.Deterministic;

namespace Gpuvmsim.TestKit;

/// <summary>The actor behind a <see cref="TestProbe"/>: it queues every message it gets (including
/// <see cref="Terminated"/>) for the probe's expectations. Its queue belongs to the probe, so it survives restarts.</summary>
internal sealed class TestActor(Queue<(object Message, IActorRef Sender)> queue) : ActorBase, IStateHashable
{
    protected internal override bool Receive(object message)
    {
        queue.Enqueue((message, Sender));
        return true;
    }

    public void AddState(ref StateHasher hasher)
    {
        hasher.Add(queue.Count);
        foreach (var (message, sender) in queue)
        {
            hasher.Add(message);
            hasher.Add(sender);
        }
    }
}
