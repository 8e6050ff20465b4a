using System.Runtime.CompilerServices;
using Gpuvmsim.Runtime.Dispatch;
using Gpuvmsim.Runtime.Scheduling;

namespace Gpuvmsim.Runtime.Deterministic;

/// <summary>
/// The channels and the enabled set. A channel is enabled when it is non-empty and either carries system messages or
/// its receiver accepts user messages (no system message queued, not suspended/failed/stopping/awaiting). The enabled
/// channels sit in <c>_active</c> with their candidates in the parallel <c>_candidates</c> array (swap-remove, so
/// adding and removing is O(1) and the order is a deterministic function of the run). The hot path — enqueue, choose,
/// dequeue, invoke — allocates nothing.
/// </summary>
public sealed partial class DeterministicDriver
{
    private Channel[] _active = new Channel[16];
    private DeliveryCandidate[] _candidates = new DeliveryCandidate[16];
    private int _activeCount;

    /// <summary>True when the strategy never reads <see cref="DeliveryCandidate.HeadSequence"/> (random): a delivery
    /// then leaves its candidate's head stale — reading the next envelope's sequence number is a likely cache miss —
    /// and <see cref="EnabledCandidates"/> refreshes them all on demand.</summary>
    private readonly bool _lazyHeads;
    private bool _headsStale;
    private long _sequence;
    private long _frontSequence = -1;
    private bool _inDelivery;
    private readonly List<ReceiverQueues> _allQueues = [];

    private readonly Lock _inboxGate = new();
    private List<ForeignItem>? _inbox;
    private List<ForeignItem>? _spareInbox;
    private volatile int _inboxCount;

    private readonly record struct ForeignItem(InternalActorRef Receiver, object Message, IActorRef? Sender);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void EnqueueUser(InternalActorRef receiver, object message, IActorRef sender)
    {
        if (Environment.CurrentManagedThreadId != _stepThread)
        {
            EnqueueForeign(receiver, message, sender);
            return;
        }
        var queues = receiver.Queues ?? CreateQueues(receiver);
        var channel = queues.LastUser;
        if (channel is null || !ReferenceEquals(queues.LastUserSender, sender)) channel = UserChannel(queues, sender);
        channel.Enqueue(new Envelope(message, sender, _sequence++));
        if (channel.Count == 1 && queues.UserEnabled) AddActive(channel);
    }

    /// <summary>The user channel from <paramref name="sender"/> into <paramref name="queues"/>, remembered as the
    /// receiver's latest.</summary>
    private Channel UserChannel(ReceiverQueues queues, IActorRef sender)
    {
        int senderId = sender is InternalActorRef s && ReferenceEquals(s.System, _system) ? s.Id : 0;
        var channel = queues.Obtain(senderId, isSystem: false);
        queues.LastUser = channel;
        queues.LastUserSender = sender;
        return channel;
    }

    internal void EnqueueSystem(InternalActorRef receiver, SystemMessage message, InternalActorRef? sender)
    {
        if (Environment.CurrentManagedThreadId != _stepThread)
        {
            EnqueueForeign(receiver, message, sender);
            return;
        }
        int senderId = sender is not null && ReferenceEquals(sender.System, _system) ? sender.Id : 0;
        var queues = receiver.Queues ?? CreateQueues(receiver);
        var channel = queues.LastSystem;
        if (channel is null || channel.SenderId != senderId)
        {
            channel = queues.Obtain(senderId, isSystem: true);
            queues.LastSystem = channel;
        }
        channel.Enqueue(new Envelope(message, (IActorRef?)sender ?? _system.DeadLetters, _sequence++));
        if (channel.Count == 1) AddActive(channel);
        if (++queues.PendingSystem == 1) RefreshUserEnabled(receiver);
    }

