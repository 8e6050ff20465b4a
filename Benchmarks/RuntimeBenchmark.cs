using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Gpuvmsim.Runtime;

namespace Gpuvmsim.Benchmarks;

/// <summary>
/// <c>gpuvmsim bench runtime</c>: a two-actor ping-pong with 1,000 messages in flight on each dispatcher, against a
/// baseline doing the same work without the runtime, plus the memory of idle actors.
/// <list type="bullet">
/// <item>deterministic (random strategy, trace on) vs a single-threaded loop over one FIFO of (receiver, message,
/// sender) envelopes whose receivers are plain objects with a virtual receive method;</item>
/// <item>thread-pool vs two reader loops over System.Threading.Channels, each draining with TryRead before awaiting;</item>
/// <item>bytes per idle actor: GC.GetTotalMemory(true) before and after creating them under one parent (<c>/user</c>).</item>
/// </list>
/// Every variant delivers the same number of messages, each side receiving half and replying until its budget is spent.
/// Figures are the best of several repetitions after a warm-up.
/// </summary>
public sealed class RuntimeBenchmark : IBenchmark
{
    private const int InFlight = 1_000;

    public string Name => "runtime";

    public string Description => "actor ping-pong on the deterministic and thread-pool dispatchers vs a raw queue loop and Channels; idle-actor memory";

    public JsonObject Run(BenchmarkOptions options)
    {
        int messages = options.Quick ? 20_000 : 2_000_000;
        int idleActors = options.Quick ? 10_000 : 1_000_000;
        int repetitions = options.Quick ? 1 : 3;
        var progress = options.Progress;

        double deterministic = Best(repetitions, () => DeterministicPingPong.Run(messages), progress, "deterministic");
        double raw = Best(repetitions, () => RawQueuePingPong.Run(messages), progress, "raw queue");
        double threadPool = Best(repetitions, () => ThreadPoolPingPong.Run(messages), progress, "thread pool");
        double channels = Best(repetitions, () => ChannelPingPong.Run(messages), progress, "channels");
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

    /// <summary>Runs once to warm up, then <paramref name="repetitions"/> times; returns the best rate.</summary>
    private static double Best(int repetitions, Func<double> measure, TextWriter progress, string label)
    {
        measure();
        double best = 0;
        for (int i = 0; i < repetitions; i++)
        {
            double rate = measure();
            progress.WriteLine($"{label}: {rate / 1e6:F2} M msgs/s");
            best = Math.Max(best, rate);
        }
        return best;
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
