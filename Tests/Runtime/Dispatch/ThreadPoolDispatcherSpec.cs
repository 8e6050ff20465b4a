using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Gpuvmsim.Runtime;
using Gpuvmsim.Runtime.Event;

namespace Gpuvmsim.Tests.Runtime.Dispatch;

/// <summary>The thread-pool dispatcher. Real threads here: waits are bounded waits on tasks, never sleeps.</summary>
public sealed class ThreadPoolDispatcherSpec : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private ActorSystem _system = null!;

    public Task InitializeAsync()
    {
        _system = ActorSystem.Create("pool", new ActorSystemSettings { DefaultDispatcherType = DispatcherType.ThreadPool, Throughput = 30 });
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => _system.Terminate().WaitAsync(Bound);

    /// <summary>Checks that numbers from each sender arrive in increasing order; answers "report" with (ok, count).</summary>
    private sealed class OrderChecker : ReceiveActor
    {
        private readonly Dictionary<IActorRef, int> _last = [];
        private bool _ok = true;
        private int _count;

        public OrderChecker()
        {
            Receive<int>(n =>
            {
                _count++;
                if (_last.TryGetValue(Sender, out var previous) && n != previous + 1) _ok = false;
                _last[Sender] = n;
            });
            Receive<string>(_ => Sender.Tell((_ok, _count)));
        }
    }

    private sealed class Sequencer(IActorRef target, int count) : UntypedActor
    {
        protected override void PreStart()
        {
            for (int i = 0; i < count; i++) target.Tell(i, Self);
        }

        protected override void OnReceive(object message) { }
    }

    [Fact]
    public async Task Many_actors_exchange_messages_concurrently_and_all_replies_arrive()
    {
        var actors = Enumerable.Range(0, 200).Select(i => _system.ActorOf(Props.Create<EchoActor>(), "echo" + i)).ToList();
        var replies = await Task.WhenAll(actors.SelectMany((a, i) => Enumerable.Range(0, 20).Select(j => a.Ask<Ping>(new Ping(i * 100 + j)))))
            .WaitAsync(Bound);
        Assert.Equal(4000, replies.Length);
        Assert.Equal(4000, replies.Select(r => r.N).Distinct().Count());
    }

    [Fact]
    public async Task Messages_between_one_pair_of_actors_keep_their_order()
    {
        var checker = _system.ActorOf(Props.Create<OrderChecker>(), "checker");
        for (int s = 0; s < 8; s++) _system.ActorOf(Props.Create(() => new Sequencer(checker, 5_000)), "seq" + s);
        (bool Ok, int Count) report = default;
        for (int attempt = 0; attempt < 200 && report.Count < 40_000; attempt++)
            report = await checker.Ask<(bool, int)>("report").WaitAsync(Bound);
        Assert.Equal(40_000, report.Count);
        Assert.True(report.Ok);
    }

    private sealed class GatedCounter : ReceiveActor
    {
        public GatedCounter(ManualResetEventSlim entered, SemaphoreSlim gate, int expected, TaskCompletionSource done)
        {
            int seen = 0;
            Receive<int>(_ =>
            {
                if (seen == 0)
                {
                    entered.Set();
                    if (!gate.Wait(Bound)) throw new TimeoutException("gate");
                }
                if (++seen == expected) done.TrySetResult();
            });
        }
    }

    [Theory]
    [InlineData(5, 11, int.MaxValue)]
    [InlineData(1000, 1, 3)]
    public async Task The_throughput_setting_bounds_the_messages_processed_per_turn(int throughput, int minTurns, int maxTurns)
    {
        var system = ActorSystem.Create("throughput", new ActorSystemSettings { DefaultDispatcherType = DispatcherType.ThreadPool, Throughput = throughput });
        using var entered = new ManualResetEventSlim();
        using var gate = new SemaphoreSlim(0);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var actor = (LocalActorRef)system.ActorOf(Props.Create(() => new GatedCounter(entered, gate, 51, done)), "gated");
        actor.Tell(0, null);
        Assert.True(entered.Wait(Bound));
        int turnsBefore = actor.Cell.Mailbox!.Turns;
        for (int i = 1; i <= 50; i++) actor.Tell(i, null);
        gate.Release();
        await done.Task.WaitAsync(Bound);
        int turns = actor.Cell.Mailbox.Turns - turnsBefore + 1;
        Assert.InRange(turns, minTurns, maxTurns);
        Assert.Equal(throughput, system.ActorOf(Props.Create<EchoActor>()) is LocalActorRef l ? l.Cell.Dispatcher.Throughput : 0);
        await system.Terminate().WaitAsync(Bound);
    }

    [Fact]
    public async Task Ask_works_across_threads_and_times_out_on_real_time()
    {
        var echo = _system.ActorOf(Props.Create<EchoActor>(), "echo");
        var reply = await Task.Run(() => echo.Ask<Ping>(new Ping(5))).WaitAsync(Bound);
        Assert.Equal(new Ping(5), reply);
        var silent = _system.ActorOf(Props.Create<CounterActor>(), "silent");
        await Assert.ThrowsAsync<AskTimeoutException>(() => silent.Ask<int>("no reply", TimeSpan.FromMilliseconds(50)).WaitAsync(Bound));
    }

    [Fact]
    public async Task Supervision_death_watch_and_timers_work_on_the_thread_pool()
    {
        var counter = _system.ActorOf(Props.Create<CounterActor>(), "counter");
        counter.Tell(1, null);
        counter.Tell("fail", null);
        Assert.Equal(0, await counter.Ask<int>("get").WaitAsync(Bound));

        var terminated = new TaskCompletionSource<Terminated>(TaskCreationOptions.RunContinuationsAsynchronously);
        _system.ActorOf(Props.Create(() => new WatchReporter(counter, terminated)), "watcher");
        _system.Stop(counter);
        Assert.Equal(counter, (await terminated.Task.WaitAsync(Bound)).ActorRef);

        var ticks = new ConcurrentQueue<object>();
        var sink = _system.ActorOf(Props.CreateBy(() => new Sink(ticks)), "sink");
        var timer = _system.Scheduler.ScheduleTellRepeatedly(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(5), sink, "tick", null);
        var deadline = DateTime.UtcNow + Bound;
        while (ticks.Count < 3 && DateTime.UtcNow < deadline) await Task.Yield();
        timer.Cancel();
        Assert.True(ticks.Count >= 3);
    }

    [Fact]
    public async Task Terminate_stops_every_actor_and_completes_WhenTerminated()
    {
        var system = ActorSystem.Create("stopping", new ActorSystemSettings { DefaultDispatcherType = DispatcherType.ThreadPool });
        var stopped = new ConcurrentQueue<object>();
        for (int i = 0; i < 10; i++) system.ActorOf(Props.CreateBy(() => new Sink(stopped)), "s" + i);
        await system.Terminate().WaitAsync(Bound);
        Assert.True(system.WhenTerminated.IsCompleted);
        Assert.Equal(10, stopped.Count(m => m is "stopped"));
    }

    /// <summary>Counts the ints it receives into a shared counter, so a test can count them after the actor is gone.</summary>
    private sealed class SharedCounter(StrongBox<int> received) : UntypedActor
    {
        protected override void OnReceive(object message) => Interlocked.Increment(ref received.Value);
    }

    [Fact]
    public async Task Every_message_told_while_its_receiver_stops_is_received_or_becomes_a_dead_letter()
    {
        // Two threads tell while the receiver stops: a tell that finds the receiver alive but enqueues after its
        // mailbox was drained must still reach the dead letters. Many short rounds, because the window is narrow.
        const int Rounds = 200, PerSender = 2_000;
        int dead = 0;
        var counting = CallbackActorRef.Create(_system, "dead-letter-counter", (m, _) =>
        {
            if (m is DeadLetter { Message: int }) Interlocked.Increment(ref dead);
        });
        _system.EventStream.Subscribe(counting, typeof(DeadLetter));
        var received = new StrongBox<int>();
        for (int round = 0; round < Rounds; round++)
        {
            var target = _system.ActorOf(Props.Create(() => new SharedCounter(received)), "target" + round);
            using var start = new Barrier(3);
            var senders = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
            {
                start.SignalAndWait(Bound);
                for (int i = 0; i < PerSender; i++) target.Tell(i, null);
            })).ToArray();
            start.SignalAndWait(Bound);
            _system.Stop(target);
            await Task.WhenAll(senders).WaitAsync(Bound);
        }

        int expected = Rounds * 2 * PerSender;
        var deadline = DateTime.UtcNow + Bound;
        while (Volatile.Read(ref received.Value) + Volatile.Read(ref dead) < expected && DateTime.UtcNow < deadline) await Task.Yield();
        Assert.Equal(expected, Volatile.Read(ref received.Value) + Volatile.Read(ref dead));
    }

    private sealed class WatchReporter : ReceiveActor
    {
        public WatchReporter(IActorRef target, TaskCompletionSource<Terminated> terminated)
        {
            Context.Watch(target);
            Receive<Terminated>(t => terminated.TrySetResult(t));
        }
    }

    private sealed class Sink(ConcurrentQueue<object> seen) : UntypedActor
    {
        protected override void OnReceive(object message) => seen.Enqueue(message);

        protected override void PostStop() => seen.Enqueue("stopped");
    }
}
