using Gpuvmsim.Runtime.Event;

namespace Gpuvmsim.Runtime;

/// <summary>
/// Base of every actor. An instance is only ever built by the runtime (<c>ActorOf</c> with <see cref="Props"/>); its
/// members run one message at a time on the actor's dispatcher, so actor state needs no lock.
/// Lifecycle: constructor → <see cref="PreStart"/> → messages → (failure → <see cref="PreRestart"/> on the old
/// instance, constructor → <see cref="PostRestart"/> on the new one) → <see cref="PostStop"/>.
/// </summary>
public abstract class ActorBase
{
    private readonly ActorCell _cell;

    protected ActorBase()
    {
        _cell = ActorCell.TakeConstructingCell()
            ?? throw new ActorInitializationException(null,
                $"You cannot create an instance of [{GetType().Name}] explicitly using 'new'; use ActorOf with Props.", null);
    }

    /// <summary>The runtime view for this actor.</summary>
    protected IActorContext Context => _cell;

    /// <summary>This actor's ref.</summary>
    protected IActorRef Self => _cell.SelfRef;

    /// <summary>The sender of the message being processed.</summary>
    protected IActorRef Sender => _cell.Sender;

    internal ActorCell Cell => _cell;

    /// <summary>Handles one message; returns false when it is not handled (then <see cref="Unhandled"/> is called).</summary>
    protected internal abstract bool Receive(object message);

    /// <summary>Runs once after the constructor, synchronously inside <c>ActorOf</c>.</summary>
    protected virtual void PreStart() { }

    /// <summary>Runs once after the actor's children have stopped; no more messages follow.</summary>
    protected virtual void PostStop() { }

    /// <summary>Runs on the failed instance before a restart. The default unwatches and stops all children, then
    /// calls <see cref="PostStop"/>.</summary>
    /// <param name="message">The message being processed when the failure happened, if any.</param>
    protected virtual void PreRestart(Exception reason, object? message)
    {
        foreach (var child in Context.Children)
        {
            Context.Unwatch(child);
            Context.Stop(child);
        }
        PostStop();
    }

    /// <summary>Runs on the fresh instance after a restart; the default calls <see cref="PreStart"/>.</summary>
    protected virtual void PostRestart(Exception reason) => PreStart();

    /// <summary>How this actor handles its children's failures (overridden by <c>Props.WithSupervisorStrategy</c>).
    /// Called once per incarnation, on the first failure of a child.</summary>
    protected virtual Supervision.SupervisorStrategy SupervisorStrategy() => Supervision.SupervisorStrategy.DefaultStrategy;

    /// <summary>Called for a message no behavior handled: an unhandled <see cref="Terminated"/> throws
    /// <see cref="DeathPactException"/>; anything else is published as <see cref="UnhandledMessage"/>.</summary>
    protected virtual void Unhandled(object message)
    {
        if (message is Terminated t) throw new DeathPactException(t.ActorRef);
        _cell.SystemImpl.EventStream.Publish(new UnhandledMessage(message, Sender, Self));
    }

    internal void InvokeUnhandled(object message) => Unhandled(message);

    internal void InvokePreStart() => AroundPreStart();

    internal void InvokePostStop() => AroundPostStop();

    internal void InvokePreRestart(Exception reason, object? message) => AroundPreRestart(reason, message);

    internal void InvokePostRestart(Exception reason) => AroundPostRestart(reason);

    /// <summary>Runtime-side wrappers of the lifecycle hooks (Akka's <c>Around…</c>): a base class in the runtime's
    /// family (the persistent actors) does its own work around the user's hook, whether or not an override calls base.</summary>
    internal virtual void AroundPreStart() => PreStart();

    internal virtual void AroundPostStop() => PostStop();

    internal virtual void AroundPreRestart(Exception reason, object? message) => PreRestart(reason, message);

    internal virtual void AroundPostRestart(Exception reason) => PostRestart(reason);

    internal Supervision.SupervisorStrategy InvokeSupervisorStrategy() => SupervisorStrategy();

    /// <summary>Replaces the behavior (<c>Context.Become</c>).</summary>
    protected void Become(Receive receive) => _cell.Become(receive);

    /// <summary>Pushes a behavior (<c>Context.BecomeStacked</c>).</summary>
    protected void BecomeStacked(Receive receive) => _cell.BecomeStacked(receive);

    /// <summary>Pops the last pushed behavior.</summary>
    protected void UnbecomeStacked() => _cell.UnbecomeStacked();

    /// <summary>Akka's older name for <see cref="UnbecomeStacked"/>.</summary>
    protected void Unbecome() => _cell.UnbecomeStacked();
}

/// <summary>An actor with one <see cref="OnReceive"/> method; call <c>Unhandled(message)</c> for what it does not handle.</summary>
public abstract class UntypedActor : ActorBase
{
    protected internal sealed override bool Receive(object message)
    {
        OnReceive(message);
        return true;
    }

    /// <summary>Handles one message.</summary>
    protected abstract void OnReceive(object message);
}
