using Gpuvmsim.Checking;
using Gpuvmsim.Domain.Kernel;
using Gpuvmsim.Domain.Simulation;
using Gpuvmsim.Messages.Locks;
using Gpuvmsim.Runtime;
using Gpuvmsim.Runtime.Deterministic;

namespace Gpuvmsim.Domain.Contexts;

/// <summary>
/// An execution context — a kernel task: an ioctl thread, the close path, a scheduler worker. It runs simulated
/// kernel code (<see cref="KernelTask"/> coroutines) that talks to the world actors by message: each request
/// suspends the code until its reply is delivered, and the delivery resumes it inline. While the code is
/// suspended, any other message waits in a local queue (the actor's stash) until the code finishes.
///
/// Locks: a context asks the owning actor for a lock and waits (blocked) until it is granted; lockdep sees every
/// attempt, grant and release through the run's <see cref="RunMonitor"/>. A <see cref="KernelOops"/> thrown by the
/// code kills the context the way an oops kills a task: it stops for good and keeps every lock it holds.
///
/// State for DFS pruning: the context is deterministic given the messages it received, so its state is the hash of
/// that history (<see cref="AddState"/>), which identifies where its coroutine is and what its locals hold; code
/// whose state is known at some point replaces the history there (<see cref="ReplaceHistory"/>).
/// </summary>
public abstract partial class ExecutionContextActor : ActorBase, IStateHashable
{
    private readonly Queue<object> deferred = new();
    private IReplySlot? awaitingReply;
    private KernelTask? running;
    private Action? whenDone;
    private StateHasher history = new();

    protected ExecutionContextActor(RunMonitor monitor, ContextId id, string name, int pid)
    {
        Monitor = monitor;
        Task = monitor.Lockdep.Register(id, name, pid);
    }

    protected RunMonitor Monitor { get; }

    /// <summary>This context's lockdep state: held locks, blocked-on, exited.</summary>
    public TaskLocks Task { get; }

    public ContextId Id => Task.Id;

    public string Name => Task.Name;

    /// <summary>True while the code waits for a reply that is not a lock grant (at quiescence this is a simulator bug or a message lost to a freed actor).</summary>
    public bool IsAwaitingReply => awaitingReply is not null && Task.Blocked is null;

    /// <summary>The script step being executed (0-based), for reports.</summary>
    protected int CurrentStep { get; set; }

    /// <summary>A label for the current step, for reports.</summary>
    protected string CurrentStepLabel { get; set; } = "";

    protected internal sealed override bool Receive(object message)
    {
        if (Task.Died)
            return true; // a dead task never runs again; whatever reaches it is lost
        if (Monitor.TrackState)
            Monitor.AddMessageState(ref history, message);
        if (awaitingReply is { } reply && reply.Accepts(message))
        {
            awaitingReply = null;
            reply.Complete(message);
            SettleRunningWork();
            return true;
        }
        if (running is not null)
        {
            deferred.Enqueue(message);
            return true;
        }
        return Handle(message);
    }

    /// <summary>Handles a message that starts new work (<c>StartScript</c>, <c>RunJob</c>); false if unknown.</summary>
    protected abstract bool Handle(object message);

    /// <summary>Starts top-level kernel code; <paramref name="done"/> runs when it returns normally.</summary>
    protected void Run(KernelTask work, Action? done = null)
    {
        running = work;
        whenDone = done;
        SettleRunningWork();
    }

    /// <summary>Sends <paramref name="request"/> and suspends until a message that <paramref name="accepts"/> is delivered.</summary>
    protected KernelTask<object> Request(IActorRef target, object request, Func<object, bool> accepts) =>
        Send(target, request, new MatchedReply(accepts));

    /// <summary>Sends <paramref name="request"/> and returns the first reply of type <typeparamref name="T"/>.</summary>
    /// <remarks>Not an async method: the returned task is completed by the reply's delivery, so a request costs no
    /// coroutine of its own (requests are the hot path of every simulated run).</remarks>
    protected KernelTask<T> Call<T>(IActorRef target, object request) where T : class =>
        Send(target, request, new TypedReply<T>());

