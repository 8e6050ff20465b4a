using Gpuvmsim.Runtime.Dispatch;
using Gpuvmsim.Runtime.Event;

namespace Gpuvmsim.Runtime;

/// <summary>What the runtime's own parts need from the system: ids, the id registry, dispatcher lookup, dead letters
/// and termination.</summary>
public sealed partial class ActorSystem
{
    internal int NextId() => Interlocked.Increment(ref _lastId);

    /// <summary>Records a ref by id (deterministic systems only: traces, state hashing and <c>RefById</c>). Entries are
    /// kept after the actor stops so that a trace can still name it.</summary>
    internal void Register(InternalActorRef actorRef)
    {
        if (_refsById is null) return;
        lock (_registryGate)
        {
            int id = actorRef.Id;
            if (id >= _refsById.Length) Array.Resize(ref _refsById, Math.Max(id + 1, _refsById.Length * 2));
            _refsById[id] = actorRef;
        }
    }

    /// <summary>A cell finished stopping.</summary>
    internal void OnCellTerminated(ActorCell cell)
    {
        if (EventStream.HasAnySubscriptions) EventStream.Unsubscribe(cell.SelfRef);
        if (cell.ParentCell is null) OnRootStopped();
    }

    internal IActorRef? LiveRefById(int id)
    {
        lock (_registryGate)
        {
            var r = _refsById is not null && id > 0 && id < _refsById.Length ? _refsById[id] : null;
            return r is { IsTerminated: false } ? r : null;
        }
    }

    /// <summary>The ref with this id, live or not; <see cref="ActorRefs.Nobody"/> when unknown; dead letters for 0.</summary>
    internal IActorRef RefByIdForTrace(int id)
    {
        if (id == 0) return _deadLetters;
        lock (_registryGate)
            return (_refsById is not null && id > 0 && id < _refsById.Length ? _refsById[id] : null) ?? ActorRefs.Nobody;
    }

    internal IEnumerable<ActorCell> LiveCellsInIdOrder()
    {
        InternalActorRef?[] snapshot;
        lock (_registryGate) snapshot = _refsById is null ? [] : (InternalActorRef?[])_refsById.Clone();
        foreach (var r in snapshot)
            if (r is LocalActorRef { Cell: { IsTerminated: false } cell }) yield return cell;
    }

    internal PromiseActorRef<T> CreatePromise<T>(InternalActorRef target)
    {
        int n = Interlocked.Increment(ref _tempCounter) - 1;
        var promise = new PromiseActorRef<T>(this, NextId(), ActorNames.Anonymous(n), target.PathText);
        Register(promise);
        return promise;
    }

    /// <summary>Picks the dispatcher of a new child: a deployment for its path wins over <c>Props.WithDispatcher</c>,
    /// which wins over the default. A dispatcher not in <see cref="ActorSystemSettings.Dispatchers"/> is bound from
    /// <see cref="ActorSystemSettings.Config"/> (the block at that path) on first use.</summary>
    internal MessageDispatcher ResolveDispatcher(Props props, ActorCell parent, string name)
    {
        string? id = null;
        if (Settings.Deployments.Count > 0)
            id = DeploymentMatcher.Find(Settings.Deployments, parent.SelfRef.Path.Child(name).ToStringWithoutAddress());
        id ??= props.Dispatcher;
        if (id is null || id == DefaultDispatcherId) return _defaultDispatcher;
        lock (_registryGate)
        {
            _namedDispatchers ??= [];
            if (_namedDispatchers.TryGetValue(id, out var existing)) return existing;
            if (!Settings.Dispatchers.TryGetValue(id, out var definition) &&
                !(Settings.Config is { } config && ActorSystemSettingsBinder.TryBindDispatcher(config, id, out definition)))
                throw new ActorConfigurationException(
                    $"Dispatcher [{id}] for actor [{parent.SelfRef.Path.Child(name)}] is not defined; known: " +
                    string.Join(", ", new[] { DefaultDispatcherId }.Concat(Settings.Dispatchers.Keys)));
            if (definition.Type == DispatcherType.Deterministic && Deterministic is null)
                throw new ActorConfigurationException($"Dispatcher [{id}] is deterministic, but this system has no deterministic driver");
            MessageDispatcher created = definition.Type == DispatcherType.Deterministic
                ? new DeterministicDispatcher(id, Deterministic!)
                : new ThreadPoolDispatcher(id, definition.Throughput);
            _namedDispatchers[id] = created;
            return created;
        }
    }

    /// <summary>Publishes a <see cref="DeadLetter"/> (if anyone listens); dead letters about dead letters are dropped.</summary>
    internal void PublishDeadLetter(object message, IActorRef? sender, IActorRef recipient)
    {
        if (message is DeadLetter || !EventStream.HasAnySubscriptions) return;
        EventStream.Publish(new DeadLetter(message, sender, recipient));
    }

    /// <summary>Publishes a log event stamped with the system clock (and prints it when asked to).</summary>
    internal void PublishLog(LogEvent logEvent)
    {
        if (logEvent.Level < Settings.LogLevel) return;
        EventStream.Publish(logEvent);
        if (Settings.LogToStandardError) Console.Error.WriteLine(logEvent.ToString());
    }

    internal void StopAllSynchronously() => _root.StopSynchronously();

    private void OnRootStopped()
    {
        if (Deterministic is { } driver) driver.RequestTermination();
        else OnTerminated();
    }

    /// <summary>Final step of termination: timers off, <see cref="WhenTerminated"/> completed.</summary>
    internal void OnTerminated()
    {
        SchedulerImpl.Shutdown();
        _terminated.TrySetResult();
    }
}
