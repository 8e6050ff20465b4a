using Gpuvmsim.Runtime.Dispatch;

namespace Gpuvmsim.Runtime;

/// <summary>
/// A ref whose <c>Tell</c> calls a function at once, on the teller's thread, with no mailbox and no delivery step
/// (Akka's FunctionRef). Used by the test kit's event filters to count events where they are published; the function
/// must be thread-safe if tellers run on several threads.
/// </summary>
internal sealed class CallbackActorRef(ActorSystem system, string name, Action<object, IActorRef?> callback)
    : InternalActorRef(system, system.NextId())
{
    private ActorPath? _path;
    private volatile bool _stopped;

    /// <summary>Creates and registers the ref.</summary>
    internal static CallbackActorRef Create(ActorSystem system, string name, Action<object, IActorRef?> callback)
    {
        var r = new CallbackActorRef(system, name, callback);
        system.Register(r);
        return r;
    }

    public override ActorPath Path => _path ??= ActorPath.Root(System.Name).Child("temp").Child(name);

    public override void Tell(object message, IActorRef? sender)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (_stopped) System.PublishDeadLetter(message, sender, this);
        else callback(message, sender);
    }

    internal override void SendSystemMessage(SystemMessage message, InternalActorRef? sender) { }

    internal override void DeliverUser(object message, IActorRef sender, ActorThread thread) => Tell(message, sender);

    internal override void DeliverSystem(SystemMessage message) { }

    internal override bool IsUserBlocked => false;

    internal override bool IsTerminated => _stopped;

    internal override void Stop() => _stopped = true;
}
