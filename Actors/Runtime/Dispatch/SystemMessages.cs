using Gpuvmsim.Runtime.Deterministic;

namespace Gpuvmsim.Runtime.Dispatch;

/// <summary>
/// Runtime-internal messages between actor cells. They travel apart from user messages: a receiver handles every
/// pending system message before its next user message. <c>ActorCell.SystemInvoke</c> maps each to exactly one
/// handler and throws on anything unknown.
/// </summary>
internal abstract class SystemMessage : IStateHashable
{
    public abstract override string ToString();

    /// <summary>Adds the fields that identify the message (state hashing); the type name is added by the caller.</summary>
    public virtual void AddState(ref StateHasher hasher) { }
}

/// <summary>Command: stop (children first, then PostStop, then notify watchers and parent).</summary>
internal sealed class Terminate : SystemMessage
{
    public static readonly Terminate Instance = new();

    public override string ToString() => "<Terminate>";
}

/// <summary>Command from <paramref name="Watcher"/> to <paramref name="Watchee"/>: notify me when you stop.</summary>
internal sealed class Watch(InternalActorRef Watchee, InternalActorRef Watcher) : SystemMessage
{
    public InternalActorRef Watchee { get; } = Watchee;
    public InternalActorRef Watcher { get; } = Watcher;

    public override string ToString() => $"<Watch {Watchee.PathText} by {Watcher.PathText}>";

    public override void AddState(ref StateHasher hasher)
    {
        hasher.Add(Watchee.Id);
        hasher.Add(Watcher.Id);
    }
}

/// <summary>Command: forget the watch set by <see cref="Watch"/>.</summary>
internal sealed class Unwatch(InternalActorRef Watchee, InternalActorRef Watcher) : SystemMessage
{
    public InternalActorRef Watchee { get; } = Watchee;
    public InternalActorRef Watcher { get; } = Watcher;

    public override string ToString() => $"<Unwatch {Watchee.PathText} by {Watcher.PathText}>";

    public override void AddState(ref StateHasher hasher)
    {
        hasher.Add(Watchee.Id);
        hasher.Add(Watcher.Id);
    }
}

/// <summary>Fact sent by a stopped actor to its watchers and its parent.</summary>
internal sealed class DeathWatchNotification(InternalActorRef Actor, bool ExistenceConfirmed) : SystemMessage
{
    public InternalActorRef Actor { get; } = Actor;
    public bool ExistenceConfirmed { get; } = ExistenceConfirmed;

    public override string ToString() => $"<DeathWatchNotification {Actor.PathText}>";

    public override void AddState(ref StateHasher hasher)
    {
        hasher.Add(Actor.Id);
        hasher.Add(ExistenceConfirmed);
    }
}

/// <summary>Fact from a child to its parent: I failed with <paramref name="Cause"/> and am suspended until you decide.</summary>
internal sealed class Failed(InternalActorRef Child, Exception Cause) : SystemMessage
{
    public InternalActorRef Child { get; } = Child;
    public Exception Cause { get; } = Cause;

    public override string ToString() => $"<Failed {Child.PathText}: {Cause.GetType().Name}>";

    public override void AddState(ref StateHasher hasher)
    {
        hasher.Add(Child.Id);
        hasher.Add(Cause.GetType().FullName);
    }
}

/// <summary>Command from a supervisor: suspend user-message processing (sent to siblings before an all-for-one restart).</summary>
internal sealed class Suspend : SystemMessage
{
    public static readonly Suspend Instance = new();

    public override string ToString() => "<Suspend>";
}

/// <summary>Command from a supervisor: resume after a failure, keeping the actor's state.</summary>
internal sealed class Resume(Exception? CausedByFailure) : SystemMessage
{
    public Exception? CausedByFailure { get; } = CausedByFailure;

    public override string ToString() => "<Resume>";

    public override void AddState(ref StateHasher hasher) => hasher.Add(CausedByFailure is not null);
}

/// <summary>Command from a supervisor: restart with a fresh instance; <paramref name="RedeliverFailedMessage"/>
/// asks the new instance to process the failed message first (see <c>SupervisorStrategy.RedeliverFailedMessage</c>).</summary>
internal sealed class Recreate(Exception Cause, bool RedeliverFailedMessage) : SystemMessage
{
    public Exception Cause { get; } = Cause;
    public bool RedeliverFailedMessage { get; } = RedeliverFailedMessage;

    public override string ToString() => $"<Recreate {Cause.GetType().Name}>";

    public override void AddState(ref StateHasher hasher)
    {
        hasher.Add(Cause.GetType().FullName);
        hasher.Add(RedeliverFailedMessage);
    }
}

/// <summary>A continuation of an actor's async handler (<c>ReceiveAsync</c>), run in the actor's context.</summary>
internal sealed class ActorTaskContinuation(SendOrPostCallback Callback, object? State) : SystemMessage
{
    public SendOrPostCallback Callback { get; } = Callback;
    public object? State { get; } = State;

    public override string ToString() => "<AsyncContinuation>";
}

/// <summary>Fact: the async handler's task finished on a thread outside the actor; resume user messages.</summary>
internal sealed class ActorTaskCompleted(Task Task) : SystemMessage
{
    public Task Task { get; } = Task;

    public override string ToString() => "<AsyncCompleted>";
}
