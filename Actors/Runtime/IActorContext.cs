using Gpuvmsim.Runtime.Dispatch;

namespace Gpuvmsim.Runtime;

/// <summary>A behavior: returns true when it handled the message (false sends it to <c>Unhandled</c>).</summary>
public delegate bool Receive(object message);

/// <summary>
/// What an actor sees of the runtime while it runs (<c>Context</c> in <see cref="ActorBase"/>). Valid only on the
/// actor's own turn: never capture it into another thread or a timer callback.
/// </summary>
public interface IActorContext
{
    /// <summary>This actor's ref.</summary>
    IActorRef Self { get; }

    /// <summary>The sender of the message being processed (the dead-letters ref when there is none).</summary>
    IActorRef Sender { get; }

    /// <summary>The supervisor.</summary>
    IActorRef Parent { get; }

    /// <summary>Live and stopping children, in creation order.</summary>
    IEnumerable<IActorRef> Children { get; }

    /// <summary>The child named <paramref name="name"/>, or <see cref="ActorRefs.Nobody"/>.</summary>
    IActorRef Child(string name);

    ActorSystem System { get; }

    /// <summary>The props this actor was created from (used again on restart).</summary>
    Props Props { get; }

    /// <summary>The dispatcher running this actor.</summary>
    MessageDispatcher Dispatcher { get; }

    /// <summary>Creates a child at <c>Self.Path / name</c> (generated <c>$a</c>, <c>$b</c>… when null). The child's
    /// constructor and <c>PreStart</c> run synchronously inside this call.</summary>
    /// <exception cref="InvalidActorNameException">The name is illegal or taken by a live or stopping sibling.</exception>
    IActorRef ActorOf(Props props, string? name = null);

    /// <summary>Asks <paramref name="actor"/> (a child, or Self) to stop; asynchronous, completion is seen through DeathWatch.</summary>
    void Stop(IActorRef actor);

    /// <summary>Delivers one <see cref="Terminated"/> when <paramref name="subject"/> stops (at once if it already has).</summary>
    IActorRef Watch(IActorRef subject);

    /// <summary>Cancels <see cref="Watch"/>, including a <see cref="Terminated"/> already queued for this actor.</summary>
    IActorRef Unwatch(IActorRef subject);

    /// <summary>Replaces the current behavior.</summary>
    void Become(Receive receive);

    /// <summary>Pushes a behavior; <see cref="UnbecomeStacked"/> returns to the previous one.</summary>
    void BecomeStacked(Receive receive);

    /// <summary>Pops the behavior pushed last (no-op on the initial behavior).</summary>
    void UnbecomeStacked();
}
