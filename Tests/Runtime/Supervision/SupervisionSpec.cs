using Gpuvmsim.Runtime;
using Gpuvmsim.Runtime.Supervision;

namespace Gpuvmsim.Tests.Runtime.Supervision;

/// <summary>A parent that creates children on request (string name → child ref) with a given strategy.</summary>
public sealed class Supervisor : ReceiveActor
{
    private readonly SupervisorStrategy _strategy;

    public Supervisor(SupervisorStrategy strategy) : this(strategy, Props.Create<CounterActor>()) { }

    public Supervisor(SupervisorStrategy strategy, Props childProps)
    {
        _strategy = strategy;
        Receive<string>(name => Sender.Tell(Context.ActorOf(childProps, name)));
    }

    protected override SupervisorStrategy SupervisorStrategy() => _strategy;
}

public sealed class SupervisionSpec : Gpuvmsim.TestKit.TestKit
{
    private (IActorRef Parent, IActorRef Child) SupervisedCounter(SupervisorStrategy strategy, string name = "child")
    {
        var parent = Sys.ActorOf(Props.Create(() => new Supervisor(strategy)), "parent");
        parent.Tell(name);
        return (parent, ExpectMsg<IActorRef>());
    }

    private int CountOf(IActorRef counter)
    {
        counter.Tell("get");
        return ExpectMsg<int>();
    }

    [Fact]
    public void OneForOne_restart_gives_the_failed_child_a_fresh_state()
    {
        var (_, child) = SupervisedCounter(new OneForOneStrategy(_ => Directive.Restart));
        child.Tell(1);
        child.Tell(2);
        EventFilter.Exception<InvalidOperationException>().ExpectOne(() => child.Tell("fail"));
        Assert.Equal(0, CountOf(child));
    }

    [Fact]
    public void Resume_keeps_the_state_and_drops_the_failed_message()
    {
        var (_, child) = SupervisedCounter(new OneForOneStrategy(_ => Directive.Resume));
        child.Tell(1);
        child.Tell(2);
        EventFilter.Warning(contains: "resumed").ExpectOne(() => child.Tell("fail"));
        Assert.Equal(2, CountOf(child));
    }

    [Fact]
    public void Stop_directive_stops_the_failed_child()
    {
        var (_, child) = SupervisedCounter(new OneForOneStrategy(_ => Directive.Stop));
        Watch(child);
        child.Tell("fail");
        ExpectTerminated(child);
    }

    [Fact]
    public void AllForOne_restart_also_restarts_the_siblings()
    {
        var parent = Sys.ActorOf(Props.Create(() => new Supervisor(new AllForOneStrategy(_ => Directive.Restart))), "parent");
        parent.Tell("a");
        var a = ExpectMsg<IActorRef>();
        parent.Tell("b");
        var b = ExpectMsg<IActorRef>();
        a.Tell(1);
        b.Tell(1);
        b.Tell(1);
        Assert.Equal(2, CountOf(b));
        a.Tell("fail");
        Assert.Equal(0, CountOf(a));
        Assert.Equal(0, CountOf(b));
    }

    [Fact]
    public void OneForOne_restart_leaves_the_siblings_alone()
    {
        var parent = Sys.ActorOf(Props.Create(() => new Supervisor(new OneForOneStrategy(_ => Directive.Restart))), "parent");
        parent.Tell("a");
        var a = ExpectMsg<IActorRef>();
        parent.Tell("b");
        var b = ExpectMsg<IActorRef>();
        b.Tell(1);
        a.Tell("fail");
        Assert.Equal(0, CountOf(a));
        Assert.Equal(1, CountOf(b));
    }

    [Fact]
    public void Escalate_fails_the_parent_so_the_grandparent_decides()
    {
        // grandparent (restart on anything) -> parent (escalate) -> child counter
        var escalating = new OneForOneStrategy(_ => Directive.Escalate);
        var grandparent = Sys.ActorOf(Props.Create(() => new Supervisor(new OneForOneStrategy(_ => Directive.Restart),
            Props.Create(() => new Supervisor(escalating)))), "grandparent");
        grandparent.Tell("parent");
        var parent = ExpectMsg<IActorRef>();
        parent.Tell("child");
        var child = ExpectMsg<IActorRef>();
        Watch(child);
        child.Tell(5);
        EventFilter.Exception<InvalidOperationException>(source: "/user/grandparent/parent").ExpectOne(() => child.Tell("fail"));
        // The parent restarted; its default PreRestart stopped the child.
        ExpectTerminated(child);
        // The grandparent kept the restarted parent: it still creates children.
        parent.Tell("child");
        Assert.Equal("/user/grandparent/parent/child", ExpectMsg<IActorRef>().Path.ToStringWithoutAddress());
    }

    [Fact]
    public void Exceeding_max_retries_within_the_window_stops_the_child()
    {
        var strategy = new OneForOneStrategy(2, TimeSpan.FromMinutes(1), _ => Directive.Restart);
        var (_, child) = SupervisedCounter(strategy);
        Watch(child);
        child.Tell("fail");
        child.Tell("fail");
        Assert.Equal(0, CountOf(child));
        child.Tell("fail");
        ExpectTerminated(child);
    }

