using Gpuvmsim.Configuration;
using Gpuvmsim.Persistence;
using Gpuvmsim.Persistence.Actors;
using Gpuvmsim.Runtime;

namespace Gpuvmsim.Tests.Persistence.Actors;

/// <summary>
/// The persistent-actor contract, run unchanged on every journal (one sealed subclass per store, as
/// <see cref="JournalSpec"/>). Each test runs on a deterministic system with the <c>random</c> strategy, so journal
/// replies and commands interleave in varied, reproducible orders; nothing sleeps — expectations step virtual time.
/// </summary>
public abstract partial class PersistentActorSpec : Gpuvmsim.TestKit.TestKit
{
    protected PersistentActorSpec(string storeHocon) : base(SettingsFor(storeHocon, seed: 11))
    {
        PersistenceExtension.Init(Sys, CounterEvents.Registry());
    }

    /// <summary>The shared log every counter of a test writes into.</summary>
    protected List<string> Log { get; } = [];

    protected static ActorSystemSettings SettingsFor(string storeHocon, ulong seed) =>
        ActorSystemSettings.FromConfig(ConfigurationFactory.ParseString(storeHocon + $"\ngpuvmsim.deterministic {{ strategy = random, seed = {seed} }}"));

    /// <summary>HOCON selecting a fresh, empty store named <paramref name="name"/> (each call with a new name is another store).</summary>
    protected abstract string StoreHocon(string name);

    protected IActorRef Counter(string persistenceId, string? name = null, FaultPlan? faults = null) =>
        Sys.ActorOf(Props.Create(() => new CounterActor(persistenceId, Log, faults)), name ?? persistenceId);

    protected void StopAndWait(IActorRef actor)
    {
        Watch(actor);
        Sys.Stop(actor);
        ExpectTerminated(actor);
        Unwatch(actor);
    }

    protected IReadOnlyList<(long SequenceNr, object Event)> Stored(string persistenceId) =>
        PersistenceExtension.Get(Sys).ReadJournalFor().CurrentEventsByPersistenceId(persistenceId).Select(e => (e.SequenceNr, e.Event)).ToList();

    [StoreFact]
    public void Persist_handler_runs_after_the_event_is_stored()
    {
        var counter = Counter("c");

        counter.Tell(new AddAndLook(5));
        counter.Tell(new AddAndLook(6));

        ExpectMsg(new Stored(1, 1));
        ExpectMsg(new Stored(2, 2));
    }

    [StoreFact]
    public void Commands_arriving_while_persisting_are_stashed_until_the_handler_has_run()
    {
        var counter = Counter("c");

        counter.Tell(new Add(1));
        counter.Tell(new Get());
        counter.Tell(new Add(2));
        counter.Tell(new Get());

        ExpectMsg(new Total(1, 1));
        ExpectMsg(new Total(1, 1));
        ExpectMsg(new Total(3, 2));
        ExpectMsg(new Total(3, 2));
    }

    [StoreFact]
    public void Stashing_holds_whatever_order_the_scheduler_delivers_journal_replies_and_commands_in()
    {
        for (ulong seed = 0; seed < 12; seed++)
        {
            var system = ActorSystem.Create("seed" + seed, SettingsFor(StoreHocon("seed" + seed), seed));
            PersistenceExtension.Init(system, CounterEvents.Registry());
            var replies = new List<object>();
            var sink = system.ActorOf(Props.CreateBy(() => new Collector(replies)), "sink");
            var counter = system.ActorOf(Props.Create(() => new CounterActor("c", null, null)), "c");
            foreach (var command in new object[] { new Add(1), new Get(), new Add(2), new Get(), new AddAll([3, 4]), new Get() })
                counter.Tell(command, sink);
            system.Deterministic!.RunUntil(() => replies.Count == 7, TimeSpan.FromSeconds(5));
            system.Terminate();

            Assert.Equal([new Total(1, 1), new Total(1, 1), new Total(3, 2), new Total(3, 2), new Total(6, 3), new Total(10, 4), new Total(10, 4)], replies);
        }
    }

