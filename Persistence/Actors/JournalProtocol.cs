using Gpuvmsim.Runtime;

namespace Gpuvmsim.Persistence.Actors;

// The journal plugin's protocol (Akka.Persistence's JournalProtocol). Requests are commands sent to the journal actor
// (IPersistenceExtension.JournalFor); replies are facts. Every reply goes to the persistent actor named in the request,
// with the journal actor as sender, in request order, so that on the deterministic dispatcher they share one FIFO
// channel. Replies carrying ActorInstanceId belong to one incarnation of the persistent actor: a restarted actor
// ignores those of its predecessor. ToString leaves out the random writer id so that traces stay reproducible.

/// <summary>
/// Stores <paramref name="Messages"/> in order, each all-or-nothing. Sent by a persistent actor when a command (or a
/// persist handler) has persisted events, at most one at a time per actor; answered per event with
/// <see cref="WriteMessageSuccess"/>, <see cref="WriteMessageRejected"/> or <see cref="WriteMessageFailure"/>, then
/// once with <see cref="WriteMessagesSuccessful"/> or <see cref="WriteMessagesFailed"/>.
/// </summary>
public sealed record WriteMessages(IReadOnlyList<AtomicWrite> Messages, IActorRef PersistentActor, int ActorInstanceId)
{
    public override string ToString() =>
        $"WriteMessages({Messages.Count} write(s), {Messages.Sum(m => m.Events.Count)} event(s) of {Describe(Messages)}, instance {ActorInstanceId})";

    private static string Describe(IReadOnlyList<AtomicWrite> writes) =>
        writes.Count == 0 ? "nothing" : $"'{writes[0].PersistenceId}' {writes[0].LowestSequenceNr}..{writes[^1].HighestSequenceNr}";
}

/// <summary>The event is stored: the persistent actor runs its persist handler.</summary>
public sealed record WriteMessageSuccess(PersistentRepr Persistent, int ActorInstanceId)
{
    public override string ToString() => $"WriteMessageSuccess({Repr.Text(Persistent)}, instance {ActorInstanceId})";
}

/// <summary>
/// The event's atomic write was refused for its content (an unserializable event, or a sequence number another writer
/// already stored); nothing of it is stored and the journal is healthy.
/// </summary>
public sealed record WriteMessageRejected(PersistentRepr Persistent, Exception Cause, int ActorInstanceId)
{
    public override string ToString() => $"WriteMessageRejected({Repr.Text(Persistent)}, {Cause.GetType().Name}, instance {ActorInstanceId})";
}

/// <summary>The store failed while writing the event's atomic write; nothing of it is stored.</summary>
public sealed record WriteMessageFailure(PersistentRepr Persistent, Exception Cause, int ActorInstanceId)
{
    public override string ToString() => $"WriteMessageFailure({Repr.Text(Persistent)}, {Cause.GetType().Name}, instance {ActorInstanceId})";
}

/// <summary>Every write of a <see cref="WriteMessages"/> was answered and none failed in the store.</summary>
public sealed record WriteMessagesSuccessful(int ActorInstanceId);

/// <summary>Every write of a <see cref="WriteMessages"/> was answered and the store failed on at least one.</summary>
public sealed record WriteMessagesFailed(Exception Cause, int WriteCount, int ActorInstanceId)
{
    public override string ToString() => $"WriteMessagesFailed({Cause.GetType().Name}, {WriteCount}, instance {ActorInstanceId})";
}

/// <summary>
/// Replays the stored events of <paramref name="PersistenceId"/> with <paramref name="FromSequenceNr"/> ≤ sequence
/// number ≤ <paramref name="ToSequenceNr"/>, at most <paramref name="Max"/> of them. Sent by a recovering persistent
/// actor; answered with one <see cref="ReplayedMessage"/> per event, read in pages of <c>replay-batch-size</c> (one
/// journal delivery each, so other requests can come between pages), then <see cref="RecoverySuccess"/> — or
/// <see cref="ReplayMessagesFailure"/>. The upper bound is fixed when the request arrives.
/// </summary>
public sealed record ReplayMessages(long FromSequenceNr, long ToSequenceNr, long Max, string PersistenceId, IActorRef PersistentActor, int ActorInstanceId);

/// <summary>One replayed event.</summary>
public sealed record ReplayedMessage(PersistentRepr Persistent, int ActorInstanceId)
{
    public override string ToString() => $"ReplayedMessage({Repr.Text(Persistent)}, instance {ActorInstanceId})";
}

/// <summary>The replay is complete; <paramref name="HighestSequenceNr"/> is the highest stored, deleted events included.</summary>
public sealed record RecoverySuccess(long HighestSequenceNr, int ActorInstanceId);

/// <summary>The replay stopped: an event could not be read, or the store failed.</summary>
public sealed record ReplayMessagesFailure(Exception Cause, int ActorInstanceId)
{
    public override string ToString() => $"ReplayMessagesFailure({Cause.GetType().Name}: {Cause.Message}, instance {ActorInstanceId})";
}

/// <summary>
/// Deletes the events of <paramref name="PersistenceId"/> up to <paramref name="ToSequenceNr"/> (the highest sequence
/// number is kept, see <see cref="IJournal.DeleteMessagesTo"/>). Sent by <c>DeleteMessages</c>; answered to
/// <paramref name="PersistentActor"/> with <see cref="DeleteMessagesSuccess"/> or <see cref="DeleteMessagesFailure"/>,
/// which its command handler receives.
/// </summary>
public sealed record DeleteMessagesTo(string PersistenceId, long ToSequenceNr, IActorRef PersistentActor);

/// <summary>The events up to <paramref name="ToSequenceNr"/> are deleted.</summary>
public sealed record DeleteMessagesSuccess(long ToSequenceNr);

/// <summary>The events were not deleted.</summary>
public sealed record DeleteMessagesFailure(Exception Cause, long ToSequenceNr)
{
    public override string ToString() => $"DeleteMessagesFailure({Cause.GetType().Name}: {Cause.Message}, {ToSequenceNr})";
}

/// <summary>Short, reproducible text of an event in a protocol message.</summary>
internal static class Repr
{
    public static string Text(PersistentRepr p) => $"'{p.PersistenceId}' #{p.SequenceNr} {p.Payload}";
}
