using System.Runtime.InteropServices;

namespace Gpuvmsim.Runtime.Dispatch;

/// <summary>A queued user message of a thread-pool mailbox: 16 bytes, without the deterministic driver's sequence
/// number, so fewer cache lines travel between the sending and the receiving core.</summary>
internal struct Letter(object message, IActorRef sender)
{
    /// <summary>Non-null once the letter is published: the consumer's sign that the slot is ready.</summary>
    public object? Message = message;
    public IActorRef? Sender = sender;
}

/// <summary>
/// The user queue of one thread-pool mailbox: many senders, one consumer (the actor's turn), unbounded, FIFO per
/// sender. A sender claims a slot with one atomic increment and publishes it by writing the message last; the
/// consumer takes slots in order with plain reads and writes, since nobody else moves the head. This is what a
/// <see cref="System.Collections.Concurrent.ConcurrentQueue{T}"/> costs minus its consumer-side compare-and-swap and
/// per-slot sequence numbers, which serve several consumers. Slots live in segments (32 slots, doubling up to 1,024)
/// linked as they fill; a consumed segment is left to the collector.
/// </summary>
/// <remarks>Threading: <see cref="Enqueue"/> from any thread; every other member only from the consumer, one thread
/// at a time (the mailbox's scheduled flag guarantees it). A letter whose slot is claimed but not yet published is
/// not returned; <see cref="HasClaimed"/> still counts it, so that a turn ending just then looks again.</remarks>
internal sealed class LetterQueue
{
    // Most mailboxes hold a message or two: the first segment is 512 bytes, the largest 16 KiB.
    private const int FirstSegmentSize = 32;
    private const int MaxSegmentSize = 1024;

    private sealed class Segment(int size)
    {
        public readonly Letter[] Slots = new Letter[size];

        /// <summary>Slots claimed by senders; passes the segment's size when it is full.</summary>
        public int Claimed;

        public Segment? Next;
    }

    /// <summary>Read by every sender, written once per segment.</summary>
    private Segment _tail;

    /// <summary>Where the consumer is, written for every letter: a cache line away from <see cref="_tail"/> and from
    /// the segments' claim counters, or each write or read would cost the next sender a miss.</summary>
    private ConsumerPosition _head;

    [StructLayout(LayoutKind.Explicit, Size = 3 * CacheLine)]
    private struct ConsumerPosition
    {
        [FieldOffset(CacheLine)] public Segment Segment;

        /// <summary><c>Segment.Slots</c>, kept here so that the consumer never reads the line the senders' counter is on.</summary>
        [FieldOffset(CacheLine + 8)] public Letter[] Slots;

        [FieldOffset(CacheLine + 16)] public int Index;
    }

    private const int CacheLine = 64;

    public LetterQueue()
    {
        _tail = new Segment(FirstSegmentSize);
        _head.Segment = _tail;
        _head.Slots = _tail.Slots;
    }

    public void Enqueue(object message, IActorRef sender)
    {
        var segment = Volatile.Read(ref _tail);
        while (true)
        {
            int index = Interlocked.Increment(ref segment.Claimed) - 1;
            var slots = segment.Slots;
            if (index < slots.Length)
            {
                ref var slot = ref slots[index];
                slot.Sender = sender;
                Volatile.Write(ref slot.Message, message);
                return;
            }
            segment = index == slots.Length ? Append(segment) : AwaitNext(segment);
        }
    }

    /// <summary>The sender that claimed the first slot past the end links the next segment.</summary>
    private Segment Append(Segment full)
    {
        var next = new Segment(Math.Min(full.Slots.Length * 2, MaxSegmentSize));
        Volatile.Write(ref full.Next, next);
        Volatile.Write(ref _tail, next);
        return next;
    }

    /// <summary>Other senders past the end wait for that link: it is a few instructions away.</summary>
    private static Segment AwaitNext(Segment full)
    {
        var spin = new SpinWait();
        Segment? next;
        while ((next = Volatile.Read(ref full.Next)) is null) spin.SpinOnce();
        return next;
    }

    /// <summary>The oldest published letter, if any.</summary>
    public bool TryDequeue(out object message, out IActorRef sender)
    {
        var slots = _head.Slots;
        int index = _head.Index;
        if (index == slots.Length)
        {
            var next = Volatile.Read(ref _head.Segment.Next);
            if (next is null)
            {
                (message, sender) = (null!, null!);
                return false;
            }
            _head.Segment = next;
            _head.Slots = slots = next.Slots;
            _head.Index = index = 0;
        }
        ref var slot = ref slots[index];
        var published = Volatile.Read(ref slot.Message);
        if (published is null)
        {
            (message, sender) = (null!, null!);
            return false;
        }
        message = published;
        sender = slot.Sender!;
        slot = default;
        _head.Index = index + 1;
        return true;
    }

    /// <summary>True when a sender has claimed a slot not yet dequeued, published or not.</summary>
    public bool HasClaimed => Volatile.Read(ref _head.Segment.Claimed) > _head.Index;
}
