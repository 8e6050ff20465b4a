using Gpuvmsim.Runtime;

namespace Gpuvmsim.Tests.Runtime;

public sealed class LifecycleSpec : Gpuvmsim.TestKit.TestKit
{
    [Fact]
    public void Constructor_and_PreStart_run_synchronously_inside_ActorOf()
    {
        long before = Driver.StepCount;
        Sys.ActorOf(Props.Create(() => new LifecycleActor(TestActor, "a")), "a");
        Assert.Equal(before, Driver.StepCount);
        Assert.Equal(new object[] { "a:ctor", "a:PreStart" }, ReceiveN(2));
    }

    [Fact]
    public void A_restart_runs_PreRestart_with_the_failed_message_then_a_new_instance_and_PostRestart()
    {
        var actor = Sys.ActorOf(Props.Create(() => new LifecycleActor(TestActor, "a")), "a");
        ReceiveN(2);
        actor.Tell("fail");
        Assert.Equal(new object[] { "a:PreRestart:fail", "a:PostStop", "a:ctor", "a:PostRestart", "a:PreStart" }, ReceiveN(5));
        actor.Tell("hello");
        ExpectMsg("a:got:hello");
    }

    [Fact]
    public void Stopping_stops_children_first_then_runs_PostStop_and_notifies_watchers()
    {
        var parent = Sys.ActorOf(Props.Create(() => new LifecycleActor(TestActor, "p")), "p");
        ReceiveN(2);
        parent.Tell(Props.Create(() => new LifecycleActor(TestActor, "c")));
        Assert.Equal(new object[] { "c:ctor", "c:PreStart" }, ReceiveN(2));
        var child = ExpectMsg<IActorRef>();
        Watch(parent);
        Sys.Stop(parent);
        Assert.Equal(new object[] { "c:PostStop", "p:PostStop" }, ReceiveN(2));
        ExpectTerminated(parent);
        Assert.Equal("/user/p/child", child.Path.ToStringWithoutAddress());
    }

    [Fact]
    public void Terminating_a_deterministic_system_stops_every_actor_at_once_children_first_without_steps()
    {
        var log = new List<string>();
        var system = ActorSystem.Create("other");
        var parent = system.ActorOf(Props.CreateBy(() => new Logged(log, "p")), "p");
        parent.Tell("c", null);
        system.Deterministic!.RunUntilQuiescent();
        long steps = system.Deterministic.StepCount;

        var done = system.Terminate();

        Assert.True(done.IsCompleted);
        Assert.Equal(new[] { "c", "p" }, log);
        Assert.True(system.Deterministic.IsTerminated);
        Assert.Equal(steps, system.Deterministic.StepCount);
        Assert.False(system.Deterministic.Step());
    }

    private sealed class Logged : ReceiveActor
    {
        private readonly List<string> _log;
        private readonly string _tag;

        public Logged(List<string> log, string tag)
        {
            _log = log;
            _tag = tag;
            Receive<string>(name => Context.ActorOf(Props.CreateBy(() => new Logged(log, name)), name));
        }

        protected override void PostStop() => _log.Add(_tag);
    }
}
