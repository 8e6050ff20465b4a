using Gpuvmsim.Runtime.Scheduling;

namespace Gpuvmsim.Runtime.Deterministic;

/// <summary>
/// Drives a deterministic actor system (<c>system.Deterministic</c>). Nothing runs until it steps: each step asks the
/// <see cref="Strategy"/> to pick one of the enabled deliveries — the heads of the per-(sender, receiver) FIFO channels,
/// system messages first for a receiver that has any — and delivers it. Virtual time moves only when nothing is
/// deliverable: then the earliest timers fire (by due time, then creation order). Every choice is recorded in
/// <see cref="RecordedSchedule"/>, every delivery (when tracing) in <see cref="Trace"/>.
///
/// Threading: a deterministic system is single-threaded. Call the driver, and touch the system from outside
/// (<c>ActorOf</c>, <c>Tell</c>), from one thread at a time and never while a step runs on another thread. Messages
/// told from outside a step are queued in arrival order and enter the channels at the next step; messages from other
/// threads (thread-pool actors, real timers, work that escaped to the thread pool) do the same, in whatever order
/// they arrive, so a run that has them is not reproducible.
/// </summary>
public sealed partial class DeterministicDriver
{
    /// <summary>The default step budget of the run methods.</summary>
    public const long DefaultMaxSteps = 100_000_000;

    private readonly ActorSystem _system;
    private readonly ExplorationStrategy _strategy;
    private readonly ChoiceLog _choices = new();
    private readonly DeliveryTrace? _trace;
    private IDeliveryObserver[] _observers = [];
    private long _stepCount;
    private int _stepThread;
    private bool _terminateRequested;
    private bool _terminated;

    /// <summary>The stepping thread's state, looked up once per run call rather than once per delivery.</summary>
    private ActorThread? _thread;

    /// <summary>What <see cref="Enter"/> replaced on the stepping thread, put back by <see cref="Exit"/>.</summary>
    private readonly record struct Entry(int StepThread, DeterministicDriver? Driver, ActorCell? Cell);

    internal DeterministicDriver(ActorSystem system, ActorSystemSettings settings)
    {
        _system = system;
        _strategy = settings.StrategyInstance ?? StrategyFactory.Create(settings.Strategy, settings.Seed, settings.PctDepth, settings.ReplaySchedule);
        if (settings.StrategyInstance is not null && settings.ReplaySchedule is not null) _strategy.SetReplayPrefix(settings.ReplaySchedule);
        if (settings.Trace) _trace = new DeliveryTrace(system, _choices);
        _lazyHeads = _strategy is RandomStrategy;
        _epoch = settings.VirtualEpoch;
    }

    public ActorSystem System => _system;

    /// <summary>The strategy choosing deliveries and values.</summary>
    public ExplorationStrategy Strategy => _strategy;

    /// <summary>Deliveries made so far (also the index of the next one).</summary>
    public long StepCount => _stepCount;

    /// <summary>The choices made so far (deliveries and values), replayable with <see cref="ReplayStrategy"/>.</summary>
    public Schedule RecordedSchedule => _choices.ToSchedule();

    /// <summary>The recorded deliveries, when <see cref="ActorSystemSettings.Trace"/> is on; else null.</summary>
    public DeliveryTrace? Trace => _trace;

    /// <summary>True once the system has terminated; every run method then returns at once.</summary>
    public bool IsTerminated => _terminated;

    /// <summary>The enabled deliveries, in the order the strategy will see them (valid until the next call into the
    /// system). Takes in messages told from outside first.</summary>
    public ReadOnlySpan<DeliveryCandidate> EnabledCandidates
    {
        get
        {
            DrainInbox();
            if (_headsStale) RefreshHeads();
            return new ReadOnlySpan<DeliveryCandidate>(_candidates, 0, _activeCount);
        }
    }

    /// <summary>True when nothing is deliverable and no timer is pending.</summary>
    public bool IsQuiescent
    {
        get
        {
            DrainInbox();
            return _activeCount == 0 && !HasPendingTimers;
        }
    }

