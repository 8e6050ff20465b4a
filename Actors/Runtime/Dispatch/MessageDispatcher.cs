namespace Gpuvmsim.Runtime.Dispatch;

/// <summary>
/// Runs actors: queues their messages and gives them turns. Two kinds exist (<see cref="DispatcherType"/>); an actor
/// gets one from <c>Props.WithDispatcher</c>, a deployment, or the system default.
/// </summary>
public abstract class MessageDispatcher
{
    private protected MessageDispatcher(string id, int throughput)
    {
        Id = id;
        Throughput = throughput;
    }

    /// <summary>The name it was configured under (<c>akka.actor.default-dispatcher</c> for the default).</summary>
    public string Id { get; }

    public abstract DispatcherType Type { get; }

    /// <summary>Messages per turn before yielding the thread (thread-pool only; 1 on the deterministic dispatcher).</summary>
    public int Throughput { get; }

    /// <summary>Queues a user message (any thread).</summary>
    internal abstract void Dispatch(ActorCell receiver, object message, IActorRef sender);

    /// <summary>Queues a system message (any thread).</summary>
    internal abstract void SystemDispatch(ActorCell receiver, SystemMessage message, InternalActorRef? sender);

    /// <summary>The cell's <c>IsUserBlocked</c> changed (called on the cell's turn).</summary>
    internal abstract void UserBlockedChanged(ActorCell cell);

    /// <summary>Puts <paramref name="envelopes"/> back at the front of the cell's queues, first one first, keeping each
    /// sender's order (Unstash; called on the cell's turn).</summary>
    internal abstract void PushFront(ActorCell cell, IReadOnlyList<Envelope> envelopes);

    /// <summary>The cell stopped: queued user messages become dead letters.</summary>
    internal abstract void Terminated(ActorCell cell);

    public override string ToString() => $"{Id} ({Type})";
}
