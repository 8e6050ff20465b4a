using Gpuvmsim.Runtime.Scheduling;

namespace Gpuvmsim.Runtime.Deterministic;

/// <summary>
/// The choices of a run as the driver records them: one 4-byte channel id per delivery (the channel registry maps it
/// back to sender, receiver and kind), and the rare value choices apart with the number of deliveries made before each.
/// The trace reads the same delivery log, so recording a delivery costs one store here plus the message in the trace.
/// </summary>
internal sealed class ChoiceLog
{
    private ChunkedLog<int> _deliveries = new();
    private readonly List<(long Step, int Value)> _values = [];
    private readonly List<Channel> _channels = [];

    public int DeliveryCount => _deliveries.Count;

    public Channel NewChannel(ReceiverQueues target, int senderId, bool isSystem)
    {
        var channel = new Channel(target, senderId, isSystem, _channels.Count);
        _channels.Add(channel);
        return channel;
    }

    public void AddDelivery(int channelId) => _deliveries.Add(channelId);

    /// <param name="deliveriesBefore">Deliveries made before this value was chosen (it replays after them).</param>
    public void AddValue(long deliveriesBefore, int value) => _values.Add((deliveriesBefore, value));

    /// <summary>The channel of the latest delivery (there is one).</summary>
    public Channel LastDeliveryChannel => _channels[_deliveries[_deliveries.Count - 1]];

    /// <summary>The channel of delivery number <paramref name="step"/>.</summary>
    public Channel ChannelAt(int step) => _channels[_deliveries[step]];

    public Schedule ToSchedule()
    {
        var choices = new ScheduleChoice[_deliveries.Count + _values.Count];
        int v = 0, n = 0;
        for (int step = 0; step < _deliveries.Count; step++)
        {
            while (v < _values.Count && _values[v].Step <= step) choices[n++] = ScheduleChoice.ForValue(_values[v++].Value);
            var c = _channels[_deliveries[step]];
            choices[n++] = ScheduleChoice.Delivery(c.SenderId, c.Target.Receiver.Id, c.IsSystem);
        }
        while (v < _values.Count) choices[n++] = ScheduleChoice.ForValue(_values[v++].Value);
        return Schedule.Wrap(choices);
    }
}
