using System.Runtime.CompilerServices;
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
    private const int StateTerminating = 1;
    private const int StateTerminated = 2;
    private const int StateFailed = 4;
    private const int StateAsyncPending = 8;
    private const int StateRecreating = 16;
    private const int UserBlockedMask = StateTerminating | StateTerminated | StateFailed | StateAsyncPending | StateRecreating;

    // Field order matters on the thread pool. The CLR lays out references in declaration order, then the ints. The two
    // fields the actor's turn writes for every message come first, and the fields other threads read whenever they send
    // to this actor (system, self, dispatcher, mailbox, state) come more than a cache line later, with rarely shared
    // fields between: otherwise every message a busy actor processes would evict the line its senders need (false
    // sharing, one cross-core miss per tell).
    private object? _currentMessage;
    private IActorRef? _currentSender;

    private ActorBase? _actor;
    private Receive? _behavior;
    private CellExtras? _ext;
    private ChildrenContainer? _children;
    private DeathWatchState? _deathWatch;
    internal readonly ActorCell? ParentCell;
    internal readonly string Name;
    internal readonly Props PropsValue;

    internal readonly ActorSystem SystemImpl;
    internal readonly LocalActorRef SelfRef;
    internal readonly MessageDispatcher DispatcherImpl;

    /// <summary>The thread-pool mailbox (null on the deterministic dispatcher or before the first message).</summary>
    internal Mailbox? Mailbox;

    private volatile int _state;
    private int _suspendCount;

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
    internal static ActorCell? Current => ActorThread.CurrentOrNull?.RunningCell;

    /// <summary>The implicit sender of <c>Tell(msg)</c> outside any actor on this thread (the test kit sets its
    /// <c>TestActor</c> here, as Akka's does).</summary>
    internal static IActorRef? AmbientSender
    {
        get => ActorThread.CurrentOrNull?.AmbientSender;
        set => ActorThread.Current.AmbientSender = value;
    }

    internal static ActorCell? TakeConstructingCell()
    {
        var thread = ActorThread.CurrentOrNull;
        if (thread is null) return null;
        var cell = thread.Constructing;
        thread.Constructing = null;
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

    /// <remarks>Inlined into <c>LocalActorRef.Tell</c>, with the deterministic driver's enqueue inlined in turn, so a
    /// tell is one call whatever the JIT decides about the caller.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void SendUser(object message, IActorRef? sender)
    {
        // Read first, so that the JIT's null check of this cell is this load: otherwise it reads the object's first
        // cache line, which the receiving turn writes for every message (_currentMessage), and each tell from
        // another core would wait for that line.
        int state = _state;
        ArgumentNullException.ThrowIfNull(message);
        if (sender is not (LocalActorRef or null) && sender is IWrappedActorRef wrapped) sender = wrapped.Underlying;
        if ((state & StateTerminated) != 0)
        {
            SystemImpl.PublishDeadLetter(message, sender, SelfRef);
            return;
        }
        // The default dispatcher without a virtual call (a sealed-type test is one compare).
        var dispatcher = DispatcherImpl;
        if (dispatcher is DeterministicDispatcher deterministic) deterministic.Driver.EnqueueUser(SelfRef, message, sender ?? SystemImpl.DeadLetters);
        else dispatcher.Dispatch(this, message, sender ?? SystemImpl.DeadLetters);
    }

    internal void SendSystem(SystemMessage message, InternalActorRef? sender) =>
        DispatcherImpl.SystemDispatch(this, message, sender);

    // ---- creation ----

    /// <summary>Builds the first instance and runs PreStart, synchronously on the caller's thread.</summary>
    internal void Create()
    {
        var thread = ActorThread.Current;
        var previous = thread.Cell;
        thread.Cell = this;
        try
        {
            _actor = NewInstance(thread);
            _actor.InvokePreStart();
        }
        catch (Exception e)
        {
            HandleInvokeFailure(new ActorInitializationException(SelfRef, $"Exception during creation of [{SelfRef.Path}]", e), null, null, hasMessage: false);
        }
        finally
        {
            thread.Cell = previous;
        }
    }

    private ActorBase NewInstance(ActorThread thread)
    {
        thread.Constructing = this;
        ActorBase actor;
        try
        {
            actor = PropsValue.NewActor();
        }
        finally
        {
            thread.Constructing = null;
        }
        if (!ReferenceEquals(actor.Cell, this))
            throw new ActorInitializationException(SelfRef, "The Props factory must create exactly one new actor instance.", null);
        if (actor is ReceiveActor receiveActor) receiveActor.SealInitialHandlers();
        if (actor is IWithUnboundedStash withStash) withStash.Stash = Ext.Stash ??= new StashImpl(this);
        return actor;
    }

    // ---- invocation (the actor's turn) ----

    /// <summary>Processes one user message as the running cell of <paramref name="thread"/> (looked up once per batch
    /// by the caller).</summary>
    internal void Invoke(object message, IActorRef sender, ActorThread thread)
    {
        var previous = thread.Cell;
        thread.Cell = this;
        try
        {
            ProcessMessage(message, sender);
        }
        finally
        {
            thread.Cell = previous;
        }
    }

    /// <summary>Processes one user message: auto-received messages first, then the current behavior. The caller has
    /// made this cell the running one: a mailbox turn sets it once for all its messages, the deterministic driver
    /// answers <see cref="Current"/> itself during its deliveries; one-off callers use
    /// <see cref="Invoke(object, IActorRef, ActorThread)"/>.</summary>
    internal void ProcessMessage(object message, IActorRef sender)
    {
        _currentMessage = message;
        _currentSender = sender;
        try
        {
            // The auto-received types are sealed, so each test is one method-table compare (no GetType call).
            if (message is PoisonPill or Kill or Terminated) AutoReceive(message);
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
    internal void InvokeDirect(object message, IActorRef? sender) => Invoke(message, sender ?? SystemImpl.DeadLetters, ActorThread.Current);

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
