namespace Gpuvmsim.Runtime.Deterministic;

/// <summary>
/// The recorded deliveries of a deterministic run. While running it stores, per delivery, 8 bytes (sender id, receiver
/// id, kind) and the message reference, in chunks that never move, plus one entry per change of virtual time, so
/// recording costs a few stores and no formatting; the step is the index. <see cref="DeliveryRecord"/>s are rebuilt on read, with the refs
/// looked up by id. Render with <see cref="TraceFormatter"/>, hash with <see cref="TraceHash"/>, compare with
/// <see cref="TraceComparer"/>. Read it on the driver's thread.
/// </summary>
public sealed class DeliveryTrace
{
    private readonly ChunkedLog<Entry> _entries = new();
    private readonly ChunkedLog<MessageSlot> _messages = new();

    private readonly List<(int Step, long Ticks)> _timeChanges = [];
    private long _lastTicks;

    private readonly record struct Entry(int SenderId, int ReceiverAndKind);

    /// <summary>A struct around the reference so that storing it needs no array-covariance check.</summary>
    private readonly record struct MessageSlot(object Message);

    internal DeliveryTrace(ActorSystem system) => System = system;

    public ActorSystem System { get; }

    public int Count => _entries.Count;

    /// <summary>The delivery of step <paramref name="index"/>.</summary>
    public DeliveryRecord this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
            var e = _entries[index];
            int receiverId = e.ReceiverAndKind & 0x7FFF_FFFF;
            return new DeliveryRecord(index, e.SenderId, System.RefByIdForTrace(e.SenderId), receiverId,
                System.RefByIdForTrace(receiverId), _messages[index].Message, TicksAt(index), e.ReceiverAndKind < 0);
        }
    }

    /// <summary>Every delivery, in step order.</summary>
    public IEnumerable<DeliveryRecord> Records
    {
        get
        {
            for (int i = 0; i < Count; i++) yield return this[i];
        }
    }

    internal void Add(int senderId, int receiverId, bool isSystem, long virtualTicks, object message)
    {
        if (virtualTicks != _lastTicks)
        {
            _timeChanges.Add((_entries.Count, virtualTicks));
            _lastTicks = virtualTicks;
        }
        _entries.Add(new Entry(senderId, isSystem ? receiverId | int.MinValue : receiverId));
        _messages.Add(new MessageSlot(message));
    }

    private long TicksAt(int step)
    {
        int lo = 0, hi = _timeChanges.Count - 1;
        long ticks = 0;
        while (lo <= hi)
        {
            int mid = (lo + hi) >> 1;
            if (_timeChanges[mid].Step <= step)
            {
                ticks = _timeChanges[mid].Ticks;
                lo = mid + 1;
            }
            else hi = mid - 1;
        }
        return ticks;
    }

    /// <summary>The canonical text (<see cref="TraceFormatter.Format(DeliveryTrace)"/>).</summary>
    public string ToText() => TraceFormatter.Format(this);
}
