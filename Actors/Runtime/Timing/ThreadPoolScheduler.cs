namespace Gpuvmsim.Runtime.Timing;

/// <summary>Real timers (<see cref="Timer"/>) for thread-pool systems; <see cref="Now"/> is the wall clock.</summary>
internal sealed class ThreadPoolScheduler : SchedulerBase
{
    private readonly HashSet<RealTimer> _timers = [];
    private bool _shutDown;

    public override DateTimeOffset Now => DateTimeOffset.UtcNow;

    public override ICancelable ScheduleTellOnce(TimeSpan delay, IActorRef receiver, object message, IActorRef? sender)
    {
        CheckArguments(delay, receiver, message);
        return Start(delay, Timeout.InfiniteTimeSpan, () => receiver.Tell(message, sender), once: true);
    }

    public override ICancelable ScheduleTellRepeatedly(TimeSpan initialDelay, TimeSpan interval, IActorRef receiver, object message, IActorRef? sender)
    {
        CheckArguments(initialDelay, receiver, message);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        return Start(initialDelay, interval, () => receiver.Tell(message, sender), once: false);
    }

    public override ICancelable ScheduleOnce(TimeSpan delay, Action<object?> action, object? state) =>
        Start(delay, Timeout.InfiniteTimeSpan, () => action(state), once: true);

    public override void Shutdown()
    {
        RealTimer[] all;
        lock (_timers)
        {
            _shutDown = true;
            all = [.. _timers];
            _timers.Clear();
        }
        foreach (var t in all) t.Cancel();
    }

    private RealTimer Start(TimeSpan delay, TimeSpan period, Action fire, bool once)
    {
        var timer = new RealTimer(this, fire, once);
        lock (_timers)
        {
            if (_shutDown)
            {
                timer.Cancel();
                return timer;
            }
            _timers.Add(timer);
        }
        timer.Start(delay, period);
        return timer;
    }

    private void Forget(RealTimer timer)
    {
        lock (_timers) _timers.Remove(timer);
    }

    private sealed class RealTimer(ThreadPoolScheduler owner, Action fire, bool once) : ICancelable
    {
        private Timer? _timer;
        private volatile bool _cancelled;
        private volatile bool _finished;

        public bool IsCancellationRequested => _cancelled;

        public void Start(TimeSpan delay, TimeSpan period)
        {
            var timer = new Timer(static s => ((RealTimer)s!).Fire(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _timer = timer;
            if (!_cancelled) timer.Change(delay, period);
        }

        private void Fire()
        {
            if (_cancelled || _finished) return;
            if (once)
            {
                _finished = true;
                owner.Forget(this);
                _timer?.Dispose();
            }
            fire();
        }

        public void Cancel()
        {
            if (_cancelled) return;
            _cancelled = true;
            _timer?.Dispose();
            owner.Forget(this);
        }
    }
}
