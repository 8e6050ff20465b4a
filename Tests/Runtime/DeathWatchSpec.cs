using Gpuvmsim.Runtime;
using Gpuvmsim.Tests.Runtime.Supervision;

namespace Gpuvmsim.Tests.Runtime;

public sealed class DeathWatchSpec : Gpuvmsim.TestKit.TestKit
{
    /// <summary>What a watcher reports; a forwarded <see cref="Terminated"/> itself would be dropped, as in Akka.</summary>
    private sealed record Reported(Terminated Terminated);

    /// <summary>Watches what it is told to watch and reports what it gets; "unwatch:" + name unwatches.</summary>
    private sealed class Watcher : ReceiveActor
    {
        public Watcher(IActorRef report)
        {
            Receive<IActorRef>(target => Context.Watch(target));
            Receive<(string, IActorRef)>(m => Context.Unwatch(m.Item2));
            Receive<Terminated>(t => report.Tell(new Reported(t)));
        }
    }

    [Fact]
    public void DeathWatch_delivers_one_Terminated_when_the_watched_actor_stops()
    {
        var target = Sys.ActorOf(Props.Create<EchoActor>(), "target");
        var watcher = Sys.ActorOf(Props.Create(() => new Watcher(TestActor)), "watcher");
        watcher.Tell(target);
        watcher.Tell(target);
        Sys.Stop(target);
        var terminated = ExpectMsg<Reported>().Terminated;
        Assert.Equal(target, terminated.ActorRef);
        Assert.True(terminated.ExistenceConfirmed);
        Assert.False(terminated.AddressTerminated);
        ExpectNoMsg(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void Watching_an_actor_that_already_stopped_gives_an_immediate_Terminated()
    {
        var target = Sys.ActorOf(Props.Create<EchoActor>(), "target");
        Watch(target);
        Sys.Stop(target);
        ExpectTerminated(target);
        var late = CreateTestProbe();
        late.Watch(target);
        late.ExpectTerminated(target);
    }

    [Fact]
    public void Unwatch_drops_a_Terminated_that_is_already_queued()
    {
        // System messages first, then the oldest: the death notification queues a Terminated behind the
        // unwatch request that was sent before the watchee stopped.
        using var kit = new SystemFirstKit();
        var target = kit.Sys.ActorOf(Props.Create<EchoActor>(), "target");
        var watcher = kit.Sys.ActorOf(Props.Create(() => new Watcher(kit.TestActor)), "watcher");
        watcher.Tell(target);
        kit.Driver.RunUntilQuiescent();
        kit.Sys.Stop(target);
        watcher.Tell(("unwatch", target));
        kit.ExpectNoMsg(TimeSpan.FromSeconds(1));
    }

    private sealed class SystemFirstKit() : Gpuvmsim.TestKit.TestKit(new ActorSystemSettings { StrategyInstance = new SystemFirstStrategy() });

    private sealed class SystemFirstStrategy : Gpuvmsim.Runtime.Scheduling.ExplorationStrategy
    {
        public override string Name => "system-first";

        public override string Description => Name;

        protected override int ChooseDelivery(ReadOnlySpan<Gpuvmsim.Runtime.Scheduling.DeliveryCandidate> enabled, long step)
        {
            int best = 0;
            for (int i = 1; i < enabled.Length; i++)
                if ((enabled[i].IsSystem && !enabled[best].IsSystem) ||
                    (enabled[i].IsSystem == enabled[best].IsSystem && enabled[i].HeadSequence < enabled[best].HeadSequence))
                    best = i;
            return best;
        }

        protected override int ChooseValue(int count, long step) => 0;
    }

    [Fact]
    public void A_Terminated_told_by_hand_is_dropped_unless_the_receiver_watched_that_actor()
    {
        var target = Sys.ActorOf(Props.Create<EchoActor>(), "target");
        TestActor.Tell(new Terminated(target, true, false));
        ExpectNoMsg(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void An_unhandled_Terminated_kills_the_watcher_with_a_DeathPactException()
    {
        var target = Sys.ActorOf(Props.Create<EchoActor>(), "target");
        var pact = Sys.ActorOf(Props.Create(() => new PactActor(target)), "pact");
        Watch(pact);
        EventFilter.Exception<DeathPactException>().ExpectOne(() => Sys.Stop(target));
        ExpectTerminated(pact);
    }

    [Fact]
    public void The_parent_learns_of_a_stopped_child_and_frees_its_name()
    {
        var parent = Sys.ActorOf(Props.Create(() => new Supervisor(Gpuvmsim.Runtime.Supervision.SupervisorStrategy.DefaultStrategy)), "parent");
        parent.Tell("kid");
        var kid = ExpectMsg<IActorRef>();
        Watch(kid);
        Sys.Stop(kid);
        ExpectTerminated(kid);
        Driver.RunUntilQuiescent();
        parent.Tell("kid");
        var again = ExpectMsg<IActorRef>();
        Assert.NotEqual(kid, again);
        Assert.Equal(kid.Path, again.Path);
    }

    private sealed class PactActor : ReceiveActor
    {
        public PactActor(IActorRef target)
        {
            Context.Watch(target);
            Receive<string>(_ => { });
        }
    }
}
