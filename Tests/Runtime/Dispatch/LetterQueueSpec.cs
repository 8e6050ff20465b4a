using Gpuvmsim.Runtime;
using Gpuvmsim.Runtime.Dispatch;

namespace Gpuvmsim.Tests.Runtime.Dispatch;

/// <summary>The thread-pool mailbox's many-senders, one-consumer user queue.</summary>
public sealed class LetterQueueSpec
{
    private static readonly IActorRef NoSender = new DummyRef();

    [Fact]
    public void An_empty_queue_returns_nothing_and_has_nothing_claimed()
    {
        var queue = new LetterQueue();
        Assert.False(queue.TryDequeue(out _, out _));
        Assert.False(queue.HasClaimed);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(32)]
    [InlineData(33)]
    [InlineData(5_000)]
    public void Letters_come_out_in_order_across_segments_with_their_senders(int count)
    {
        var queue = new LetterQueue();
        var senders = new[] { new DummyRef(), new DummyRef() };
        for (int i = 0; i < count; i++) queue.Enqueue(i, senders[i % 2]);
        for (int i = 0; i < count; i++)
        {
            Assert.True(queue.HasClaimed);
            Assert.True(queue.TryDequeue(out var message, out var sender));
            Assert.Equal(i, message);
            Assert.Same(senders[i % 2], sender);
        }
        Assert.False(queue.TryDequeue(out _, out _));
        Assert.False(queue.HasClaimed);
    }

    [Fact]
    public void Enqueueing_and_dequeueing_in_turn_reuses_nothing_out_of_order()
    {
        var queue = new LetterQueue();
        int next = 0, expected = 0;
        for (int round = 0; round < 300; round++)
        {
            for (int i = 0; i < round % 7 + 1; i++) queue.Enqueue(next++, NoSender);
            while (queue.TryDequeue(out var message, out _)) Assert.Equal(expected++, message);
        }
        Assert.Equal(next, expected);
    }

    /// <summary>Real threads: the interleaving varies from run to run, the assertion does not. Every letter arrives
    /// once, each sender's in the order it sent them, whatever the segment boundaries the senders race across.</summary>
    [Fact]
    public void Concurrent_senders_lose_nothing_and_keep_their_own_order()
    {
        const int senders = 4, perSender = 50_000;
        var queue = new LetterQueue();
        var refs = Enumerable.Range(0, senders).Select(_ => (IActorRef)new DummyRef()).ToArray();
        var start = new Barrier(senders + 1);
        var producers = Enumerable.Range(0, senders).Select(s => new Thread(() =>
        {
            start.SignalAndWait();
            for (int i = 0; i < perSender; i++) queue.Enqueue(i, refs[s]);
        })).ToArray();
        foreach (var producer in producers) producer.Start();
        start.SignalAndWait();

        var nextOf = new int[senders];
        int received = 0;
        while (received < senders * perSender)
        {
            if (!queue.TryDequeue(out var message, out var sender))
            {
                Assert.False(producers.All(p => !p.IsAlive) && !queue.HasClaimed, $"lost letters: {received} received");
                Thread.Yield();
                continue;
            }
            int s = Array.IndexOf(refs, sender);
            Assert.Equal(nextOf[s]++, (int)message);
            received++;
        }
        foreach (var producer in producers) producer.Join();
        Assert.False(queue.TryDequeue(out _, out _));
        Assert.All(nextOf, n => Assert.Equal(perSender, n));
    }

    /// <summary>A sender told apart by identity only: the queue never calls it.</summary>
    private sealed class DummyRef : IActorRef
    {
        public ActorPath Path => throw new NotSupportedException();

        public void Tell(object message, IActorRef? sender) => throw new NotSupportedException();

        public bool Equals(IActorRef? other) => ReferenceEquals(this, other);

        public int CompareTo(IActorRef? other) => throw new NotSupportedException();

        public int CompareTo(object? obj) => throw new NotSupportedException();
    }
}