    /// <summary>Unstash: each envelope goes back to the front of its sender's channel, the first one ending up first.</summary>
    internal void PushFront(InternalActorRef receiver, IReadOnlyList<Envelope> envelopes)
    {
        var queues = receiver.Queues ?? CreateQueues(receiver);
        // Sequence numbers decrease with each push so the re-queued messages count as the oldest, in stash order.
        _frontSequence -= envelopes.Count;
        long seq = _frontSequence;
        for (int i = envelopes.Count - 1; i >= 0; i--)
        {
            var e = envelopes[i];
            int senderId = e.Sender is InternalActorRef s && ReferenceEquals(s.System, _system) ? s.Id : 0;
            var channel = queues.Obtain(senderId, isSystem: false);
            channel.PushFront(e with { Seq = seq + i });
            if (channel.ActiveIndex >= 0) _candidates[channel.ActiveIndex].HeadSequence = channel.HeadSequence;
            else if (queues.UserEnabled) AddActive(channel);
        }
        _frontSequence--;
    }

    /// <summary>Re-evaluates whether <paramref name="receiver"/> takes user messages and updates the enabled set.</summary>
    internal void RefreshUserEnabled(InternalActorRef receiver)
    {
        var queues = receiver.Queues;
        if (queues is null)
        {
            if (receiver.IsUserBlocked) CreateQueues(receiver).UserEnabled = false;
            return;
        }
        bool enabled = queues.PendingSystem == 0 && !receiver.IsUserBlocked;
        if (enabled == queues.UserEnabled) return;
        queues.UserEnabled = enabled;
        foreach (var channel in queues.Channels)
        {
            if (channel.IsSystem || channel.Count == 0) continue;
            if (enabled) AddActive(channel);
            else RemoveActive(channel);
        }
    }

    /// <summary>The receiver stopped: its queued user messages become dead letters (system messages stay deliverable).</summary>
    internal void DrainToDeadLetters(InternalActorRef receiver)
    {
        var queues = receiver.Queues;
        if (queues is null) return;
        foreach (var channel in queues.Channels)
        {
            if (channel.IsSystem) continue;
            if (channel.ActiveIndex >= 0) RemoveActive(channel);
            while (channel.Count > 0)
            {
                var e = channel.Dequeue();
                _system.PublishDeadLetter(e.Message, e.Sender, receiver);
            }
        }
        queues.LastUser = null;
        queues.LastUserSender = null;
    }

    private ReceiverQueues CreateQueues(InternalActorRef receiver)
    {
        var queues = new ReceiverQueues(receiver, _choices);
        receiver.Queues = queues;
        _allQueues.Add(queues);
        return queues;
    }

    /// <summary>Brings every candidate's <see cref="DeliveryCandidate.HeadSequence"/> up to date (see <see cref="_lazyHeads"/>).</summary>
    private void RefreshHeads()
    {
        for (int i = 0; i < _activeCount; i++) _candidates[i].HeadSequence = _active[i].HeadSequence;
        _headsStale = false;
    }

    private void AddActive(Channel channel)
    {
        int n = _activeCount;
        if (n == _active.Length)
        {
            Array.Resize(ref _active, n * 2);
            Array.Resize(ref _candidates, n * 2);
        }
        channel.ActiveIndex = n;
        _active[n] = channel;
        _candidates[n] = new DeliveryCandidate(channel.SenderId, channel.Target.Receiver.Id, channel.IsSystem, channel.HeadSequence);
        _activeCount = n + 1;
    }

    private void RemoveActive(Channel channel)
    {
        int index = channel.ActiveIndex;
        if (index < 0) return;
        int last = --_activeCount;
        if (index != last)
        {
            var moved = _active[last];
            _active[index] = moved;
            _candidates[index] = _candidates[last];
            moved.ActiveIndex = index;
        }
        _active[last] = null!;
        channel.ActiveIndex = -1;
    }

