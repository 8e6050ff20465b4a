namespace Gpuvmsim.Runtime.Dispatch;

/// <summary>
/// Installed while an async handler runs: <c>await</c> continuations posted here are sent to the actor as system
/// messages, so they run on the actor's turn. Synchronous <see cref="Send"/> would block the actor's own thread and
/// is refused.
/// </summary>
internal sealed class ActorSynchronizationContext(ActorCell cell) : SynchronizationContext
{
    public override void Post(SendOrPostCallback d, object? state) =>
        cell.SendSystem(new ActorTaskContinuation(d, state), cell.SelfRef);

    public override void Send(SendOrPostCallback d, object? state) =>
        throw new NotSupportedException("Synchronous Send to an actor's context would deadlock; use Post.");

    public override SynchronizationContext CreateCopy() => this;
}
