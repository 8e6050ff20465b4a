namespace Gpuvmsim.Runtime.Deterministic;

/// <summary>
/// Virtual time: ticks since the epoch, moved only by the driver. Timers wait in a priority queue ordered by
/// (due time, creation number); a cancelled timer stays queued and is skipped. Guarded by a lock because a thread-pool
/// actor of a mixed system may schedule on this (virtual) clock.
/// </summary>
public sealed partial class DeterministicDriver
{
    private readonly DateTimeOffset _epoch;
    private readonly Lock _timerGate = new();
    private PriorityQueue<VirtualTimer, (long Due, long Seq)>? _timers;
    private long _nowTicks;
    private long _timerSequence;
    private int _liveTimers;

    /// <summary>The virtual clock: the epoch plus <see cref="Elapsed"/>.</summary>
    public DateTimeOffset Now => _epoch.AddTicks(_nowTicks);

    /// <summary>Virtual time since the epoch.</summary>
    public TimeSpan Elapsed => new(_nowTicks);

    /// <summary>True when some timer has not fired or been cancelled.</summary>
    public bool HasPendingTimers => _liveTimers > 0;

    /// <summary>When the next live timer is due, or null.</summary>
    public DateTimeOffset? NextTimerDue
    {
        get
        {
            lock (_timerGate) return PeekLive(out var timer) ? _epoch.AddTicks(timer!.DueTicks) : null;
        }
    }

    internal long NowTicks => _nowTicks;

    internal VirtualTimer AddTimer(TimeSpan delay, TimeSpan interval, IActorRef? receiver, object? message, IActorRef? sender,
        Action<object?>? action, object? state)
    {
        lock (_timerGate)
        {
            var timer = new VirtualTimer(this, _nowTicks + Math.Max(0, delay.Ticks), interval.Ticks, _timerSequence++,
                receiver, message, sender, action, state);
            if (_terminated)
            {
                timer.MarkDone();
                return timer;
            }
            (_timers ??= new()).Enqueue(timer, (timer.DueTicks, timer.Sequence));
            _liveTimers++;
            return timer;
        }
    }

    internal void TimerCancelled()
    {
        lock (_timerGate) _liveTimers--;
    }

    /// <summary>Live timers in firing order (state hashing).</summary>
    internal List<VirtualTimer> LiveTimers()
    {
        lock (_timerGate)
        {
            var result = new List<VirtualTimer>();
            if (_timers is null) return result;
            foreach (var (timer, _) in _timers.UnorderedItems)
                if (!timer.IsDone) result.Add(timer);
            result.Sort((a, b) => a.DueTicks != b.DueTicks ? a.DueTicks.CompareTo(b.DueTicks) : a.Sequence.CompareTo(b.Sequence));
            return result;
        }
    }

    private bool PeekLive(out VirtualTimer? timer)
    {
        timer = null;
        if (_timers is null) return false;
        while (_timers.TryPeek(out var t, out _))
        {
            if (!t.IsDone)
            {
                timer = t;
                return true;
            }
            _timers.Dequeue();
        }
        return false;
    }

    /// <summary>Advances the clock to the earliest live timer, if it is due by <paramref name="deadline"/>, and fires
    /// every timer due at that instant in creation order.</summary>
    private bool FireNextTimers(long deadline)
    {
        List<VirtualTimer> due;
        lock (_timerGate)
        {
            if (!PeekLive(out var first) || first!.DueTicks > deadline) return false;
            long at = first.DueTicks;
            if (at > _nowTicks) _nowTicks = at;
            due = [];
            while (PeekLive(out var next) && next!.DueTicks == at)
            {
                _timers!.Dequeue();
                due.Add(next);
                if (next.IntervalTicks > 0)
                {
                    next.DueTicks = at + next.IntervalTicks;
                    _timers.Enqueue(next, (next.DueTicks, next.Sequence));
                }
                else
                {
                    next.MarkDone();
                    _liveTimers--;
                }
            }
        }
        foreach (var timer in due) timer.Fire();
        return true;
    }

    private void ClearTimers()
    {
        lock (_timerGate)
        {
            if (_timers is not null)
                foreach (var (timer, _) in _timers.UnorderedItems) timer.MarkDone();
            _timers = null;
            _liveTimers = 0;
        }
    }
}

/// <summary>One virtual timer: a tell (or an internal action such as an ask timeout), once or repeated.</summary>
internal sealed class VirtualTimer(DeterministicDriver owner, long dueTicks, long intervalTicks, long sequence,
    IActorRef? receiver, object? message, IActorRef? sender, Action<object?>? action, object? state) : ICancelable
{
    private bool _cancelled;
    private bool _done;

    public long DueTicks = dueTicks;
    public readonly long IntervalTicks = intervalTicks;
    public readonly long Sequence = sequence;
    public IActorRef? Receiver => receiver;
    public object? Message => message;

    public bool IsDone => _done;

    public bool IsCancellationRequested => _cancelled;

    public void Cancel()
    {
        if (_cancelled) return;
        _cancelled = true;
        if (_done) return;
        _done = true;
        owner.TimerCancelled();
    }

    internal void MarkDone() => _done = true;

    internal void Fire()
    {
        if (_cancelled) return;
        if (action is not null) action(state);
        else receiver!.Tell(message!, sender);
    }
}