    [StoreFact]
    public void Recovery_replays_the_events_into_a_new_incarnation()
    {
        var first = Counter("c", "first");
        first.Tell(new Add(1));
        first.Tell(new Add(2));
        first.Tell(new Add(3));
        ReceiveN(3);
        StopAndWait(first);
        Log.Clear();

        var second = Counter("c", "second");
        second.Tell(new Get());

        ExpectMsg(new Total(6, 3));
        Assert.Equal(["event 1 at 1", "event 2 at 2", "event 3 at 3", "recovered 6 at 3", "command Get"], Log);
    }

    [StoreFact]
    public void Recovery_starts_from_the_latest_snapshot_then_replays_only_later_events()
    {
        var first = Counter("c", "first");
        first.Tell(new Add(1));
        first.Tell(new Add(2));
        ReceiveN(2);
        first.Tell(new TakeSnapshot());
        var saved = ExpectMsg<SaveSnapshotSuccess>();
        first.Tell(new Add(3));
        ExpectMsg(new Total(6, 3));
        StopAndWait(first);
        Log.Clear();

        var second = Counter("c", "second");
        second.Tell(new Get());

        ExpectMsg(new Total(6, 3));
        Assert.Equal(new SnapshotMetadata("c", 2, new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc)), saved.Metadata);
        Assert.Equal(["offer 3 at 2", "event 3 at 3", "recovered 6 at 3", "command Get"], Log);
    }

    [StoreFact]
    public void RecoveryCompleted_arrives_once_per_incarnation_before_the_first_command()
    {
        var counter = Counter("c");
        counter.Tell(new Get());
        counter.Tell(new Add(1));
        counter.Tell(new Get());

        ExpectMsg(new Total(0, 0));
        ExpectMsg(new Total(1, 1));
        ExpectMsg(new Total(1, 1));
        Assert.Equal(["recovered 0 at 0", "command Get", "command Get"], Log);
    }

    [StoreFact]
    public void PersistAll_stores_the_events_in_one_write_and_runs_each_handler_in_order()
    {
        var counter = Counter("c");

        counter.Tell(new AddAll([1, 2, 3]));

        ExpectMsg(new Total(1, 1));
        ExpectMsg(new Total(3, 2));
        ExpectMsg(new Total(6, 3));
        Assert.Equal([(1L, (object)new Added(1)), (2L, new Added(2)), (3L, new Added(3))], Stored("c"));
    }

    [StoreFact]
    public void PersistAsync_runs_the_handlers_in_persist_order()
    {
        var counter = Counter("c");

        counter.Tell(new AddAsync(1));
        counter.Tell(new AddAsync(2));

        ExpectMsg(new Total(1, 1));
        ExpectMsg(new Total(3, 2));
    }

    [StoreFact]
    public void DeleteMessages_removes_events_from_recovery_but_sequence_numbers_go_on()
    {
        var first = Counter("c", "first");
        first.Tell(new AddAll([1, 2, 3]));
        ReceiveN(3);
        first.Tell(new DeleteUpTo(2));
        ExpectMsg(new DeleteMessagesSuccess(2));
        first.Tell(new DeleteUpTo(9));
        Assert.IsType<ArgumentOutOfRangeException>(ExpectMsg<DeleteMessagesFailure>().Cause);
        StopAndWait(first);

        var second = Counter("c", "second");
        second.Tell(new Get());
        second.Tell(new Add(4));

        ExpectMsg(new Total(3, 3));
        ExpectMsg(new Total(7, 4));
        Assert.Equal([3L, 4L], Stored("c").Select(e => e.SequenceNr));
    }

    [StoreFact]
    public void Tagged_events_are_stored_with_their_tags()
    {
        var counter = Counter("c");

        counter.Tell(new AddTagged(5, "vm-1"));

        ExpectMsg(new Total(5, 1));
        Assert.Equal([new Added(5)], PersistenceExtension.Get(Sys).ReadJournalFor().CurrentEventsByTag("vm-1").Select(e => e.Event));
    }
}

/// <summary>Keeps every message it receives.</summary>
public sealed class Collector : ReceiveActor
{
    public Collector(List<object> received) => ReceiveAny(received.Add);
}
