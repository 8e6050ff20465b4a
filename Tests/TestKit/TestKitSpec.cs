using Gpuvmsim.Runtime;
using Gpuvmsim.Runtime.Event;
using Gpuvmsim.Tests.Runtime;
using Xunit.Sdk;

namespace Gpuvmsim.Tests.TestKit;

public sealed class TestKitSpec : Gpuvmsim.TestKit.TestKit
{
    [Fact]
    public void ExpectMsg_returns_the_matching_message_and_records_its_sender()
    {
        var echo = Sys.ActorOf(Props.Create<EchoActor>(), "echo");
        echo.Tell(new Ping(1));
        var ping = ExpectMsg<Ping>(p => p.N == 1);
        Assert.Equal(1, ping.N);
        Assert.Equal(echo, LastSender);
    }

    [Fact]
    public void ExpectMsg_of_the_wrong_type_fails_saying_what_was_expected_and_what_arrived()
    {
        TestActor.Tell("text");
        var e = Assert.ThrowsAny<XunitException>(() => ExpectMsg<Ping>());
        Assert.Contains("Expected a message of type Ping", e.Message);
        Assert.Contains("String [text]", e.Message);
    }

    [Fact]
    public void ExpectMsg_with_a_value_compares_by_equality()
    {
        TestActor.Tell(new Ping(2));
        var e = Assert.ThrowsAny<XunitException>(() => ExpectMsg(new Ping(3)));
        Assert.Contains("Expected Ping [Ping { N = 3 }] but got Ping [Ping { N = 2 }]", e.Message);
    }

    [Fact]
    public void ExpectMsg_times_out_on_virtual_time_when_nothing_comes()
    {
        var start = Driver.Now;
        var e = Assert.ThrowsAny<XunitException>(() => ExpectMsg<Ping>(timeout: TimeSpan.FromSeconds(2)));
        Assert.Contains("Timeout (00:00:02 of virtual time)", e.Message);
        Assert.Equal(TimeSpan.FromSeconds(2), Driver.Now - start);
    }

    [Fact]
    public void ExpectNoMsg_passes_on_silence_and_fails_on_a_message()
    {
        ExpectNoMsg(TimeSpan.FromSeconds(1));
        TestActor.Tell("late");
        var e = Assert.ThrowsAny<XunitException>(() => ExpectNoMsg(TimeSpan.FromSeconds(1)));
        Assert.Contains("Expected no message", e.Message);
    }

    [Fact]
    public void FishForMessage_skips_until_a_match()
    {
        for (int i = 0; i < 5; i++) TestActor.Tell(i);
        Assert.Equal(3, FishForMessage(m => m is 3));
        Assert.Equal(4, ExpectMsg<int>());
    }

    [Fact]
    public void ReceiveN_returns_messages_in_order_or_fails_with_what_it_got()
    {
        TestActor.Tell(1);
        TestActor.Tell(2);
        Assert.Equal(new object[] { 1, 2 }, ReceiveN(2));
        TestActor.Tell(3);
        var e = Assert.ThrowsAny<XunitException>(() => ReceiveN(2, TimeSpan.FromSeconds(1)));
        Assert.Contains("got 1", e.Message);
    }

    [Fact]
    public void ExpectMsgAllOf_accepts_any_order_and_ExpectMsgAnyOf_one_of_several()
    {
        TestActor.Tell(2);
        TestActor.Tell(1);
        ExpectMsgAllOf(1, 2);
        TestActor.Tell("b");
        Assert.Equal("b", ExpectMsgAnyOf("a", "b"));
        TestActor.Tell("c");
        Assert.ThrowsAny<XunitException>(() => ExpectMsgAnyOf("a", "b"));
    }

    [Fact]
    public void AwaitCondition_steps_until_the_condition_holds_or_fails_on_virtual_time()
    {
        var counter = ActorOfAsTestActorRef<CounterActor>(Props.Create<CounterActor>(), "counter");
        counter.Tell(1);
        counter.Tell(2);
        AwaitCondition(() => counter.UnderlyingActor.Count == 2);
        var e = Assert.ThrowsAny<XunitException>(() => AwaitCondition(() => false, TimeSpan.FromSeconds(1), "never"));
        Assert.Contains("never", e.Message);
    }

