using Gpuvmsim.Runtime;

namespace Gpuvmsim.TestKit;

/// <summary>
/// A ref to an actor whose instance a test may inspect (<see cref="UnderlyingActor"/>). Messages told to it are
/// delivered when the driver steps, like any other; <see cref="Receive"/> instead runs one message synchronously on the
/// calling thread, outside the schedule and the trace (Akka's <c>TestActorRef.Receive</c>).
/// </summary>
public sealed class TestActorRef<T> : IActorRef, IWrappedActorRef where T : ActorBase
{
    private readonly LocalActorRef _ref;

    internal TestActorRef(LocalActorRef actorRef) => _ref = actorRef;

    /// <summary>The current instance (a new one after a restart).</summary>
    /// <exception cref="InvalidOperationException">The actor has stopped or is between instances.</exception>
    public T UnderlyingActor => _ref.Cell.Actor as T
        ?? throw new InvalidOperationException($"{_ref} has no {typeof(T).Name} instance (stopped or failed during creation)");

    public IActorRef Ref => _ref;

    IActorRef IWrappedActorRef.Underlying => _ref;

    public ActorPath Path => _ref.Path;

    public void Tell(object message, IActorRef? sender) => _ref.Tell(message, sender);

    /// <summary>Processes <paramref name="message"/> now, on this thread (must be the driver's, between steps).</summary>
    public void Receive(object message, IActorRef? sender = null) => _ref.Cell.InvokeDirect(message, sender);

    public bool Equals(IActorRef? other) => _ref.Equals(other is IWrappedActorRef w ? w.Underlying : other);

    public override bool Equals(object? obj) => obj is IActorRef r && Equals(r);

    public override int GetHashCode() => _ref.GetHashCode();

    public int CompareTo(IActorRef? other) => _ref.CompareTo(other is IWrappedActorRef w ? w.Underlying : other);

    public int CompareTo(object? obj) => CompareTo(obj as IActorRef);

    public override string ToString() => _ref.ToString();
}
