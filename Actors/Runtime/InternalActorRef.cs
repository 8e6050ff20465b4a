using Gpuvmsim.Runtime.Deterministic;
using Gpuvmsim.Runtime.Dispatch;

namespace Gpuvmsim.Runtime;

/// <summary>
/// Base of the runtime's refs. Each has a dense integer <see cref="Id"/> given in creation order by its system
/// (0 is the dead-letters ref, which also stands for "no sender"); ids key the deterministic driver's channels, the
/// recorded schedules and the traces.
/// </summary>
internal abstract class InternalActorRef : IActorRef
{
    internal readonly int Id;
    internal readonly ActorSystem System;

    /// <summary>The deterministic driver's per-receiver queues, created on the first message.</summary>
    internal ReceiverQueues? Queues;

    protected InternalActorRef(ActorSystem system, int id)
    {
        System = system;
        Id = id;
    }

    public abstract ActorPath Path { get; }

    /// <summary>The path without address, for traces and diagnostics.</summary>
    internal string PathText => Path.ToStringWithoutAddress();

    public abstract void Tell(object message, IActorRef? sender);

    internal abstract void SendSystemMessage(SystemMessage message, InternalActorRef? sender);

    /// <summary>Called by the deterministic driver to deliver a user message (the actor's turn) on <paramref name="thread"/>.</summary>
    internal abstract void DeliverUser(object message, IActorRef sender, ActorThread thread);

    /// <summary>Called by the deterministic driver to deliver a system message.</summary>
    internal abstract void DeliverSystem(SystemMessage message);

    internal abstract bool IsUserBlocked { get; }

    internal abstract bool IsTerminated { get; }

    /// <summary>Asks the actor to stop (a <see cref="Terminate"/> system message).</summary>
    internal virtual void Stop() { }

    public bool Equals(IActorRef? other) =>
        ReferenceEquals(this, other) || (other is InternalActorRef r && r.Id == Id && ReferenceEquals(r.System, System));

    public override bool Equals(object? obj) => obj is IActorRef r && Equals(r);

    public override int GetHashCode() => Id;

    public int CompareTo(IActorRef? other) => ActorRefComparer.Compare(this, other);

    public int CompareTo(object? obj) => ActorRefComparer.Compare(this, obj as IActorRef);

    /// <summary>Akka's form: <c>[gpuvmsim://sys/user/x#5]</c>, with the dense id in place of Akka's random uid.</summary>
    public override string ToString() => $"[{Path}#{Id}]";
}

/// <summary>The ref of an ordinary actor (one per actor, kept across restarts).</summary>
internal sealed class LocalActorRef : InternalActorRef
{
    internal readonly ActorCell Cell;
    private ActorPath? _path;

    internal LocalActorRef(ActorSystem system, int id, ActorCell cell) : base(system, id) => Cell = cell;

    public override ActorPath Path => _path ??= Cell.ParentCell is { } parent
        ? parent.SelfRef.Path.Child(Cell.Name)
        : ActorPath.Root(System.Name);

    public override void Tell(object message, IActorRef? sender) => Cell.SendUser(message, sender);

    internal override void SendSystemMessage(SystemMessage message, InternalActorRef? sender) => Cell.SendSystem(message, sender);

    internal override void DeliverUser(object message, IActorRef sender, ActorThread thread) => Cell.Invoke(message, sender, thread);

    internal override void DeliverSystem(SystemMessage message) => Cell.SystemInvoke(message);

    internal override bool IsUserBlocked => Cell.IsUserBlocked;

    internal override bool IsTerminated => Cell.IsTerminated;

    internal override void Stop() => Cell.SendSystem(Terminate.Instance, ActorCell.Current?.SelfRef);
}

/// <summary><c>/deadLetters</c>: every message told to it is published as a <see cref="Event.DeadLetter"/> at once.</summary>
internal sealed class DeadLetterActorRef(ActorSystem system) : InternalActorRef(system, 0)
{
    private ActorPath? _path;

    public override ActorPath Path => _path ??= ActorPath.Root(System.Name).Child("deadLetters");

    public override void Tell(object message, IActorRef? sender)
    {
        ArgumentNullException.ThrowIfNull(message);
        System.PublishDeadLetter(message, sender, this);
    }

    internal override void SendSystemMessage(SystemMessage message, InternalActorRef? sender) { }

    internal override void DeliverUser(object message, IActorRef sender, ActorThread thread) => System.PublishDeadLetter(message, sender, this);

    internal override void DeliverSystem(SystemMessage message) { }

    internal override bool IsUserBlocked => false;

    internal override bool IsTerminated => false;
}
