using System.Diagnostics;
using System.Threading.Channels;
using Gpuvmsim.Runtime;

namespace Gpuvmsim.Benchmarks;

/// <summary>
/// The raw single-threaded queue loop: the useful work of the deterministic ping-pong minus the runtime. One FIFO
/// (<see cref="Queue{T}"/>) of (receiver, message, sender) envelopes, a struct per message; each step dequeues one,
/// reads its receiver from it and calls the receiver's <c>Receive</c> through an abstract (virtual) method with the
/// message as an <see cref="object"/> (the same <see cref="RuntimeBenchmark.Ball"/> the actors get) and the sender;
/// the receiver counts it and, within the same reply budget as the actors, enqueues the reply to that sender with
/// itself as the sender. No scheduling choice, no recording, no actor context: that difference is what the
/// deterministic dispatcher is measured against.
/// </summary>
internal static class RawQueuePingPong
{
    private readonly record struct Envelope(RawReceiver Receiver, object Message, RawReceiver Sender);

    private abstract class RawReceiver
    {
        public abstract void Receive(object message, RawReceiver sender, Queue<Envelope> queue);
    }

    private sealed class Player(RuntimeBenchmark.Budget budget) : RawReceiver
    {
        private int _received;
        private int _replied;

        public override void Receive(object message, RawReceiver sender, Queue<Envelope> queue)
        {
            if (_replied < budget.Reply)
            {
                _replied++;
                queue.Enqueue(new Envelope(sender, message, this));
            }
            _received++;
        }
    }

    public static double Run(int messages)
    {
        var budget = RuntimeBenchmark.Budget.For(messages);
        var queue = new Queue<Envelope>();
        var a = new Player(budget);
        var b = new Player(budget);
        for (int i = 0; i < 500; i++)
        {
            queue.Enqueue(new Envelope(a, RuntimeBenchmark.Ball.Instance, b));
            queue.Enqueue(new Envelope(b, RuntimeBenchmark.Ball.Instance, a));
        }
        var watch = Stopwatch.StartNew();
        long delivered = 0;
        while (queue.TryDequeue(out var e))
        {
            e.Receiver.Receive(e.Message, e.Sender, queue);
            delivered++;
        }
        watch.Stop();
        if (delivered != messages) throw new InvalidOperationException($"raw loop delivered {delivered} of {messages}");
        return RuntimeBenchmark.Rate(delivered, watch);
    }
}

/// <summary>Two reader loops over System.Threading.Channels, each draining with TryRead before awaiting.</summary>
internal static class ChannelPingPong
{
    public static double Run(int messages)
    {
        var budget = RuntimeBenchmark.Budget.For(messages);
        var options = new UnboundedChannelOptions { SingleReader = true };
        var toA = Channel.CreateUnbounded<object>(options);
        var toB = Channel.CreateUnbounded<object>(options);
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < 500; i++)
        {
            toA.Writer.TryWrite(RuntimeBenchmark.Ball.Instance);
            toB.Writer.TryWrite(RuntimeBenchmark.Ball.Instance);
        }
        var a = Task.Run(() => Loop(toA.Reader, toB.Writer, budget));
        var b = Task.Run(() => Loop(toB.Reader, toA.Writer, budget));
        if (!Task.WaitAll([a, b], TimeSpan.FromMinutes(2))) throw new TimeoutException("channel ping-pong did not finish");
        watch.Stop();
        return RuntimeBenchmark.Rate(messages, watch);
    }

    private static async Task Loop(ChannelReader<object> reader, ChannelWriter<object> other, RuntimeBenchmark.Budget budget)
    {
        int received = 0, replied = 0;
        while (received < budget.Receive)
        {
            while (received < budget.Receive && reader.TryRead(out var message))
            {
                received++;
                if (replied < budget.Reply)
                {
                    replied++;
                    other.TryWrite(message);
                }
            }
            if (received < budget.Receive) await reader.WaitToReadAsync().ConfigureAwait(false);
        }
    }
}

/// <summary>Memory of idle actors created under one parent (<c>/user</c>) on a deterministic system.</summary>
internal static class IdleActorMemory
{
    private sealed class IdleActor : UntypedActor
    {
        protected override void OnReceive(object message) { }
    }

    public static double Measure(int count)
    {
        var system = ActorSystem.Create("memory");
        var props = Props.Create<IdleActor>();
        system.ActorOf(props);
        long before = GC.GetTotalMemory(forceFullCollection: true);
        for (int i = 0; i < count; i++) system.ActorOf(props);
        long after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(system);
        system.Terminate();
        return (after - before) / (double)count;
    }
}
