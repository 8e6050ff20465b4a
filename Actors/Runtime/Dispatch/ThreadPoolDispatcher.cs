namespace Gpuvmsim.Runtime.Dispatch;

/// <summary>Runs actors concurrently on the .NET thread pool through their <see cref="Mailbox"/>es.</summary>
internal sealed class ThreadPoolDispatcher(string id, int throughput) : MessageDispatcher(id, Math.Max(1, throughput))
{
    public override DispatcherType Type => DispatcherType.ThreadPool;

    internal override void Dispatch(ActorCell receiver, object message, IActorRef sender) =>
        MailboxOf(receiver).EnqueueUser(message, sender);

    internal override void SystemDispatch(ActorCell receiver, SystemMessage message, InternalActorRef? sender) =>
        MailboxOf(receiver).EnqueueSystem(message);

    internal override void UserBlockedChanged(ActorCell cell)
    {
        if (!cell.IsUserBlocked) cell.Mailbox?.Schedule();
    }

    internal override void PushFront(ActorCell cell, IReadOnlyList<Envelope> envelopes) => MailboxOf(cell).PushFront(envelopes);

    internal override void Terminated(ActorCell cell) => cell.Mailbox?.DrainToDeadLetters();

    private Mailbox MailboxOf(ActorCell cell)
    {
        var mailbox = cell.Mailbox;
        if (mailbox is not null) return mailbox;
        Interlocked.CompareExchange(ref cell.Mailbox, new Mailbox(cell, Throughput), null);
        return cell.Mailbox!;
    }
}
