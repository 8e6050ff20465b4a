using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Gpuvmsim.Runtime;

namespace Gpuvmsim.Benchmarks;

/// <summary>
/// <c>gpuvmsim bench runtime</c>: a two-actor ping-pong with 1,000 messages in flight on each dispatcher, against a
/// baseline doing the same work without the runtime, plus the memory of idle actors.
/// <list type="bullet">
/// <item>deterministic (random strategy, trace on) vs <see cref="RawQueuePingPong"/>, a single-threaded loop over one
/// FIFO of (receiver, message, sender) envelopes whose receivers are plain objects with a virtual receive method;</item>
/// <item>thread-pool vs <see cref="ChannelPingPong"/>, two reader loops over System.Threading.Channels, each draining
/// with TryRead before awaiting;</item>
/// <item>bytes per idle actor: GC.GetTotalMemory(true) before and after creating them under one parent (<c>/user</c>).</item>
/// </list>
/// Every variant delivers the same number of messages with the same number in flight, each side receiving half and
/// replying until its budget is spent. Each dispatcher and its baseline run alternately (runtime, baseline, runtime…)
/// after one warm-up of each, with a full collection before every run, so that a change in the machine's load or the
/// previous run's garbage falls on both alike; each figure is the best of its runs (7 single-threaded, 15 on two
/// threads) and the ratio is best over best.
/// </summary>
public sealed class RuntimeBenchmark : IBenchmark
{
    private const int InFlight = 1_000;

    public string Name => "runtime";

    public string Description => "actor ping-pong on the deterministic and thread-pool dispatchers vs a raw queue loop and Channels; idle-actor memory";

    public JsonObject Run(BenchmarkOptions options)
    {
        int messages = options.Quick ? 20_000 : 2_000_000;
        int idleActors = options.Quick ? 100_000 : 1_000_000;
        // The two-thread variants depend on both threads getting a core at once, which on a shared machine comes and
        // goes: they get more runs, so that both are likely to meet a quiet moment.
        int singleThreadRuns = options.Quick ? 1 : 7;
        int twoThreadRuns = options.Quick ? 1 : 15;
        var progress = options.Progress;

        var (deterministic, raw) = BestOfAlternating(singleThreadRuns, options,
            ("deterministic", () => DeterministicPingPong.Run(messages)), ("raw queue", () => RawQueuePingPong.Run(messages)));
        var (threadPool, channels) = BestOfAlternating(twoThreadRuns, options,
            ("thread pool", () => ThreadPoolPingPong.Run(messages)), ("channels", () => ChannelPingPong.Run(messages)));
        double bytesPerActor = IdleActorMemory.Measure(idleActors);
        progress.WriteLine($"idle actor: {bytesPerActor:F0} bytes");

        return new JsonObject
        {
            ["deterministic_msgs_per_s"] = Math.Round(deterministic),
            ["raw_queue_msgs_per_s"] = Math.Round(raw),
            ["deterministic_vs_raw_queue"] = Math.Round(deterministic / raw, 3),
            ["threadpool_msgs_per_s"] = Math.Round(threadPool),
            ["channel_msgs_per_s"] = Math.Round(channels),
            ["threadpool_vs_channel"] = Math.Round(threadPool / channels, 3),
            ["bytes_per_idle_actor"] = Math.Round(bytesPerActor, 1),
        };
    }

    /// <summary>Warms both up until compilation settles, then runs them alternately <paramref name="repetitions"/>
    /// times each; returns the best rate of each.</summary>
    private static (double First, double Second) BestOfAlternating(int repetitions, BenchmarkOptions options,
        (string Label, Func<double> Measure) first, (string Label, Func<double> Measure) second)
    {
        var progress = options.Progress;
        JitWarmUp.Run($"{first.Label} and {second.Label}", options, () =>
        {
            Measure(first.Measure);
            Measure(second.Measure);
        });
        double bestFirst = 0, bestSecond = 0;
        for (int i = 0; i < repetitions; i++)
        {
            double a = Measure(first.Measure);
            double b = Measure(second.Measure);
            progress.WriteLine($"{first.Label}: {a / 1e6:F2} M msgs/s, {second.Label}: {b / 1e6:F2} M msgs/s");
            bestFirst = Math.Max(bestFirst, a);
            bestSecond = Math.Max(bestSecond, b);
        }
        return (bestFirst, bestSecond);
    }