    /// <summary>The message at the head of <paramref name="candidate"/>'s channel (an explorer's look before choosing).</summary>
    public object PeekMessage(in DeliveryCandidate candidate)
    {
        DrainInbox();
        for (int i = 0; i < _activeCount; i++)
        {
            ref readonly var c = ref _candidates[i];
            if (c.SenderId == candidate.SenderId && c.ReceiverId == candidate.ReceiverId && c.IsSystem == candidate.IsSystem)
                return _active[i].Peek().Message;
        }
        throw new ArgumentException($"No enabled delivery {candidate}", nameof(candidate));
    }

    /// <summary>The actor with dense id <paramref name="id"/> (0 is dead letters), or null if unknown or stopped.</summary>
    public IActorRef? RefById(int id) => id == 0 ? _system.DeadLetters : _system.LiveRefById(id);

    /// <summary>Adds a hook run before and after every delivery.</summary>
    public void AddObserver(IDeliveryObserver observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        _observers = [.. _observers, observer];
    }

    public void RemoveObserver(IDeliveryObserver observer) => _observers = _observers.Where(o => o != observer).ToArray();

    /// <summary>Makes one delivery. When none is possible, first advances virtual time to the earliest timer and fires
    /// it and every timer due at that instant, then delivers one message if that enabled any.</summary>
    /// <returns>False when the system is quiescent: nothing deliverable and no timer pending.</returns>
    public bool Step()
    {
        var entry = Enter();
        try
        {
            return StepCore(long.MaxValue);
        }
        finally
        {
            Exit(entry);
        }
    }

    /// <summary>Steps until quiescent or until <paramref name="maxSteps"/> deliveries were made.</summary>
    /// <returns>The number of deliveries made.</returns>
    public long RunUntilQuiescent(long maxSteps = DefaultMaxSteps)
    {
        var entry = Enter();
        long start = _stepCount;
        try
        {
            long left;
            while ((left = maxSteps - (_stepCount - start)) > 0 && StepBatch((int)Math.Min(left, StepBatchSize))) { }
        }
        finally
        {
            Exit(entry);
        }
        return _stepCount - start;
    }

    private const int StepBatchSize = 1024;

    /// <summary>Up to <paramref name="count"/> units of progress (see <see cref="StepCore"/>); false when quiescent.</summary>
    /// <remarks>The stepping loop lives in its own method, called once per batch, so that it soon runs as fully optimized
    /// code with a profile; a loop in <see cref="RunUntilQuiescent"/>, called a few times per run, would only ever run
    /// as on-stack-replacement code.</remarks>
    private bool StepBatch(int count)
    {
        for (int i = 0; i < count; i++)
            if (!StepCore(long.MaxValue)) return false;
        return true;
    }

    /// <summary>
    /// Steps until <paramref name="condition"/> holds (checked before each step), giving up when virtual time would pass
    /// <c>Now + virtualTimeout</c> or after <paramref name="maxSteps"/> deliveries. When the system goes quiescent
    /// first, virtual time jumps to the deadline.
    /// </summary>
    /// <returns>Whether the condition held.</returns>
    public bool RunUntil(Func<bool> condition, TimeSpan virtualTimeout, long maxSteps = DefaultMaxSteps)
    {
        ArgumentNullException.ThrowIfNull(condition);
        long deadline = DeadlineAfter(virtualTimeout);
        var entry = Enter();
        long start = _stepCount;
        try
        {
            while (!condition())
            {
                if (_stepCount - start >= maxSteps || _terminated) return false;
                if (!StepCore(deadline))
                {
                    if (_nowTicks < deadline && !_terminated) _nowTicks = deadline;
                    return condition();
                }
            }
            return true;
        }
        finally
        {
            Exit(entry);
        }
    }

