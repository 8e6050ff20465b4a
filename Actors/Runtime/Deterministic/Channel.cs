using System.Runtime.CompilerServices;
using Gpuvmsim.Runtime.Dispatch;

namespace Gpuvmsim.Runtime.Deterministic;

/// <summary>
/// The FIFO of messages from one sender to one receiver (user and system messages in separate channels), as a
/// power-of-two ring buffer of struct envelopes. Touched only by the driver's thread.
/// </summary>
internal sealed class Channel
{
    public readonly ReceiverQueues Target;

    /// <summary>The receiver's cell when it is an ordinary actor (else null): the delivery calls it directly instead
    /// of going through the ref's virtual <c>DeliverUser</c>.</summary>
    public readonly ActorCell? TargetCell;

    public readonly int SenderId;
    public readonly bool IsSystem;

    /// <summary>Dense number in creation order; the choice log records deliveries by it.</summary>
    public readonly int Id;

    /// <summary>Position in the driver's enabled set, or -1.</summary>
    public int ActiveIndex = -1;

    // One slot at first: most channels carry one request or reply at a time, and an explorer builds them per schedule.
    private Envelope[] _items = new Envelope[1];
    private int _head;
    private int _count;

    public Channel(ReceiverQueues target, int senderId, bool isSystem, int id)
    {
        Id = id;
        Target = target;
        TargetCell = (target.Receiver as LocalActorRef)?.Cell;
        SenderId = senderId;
        IsSystem = isSystem;
    }

    public int Count => _count;

    public long HeadSequence => _items[_head].Seq;

    public ref readonly Envelope Peek() => ref _items[_head];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Enqueue(in Envelope envelope)
    {
        if (_count == _items.Length) Grow();
        _items[(_head + _count) & (_items.Length - 1)] = envelope;
        _count++;
    }

    public void PushFront(in Envelope envelope)
    {
        if (_count == _items.Length) Grow();
        _head = (_head - 1) & (_items.Length - 1);
        _items[_head] = envelope;
        _count++;
    }

    public Envelope Dequeue()
    {
        ref var slot = ref _items[_head];
        var envelope = slot;
        slot = default;
        _head = (_head + 1) & (_items.Length - 1);
        _count--;
        return envelope;
    }

    /// <summary>The queued envelopes, oldest first (state hashing, diagnostics).</summary>
    public IEnumerable<Envelope> Items()
    {
        for (int i = 0; i < _count; i++) yield return _items[(_head + i) & (_items.Length - 1)];
    }

    private void Grow()
    {
        var bigger = new Envelope[_items.Length * 2];
        for (int i = 0; i < _count; i++) bigger[i] = _items[(_head + i) & (_items.Length - 1)];
        _items = bigger;
        _head = 0;
    }
}

/// <summary>
/// The driver's state for one receiver: its incoming channels (with a one-entry cache per kind, so a steady
/// sender pair finds its channel without a lookup), the number of queued system messages and whether user
/// messages are currently enabled (no system message queued and the actor not blocked).
/// </summary>
internal sealed class ReceiverQueues
{
    private const int IndexThreshold = 8;

    public readonly InternalActorRef Receiver;

    /// <summary>The user channel of the latest user message and the sender ref it came with: the next message from
    /// the same ref goes to the same channel without computing its sender id.</summary>
    public Channel? LastUser;
    public IActorRef? LastUserSender;
    public Channel? LastSystem;
    public int PendingSystem;
    public bool UserEnabled = true;

    private Channel[] _channels = new Channel[2];
    private int _channelCount;
    private Dictionary<long, Channel>? _index;

    private readonly ChoiceLog _registry;

    public ReceiverQueues(InternalActorRef receiver, ChoiceLog registry)
    {
        Receiver = receiver;
        _registry = registry;
    }

    public ReadOnlySpan<Channel> Channels => _channels.AsSpan(0, _channelCount);

    public Channel Obtain(int senderId, bool isSystem)
    {
        if (_index is not null)
        {
            if (_index.TryGetValue(Key(senderId, isSystem), out var indexed)) return indexed;
        }
        else
        {
            for (int i = 0; i < _channelCount; i++)
            {
                var c = _channels[i];
                if (c.SenderId == senderId && c.IsSystem == isSystem) return c;
            }
        }
        var created = _registry.NewChannel(this, senderId, isSystem);
        if (_channelCount == _channels.Length) Array.Resize(ref _channels, _channels.Length * 2);
        _channels[_channelCount++] = created;
        if (_index is not null) _index.Add(Key(senderId, isSystem), created);
        else if (_channelCount > IndexThreshold)
        {
            _index = [];
            for (int i = 0; i < _channelCount; i++) _index.Add(Key(_channels[i].SenderId, _channels[i].IsSystem), _channels[i]);
        }
        return created;
    }

    private static long Key(int senderId, bool isSystem) => ((long)senderId << 1) | (isSystem ? 1L : 0L);
}
