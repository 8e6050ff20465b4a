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

    private readonly ConcurrentQueue<Envelope> _user = new();
    private ConcurrentQueue<SystemMessage>? _system;
    private Queue<Envelope>? _front;
    private int _status;
    private int _turns;
    private int _systemCount;

    /// <summary>Turns run so far (diagnostics: shows the throughput setting at work).</summary>
    public int Turns => Volatile.Read(ref _turns);

    public void EnqueueUser(in Envelope envelope)
    {
        _user.Enqueue(envelope);
        if (!cell.IsUserBlocked) Schedule();
    }

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
        _turns++;
        var thread = ActorThread.Current;
        try
        {
            ProcessSystemMessages();
            for (int left = throughput; left > 0; left--)
            {
                if (cell.IsUserBlocked) break;
                if (_front is { Count: > 0 } front)
                {
                    var e = front.Dequeue();
                    cell.Invoke(e.Message, e.Sender, thread);
                }
                else if (_user.TryDequeue(out var envelope))
                {
                    cell.Invoke(envelope.Message, envelope.Sender, thread);
                }
                else break;
                if (Volatile.Read(ref _systemCount) != 0) ProcessSystemMessages();
            }
            if (cell.IsTerminated) DrainToDeadLetters();
        }
        finally
        {
            Volatile.Write(ref _status, Idle);
            // A message enqueued after our last look but before the flag was cleared found us "scheduled": look again.
            Interlocked.MemoryBarrier();
            if (HasWork()) Schedule();
        }
    }

    private bool HasWork() =>
        Volatile.Read(ref _systemCount) != 0 || (!cell.IsUserBlocked && (!_user.IsEmpty || _front is { Count: > 0 }));

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
        while (_user.TryDequeue(out var e)) cell.SystemImpl.PublishDeadLetter(e.Message, e.Sender, cell.SelfRef);
    }
}