    /// <summary>Runs the system forward to <c>Now + delta</c>: deliveries happen as usual and timers due on the way fire
    /// in order; returns idle at the target time (or after <paramref name="maxSteps"/> deliveries).</summary>
    public void AdvanceTime(TimeSpan delta, long maxSteps = DefaultMaxSteps)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        RunUntil(static () => false, delta, maxSteps);
    }

    /// <summary>Steps until <paramref name="task"/> completes (at most <paramref name="virtualTimeout"/> of virtual time)
    /// and returns its result; use it for an <c>Ask</c> made from outside the system.</summary>
    /// <exception cref="TimeoutException">The task did not complete in time.</exception>
    public T RunUntilCompleted<T>(Task<T> task, TimeSpan virtualTimeout)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (!RunUntil(() => task.IsCompleted, virtualTimeout))
            throw new TimeoutException($"The task did not complete within {virtualTimeout} of virtual time (step {_stepCount}).");
        return task.GetAwaiter().GetResult();
    }

    /// <summary>A nondeterministic choice in [0, <paramref name="count"/>) made by the strategy and recorded in the
    /// schedule, for actor code modelling something unknown (e.g. an uninitialised variable). Call it on an actor's
    /// turn or between steps, on the driver's thread.</summary>
    public int ChooseValue(int count)
    {
        int value = _strategy.NextValue(count, _stepCount);
        _choices.AddValue(_stepCount, value);
        return value;
    }

    /// <summary><see cref="ChooseValue"/> over {false, true}.</summary>
    public bool ChooseBool() => ChooseValue(2) == 1;

    private long DeadlineAfter(TimeSpan timeout)
    {
        if (timeout < TimeSpan.Zero || timeout == Timeout.InfiniteTimeSpan || timeout.Ticks > long.MaxValue - _nowTicks) return long.MaxValue;
        return _nowTicks + timeout.Ticks;
    }

    /// <summary>The cell receiving the delivery in progress (null between deliveries or for a non-actor receiver):
    /// <c>ActorCell.Current</c> while this driver steps, read from the choice log so that a delivery stores nothing.</summary>
    internal ActorCell? DeliveringCell => _inDelivery ? _choices.LastDeliveryChannel.TargetCell : null;

    /// <summary>Claims the driver for this thread and makes it the thread's source of <c>ActorCell.Current</c>.</summary>
    private Entry Enter()
    {
        int previous = _stepThread;
        var thread = ActorThread.Current;
        int current = thread.ManagedThreadId;
        if (previous != 0 && previous != current)
            throw new InvalidOperationException("The deterministic driver is already running on another thread.");
        if (previous != 0 && _inDelivery)
            throw new InvalidOperationException("The deterministic driver cannot be stepped from inside a delivery.");
        var entry = new Entry(previous, thread.Driver, thread.Cell);
        _stepThread = current;
        _thread = thread;
        thread.Driver = this;
        thread.Cell = null;
        return entry;
    }

    private void Exit(in Entry entry)
    {
        _stepThread = entry.StepThread;
        _thread!.Driver = entry.Driver;
        _thread.Cell = entry.Cell;
        if (entry.StepThread == 0 && _terminateRequested) TerminateNow();
    }

    /// <summary>One unit of progress without passing <paramref name="deadline"/>: a delivery, or timers firing.</summary>
    private bool StepCore(long deadline)
    {
        if (_terminated) return false;
        if (_inboxCount != 0) DrainInbox();
        if (_activeCount == 0)
        {
            if (!FireNextTimers(deadline)) return false;
            if (_inboxCount != 0) DrainInbox();
            if (_activeCount == 0) return true;
        }
        Deliver();
        if (_terminateRequested) TerminateNow();
        return true;
    }

    /// <summary>Called by <c>ActorSystem.Terminate</c>: stops every actor synchronously, children first, without messages;
    /// deferred to the end of the current delivery when called from inside one.</summary>
    internal void RequestTermination()
    {
        if (_terminated) return;
        if (_inDelivery || (_stepThread != 0 && _stepThread != Environment.CurrentManagedThreadId))
        {
            _terminateRequested = true;
            return;
        }
        TerminateNow();
    }

    private void TerminateNow()
    {
        if (_terminated) return;
        _terminateRequested = false;
        _system.StopAllSynchronously();
        _terminated = true;
        ClearQueues();
        ClearTimers();
        _system.OnTerminated();
    }
}
