using Gpuvmsim.Runtime;
using Gpuvmsim.Runtime.Deterministic;

namespace Gpuvmsim.Tests.Runtime.Deterministic;

public sealed class StateHashSpec
{
    private static ActorSystem Fresh() => ActorSystem.Create("hash");

    [Fact]
    public void Two_systems_in_the_same_state_hash_equally_whatever_the_path_that_led_there()
    {
        var a = Fresh();
        var counterA = a.ActorOf(Props.Create<CounterActor>(), "c");
        counterA.Tell(1, null);
        counterA.Tell(2, null);
        a.Deterministic!.RunUntilQuiescent();

        var b = Fresh();
        var counterB = b.ActorOf(Props.Create<CounterActor>(), "c");
        counterB.Tell("x", null);
        counterB.Tell("y", null);
        b.Deterministic!.RunUntilQuiescent();

        Assert.NotNull(a.Deterministic.ComputeStateHash());
        Assert.Equal(a.Deterministic.ComputeStateHash(), b.Deterministic.ComputeStateHash());
    }

    [Fact]
    public void Actor_state_queued_messages_and_timers_all_change_the_hash()
    {
        var system = Fresh();
        var counter = system.ActorOf(Props.Create<CounterActor>(), "c");
        var driver = system.Deterministic!;
        var h0 = driver.ComputeStateHash();
        counter.Tell(1, null);
        var queued = driver.ComputeStateHash();
        driver.RunUntilQuiescent();
        var counted = driver.ComputeStateHash();
        var timer = system.Scheduler.ScheduleTellOnce(TimeSpan.FromSeconds(1), counter, 5, null);
        var withTimer = driver.ComputeStateHash();
        timer.Cancel();
        Assert.Equal(4, new[] { h0, queued, counted, withTimer }.Distinct().Count());
        Assert.Equal(counted, driver.ComputeStateHash());
    }

    [Fact]
    public void The_hash_is_null_when_a_live_actor_does_not_expose_its_state()
    {
        var system = Fresh();
        system.ActorOf(Props.Create<EchoActor>(), "opaque");
        Assert.Null(system.Deterministic!.ComputeStateHash());
    }

    [Fact]
    public void StateHasher_is_stable_for_strings_and_sensitive_to_order()
    {
        var a = new StateHasher();
        a.Add("vm");
        a.Add(1);
        var b = new StateHasher();
        b.Add(1);
        b.Add("vm");
        var c = new StateHasher();
        c.Add("vm");
        c.Add(1);
        Assert.NotEqual(a.Value, b.Value);
        Assert.Equal(a.Value, c.Value);
        Assert.Equal(StateHasher.StableHash("lock"), StateHasher.StableHash("lock"));
        Assert.Equal(unchecked((long)14695981039346656037UL), StateHasher.StableHash(""));
    }
}
