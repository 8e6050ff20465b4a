namespace Gpuvmsim.Runtime;

/// <summary>Messages the runtime itself understands when they reach an actor's mailbox (Akka's AutoReceivedMessage).</summary>
public abstract class AutoReceivedMessage
{
    private protected AutoReceivedMessage() { }
}

/// <summary>
/// An ordinary message that stops the receiver when it is processed: messages sent before it are handled first,
/// later ones go to dead letters. Sent by anyone; no reply (watch the actor to learn when it is gone).
/// </summary>
public sealed class PoisonPill : AutoReceivedMessage
{
    private PoisonPill() { }

    public static PoisonPill Instance { get; } = new();

    public override string ToString() => "PoisonPill";
}

/// <summary>Makes the receiver throw <see cref="ActorKilledException"/> when processed, so its supervisor decides (default: stop).</summary>
public sealed class Kill : AutoReceivedMessage
{
    private Kill() { }

    public static Kill Instance { get; } = new();

    public override string ToString() => "Kill";
}

/// <summary>
/// Fact delivered once to each watcher of a stopped actor (after <c>Context.Watch</c>). The sender is the dead actor.
/// An actor that does not handle it dies with <see cref="DeathPactException"/>.
/// </summary>
/// <param name="ActorRef">The actor that stopped.</param>
/// <param name="ExistenceConfirmed">False when the watchee was already gone when the watch was set.</param>
/// <param name="AddressTerminated">Always false here: there is no remoting.</param>
public sealed class Terminated(IActorRef ActorRef, bool ExistenceConfirmed, bool AddressTerminated) : AutoReceivedMessage
{
    public IActorRef ActorRef { get; } = ActorRef;

    public bool ExistenceConfirmed { get; } = ExistenceConfirmed;

    public bool AddressTerminated { get; } = AddressTerminated;

    public override bool Equals(object? obj) => obj is Terminated t && t.ActorRef.Equals(ActorRef) &&
        t.ExistenceConfirmed == ExistenceConfirmed && t.AddressTerminated == AddressTerminated;

    public override int GetHashCode() => HashCode.Combine(ActorRef, ExistenceConfirmed, AddressTerminated);

    public override string ToString() => $"Terminated({ActorRef}, {ExistenceConfirmed}, {AddressTerminated})";
}

/// <summary>Status replies (Akka's <c>Status.Success</c>/<c>Status.Failure</c>); an <c>Ask</c> that receives a
/// <see cref="Failure"/> completes with its cause as exception.</summary>
public static class Status
{
    public sealed record Success(object? Status);

    public sealed record Failure(Exception Cause);
}
