using Gpuvmsim.Runtime.Dispatch;
using Gpuvmsim.Runtime.Supervision;

namespace Gpuvmsim.Runtime;

/// <summary>
/// The runtime side of one actor: its instance, behavior stack, children, watchers and failure state. Split by concern:
/// this file (creation, invocation, behaviors), <c>.Children</c>, <c>.DeathWatch</c>, <c>.FaultHandling</c>,
/// <c>.SystemMessages</c> (the one switch over system messages, and stopping) and <c>.Async</c>.
///
/// Threading: every member except the <c>Send…</c> entry points and the children lookups runs on the actor's turn
/// (one thread at a time, as guaranteed by the dispatcher); <c>Send…</c> may be called from any thread; the
/// children container is guarded by its own lock because <c>system.ActorOf</c> may run on any thread.
/// Memory: rarely used state lives in lazily created objects (<see cref="CellExtras"/>, children, death watch) so an
/// idle actor costs a few hundred bytes.
/// </summary>
internal sealed partial class ActorCell : IActorContext
{
    [ThreadStatic] private static ActorCell? t_current;
    [ThreadStatic] private static ActorCell? t_constructing;
    [ThreadStatic] private static IActorRef? t_ambientSender;

    private const int StateTerminating = 1;
    private const int StateTerminated = 2;
    private const int StateFailed = 4;
    private const int StateAsyncPending = 8;
    private const int StateRecreating = 16;
    private const int UserBlockedMask = StateTerminating | StateTerminated | StateFailed | StateAsyncPending | StateRecreating;

    internal readonly ActorSystem SystemImpl;
    internal readonly LocalActorRef SelfRef;
    internal readonly ActorCell? ParentCell;
    internal readonly string Name;
    internal readonly Props PropsValue;
    internal readonly MessageDispatcher DispatcherImpl;

    private ActorBase? _actor;
    private Receive? _behavior;
    private CellExtras? _ext;
    private ChildrenContainer? _children;
    private DeathWatchState? _deathWatch;
    private object? _currentMessage;
    private IActorRef? _currentSender;
    private volatile int _state;
    private int _suspendCount;

    /// <summary>The thread-pool mailbox (null on the deterministic dispatcher or before the first message).</summary>
    internal Mailbox? Mailbox;

    internal ActorCell(ActorSystem system, int id, ActorCell? parent, string name, Props props, MessageDispatcher dispatcher)
    {
        SystemImpl = system;
        ParentCell = parent;
        Name = name;
        PropsValue = props;
        DispatcherImpl = dispatcher;
        SelfRef = new LocalActorRef(system, id, this);
    }

    /// <summary>The cell whose turn is running on this thread, for the implicit sender of <c>Tell(msg)</c>.</summary>
    internal static ActorCell? Current => t_current;

    /// <summary>The implicit sender of <c>Tell(msg)</c> outside any actor on this thread (the test kit sets its
    /// <c>TestActor</c> here, as Akka's does).</summary>
    internal static IActorRef? AmbientSender
    {
        get => t_ambientSender;
        set => t_ambientSender = value;
    }

    internal static ActorCell? TakeConstructingCell()
    {
        var cell = t_constructing;
        t_constructing = null;
        return cell;
    }

    internal ActorBase? Actor => _actor;

    internal bool IsTerminated => (_state & StateTerminated) != 0;

    internal bool IsTerminating => (_state & (StateTerminating | StateTerminated)) != 0;

    /// <summary>True while user messages must not be delivered (suspended, failed, awaiting an async handler, stopping).</summary>
    internal bool IsUserBlocked => (_state & UserBlockedMask) != 0 || _suspendCount > 0;

    internal int BehaviorDepth => 1 + (_ext?.BehaviorStack?.Count ?? 0);

    internal StashImpl? StashOrNull => _ext?.Stash;

    internal object? CurrentMessageForStash => _currentMessage;

    /// <summary>Makes <see cref="Sender"/> read <paramref name="sender"/> for the rest of this turn and returns the
    /// previous value (a persistent actor runs a persist handler with the sender of the command that persisted).</summary>
    internal IActorRef? SwapSender(IActorRef? sender)
    {
        var previous = _currentSender;
        _currentSender = sender;
        return previous;
    }

    private CellExtras Ext => _ext ??= new CellExtras();

    // ---- IActorContext ----

    public IActorRef Self => SelfRef;

    public IActorRef Sender => _currentSender ?? SystemImpl.DeadLetters;

    public IActorRef Parent => (IActorRef?)ParentCell?.SelfRef ?? SelfRef;

    public ActorSystem System => SystemImpl;

    public Props Props => PropsValue;

    public MessageDispatcher Dispatcher => DispatcherImpl;

    // ---- sending (any thread) ----