    private TTask Send<TTask>(IActorRef target, object request, TTask slot) where TTask : IReplySlot
    {
        if (awaitingReply is not null)
            throw new InvalidOperationException($"{Name}: a second request while one is outstanding");
        awaitingReply = slot;
        target.Tell(request, Self);
        return slot;
    }

    /// <summary>The one reply a suspended context waits for.</summary>
    private interface IReplySlot
    {
        bool Accepts(object message);

        void Complete(object message);
    }

    private sealed class TypedReply<T> : KernelTask<T>, IReplySlot where T : class
    {
        public bool Accepts(object message) => message is T;

        public void Complete(object message) => SetResult((T)message);
    }

    private sealed class MatchedReply(Func<object, bool> accepts) : KernelTask<object>, IReplySlot
    {
        public bool Accepts(object message) => accepts(message);

        public void Complete(object message) => SetResult(message);
    }

    /// <summary>A value chosen by the scheduling strategy and recorded in the schedule (an uninitialised variable, a failing allocation).</summary>
    protected int Choose(int count) => Monitor.ChooseValue(count);

    protected AcquisitionSite Site(string function) => new(function, Name, CurrentStep, CurrentStepLabel, Monitor.Step);

    public void AddState(ref StateHasher hasher) => hasher.Add((long)history.Value);

    /// <summary>
    /// Replaces the history of received messages by the context's state, at a point of its code where
    /// <paramref name="codeState"/> (where the code is, its locals), the held locks and the deferred messages are all
    /// its future depends on: runs that reach that point by different paths (another number of ww back-offs) become
    /// one state for dfs.
    /// </summary>
    protected void ReplaceHistory(StateHasher codeState)
    {
        if (!Monitor.TrackState)
            return;
        codeState.Add(Task.Held.Count);
        foreach (var h in Task.Held)
        {
            codeState.Add(h.Lock.Id.Value);
            codeState.Add(h.TryLock);
            codeState.Add(h.WwStamp is { } stamp ? Monitor.WwStampKey(stamp) : -2L);
        }
        codeState.Add(deferred.Count);
        foreach (var message in deferred)
            Monitor.AddMessageState(ref codeState, message);
        history = codeState;
    }

    private void SettleRunningWork()
    {
        while (running is { IsCompleted: true } done)
        {
            running = null;
            if (done.Exception is { } error)
            {
                Die(error);
                return;
            }
            var next = whenDone;
            whenDone = null;
            next?.Invoke();
            while (running is null && deferred.Count > 0 && !Task.Died)
                Handle(deferred.Dequeue());
        }
    }

    private void Die(Exception error)
    {
        if (error is not KernelOops oops)
        {
            Task.Died = Task.Exited = true;
            Monitor.SimulatorFailed(new SimulationBugException($"{Name}: the simulated kernel code failed: {error.Message}", error));
            return;
        }
        Task.Died = true;
        Task.Exited = true;
        Task.Blocked = null;
        Monitor.Event(Name, $"oops: {oops.Message}");
        Monitor.Raise(new Finding(FindingKinds.Oops, $"{FindingKinds.Oops}:{oops.Function}:{oops.Kind}",
            $"{Task.Comm}: {oops.Message} in {oops.Function}; it dies holding {Task.Held.Count} lock(s)",
            LockdepReports.Oops(Task, oops.Function, oops.Kind, oops.Message, Site(oops.Function)), Monitor.Step));
    }
}

/// <summary>A kernel oops in simulated code: a NULL pointer dereference or a BUG_ON. Kills the context.</summary>
public sealed class KernelOops(string function, string kind, string message) : Exception(message)
{
    /// <summary>The kernel function that crashed.</summary>
    public string Function { get; } = function;

    /// <summary>What kind of oops: <c>null-deref</c>, <c>bug-on</c>.</summary>
    public string Kind { get; } = kind;
}

/// <summary>The simulator itself went wrong (not the simulated kernel): an internal error, exit status 1.</summary>
public sealed class SimulationBugException(string message, Exception? inner = null) : Exception(message, inner);