    /// <summary>One delivery: ask the strategy, record, dequeue, update the enabled set, then run the receiver.
    /// The user-message path is kept short; system messages, observers and errors go to methods of their own so that
    /// this one needs no large stack frame.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Deliver()
    {
        int count = _activeCount;
        int index = _strategy.NextDelivery(new ReadOnlySpan<DeliveryCandidate>(_candidates, 0, count), _stepCount);
        if ((uint)index >= (uint)count) ThrowBadChoice(index, count);
        var channel = _active[index];
        var envelope = channel.Dequeue();
        if (channel.Count == 0) RemoveActive(channel);
        else if (_lazyHeads) _headsStale = true;
        else _candidates[index].HeadSequence = channel.HeadSequence;
        _choices.AddDelivery(channel.Id);
        long step = _stepCount++;
        _trace?.Add(_nowTicks, envelope.Message);
        if (channel.IsSystem || _observers.Length != 0)
        {
            DeliverSlow(channel, envelope, step);
            return;
        }
        var cell = channel.TargetCell;
        _inDelivery = true;
        try
        {
            // The running cell is known from the choice log (DeliveringCell), so nothing is stored for it here.
            if (cell is not null) cell.ProcessMessage(envelope.Message, envelope.Sender);
            else channel.Target.Receiver.DeliverUser(envelope.Message, envelope.Sender, _thread!);
        }
        finally
        {
            _inDelivery = false;
        }
    }

    /// <summary>The rest of <see cref="Deliver"/> for a system message or when observers are registered.</summary>
    private void DeliverSlow(Channel channel, in Envelope envelope, long step)
    {
        var queues = channel.Target;
        var receiver = queues.Receiver;
        bool isSystem = channel.IsSystem;
        if (isSystem && --queues.PendingSystem == 0) RefreshUserEnabled(receiver);
        var observers = _observers;
        var record = new DeliveryRecord(step, channel.SenderId, envelope.Sender, receiver.Id, receiver, envelope.Message, _nowTicks, isSystem);
        foreach (var o in observers) o.BeforeDelivery(record);
        _inDelivery = true;
        try
        {
            if (isSystem) receiver.DeliverSystem((SystemMessage)envelope.Message);
            else receiver.DeliverUser(envelope.Message, envelope.Sender, _thread!);
        }
        finally
        {
            _inDelivery = false;
        }
        foreach (var o in observers) o.AfterDelivery(record);
    }

    private void ThrowBadChoice(int index, int count) =>
        throw new InvalidOperationException($"Strategy {_strategy.Description} chose {index} of {count} enabled deliveries.");

    private void EnqueueForeign(InternalActorRef receiver, object message, IActorRef? sender)
    {
        lock (_inboxGate)
        {
            if (_terminated) return;
            (_inbox ??= []).Add(new ForeignItem(receiver, message, sender));
            _inboxCount = _inbox.Count;
        }
    }

    /// <summary>Moves messages told from outside a step into their channels, in arrival order.</summary>
    private void DrainInbox()
    {
        if (_inboxCount == 0) return;
        List<ForeignItem> items;
        lock (_inboxGate)
        {
            items = _inbox!;
            _inbox = _spareInbox;
            _spareInbox = null;
            _inboxCount = 0;
        }
        int previous = _stepThread;
        _stepThread = Environment.CurrentManagedThreadId;
        try
        {
            foreach (var item in items)
            {
                if (item.Message is SystemMessage sys) EnqueueSystem(item.Receiver, sys, item.Sender as InternalActorRef);
                else if (item.Receiver.IsTerminated) _system.PublishDeadLetter(item.Message, item.Sender, item.Receiver);
                else EnqueueUser(item.Receiver, item.Message, item.Sender ?? _system.DeadLetters);
            }
        }
        finally
        {
            _stepThread = previous;
        }
        items.Clear();
        lock (_inboxGate) _spareInbox ??= items;
    }

    private void ClearQueues()
    {
        for (int i = 0; i < _activeCount; i++)
        {
            _active[i].ActiveIndex = -1;
            _active[i] = null!;
        }
        _activeCount = 0;
        lock (_inboxGate)
        {
            _inbox = null;
            _inboxCount = 0;
        }
    }
}
