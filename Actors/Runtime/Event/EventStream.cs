namespace Gpuvmsim.Runtime.Event;

/// <summary>
/// The system's publish/subscribe bus: dead letters, unhandled messages, log events and actor failures are published
/// here. A subscriber (an actor ref) receives every published object assignable to a type it subscribed to, told with
/// no sender. Thread-safe: subscriptions are copy-on-write, so publishing takes no lock.
/// </summary>
public sealed class EventStream
{
    private readonly object _gate = new();
    private (IActorRef Subscriber, Type Channel)[] _subscriptions = [];

    /// <summary>Subscribes <paramref name="subscriber"/> to <paramref name="channel"/> and its subtypes.</summary>
    /// <returns>False when that exact subscription already existed.</returns>
    public bool Subscribe(IActorRef subscriber, Type channel)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        ArgumentNullException.ThrowIfNull(channel);
        lock (_gate)
        {
            foreach (var s in _subscriptions)
                if (s.Subscriber.Equals(subscriber) && s.Channel == channel) return false;
            _subscriptions = [.. _subscriptions, (subscriber, channel)];
            return true;
        }
    }

    /// <summary>Removes one subscription.</summary>
    /// <returns>False when there was none.</returns>
    public bool Unsubscribe(IActorRef subscriber, Type channel)
    {
        lock (_gate)
        {
            var kept = _subscriptions.Where(s => !(s.Subscriber.Equals(subscriber) && s.Channel == channel)).ToArray();
            bool removed = kept.Length != _subscriptions.Length;
            _subscriptions = kept;
            return removed;
        }
    }

    /// <summary>Removes every subscription of <paramref name="subscriber"/>.</summary>
    public void Unsubscribe(IActorRef subscriber)
    {
        lock (_gate) _subscriptions = _subscriptions.Where(s => !s.Subscriber.Equals(subscriber)).ToArray();
    }

    /// <summary>True when there is at least one subscription (a cheap check before building an event).</summary>
    public bool HasAnySubscriptions => Volatile.Read(ref _subscriptions).Length != 0;

    /// <summary>True when someone listens for events of <paramref name="type"/> (to skip building costly events).</summary>
    public bool HasSubscribers(Type type)
    {
        foreach (var s in Volatile.Read(ref _subscriptions))
            if (s.Channel.IsAssignableFrom(type) || type.IsAssignableFrom(s.Channel)) return true;
        return false;
    }

    /// <summary>Tells <paramref name="event"/> to every matching subscriber (each at most once).</summary>
    public void Publish(object @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        var subscriptions = Volatile.Read(ref _subscriptions);
        if (subscriptions.Length == 0) return;
        var type = @event.GetType();
        IActorRef? first = null;
        List<IActorRef>? told = null;
        foreach (var (subscriber, channel) in subscriptions)
        {
            if (!channel.IsAssignableFrom(type)) continue;
            if (first is null) first = subscriber;
            else if (first.Equals(subscriber) || (told?.Contains(subscriber) ?? false)) continue;
            else (told ??= []).Add(subscriber);
            subscriber.Tell(@event, null);
        }
    }
}
