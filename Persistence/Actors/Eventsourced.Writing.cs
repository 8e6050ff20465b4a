using Gpuvmsim.Runtime;

namespace Gpuvmsim.Persistence.Actors;

/// <summary>
/// Persisting: events are batched per turn, sent as one <see cref="WriteMessages"/> when the turn ends (while no other
/// write is outstanding), and each persist handler runs when the journal confirms its event. Also the snapshot and
/// delete requests, whose replies reach the command handler.
/// </summary>
public abstract partial class Eventsourced
{
    private readonly List<AtomicWrite> _eventBatch = [];
    private readonly List<AtomicWrite> _journalBatch = [];
    private readonly List<PendingInvocation> _pending = [];
    private long _sequenceNr;
    private int _pendingStashing;
    private bool _writeInProgress;

    /// <summary>
    /// Persists <paramref name="event"/> and runs <paramref name="handler"/> with it once it is stored; until then
    /// every new command is stashed. Call from a command handler, a persist handler or the
    /// <see cref="RecoveryCompleted"/> handler. A <see cref="Tagged"/> event is stored with its tags.
    /// </summary>
    /// <exception cref="InvalidOperationException">Called during recovery.</exception>
    protected void Persist<TEvent>(TEvent @event, Action<TEvent> handler) => Add([@event], handler, stashing: true);

    /// <summary>Persists <paramref name="events"/> as one atomic write (all or none) and runs <paramref name="handler"/>
    /// for each once stored, in order; commands are stashed until the last has run.</summary>
    protected void PersistAll<TEvent>(IEnumerable<TEvent> events, Action<TEvent> handler) => Add(events, handler, stashing: true);

    /// <summary>As <see cref="Persist{TEvent}"/>, without stashing commands meanwhile: the handler still runs after the
    /// write, in persist order, but other commands may be processed first.</summary>
    protected void PersistAsync<TEvent>(TEvent @event, Action<TEvent> handler) => Add([@event], handler, stashing: false);

    /// <summary>As <see cref="PersistAll{TEvent}"/>, without stashing commands meanwhile.</summary>
    protected void PersistAllAsync<TEvent>(IEnumerable<TEvent> events, Action<TEvent> handler) => Add(events, handler, stashing: false);

    /// <summary>Saves <paramref name="snapshot"/> as covering <see cref="SnapshotSequenceNr"/>; the command handler
    /// receives <see cref="SaveSnapshotSuccess"/> or <see cref="SaveSnapshotFailure"/>.</summary>
    protected void SaveSnapshot(object snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        SnapshotStore.Tell(new SaveSnapshot(new SnapshotMetadata(PersistenceId, SnapshotSequenceNr), snapshot), Self);
    }

    /// <summary>Deletes the snapshot taken at <paramref name="sequenceNr"/>; answered with <see cref="DeleteSnapshotSuccess"/> or <see cref="DeleteSnapshotFailure"/>.</summary>
    protected void DeleteSnapshot(long sequenceNr) =>
        SnapshotStore.Tell(new DeleteSnapshot(new SnapshotMetadata(PersistenceId, sequenceNr)), Self);

