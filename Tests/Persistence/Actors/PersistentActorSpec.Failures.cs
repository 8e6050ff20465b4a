using Gpuvmsim.Persistence.Actors;
using Gpuvmsim.Runtime;

namespace Gpuvmsim.Tests.Persistence.Actors;

/// <summary>The contract's failure cases: conflicting writers, rejections, failing handlers, restarts.</summary>
public abstract partial class PersistentActorSpec
{
    [StoreFact]
    public void A_second_writer_of_one_persistence_id_is_rejected_and_stops_and_nothing_interleaves()
    {
        var a = Counter("shared", "a");
        var b = Counter("shared", "b");
        a.Tell(new Get());
        ExpectMsg(new Total(0, 0));
        b.Tell(new Get());
        ExpectMsg(new Total(0, 0));
        a.Tell(new Add(1));
        ExpectMsg(new Total(1, 1));
        Watch(b);

        EventFilter.Warning(contains: "Rejected to persist event type").ExpectOne(() => b.Tell(new Add(10)));

        ExpectTerminated(b);
        a.Tell(new Add(2));
        ExpectMsg(new Total(3, 2));
        Assert.Equal([(1L, (object)new Added(1)), (2L, new Added(2))], Stored("shared"));
    }

    [StoreFact]
    public void An_unserializable_event_is_rejected_without_running_its_handler_and_the_actor_goes_on()
    {
        var counter = Counter("c");

        EventFilter.Warning(contains: "is not a registered event type").ExpectOne(() => counter.Tell(new AddUnregistered()));
        counter.Tell(new Add(1));

        ExpectMsg(new Total(1, 2));
        Assert.Equal([(2L, (object)new Added(1))], Stored("c"));
    }

    [StoreFact]
    public void Events_persisted_by_a_command_that_throws_are_never_written()
    {
        var counter = Counter("c");
        counter.Tell(new Add(1));
        ExpectMsg(new Total(1, 1));

        EventFilter.Exception<InjectedFault>().ExpectOne(() => counter.Tell(new AddThenFail(100)));
        counter.Tell(new Get());

        ExpectMsg(new Total(1, 1));
        Assert.Equal([(1L, (object)new Added(1))], Stored("c"));
    }

    [StoreFact]
    public void A_restarted_actor_recovers_its_state_from_the_journal()
    {
        var counter = Counter("c");
        counter.Tell(new Add(1));
        counter.Tell(new Add(2));
        ReceiveN(2);
        Log.Clear();

        EventFilter.Exception<InjectedFault>().ExpectOne(() => counter.Tell(new Fail()));
        counter.Tell(new Get());

        ExpectMsg(new Total(3, 2));
        Assert.Equal(["event 1 at 1", "event 2 at 2", "recovered 3 at 2", "command Get"], Log);
    }

    [StoreFact]
    public void A_replay_supervisor_restart_ends_in_the_same_state_with_the_same_replies_as_a_run_without_the_failure()
    {
        var commands = Enumerable.Range(1, 6).Select(i => new Add(i)).ToArray();
        var faulty = Sys.ActorOf(Props.Create(() => new ReplaySupervisor(Props.Create(() => new CounterActor("faulty", null, new FaultPlan(4))))), "faulty");
        var clean = Sys.ActorOf(Props.Create(() => new ReplaySupervisor(Props.Create(() => new CounterActor("clean", null, null)))), "clean");
        var faultyProbe = CreateTestProbe();
        var cleanProbe = CreateTestProbe();

        EventFilter.Exception<InjectedFault>().ExpectOne(() =>
        {
            foreach (var c in commands) faultyProbe.Send(faulty, c);
        });
        foreach (var c in commands) cleanProbe.Send(clean, c);
        var faultyReplies = faultyProbe.ReceiveN(commands.Length);
        var cleanReplies = cleanProbe.ReceiveN(commands.Length);
        faultyProbe.Send(faulty, new Get());
        cleanProbe.Send(clean, new Get());

        Assert.Equal(cleanReplies, faultyReplies);
        Assert.Equal(new Total(21, 6), faultyProbe.ExpectMsg<Total>());
        Assert.Equal(new Total(21, 6), cleanProbe.ExpectMsg<Total>());
        Assert.Equal(Stored("clean").Select(e => e.Event), Stored("faulty").Select(e => e.Event));
    }
}
