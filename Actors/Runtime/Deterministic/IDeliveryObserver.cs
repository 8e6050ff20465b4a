namespace Gpuvmsim.Runtime.Deterministic;

/// <summary>
/// Sees every delivery of a deterministic system, on the driver's thread: <see cref="BeforeDelivery"/> just before the
/// receiver runs, <see cref="AfterDelivery"/> right after it returned (also when it failed). An invariant checker
/// throws from <see cref="AfterDelivery"/> to stop the run; the exception leaves <c>Step</c> unchanged.
/// Observers must not send messages or step the driver.
/// </summary>
public interface IDeliveryObserver
{
    void BeforeDelivery(in DeliveryRecord delivery);

    void AfterDelivery(in DeliveryRecord delivery);
}

/// <summary>
/// One delivery: its step (0-based), the channel (sender id → receiver id, system or user), the refs, the message and
/// the virtual time in ticks since the epoch. A plain struct: paths are built only when asked for.
/// </summary>
public readonly struct DeliveryRecord(long step, int senderId, IActorRef sender, int receiverId, IActorRef receiver,
    object message, long virtualTicks, bool isSystem)
{
    public long Step { get; } = step;

    public int SenderId { get; } = senderId;

    public IActorRef Sender { get; } = sender;

    public int ReceiverId { get; } = receiverId;

    public IActorRef Receiver { get; } = receiver;

    /// <summary>The message (for a system message, the runtime's internal object; its text names it, e.g. <c>&lt;Terminate&gt;</c>).</summary>
    public object Message { get; } = message;

    /// <summary>Virtual time in ticks (100 ns) since <see cref="ActorSystemSettings.VirtualEpoch"/>.</summary>
    public long VirtualTicks { get; } = virtualTicks;

    public bool IsSystem { get; } = isSystem;

    /// <summary>The sender's path without address, e.g. <c>/user/vm</c> (<c>/deadLetters</c> for no sender).</summary>
    public string SenderPath => Sender.Path.ToStringWithoutAddress();

    public string ReceiverPath => Receiver.Path.ToStringWithoutAddress();

    public override string ToString() => TraceFormatter.FormatLine(this);
}
