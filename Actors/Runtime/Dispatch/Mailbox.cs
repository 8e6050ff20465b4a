using System.Collections.Concurrent;

namespace Gpuvmsim.Runtime.Dispatch;

/// <summary>
/// The thread-pool mailbox of one actor: lock-free queues for user and system messages and an atomic "scheduled" flag,
/// so at most one pool thread runs the actor at a time. A turn processes every system message, then up to
/// <c>throughput</c> user messages (system messages again before each), and re-queues itself if work remains.
/// Messages put back by Unstash go to a front buffer that only the actor's own turn touches.
/// </summary>
internal sealed class Mailbox(ActorCell cell, int throughput) : IThreadPoolWorkItem
{
    private const int Idle = 0;
    private const int Scheduled = 1;

    private readonly LetterQueue _user = new();
    private ConcurrentQueue<SystemMessage>? _system;
    private Queue<Envelope>? _front;
    private int _status;
    private int _turns;
    private int _systemCount;

    /// <summary>Turns run so far (diagnostics: shows the throughput setting at work).</summary>
    public int Turns => Volatile.Read(ref _turns);

    public void EnqueueUser(object message, IActorRef sender)
    {
        _user.Enqueue(message, sender);
        // The claim above is a full fence: either this read sees a termination that happened after the sender's
        // check, or the finishing turn's HasWork sees the claim.
        if (UserLettersNeedATurn) Schedule();
    }

    /// <summary>Whether queued user letters call for a turn: to be processed, or, once the actor terminated (its
    /// mailbox drained, or being drained), to become dead letters.</summary>
    private bool UserLettersNeedATurn => !cell.IsUserBlocked || cell.IsTerminated;

    public void EnqueueSystem(SystemMessage message)
    {
        var queue = _system;
        if (queue is null)
        {
            Interlocked.CompareExchange(ref _system, new ConcurrentQueue<SystemMessage>(), null);
            queue = _system;
        }
        queue!.Enqueue(message);
        Interlocked.Increment(ref _systemCount);
        Schedule();
    }

    /// <summary>Called on the actor's turn only.</summary>
    public void PushFront(IReadOnlyList<Envelope> envelopes)
    {
        var front = _front ??= new Queue<Envelope>();
        if (front.Count == 0)
        {
            foreach (var e in envelopes) front.Enqueue(e);
            return;
        }
        var rest = front.ToArray();
        front.Clear();
        foreach (var e in envelopes) front.Enqueue(e);
        foreach (var e in rest) front.Enqueue(e);
    }

    /// <summary>Queues a turn on the pool unless one is queued or running.</summary>
    public void Schedule()
    {
        if (Volatile.Read(ref _status) == Idle && Interlocked.CompareExchange(ref _status, Scheduled, Idle) == Idle)
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    public void Execute()
    {
        // The actor is this thread's running cell for the whole turn: set once, not per message.
        var thread = ActorThread.Current;
        var previous = thread.Cell;
        thread.Cell = cell;
        try
        {
            // A turn ends after `throughput` messages to let other work run. When no other work waits anywhere in
            // the pool, the next turn starts here at once: re-queueing would only hand it back to this thread after a
            // round trip through the pool's queues (the turns are counted the same).
            while (RunTurn() && ThreadPool.PendingWorkItemCount == 0) { }
            if (cell.IsTerminated) DrainToDeadLetters();
        }
        finally
        {
            thread.Cell = previous;
            Volatile.Write(ref _status, Idle);
            // A message enqueued after our last look but before the flag was cleared found us "scheduled": look again.
            Interlocked.MemoryBarrier();
            if (HasWork()) Schedule();
        }
    }

    /// <summary>Every system message, then up to <c>throughput</c> user messages (system messages again before each).</summary>
    /// <returns>True when the turn used its whole throughput and user messages may remain.</returns>
    private bool RunTurn()
    {
        _turns++;
        ProcessSystemMessages();
        for (int left = throughput; left > 0; left--)
        {
            if (cell.IsUserBlocked) return false;
            if (_front is { Count: > 0 } front)
            {
                var e = front.Dequeue();
                cell.ProcessMessage(e.Message, e.Sender);
            }
            else if (_user.TryDequeue(out var message, out var sender))
            {
                cell.ProcessMessage(message, sender);
            }
            else return false;
            if (Volatile.Read(ref _systemCount) != 0) ProcessSystemMessages();
        }
        return true;
    }

    private bool HasWork() =>
        Volatile.Read(ref _systemCount) != 0 || (UserLettersNeedATurn && (_user.HasClaimed || _front is { Count: > 0 }));

    private void ProcessSystemMessages()
    {
        var queue = _system;
        if (queue is null) return;
        while (queue.TryDequeue(out var message))
        {
            Interlocked.Decrement(ref _systemCount);
            cell.SystemInvoke(message);
        }
    }

    /// <summary>After the actor stopped: every queued user message becomes a dead letter.</summary>
    public void DrainToDeadLetters()
    {
        while (_front is { Count: > 0 } front)
        {
            var e = front.Dequeue();
            cell.SystemImpl.PublishDeadLetter(e.Message, e.Sender, cell.SelfRef);
        }
        while (_user.TryDequeue(out var message, out var sender)) cell.SystemImpl.PublishDeadLetter(message, sender, cell.SelfRef);
    }
}
