using Gpuvmsim.Runtime;
using Gpuvmsim.Runtime.Event;

namespace Gpuvmsim.Persistence.Actors;

/// <summary>
/// DOC: the base of persistent actors (Akka.Persistence's <c>Eventsourced</c>): an actor whose state is the fold of
/// the events it persisted, recovered from its journal whenever an incarnation starts. Derive from
/// <see cref="ReceivePersistentActor"/> or <see cref="UntypedPersistentActor"/>.
/// <para>
/// <b>Phases.</b> An incarnation (the first start, and every restart) first <i>recovers</i>: it asks the snapshot
/// store for the youngest snapshot (<see cref="SnapshotOffer"/>), asks the journal to replay the events after it
/// (one delivery per event), then gives <see cref="RecoveryCompleted"/> to the recovery handler. Meanwhile every
/// command is stashed in an internal stash. It then <i>processes commands</i>. A command that calls
/// <see cref="Persist{TEvent}"/> has its events sent to the journal when its handler returns (one
/// <see cref="WriteMessages"/> per turn, at most one outstanding), and the actor <i>persists</i>: further commands
/// are stashed until every persist handler has run, each after its event is stored, in order, with
/// <c>Sender</c> the sender of the command that persisted it. <see cref="PersistAsync{TEvent}"/> does not stash.
/// </para>
/// <para>
/// <b>Failures.</b> A command handler that throws discards the events it persisted (they are never written) and
/// fails the actor as usual. A recovery that fails (a handler throws, an event cannot be read, the store fails)
/// calls <see cref="OnRecoveryFailure"/> and stops the actor. A write the store failed calls
/// <see cref="OnPersistFailure"/> and stops the actor. A write the journal rejected calls
/// <see cref="OnPersistRejected"/>; when the reason is a <see cref="SequenceNumberConflictException"/> (another
/// writer of this persistence id got there first) the actor stops as well — its idea of the stream is stale — so two
/// writers never interleave; other rejections (an unserializable event) leave it running, as in Akka.
/// </para>
/// <para>
/// <b>Restarts.</b> A restarted incarnation recovers again from the journal, so it ends in the state the events
/// stored so far describe; replies of the old incarnation's journal requests are told apart by an instance id and
/// ignored. A message redelivered by a supervisor with <c>RedeliverFailedMessage</c> is stashed during recovery and
/// processed after it.
/// </para>
/// Use <see cref="Become(Receive)"/> of this class (it changes the command handler), not <c>Context.Become</c>,
/// which would replace the persistence machinery itself.
/// </summary>
public abstract partial class Eventsourced : ActorBase, IWithUnboundedStash
{
    private readonly StashImpl _internalStash;
    private PersistencePlugins? _persistence;
    private IActorRef? _journal;
    private IActorRef? _snapshotStore;
    private ILoggingAdapter? _log;
    private Phase _phase = Phase.NotStarted;
    private int _instanceId;
    private Receive? _commandBehavior;
    private List<Receive?>? _commandStack;

    protected Eventsourced()
    {
        _internalStash = new StashImpl(Cell);
    }

    private enum Phase
    {
        NotStarted,
        WaitingForSnapshot,
        Replaying,
        ProcessingCommands,
        PersistingEvents,
        Stopped,
    }

    /// <summary>The user stash (the internal stash of recovery and persisting is separate).</summary>
    public IStash Stash { get; set; } = null!;

    /// <summary>The id of this actor's event stream; at most 255 characters. Read once per incarnation, when it starts.</summary>
    public abstract string PersistenceId { get; }

    /// <summary>The journal plugin (a HOCON path); null uses <c>akka.persistence.journal.plugin</c>.</summary>
    public virtual string? JournalPluginId => null;

    /// <summary>The snapshot-store plugin; null uses <c>akka.persistence.snapshot-store.plugin</c>.</summary>
    public virtual string? SnapshotPluginId => null;

    /// <summary>How each incarnation recovers; <see cref="Actors.Recovery.Default"/> unless overridden.</summary>
    public virtual Recovery Recovery => Recovery.Default;

    /// <summary>The sequence number of the last event recovered or stored (inside a persist handler: that handler's event).</summary>
    public long LastSequenceNr { get; private set; }

    /// <summary>The sequence number a snapshot taken now covers (<see cref="LastSequenceNr"/>).</summary>
    public long SnapshotSequenceNr => LastSequenceNr;

    /// <summary>True while the snapshot and the events are being recovered.</summary>
    public bool IsRecovering => _phase is Phase.NotStarted or Phase.WaitingForSnapshot or Phase.Replaying;

    /// <summary>True once <see cref="RecoveryCompleted"/> has been given to the recovery handler.</summary>
    public bool IsRecoveryFinished => _phase is Phase.ProcessingCommands or Phase.PersistingEvents;

    /// <summary>This actor's logger.</summary>
    protected ILoggingAdapter Log => _log ??= Context.GetLogger();

    /// <summary>Handles one recovered message: a <see cref="SnapshotOffer"/>, an event, or <see cref="RecoveryCompleted"/>.</summary>
    /// <returns>False when not handled (reported as unhandled, except <see cref="RecoveryCompleted"/>).</returns>
    protected abstract bool ReceiveRecover(object message);

    /// <summary>Handles one command (and the save/delete replies of the stores).</summary>
    /// <returns>False when not handled (then <c>Unhandled</c> is called).</returns>
    protected abstract bool ReceiveCommand(object message);

