using Gpuvmsim.Runtime;
using Gpuvmsim.Runtime.Deterministic;
using Gpuvmsim.Runtime.Scheduling;
using Gpuvmsim.Runtime.Supervision;

namespace Gpuvmsim.Tests.Runtime.Deterministic;

/// <summary>
/// Runs one busy program (supervision, stash, death watch, PoisonPill, Kill, timers, async handlers) under many random
/// and PCT schedules: every run must end quiescent without a runtime error, and replaying its schedule must reproduce
/// its trace exactly.
/// </summary>
public sealed class InterleavingStressSpec
{
    private sealed class StashingWorker : ReceiveActor, IWithUnboundedStash
    {
        public IStash Stash { get; set; } = null!;

        public StashingWorker(IActorRef echo)
        {
            Receive<string>(s => s == "open", _ =>
            {
                Stash.UnstashAll();
                Become(() =>
                {
                    ReceiveAsync<int>(async n =>
                    {
                        var back = await echo.Ask<int>(n);
                        Sender.Tell(back);
                    });
                    Receive<string>(s => s == "fail", _ => throw new InvalidOperationException("worker"));
                    ReceiveAny(_ => { });
                });
            });
            ReceiveAny(_ => Stash.Stash());
        }
    }

    private sealed class Root : ReceiveActor
    {
        private readonly List<IActorRef> _children = [];

        public Root(IActorRef sink)
        {
            var echo = Context.ActorOf(Props.Create<EchoActor>(), "echo");
            for (int i = 0; i < 3; i++) _children.Add(Context.ActorOf(Props.Create(() => new StashingWorker(echo)), "w" + i));
            foreach (var child in _children) Context.Watch(child);
            Context.System.Scheduler.ScheduleTellOnce(TimeSpan.FromSeconds(1), Self, "late", Self);
            Receive<string>(s => s == "go", _ =>
            {
                for (int i = 0; i < _children.Count; i++)
                {
                    _children[i].Tell(i);
                    _children[i].Tell("open");
                    _children[i].Tell(i + 10);
                }
                _children[0].Tell("fail");
                _children[1].Tell(Kill.Instance);
                _children[2].Tell(PoisonPill.Instance);
            });
            Receive<Terminated>(t => sink.Tell("terminated " + t.ActorRef.Path.Name));
            Receive<int>(n => sink.Tell("result " + n));
            Receive<string>(s => s == "late", _ => sink.Tell("late"));
        }

        protected override SupervisorStrategy SupervisorStrategy() =>
            new AllForOneStrategy(3, TimeSpan.FromSeconds(10), _ => Directive.Restart);
    }

    private sealed class Sink : UntypedActor
    {
        protected override void OnReceive(object message) { }
    }

    private static (string Trace, Schedule Schedule) Run(ActorSystemSettings settings)
    {
        var system = ActorSystem.Create("stress", settings with { Trace = true });
        try
        {
            var sink = system.ActorOf(Props.Create<Sink>(), "sink");
            var root = system.ActorOf(Props.Create(() => new Root(sink)), "root");
            root.Tell("go", null);
            var driver = system.Deterministic!;
            long steps = driver.RunUntilQuiescent(100_000);
            Assert.True(driver.IsQuiescent, $"not quiescent after {steps} steps under {driver.Strategy.Description}");
            return (driver.Trace!.ToText(), driver.RecordedSchedule);
        }
        finally
        {
            system.Terminate();
        }
    }

    [Theory]
    [InlineData("random")]
    [InlineData("pct")]
    public void Every_explored_schedule_ends_quiescent_and_replays_to_the_same_trace(string strategy)
    {
        var traces = new HashSet<string>();
        for (ulong seed = 0; seed < 60; seed++)
        {
            var (trace, schedule) = Run(new ActorSystemSettings { Strategy = strategy, Seed = seed, PctDepth = 3 });
            traces.Add(trace);
            var replayed = Run(new ActorSystemSettings { Strategy = "replay", ReplaySchedule = Schedule.Parse(schedule.ToString()) });
            Assert.Null(TraceComparer.FirstDivergence(trace, replayed.Trace));
        }
        Assert.True(traces.Count > 10, $"only {traces.Count} distinct interleavings");
    }
}
