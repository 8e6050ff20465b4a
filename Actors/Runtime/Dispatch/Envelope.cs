namespace Gpuvmsim.Runtime.Dispatch;

/// <summary>A queued user message with its sender; <paramref name="Seq"/> is the deterministic driver's global enqueue
/// order (negative for messages put back at the front by Unstash), unused by the thread-pool mailbox.</summary>
internal readonly record struct Envelope(object Message, IActorRef Sender, long Seq);