    /// <summary>Replaces the command handler (Akka's <c>Context.Become</c> of a persistent actor).</summary>
    protected new void Become(Receive receive)
    {
        ArgumentNullException.ThrowIfNull(receive);
        _commandBehavior = receive;
    }

    /// <summary>Pushes a command handler; <see cref="UnbecomeStacked"/> returns to the previous one.</summary>
    protected new void BecomeStacked(Receive receive)
    {
        ArgumentNullException.ThrowIfNull(receive);
        (_commandStack ??= []).Add(_commandBehavior);
        _commandBehavior = receive;
    }

    /// <summary>Pops the command handler pushed last (no-op on the initial one).</summary>
    protected new void UnbecomeStacked()
    {
        if (_commandStack is not { Count: > 0 } stack) return;
        _commandBehavior = stack[^1];
        stack.RemoveAt(stack.Count - 1);
    }

    /// <summary>Akka's older name for <see cref="UnbecomeStacked"/>.</summary>
    protected new void Unbecome() => UnbecomeStacked();

    /// <summary>A recovery failed (the actor stops next). The default logs an error.</summary>
    /// <param name="message">The event or snapshot offer being recovered, when a handler threw on it.</param>
    protected virtual void OnRecoveryFailure(Exception reason, object? message = null) =>
        Log.Error(reason, "Persistence failure when replaying events for persistenceId [{0}]. Last known sequence number [{1}]{2}",
            PersistenceId, LastSequenceNr, message is null ? "" : $" while recovering [{message}]");

    /// <summary>The store failed to write <paramref name="event"/> (the actor stops next). The default logs an error.</summary>
    protected virtual void OnPersistFailure(Exception cause, object @event, long sequenceNr) =>
        Log.Error(cause, "Failed to persist event type [{0}] with sequence number [{1}] for persistenceId [{2}].",
            @event.GetType().FullName, sequenceNr, PersistenceId);

    /// <summary>The journal rejected <paramref name="event"/>; its handler does not run. The default logs a warning.</summary>
    protected virtual void OnPersistRejected(Exception cause, object @event, long sequenceNr) =>
        Log.Warning("Rejected to persist event type [{0}] with sequence number [{1}] for persistenceId [{2}] due to [{3}].",
            @event.GetType().FullName, sequenceNr, PersistenceId, cause.Message);

    protected internal sealed override bool Receive(object message) => _phase switch
    {
        Phase.WaitingForSnapshot => OnWaitingForSnapshot(message),
        Phase.Replaying => OnReplaying(message),
        Phase.ProcessingCommands => TryJournalReply(message) || ProcessCommand(message),
        Phase.PersistingEvents => TryJournalReply(message) || StashInternally(message),
        Phase.Stopped => Drop(message),
        _ => throw new InvalidOperationException($"persistent actor {Self} received {message} before it started"),
    };

    /// <summary>Lets a subclass seal its handler tables once construction is over.</summary>
    private protected virtual void OnConstructed() { }

    internal override void AroundPreStart()
    {
        OnConstructed();
        base.AroundPreStart();
        StartRecovery();
    }

    internal override void AroundPostRestart(Exception reason)
    {
        OnConstructed();
        base.AroundPostRestart(reason);
        StartRecovery();
    }

    internal override void AroundPreRestart(Exception reason, object? message)
    {
        try
        {
            _internalStash.UnstashAll();
        }
        finally
        {
            base.AroundPreRestart(reason, message);
        }
    }

    internal override void AroundPostStop()
    {
        try
        {
            _internalStash.DrainToDeadLetters();
        }
        finally
        {
            base.AroundPostStop();
        }
    }

    private bool ProcessCommand(object message)
    {
        var mark = MarkUnflushed();
        bool handled;
        try
        {
            handled = (_commandBehavior ?? ReceiveCommand)(message);
        }
        catch
        {
            DiscardUnflushed(mark);
            throw;
        }
        EndOfTurn();
        return handled;
    }

    private bool StashInternally(object message)
    {
        if (IsProtocolFact(message)) return Stale(message);
        _internalStash.Stash();
        return true;
    }

    /// <summary>A message after a fatal error, before the stop takes effect: its replies are stale, the rest dead letters.</summary>
    private bool Drop(object message)
    {
        if (!IsProtocolFact(message)) Cell.SystemImpl.PublishDeadLetter(message, Sender, Self);
        return true;
    }

    /// <summary>A fact of the journal or snapshot protocol that belongs to another incarnation (or phase): ignored.</summary>
    private bool Stale(object message)
    {
        if (Log.IsEnabled(LogLevel.Debug)) Log.Debug("Ignoring {0}: it belongs to another incarnation of persistenceId [{1}]", message, PersistenceId);
        return true;
    }

    private static bool IsProtocolFact(object message) => message is
        WriteMessageSuccess or WriteMessageRejected or WriteMessageFailure or WriteMessagesSuccessful or WriteMessagesFailed or
        ReplayedMessage or RecoverySuccess or ReplayMessagesFailure or LoadSnapshotResult or LoadSnapshotFailed;

    /// <summary>Stops after a fatal persistence error; nothing more is processed by this incarnation.</summary>
    private void StopAfterFatalError()
    {
        _phase = Phase.Stopped;
        Context.Stop(Self);
    }
}
