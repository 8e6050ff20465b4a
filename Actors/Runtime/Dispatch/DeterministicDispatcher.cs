using Gpuvmsim.Runtime.Deterministic;

namespace Gpuvmsim.Runtime.Dispatch;

/// <summary>Queues everything into the system's <see cref="DeterministicDriver"/>; nothing runs until it steps.</summary>
internal sealed class DeterministicDispatcher(string id, DeterministicDriver driver) : MessageDispatcher(id, 1)
{
    public override DispatcherType Type => DispatcherType.Deterministic;

    public DeterministicDriver Driver => driver;

    internal override void Dispatch(ActorCell receiver, object message, IActorRef sender) =>
        driver.EnqueueUser(receiver.SelfRef, message, sender);

    internal override void SystemDispatch(ActorCell receiver, SystemMessage message, InternalActorRef? sender) =>
        driver.EnqueueSystem(receiver.SelfRef, message, sender);

    internal override void UserBlockedChanged(ActorCell cell) => driver.RefreshUserEnabled(cell.SelfRef);

    internal override void PushFront(ActorCell cell, IReadOnlyList<Envelope> envelopes) => driver.PushFront(cell.SelfRef, envelopes);

    internal override void Terminated(ActorCell cell) => driver.DrainToDeadLetters(cell.SelfRef);
}
