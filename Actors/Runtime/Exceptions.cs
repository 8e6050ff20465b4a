namespace Gpuvmsim.Runtime;

/// <summary>Base of the runtime's own exceptions.</summary>
public class ActorRuntimeException : Exception
{
    public ActorRuntimeException(string message) : base(message) { }

    public ActorRuntimeException(string message, Exception? inner) : base(message, inner) { }
}

/// <summary>An actor name is malformed or already taken by a sibling.</summary>
public sealed class InvalidActorNameException : ActorRuntimeException
{
    public InvalidActorNameException(string message) : base(message) { }
}

/// <summary>An <c>Ask</c> got no reply within its timeout (measured on the system's clock, virtual in
/// deterministic mode).</summary>
public sealed class AskTimeoutException : ActorRuntimeException
{
    public AskTimeoutException(string message) : base(message) { }
}

/// <summary>Thrown inside an actor that received <see cref="Kill"/>; the default supervisor stops it.</summary>
public sealed class ActorKilledException : ActorRuntimeException
{
    public ActorKilledException(string message) : base(message) { }
}

/// <summary>An actor received a <see cref="Terminated"/> it did not handle: it dies with its watchee (default: stopped).</summary>
public sealed class DeathPactException : ActorRuntimeException
{
    public DeathPactException(IActorRef deadActor) : base($"Monitored actor [{deadActor}] terminated") => DeadActor = deadActor;

    public IActorRef DeadActor { get; }
}

/// <summary>The actor's constructor or <c>PreStart</c> (or, on restart, <c>PostRestart</c>) threw; the default supervisor stops it.</summary>
public sealed class ActorInitializationException : ActorRuntimeException
{
    public ActorInitializationException(IActorRef? actor, string message, Exception? cause) : base(message, cause) => Actor = actor;

    public IActorRef? Actor { get; }
}

/// <summary>A dispatcher name, deployment or setting cannot be used.</summary>
public sealed class ActorConfigurationException : ActorRuntimeException
{
    public ActorConfigurationException(string message) : base(message) { }
}