    /// <summary>One run on a clean heap: the garbage of the previous run is collected outside the measurement.</summary>
    private static double Measure(Func<double> run)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return run();
    }

    internal static double Rate(long messages, Stopwatch watch) => messages / watch.Elapsed.TotalSeconds;

    /// <summary>The per-side budget: each side receives <c>messages/2</c> and replies to all but the last <c>InFlight/2</c>.</summary>
    internal readonly record struct Budget(int Receive, int Reply)
    {
        public static Budget For(int messages) => new(messages / 2, messages / 2 - InFlight / 2);
    }

    internal sealed class Ball
    {
        public static readonly Ball Instance = new();

        public override string ToString() => "Ball";
    }

    private static class DeterministicPingPong
    {
        public static double Run(int messages)
        {
            var settings = new ActorSystemSettings { Strategy = "random", Seed = 42, Trace = true };
            var system = ActorSystem.Create("bench", settings);
            var budget = Budget.For(messages);
            var a = system.ActorOf(Props.Create(() => new PingPongActor(budget, null)), "a");
            var b = system.ActorOf(Props.Create(() => new PingPongActor(budget, null)), "b");
            for (int i = 0; i < InFlight / 2; i++)
            {
                a.Tell(Ball.Instance, b);
                b.Tell(Ball.Instance, a);
            }
            var driver = system.Deterministic!;
            var watch = Stopwatch.StartNew();
            long steps = driver.RunUntilQuiescent();
            watch.Stop();
            if (steps != messages) throw new InvalidOperationException($"expected {messages} deliveries, made {steps}");
            system.Terminate();
            return Rate(steps, watch);
        }
    }

    private static class ThreadPoolPingPong
    {
        public static double Run(int messages)
        {
            var settings = new ActorSystemSettings { DefaultDispatcherType = DispatcherType.ThreadPool };
            var system = ActorSystem.Create("bench", settings);
            var budget = Budget.For(messages);
            var doneA = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var doneB = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var a = system.ActorOf(Props.Create(() => new PingPongActor(budget, doneA)), "a");
            var b = system.ActorOf(Props.Create(() => new PingPongActor(budget, doneB)), "b");
            var watch = Stopwatch.StartNew();
            for (int i = 0; i < InFlight / 2; i++)
            {
                a.Tell(Ball.Instance, b);
                b.Tell(Ball.Instance, a);
            }
            if (!Task.WaitAll([doneA.Task, doneB.Task], TimeSpan.FromMinutes(2)))
                throw new TimeoutException("thread-pool ping-pong did not finish");
            watch.Stop();
            system.Terminate().Wait(TimeSpan.FromSeconds(10));
            return Rate(messages, watch);
        }
    }

    /// <summary>Receives balls and sends each back until its reply budget is spent.</summary>
    private sealed class PingPongActor : ReceiveActor
    {
        private readonly Budget _budget;
        private readonly TaskCompletionSource? _done;
        private int _received;
        private int _replied;

        public PingPongActor(Budget budget, TaskCompletionSource? done)
        {
            _budget = budget;
            _done = done;
            Receive<Ball>(OnBall);
        }

        private void OnBall(Ball ball)
        {
            if (_replied < _budget.Reply)
            {
                _replied++;
                Sender.Tell(ball, Self);
            }
            if (++_received == _budget.Receive) _done?.TrySetResult();
        }
    }
}
