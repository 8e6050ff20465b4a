namespace Gpuvmsim.Runtime.Deterministic;

/// <summary>
/// The recorded deliveries of a deterministic run. While running it stores only the message reference per delivery
/// (in chunks that never move) plus one entry per change of virtual time; sender, receiver and kind come from the
/// driver's choice log, which records every delivery anyway. So recording costs one store and no formatting; the step
/// is the index. <see cref="DeliveryRecord"/>s are rebuilt on read. Render with <see cref="TraceFormatter"/>, hash with
/// <see cref="TraceHash"/>, compare with <see cref="TraceComparer"/>. Read it on the driver's thread.
/// </summary>
public sealed class DeliveryTrace
{
    private readonly ChoiceLog _choices;
    private ChunkedLog<MessageSlot> _messages = new();
    private readonly List<(int Step, long Ticks)> _timeChanges = [];
    private long _lastTicks;

    /// <summary>A struct around the reference so that storing it needs no array-covariance check.</summary>
    private readonly record struct MessageSlot(object Message);

    internal DeliveryTrace(ActorSystem system, ChoiceLog choices)
    {
        System = system;
        _choices = choices;
    }

    public ActorSystem System { get; }

    public int Count => _messages.Count;

    /// <summary>The delivery of step <paramref name="index"/>.</summary>
    public DeliveryRecord this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
            var channel = _choices.ChannelAt(index);
            var receiver = channel.Target.Receiver;
            return new DeliveryRecord(index, channel.SenderId, System.RefByIdForTrace(channel.SenderId), receiver.Id,
                receiver, _messages[index].Message, TicksAt(index), channel.IsSystem);
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

    internal void Add(long virtualTicks, object message)
    {
        if (virtualTicks != _lastTicks)
        {
            _timeChanges.Add((_messages.Count, virtualTicks));
            _lastTicks = virtualTicks;
        }
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
