using Gpuvmsim.Runtime;

namespace Gpuvmsim.Persistence.Actors;

/// <summary>
/// DOC: the journal plugin actor (Akka's <c>AsyncWriteJournal</c>): carries out <see cref="WriteMessages"/>,
/// <see cref="ReplayMessages"/> and <see cref="DeleteMessagesTo"/> on its <see cref="IJournal"/> and answers with the
/// facts of <c>JournalProtocol.cs</c>, always to the persistent actor named in the request, with itself as sender.
/// <para>
/// <b>Deterministic mode.</b> On the deterministic dispatcher each request is carried out synchronously inside its own
/// delivery step (the store's synchronous methods), so a run touches the database at the same steps every time and
/// its replies enter the channels in a reproducible order; tests step virtual time and never wait for I/O. On a
/// thread-pool dispatcher the store's <c>…Async</c> methods run as an async handler: the actor takes no other request
/// until the current one is answered, so replies keep request order there too.
/// </para>
/// <para>
/// <b>Replay</b> reads at most <c>replay-batch-size</c> events per delivery: after each full page the actor sends
/// itself the next page, so other requests can be served between pages and no more than one page is read at a time.
/// The upper bound (the highest stored sequence number, capped by the request) is fixed when the request arrives.
/// </para>
/// The actor owns its store: it closes it when it stops (the system terminating), but not on a restart.
/// </summary>
internal sealed class JournalActor : ActorBase
{
    private readonly IJournal _journal;
    private readonly int _pageSize;
    private readonly bool _synchronous;

    public JournalActor(IJournal journal, int pageSize)
    {
        _journal = journal;
        _pageSize = pageSize;
        _synchronous = Context.Dispatcher.Type == DispatcherType.Deterministic;
    }

    protected internal override bool Receive(object message)
    {
        switch (message)
        {
            case WriteMessages write:
                Run(() => Write(write));
                return true;
            case ReplayMessages replay:
                Run(() => StartReplay(replay));
                return true;
            case ReplayPage page:
                Run(() => ReplayPage(page));
                return true;
            case DeleteMessagesTo delete:
                Run(() => Delete(delete));
                return true;
            default:
                return false;
        }
    }

    protected override void PreRestart(Exception reason, object? message) { }

    protected override void PostStop() => _journal.Dispose();

    /// <summary>Runs a request inline (deterministic) or as an async handler that blocks the mailbox until it is done.</summary>
    private void Run(Func<ValueTask> request)
    {
        if (_synchronous)
        {
            var pending = request();
            if (!pending.IsCompleted) throw new InvalidOperationException("a synchronous journal request did not complete synchronously");
            pending.GetAwaiter().GetResult();
        }
        else
        {
            Cell.RunTask(() => request().AsTask());
        }
    }

    private async ValueTask Write(WriteMessages request)
    {
        IReadOnlyList<WriteResult> results;
        try
        {
            results = _synchronous ? _journal.WriteMessages(request.Messages) : await _journal.WriteMessagesAsync(request.Messages);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            results = request.Messages.Select(_ => WriteResult.Failed(e)).ToArray();
        }
        var to = request.PersistentActor;
        Exception? failure = null;
        for (int i = 0; i < request.Messages.Count; i++)
        {
            var result = results[i];
            foreach (var e in request.Messages[i].Events)
            {
                object reply = result.Status switch
                {
                    WriteStatus.Persisted => new WriteMessageSuccess(e, request.ActorInstanceId),
                    WriteStatus.Rejected => new WriteMessageRejected(e, result.Error!, request.ActorInstanceId),
                    _ => new WriteMessageFailure(e, result.Error!, request.ActorInstanceId),
                };
                to.Tell(reply, Self);
            }
            if (result.Status == WriteStatus.Failed) failure ??= result.Error;
        }
        to.Tell(failure is null
            ? new WriteMessagesSuccessful(request.ActorInstanceId)
            : new WriteMessagesFailed(failure, request.Messages.Count, request.ActorInstanceId), Self);
    }

    private async ValueTask StartReplay(ReplayMessages request)
    {
        long highest;
        try
        {
            highest = _synchronous
                ? _journal.ReadHighestSequenceNr(request.PersistenceId)
                : await _journal.ReadHighestSequenceNrAsync(request.PersistenceId);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            request.PersistentActor.Tell(new ReplayMessagesFailure(e, request.ActorInstanceId), Self);
            return;
        }
        await ReplayPage(new ReplayPage(request, request.FromSequenceNr, Math.Min(request.ToSequenceNr, highest), request.Max, highest));
    }

    /// <summary>Replays one page; asks for the next one when the page was full.</summary>
    private async ValueTask ReplayPage(ReplayPage page)
    {
        var request = page.Request;
        var to = request.PersistentActor;
        if (page.From > page.To || page.Remaining <= 0)
        {
            to.Tell(new RecoverySuccess(page.Highest, request.ActorInstanceId), Self);
            return;
        }
        long max = Math.Min(_pageSize, page.Remaining);
        long last = page.From - 1;
        long count;
        try
        {
            void OnReplayed(PersistentRepr e)
            {
                last = e.SequenceNr;
                to.Tell(new ReplayedMessage(e, request.ActorInstanceId), Self);
            }
            count = _synchronous
                ? _journal.ReplayMessages(request.PersistenceId, page.From, page.To, max, OnReplayed)
                : await _journal.ReplayMessagesAsync(request.PersistenceId, page.From, page.To, max, OnReplayed);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            to.Tell(new ReplayMessagesFailure(e, request.ActorInstanceId), Self);
            return;
        }
        if (count < max) to.Tell(new RecoverySuccess(page.Highest, request.ActorInstanceId), Self);
        else Self.Tell(page with { From = last + 1, Remaining = page.Remaining - count }, Self);
    }

    private async ValueTask Delete(DeleteMessagesTo request)
    {
        object reply;
        try
        {
            if (_synchronous) _journal.DeleteMessagesTo(request.PersistenceId, request.ToSequenceNr);
            else await _journal.DeleteMessagesToAsync(request.PersistenceId, request.ToSequenceNr);
            reply = new DeleteMessagesSuccess(request.ToSequenceNr);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            reply = new DeleteMessagesFailure(e, request.ToSequenceNr);
        }
        request.PersistentActor.Tell(reply, Self);
    }
}

/// <summary>The journal actor's note to itself: replay the next page of <paramref name="Request"/>.</summary>
internal sealed record ReplayPage(ReplayMessages Request, long From, long To, long Remaining, long Highest)
{
    public override string ToString() => $"ReplayPage('{Request.PersistenceId}' {From}..{To}, instance {Request.ActorInstanceId})";
}