    internal void SendUser(object message, IActorRef? sender)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (sender is not (LocalActorRef or null) && sender is IWrappedActorRef wrapped) sender = wrapped.Underlying;
        if ((_state & StateTerminated) != 0)
        {
            SystemImpl.PublishDeadLetter(message, sender, SelfRef);
            return;
        }
        DispatcherImpl.Dispatch(this, message, sender ?? SystemImpl.DeadLetters);
    }

    internal void SendSystem(SystemMessage message, InternalActorRef? sender) =>
        DispatcherImpl.SystemDispatch(this, message, sender);

    // ---- creation ----

    /// <summary>Builds the first instance and runs PreStart, synchronously on the caller's thread.</summary>
    internal void Create()
    {
        var previous = t_current;
        t_current = this;
        try
        {
            _actor = NewInstance();
            _actor.InvokePreStart();
        }
        catch (Exception e)
        {
            HandleInvokeFailure(new ActorInitializationException(SelfRef, $"Exception during creation of [{SelfRef.Path}]", e), null, null, hasMessage: false);
        }
        finally
        {
            t_current = previous;
        }
    }

    private ActorBase NewInstance()
    {
        t_constructing = this;
        ActorBase actor;
        try
        {
            actor = PropsValue.NewActor();
        }
        finally
        {
            t_constructing = null;
        }
        if (!ReferenceEquals(actor.Cell, this))
            throw new ActorInitializationException(SelfRef, "The Props factory must create exactly one new actor instance.", null);
        if (actor is ReceiveActor receiveActor) receiveActor.SealInitialHandlers();
        if (actor is IWithUnboundedStash withStash) withStash.Stash = Ext.Stash ??= new StashImpl(this);
        return actor;
    }

    // ---- invocation (the actor's turn) ----

    /// <summary>Processes one user message: auto-received messages first, then the current behavior.</summary>
    internal void Invoke(object message, IActorRef sender)
    {
        var previous = t_current;
        t_current = this;
        _currentMessage = message;
        _currentSender = sender;
        try
        {
            // Exact type checks (the auto-received types are sealed) are cheaper than a class-hierarchy test.
            var type = message.GetType();
            if (type == typeof(PoisonPill) || type == typeof(Kill) || type == typeof(Terminated)) AutoReceive(message);
            else ReceiveMessage(message);
        }
        catch (Exception e)
        {
            HandleInvokeFailure(e, message, sender, hasMessage: true);
        }
        finally
        {
            _currentMessage = null;
            _currentSender = null;
            t_current = previous;
        }
    }

    private void ReceiveMessage(object message)
    {
        var actor = _actor!;
        var behavior = _behavior;
        bool handled = behavior is null ? actor.Receive(message) : behavior(message);
        if (!handled) actor.InvokeUnhandled(message);
    }

    private void AutoReceive(object message)
    {
        switch (message)
        {
            case PoisonPill:
                SelfRef.Stop();
                break;
            case Kill:
                throw new ActorKilledException("Kill");
            case Terminated terminated:
                if (_deathWatch?.TakeQueuedTerminated(terminated.ActorRef) == true) ReceiveMessage(terminated);
                break;
            default:
                throw new InvalidOperationException($"Unknown auto-received message {message.GetType().Name}");
        }
    }

    /// <summary>Delivers <paramref name="message"/> straight to the actor without the dispatcher (TestActorRef.Receive).</summary>
    internal void InvokeDirect(object message, IActorRef? sender) => Invoke(message, sender ?? SystemImpl.DeadLetters);

    // ---- behaviors ----

    public void Become(Receive receive)
    {
        ArgumentNullException.ThrowIfNull(receive);
        _behavior = receive;
    }

    public void BecomeStacked(Receive receive)
    {
        ArgumentNullException.ThrowIfNull(receive);
        (Ext.BehaviorStack ??= []).Add(_behavior);
        _behavior = receive;
    }

    public void UnbecomeStacked()
    {
        var stack = _ext?.BehaviorStack;
        if (stack is not { Count: > 0 }) return;
        _behavior = stack[^1];
        stack.RemoveAt(stack.Count - 1);
    }

    private void ResetBehavior()
    {
        _behavior = null;
        _ext?.BehaviorStack?.Clear();
    }

    public override string ToString() => $"ActorCell({SelfRef})";
}

/// <summary>Rarely used per-actor state, allocated on first need.</summary>
internal sealed class CellExtras
{
    /// <summary>Behaviors below the current one; null entries mean the actor's own <c>Receive</c>.</summary>
    public List<Receive?>? BehaviorStack;
    public StashImpl? Stash;
    public SupervisorStrategy? Strategy;

    public bool HasFailedMessage;
    public object? FailedMessage;
    public IActorRef? FailedSender;

    public Exception? RecreateCause;
    public bool RecreateRedeliver;

    public ActorSynchronizationContext? SyncContext;
    public Task? PendingTask;
    public object? AsyncMessage;
    public IActorRef? AsyncSender;
}