    /// <summary>Deletes the snapshots matching <paramref name="criteria"/>; answered with <see cref="DeleteSnapshotsSuccess"/> or <see cref="DeleteSnapshotsFailure"/>.</summary>
    protected void DeleteSnapshots(SnapshotSelectionCriteria criteria)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        SnapshotStore.Tell(new DeleteSnapshots(PersistenceId, criteria), Self);
    }

    /// <summary>
    /// Deletes the stored events up to <paramref name="toSequenceNr"/> (<see cref="long.MaxValue"/>: up to
    /// <see cref="LastSequenceNr"/>); the command handler receives <see cref="DeleteMessagesSuccess"/> or
    /// <see cref="DeleteMessagesFailure"/>. Sequence numbers go on from <see cref="LastSequenceNr"/> either way, and
    /// a later recovery starts after the deleted events.
    /// </summary>
    protected void DeleteMessages(long toSequenceNr)
    {
        if (toSequenceNr == long.MaxValue || toSequenceNr <= LastSequenceNr)
            Journal.Tell(new DeleteMessagesTo(PersistenceId, toSequenceNr == long.MaxValue ? LastSequenceNr : toSequenceNr, Self), Self);
        else
            Self.Tell(new DeleteMessagesFailure(
                new ArgumentOutOfRangeException(nameof(toSequenceNr), toSequenceNr, $"must be at most the last sequence number {LastSequenceNr}"),
                toSequenceNr), Self);
    }

    private IActorRef Journal => _journal ?? throw NotStarted();

    private IActorRef SnapshotStore => _snapshotStore ?? throw NotStarted();

    private InvalidOperationException NotStarted() => new($"persistent actor {Self} has not started its recovery yet");

    private void Add<TEvent>(IEnumerable<TEvent> events, Action<TEvent> handler, bool stashing)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(handler);
        if (_phase is not (Phase.ProcessingCommands or Phase.PersistingEvents))
            throw new InvalidOperationException($"persistent actor {Self} cannot persist while {(IsRecovering ? "recovering" : "stopping")}; persist from a command handler, a persist handler or the RecoveryCompleted handler");
        var reprs = new List<PersistentRepr>();
        foreach (var e in events)
        {
            if (e is null) throw new ArgumentException("an event is null", nameof(events));
            _sequenceNr++;
            reprs.Add(e is Tagged tagged
                ? new PersistentRepr(PersistenceId, _sequenceNr, tagged.Payload) { Tags = tagged.Tags }
                : new PersistentRepr(PersistenceId, _sequenceNr, e));
            _pending.Add(new PendingInvocation(e, o => handler((TEvent)o), Sender, stashing));
            if (stashing) _pendingStashing++;
        }
        if (reprs.Count > 0) _eventBatch.Add(new AtomicWrite(reprs));
    }

    /// <summary>Handles a reply of the journal to a write; false for anything else.</summary>
    private bool TryJournalReply(object message)
    {
        switch (message)
        {
            case WriteMessageSuccess m:
                if (m.ActorInstanceId != _instanceId) return Stale(m);
                OnWritten(m.Persistent);
                break;
            case WriteMessageRejected m:
                if (m.ActorInstanceId != _instanceId) return Stale(m);
                OnRejected(m);
                break;
            case WriteMessageFailure m:
                if (m.ActorInstanceId != _instanceId) return Stale(m);
                OnFailed(m);
                break;
            case WriteMessagesSuccessful m:
                if (m.ActorInstanceId != _instanceId) return Stale(m);
                _writeInProgress = false;
                break;
            case WriteMessagesFailed m:
                if (m.ActorInstanceId != _instanceId) return Stale(m);
                _writeInProgress = false;
                break;
            default:
                return IsProtocolFact(message) && Stale(message);
        }
        EndOfTurn();
        return true;
    }

    private void OnWritten(PersistentRepr persistent)
    {
        LastSequenceNr = persistent.SequenceNr;
        var invocation = PopPending();
        var previous = Cell.SwapSender(invocation.Sender);
        var mark = MarkUnflushed();
        try
        {
            invocation.Handler(invocation.Event);
        }
        catch
        {
            DiscardUnflushed(mark);
            throw;
        }
        finally
        {
            Cell.SwapSender(previous);
        }
    }

    private void OnRejected(WriteMessageRejected reply)
    {
        LastSequenceNr = reply.Persistent.SequenceNr;
        var invocation = PopPending();
        try
        {
            OnPersistRejected(reply.Cause, invocation.Event, reply.Persistent.SequenceNr);
        }
        finally
        {
            if (reply.Cause is SequenceNumberConflictException) StopAfterFatalError();
        }
    }

    private void OnFailed(WriteMessageFailure reply)
    {
        var invocation = PopPending();
        try
        {
            OnPersistFailure(reply.Cause, invocation.Event, reply.Persistent.SequenceNr);
        }
        finally
        {
            StopAfterFatalError();
        }
    }

    private PendingInvocation PopPending()
    {
        if (_pending.Count == 0)
            throw new InvalidOperationException($"persistent actor {Self} got a write confirmation with no persist handler waiting for it");
        var invocation = _pending[0];
        _pending.RemoveAt(0);
        if (invocation.Stashing) _pendingStashing--;
        return invocation;
    }

    /// <summary>
    /// After each turn that may have persisted: send the batch when no write is outstanding, then pick the phase —
    /// persisting while a stashing handler waits, else processing (unstashing what waited, once).
    /// </summary>
    private void EndOfTurn(bool unstash = false)
    {
        if (_phase == Phase.Stopped) return;
        if (_eventBatch.Count > 0)
        {
            _journalBatch.AddRange(_eventBatch);
            _eventBatch.Clear();
        }
        if (!_writeInProgress && _journalBatch.Count > 0)
        {
            Journal.Tell(new WriteMessages(_journalBatch.ToArray(), Self, _instanceId), Self);
            _journalBatch.Clear();
            _writeInProgress = true;
        }
        bool wasPersisting = _phase == Phase.PersistingEvents;
        _phase = _pendingStashing > 0 ? Phase.PersistingEvents : Phase.ProcessingCommands;
        if (_phase == Phase.ProcessingCommands && (wasPersisting || unstash)) _internalStash.UnstashAll();
    }

    private (int Pending, int Stashing, long SequenceNr) MarkUnflushed() => (_pending.Count, _pendingStashing, _sequenceNr);

    /// <summary>Forgets the events persisted since <paramref name="mark"/> in this turn: they are never written.</summary>
    private void DiscardUnflushed((int Pending, int Stashing, long SequenceNr) mark)
    {
        _eventBatch.Clear();
        _pending.RemoveRange(mark.Pending, _pending.Count - mark.Pending);
        _pendingStashing = mark.Stashing;
        _sequenceNr = mark.SequenceNr;
    }

    /// <summary>A persist handler waiting for its event to be stored.</summary>
    private readonly record struct PendingInvocation(object Event, Action<object> Handler, IActorRef Sender, bool Stashing);
}