    [Fact]
    public void Failures_spread_wider_than_the_window_are_each_allowed()
    {
        var strategy = new OneForOneStrategy(1, TimeSpan.FromSeconds(10), _ => Directive.Restart);
        var (_, child) = SupervisedCounter(strategy);
        Watch(child);
        child.Tell("fail");
        ExpectNoMsg(TimeSpan.FromSeconds(11));
        child.Tell("fail");
        ExpectNoMsg(TimeSpan.FromSeconds(11));
        Assert.Equal(0, CountOf(child));
    }

    [Fact]
    public void The_default_strategy_restarts_on_ordinary_exceptions()
    {
        var counter = Sys.ActorOf(Props.Create<CounterActor>(), "counter");
        counter.Tell(1);
        EventFilter.Exception<InvalidOperationException>().ExpectOne(() => counter.Tell("fail"));
        Assert.Equal(0, CountOf(counter));
    }

    [Fact]
    public void A_constructor_failure_is_an_ActorInitializationException_and_stops_the_actor()
    {
        IActorRef? broken = null;
        EventFilter.Exception<ActorInitializationException>().ExpectOne(() =>
            broken = Sys.ActorOf(Props.CreateBy<ActorBase>(() => throw new InvalidOperationException("ctor")), "broken"));
        Watch(broken!);
        ExpectTerminated(broken!);
    }

    [Fact]
    public void A_constructor_failure_through_a_Props_expression_reaches_the_supervisor_with_the_constructor_own_exception()
    {
        var probe = TestActor;
        var causes = new OneForOneStrategy(e =>
        {
            probe.Tell(e.InnerException?.GetType() ?? e.GetType());
            return Directive.Stop;
        });
        var message = "from the constructor";
        var parent = Sys.ActorOf(Props.Create(() => new Supervisor(causes, Props.Create(() => new FailsInConstructor(message)))), "parent");

        // Not a reflection TargetInvocationException, whether the expression is still interpreted (the interpreter
        // unwraps it) or already compiled (the Props served enough instances).
        for (var i = 0; i <= Props.TieredFactory<FailsInConstructor>.CompileAfter; i++)
        {
            parent.Tell($"broken{i}");
            ExpectMsg<IActorRef>();
            Assert.Equal(typeof(InvalidOperationException), ExpectMsg<Type>());
        }
    }

    private sealed class FailsInConstructor : ReceiveActor
    {
        public FailsInConstructor(string message) => throw new InvalidOperationException(message);
    }

    [Fact]
    public void A_restart_waits_for_the_children_PreRestart_stopped_and_restarts_the_survivors()
    {
        var parent = Sys.ActorOf(Props.Create(() => new KeepsOneChild(TestActor)), "parent");
        var kept = ExpectMsg<IActorRef>();
        var dropped = ExpectMsg<IActorRef>();
        Watch(dropped);
        kept.Tell(1);
        kept.Tell(1);
        parent.Tell("fail");
        var both = ReceiveN(2);
        Assert.Contains("restarted", both);
        Assert.Contains(both, m => m is Terminated t && t.ActorRef.Equals(dropped));
        Assert.Equal(0, CountOf(kept));
        Assert.Equal("/user/parent/kept", kept.Path.ToStringWithoutAddress());
    }

    /// <summary>Creates "kept" and "dropped"; its PreRestart stops only "dropped".</summary>
    private sealed class KeepsOneChild : ReceiveActor
    {
        private readonly IActorRef _report;

        public KeepsOneChild(IActorRef report)
        {
            _report = report;
            Receive<string>(s => s == "fail", _ => throw new InvalidOperationException("parent failed"));
        }

        protected override void PreStart()
        {
            _report.Tell(Context.ActorOf(Props.Create<CounterActor>(), "kept"));
            _report.Tell(Context.ActorOf(Props.Create<CounterActor>(), "dropped"));
        }

        protected override void PreRestart(Exception reason, object? message) => Context.Stop(Context.Child("dropped"));

        protected override void PostRestart(Exception reason) => _report.Tell("restarted");
    }

    [Fact]
    public void RedeliverFailedMessage_hands_the_failed_message_to_the_restarted_instance_within_the_same_step()
    {
        var strategy = new OneForOneStrategy(_ => Directive.Restart) { RedeliverFailedMessage = true };
        var parent = Sys.ActorOf(Props.Create(() => new Supervisor(strategy, Props.Create<FlakyOnce>())), "parent");
        parent.Tell("flaky");
        var flaky = ExpectMsg<IActorRef>();
        flaky.Tell("work");
        ExpectMsg("done:work:attempt2");
    }

    /// <summary>Fails the first time it sees "work" in its life (tracked across instances), then succeeds.</summary>
    private sealed class FlakyOnce : ReceiveActor
    {
        private static readonly object Gate = new();

        public FlakyOnce()
        {
            Receive<string>(m =>
            {
                var attempts = Attempts.Add(Self);
                if (attempts == 1) throw new InvalidOperationException("first attempt fails");
                Sender.Tell($"done:{m}:attempt{attempts}");
            });
        }

        private static class Attempts
        {
            private static readonly Dictionary<IActorRef, int> Counts = [];

            public static int Add(IActorRef actor)
            {
                lock (Gate)
                {
                    Counts[actor] = Counts.GetValueOrDefault(actor) + 1;
                    return Counts[actor];
                }
            }
        }
    }
}