    [Fact]
    public void Within_checks_the_virtual_time_taken_and_bounds_inner_expectations()
    {
        Sys.Scheduler.ScheduleTellOnce(TimeSpan.FromSeconds(2), TestActor, "tick", null);
        Within(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3), () => ExpectMsg("tick"));
        Sys.Scheduler.ScheduleTellOnce(TimeSpan.FromSeconds(5), TestActor, "late", null);
        Assert.ThrowsAny<XunitException>(() => Within(TimeSpan.FromSeconds(3), () => ExpectMsg("late")));
        var e = Assert.ThrowsAny<XunitException>(() => Within(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), () => { }));
        Assert.Contains("less than the minimum", e.Message);
    }

    [Fact]
    public void Probes_are_independent_actors_under_system()
    {
        var a = CreateTestProbe();
        var b = CreateTestProbe("named");
        Assert.Equal("/system/named", b.Ref.Path.ToStringWithoutAddress());
        a.Send(b, "hi");
        b.ExpectMsg("hi");
        Assert.Equal(a.Ref, b.LastSender);
        b.Reply("back");
        a.ExpectMsg("back");
        a.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Watch_and_ExpectTerminated_observe_a_stop()
    {
        var echo = Sys.ActorOf(Props.Create<EchoActor>(), "echo");
        Watch(echo);
        echo.Tell(PoisonPill.Instance);
        Assert.Equal(echo, ExpectTerminated(echo).ActorRef);
    }

    [Fact]
    public void EventFilter_counts_matching_events_and_fails_on_a_wrong_count()
    {
        EventFilter.DeadLetter<int>().Expect(2, () =>
        {
            Sys.DeadLetters.Tell(1);
            Sys.DeadLetters.Tell(2);
            Sys.DeadLetters.Tell("not counted");
        });
        var e = Assert.ThrowsAny<XunitException>(() => EventFilter.Error().ExpectOne(() => Sys.Log.Warning("only a warning")));
        Assert.Contains("Expected 1 Error event(s) but got 0", e.Message);
        EventFilter.Warning(contains: "careful").ExpectOne(() => Sys.Log.Warning("be careful"));
        EventFilter.Info(message: "exact").ExpectOne(() => Sys.Log.Info("exact"));
        EventFilter.Error(contains: "bad").ExpectOne(() => Sys.Log.Error(new InvalidOperationException("bad"), "failed"));
    }

    [Fact]
    public void EventFilter_Exception_sees_actor_failures_published_by_the_supervisor()
    {
        var counter = Sys.ActorOf(Props.Create<CounterActor>(), "counter");
        EventFilter.Exception<InvalidOperationException>(message: "counter failed", source: "/user/counter").ExpectOne(() => counter.Tell("fail"));
        var listener = CreateTestProbe();
        Sys.EventStream.Subscribe(listener, typeof(Error));
        counter.Tell("fail");
        Assert.IsType<InvalidOperationException>(listener.ExpectMsg<Error>().Cause);
    }

    [Fact]
    public void ActorOfAsTestActorRef_exposes_the_underlying_actor_state()
    {
        var counter = ActorOfAsTestActorRef<CounterActor>(Props.Create<CounterActor>(), "counter");
        counter.Tell(1);
        counter.Tell(2);
        Driver.RunUntilQuiescent();
        Assert.Equal(2, counter.UnderlyingActor.Count);
        counter.Receive(3);
        Assert.Equal(3, counter.UnderlyingActor.Count);
        counter.Tell("fail");
        Driver.RunUntilQuiescent();
        Assert.Equal(0, counter.UnderlyingActor.Count);
        Assert.Throws<ArgumentException>(() => ActorOfAsTestActorRef<CounterActor>(Props.Create<EchoActor>()));
    }

    [Fact]
    public void A_test_probe_can_be_used_wherever_a_ref_is_expected()
    {
        var probe = CreateTestProbe();
        var echo = Sys.ActorOf(Props.Create<EchoActor>(), "echo");
        echo.Tell("via probe", probe);
        probe.ExpectMsg("via probe");
        Assert.True(probe.Equals(probe.Ref));
        Assert.True(probe.Ref.Equals(probe.LastSender) || probe.LastSender.Equals(echo));
    }

    [Fact]
    public void A_probe_can_be_watched_and_stopped_like_any_actor()
    {
        var probe = CreateTestProbe();
        Watch(probe);
        Sys.Stop(probe);
        ExpectTerminated(probe);
    }

    [Fact]
    public void Dispose_terminates_the_system()
    {
        var kit = new StandaloneKit();
        kit.Dispose();
        Assert.True(kit.Sys.WhenTerminated.IsCompleted);
    }

    private sealed class StandaloneKit : Gpuvmsim.TestKit.TestKit;
}
