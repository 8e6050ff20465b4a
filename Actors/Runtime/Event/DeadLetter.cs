namespace Gpuvmsim.Runtime.Event;

/// <summary>Fact published when a message could not be delivered: its recipient had stopped, or it was told to
/// <c>DeadLetters</c>.</summary>
public sealed record DeadLetter(object Message, IActorRef? Sender, IActorRef Recipient)
{
    public override string ToString() => $"DeadLetter({Message} from {Sender?.ToString() ?? "nobody"} to {Recipient})";
}

/// <summary>Fact published when no behavior of <paramref name="Recipient"/> handled <paramref name="Message"/>.</summary>
public sealed record UnhandledMessage(object Message, IActorRef? Sender, IActorRef Recipient)
{
    public override string ToString() => $"UnhandledMessage({Message} from {Sender?.ToString() ?? "nobody"} to {Recipient})";
}
