using Gpuvmsim.Persistence;
using Gpuvmsim.Persistence.Actors;
using Gpuvmsim.Persistence.Serialization;
using Gpuvmsim.Runtime;
using Gpuvmsim.Runtime.Supervision;

namespace Gpuvmsim.Tests.Persistence.Actors;

// ---- protocol of the test counter ----

/// <summary>Adds <paramref name="Amount"/>; answered with <see cref="Total"/> once persisted.</summary>
public sealed record Add(int Amount);

/// <summary>Adds each amount as one atomic write; answered with one <see cref="Total"/> per event.</summary>
public sealed record AddAll(IReadOnlyList<int> Amounts);

/// <summary>Adds without stashing later commands (PersistAsync).</summary>
public sealed record AddAsync(int Amount);

/// <summary>Adds a tagged event.</summary>
public sealed record AddTagged(int Amount, string Tag);

/// <summary>Adds, and answers with <see cref="Stored"/>: what the journal held when the persist handler ran.</summary>
public sealed record AddAndLook(int Amount);

/// <summary>Persists an event nobody registered: the journal rejects it.</summary>
public sealed record AddUnregistered;

/// <summary>Persists an event, then throws before the handler returns.</summary>
public sealed record AddThenFail(int Amount);

/// <summary>Throws.</summary>
public sealed record Fail;

/// <summary>Answered with <see cref="Total"/>.</summary>
public sealed record Get;

/// <summary>Saves a snapshot; answered with the store's <see cref="SaveSnapshotSuccess"/> or failure.</summary>
public sealed record TakeSnapshot;

/// <summary>Deletes events; answered with <see cref="DeleteMessagesSuccess"/> or <see cref="DeleteMessagesFailure"/>.</summary>
public sealed record DeleteUpTo(long ToSequenceNr);

/// <summary>The counter's state, and the sequence number it has reached.</summary>
public sealed record Total(int Value, long SequenceNr);

/// <summary>The reply of <see cref="AddAndLook"/>: the handler's sequence number and the highest sequence number the journal held then.</summary>
public sealed record Stored(long HandlerSequenceNr, long JournalHighest);

// ---- events ----

[EventManifest("test-added.v1")]
public sealed record Added(int Amount);

public static class CounterEvents
{
    public static EventRegistry Registry() => TestEvents.Registry().Register<Added>("test-added.v1");
}

/// <summary>Throws <see cref="InjectedFault"/> once, on the <c>n</c>-th <see cref="Add"/> any incarnation sees (shared across restarts through the props).</summary>
public sealed class FaultPlan(int failOnAdd)
{
    private int _adds;
    private bool _failed;

    public void OnAdd()
    {
        if (++_adds == failOnAdd && !_failed)
        {
            _failed = true;
            throw new InjectedFault($"injected failure on Add #{failOnAdd}");
        }
    }
}

public sealed class InjectedFault(string message) : Exception(message);

/// <summary>
/// A persistent counter: its state is the sum of its <see cref="Added"/> events. It writes what happens to it into a
/// shared log (recovery steps, commands), which outlives its incarnations.
/// </summary>
public sealed class CounterActor : ReceivePersistentActor
{
    private readonly List<string> _log;
    private int _total;
    private IActorRef _requester = ActorRefs.Nobody;

    public CounterActor(string persistenceId, List<string>? log = null, FaultPlan? faults = null)
    {
        PersistenceId = persistenceId;
        _log = log ?? [];

        Recover<SnapshotOffer>(offer =>
        {
            _total = ((CounterState)offer.Snapshot).Count;
            _log.Add($"offer {_total} at {offer.Metadata.SequenceNr}");
        });
        Recover<Added>(e =>
        {
            _total += e.Amount;
            _log.Add($"event {e.Amount} at {LastSequenceNr}");
        });
        Recover<RecoveryCompleted>(_ => _log.Add($"recovered {_total} at {LastSequenceNr}"));

        Command<Add>(c =>
        {
            faults?.OnAdd();
            Persist(new Added(c.Amount), Apply);
        });
        Command<AddAll>(c => PersistAll(c.Amounts.Select(a => new Added(a)), Apply));
        Command<AddAsync>(c => PersistAsync(new Added(c.Amount), Apply));
        Command<AddTagged>(c => Persist(new Tagged(new Added(c.Amount), [c.Tag]), t => Apply((Added)t.Payload)));
        Command<AddAndLook>(c => Persist(new Added(c.Amount), e =>
        {
            _total += e.Amount;
            long highest = PersistenceExtension.Get(Context.System).ReadJournalFor().CurrentEventsByPersistenceId(PersistenceId).Max(x => x.SequenceNr);
            Sender.Tell(new Stored(LastSequenceNr, highest), Self);
        }));
        Command<AddUnregistered>(_ => Persist(new Unregistered(1), _ => Sender.Tell("persisted the unregistered event", Self)));
        Command<AddThenFail>(c =>
        {
            Persist(new Added(c.Amount), Apply);
            throw new InjectedFault("failed after persisting");
        });
        Command<Fail>(_ => throw new InjectedFault("fail"));
        Command<Get>(_ =>
        {
            _log.Add("command Get");
            Sender.Tell(new Total(_total, LastSequenceNr), Self);
        });
        Command<TakeSnapshot>(_ =>
        {
            _requester = Sender;
            SaveSnapshot(new CounterState(_total, "snapshot"));
        });
        Command<SaveSnapshotSuccess>(m => _requester.Tell(m, Self));
        Command<SaveSnapshotFailure>(m => _requester.Tell(m, Self));
        Command<DeleteUpTo>(c =>
        {
            _requester = Sender;
            DeleteMessages(c.ToSequenceNr);
        });
        Command<DeleteMessagesSuccess>(m => _requester.Tell(m, Self));
        Command<DeleteMessagesFailure>(m => _requester.Tell(m, Self));
    }

    public override string PersistenceId { get; }

    private void Apply(Added e)
    {
        _total += e.Amount;
        Sender.Tell(new Total(_total, LastSequenceNr), Self);
    }
}

/// <summary>Supervises one counter, restarting it on failure and redelivering the failed message to the new incarnation;
/// forwards everything to it.</summary>
public sealed class ReplaySupervisor : ReceiveActor
{
    public ReplaySupervisor(Props child)
    {
        var counter = Context.ActorOf(child, "counter");
        ReceiveAny(m => counter.Forward(m));
    }

    protected override SupervisorStrategy SupervisorStrategy() =>
        new OneForOneStrategy(_ => Directive.Restart) { RedeliverFailedMessage = true };
}
