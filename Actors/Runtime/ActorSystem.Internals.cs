using Gpuvmsim.Runtime.Dispatch;
using Gpuvmsim.Runtime.Event;

namespace Gpuvmsim.Runtime;

/// <summary>What the runtime's own parts need from the system: ids, the id registry, dispatcher lookup, dead letters
/// and termination.</summary>
public sealed partial class ActorSystem
{
    internal int NextId() => Interlocked.Increment(ref _lastId);

    /// <summary>Records a cell by id (deterministic systems only: state hashing and <c>RefById</c>).</summary>
    internal void Register(ActorCell cell)
    {
        if (_cellsById is null) return;
        lock (_registryGate)
        {
            int id = cell.SelfRef.Id;
            if (id >= _cellsById.Length) Array.Resize(ref _cellsById, Math.Max(id + 1, _cellsById.Length * 2));
            _cellsById[id] = cell;
        }
    }

    internal void Unregister(ActorCell cell)
    {
        if (cell.ParentCell is null) OnRootStopped();
        if (EventStream.HasAnySubscriptions) EventStream.Unsubscribe(cell.SelfRef);
        if (_cellsById is null) return;
        lock (_registryGate)
        {
            int id = cell.SelfRef.Id;
            if (id < _cellsById.Length && ReferenceEquals(_cellsById[id], cell)) _cellsById[id] = null;
        }
    }

    internal IActorRef? LiveRefById(int id)
    {
        lock (_registryGate)
            return _cellsById is not null && id > 0 && id < _cellsById.Length ? _cellsById[id]?.SelfRef : null;
    }

    internal IEnumerable<ActorCell> LiveCellsInIdOrder()
    {
        ActorCell?[] snapshot;
        lock (_registryGate) snapshot = _cellsById is null ? [] : (ActorCell?[])_cellsById.Clone();
        foreach (var cell in snapshot)
            if (cell is not null && !cell.IsTerminated) yield return cell;
    }

    internal PromiseActorRef<T> CreatePromise<T>(InternalActorRef target)
    {
        int n = Interlocked.Increment(ref _tempCounter) - 1;
        return new PromiseActorRef<T>(this, NextId(), ActorNames.Anonymous(n), target.PathText);
    }

    /// <summary>Picks the dispatcher of a new child: a deployment for its path wins over <c>Props.WithDispatcher</c>,
    /// which wins over the default.</summary>
    internal MessageDispatcher ResolveDispatcher(Props props, ActorCell parent, string name)
    {
        string? id = null;
        if (Settings.Deployments.Count > 0)
            Settings.Deployments.TryGetValue(parent.SelfRef.Path.Child(name).ToStringWithoutAddress(), out id);
        id ??= props.Dispatcher;
        if (id is null || id == DefaultDispatcherId) return _defaultDispatcher;
        lock (_registryGate)
        {
            _namedDispatchers ??= [];
            if (_namedDispatchers.TryGetValue(id, out var existing)) return existing;
            if (!Settings.Dispatchers.TryGetValue(id, out var definition))
                throw new ActorConfigurationException(
                    $"Dispatcher [{id}] for actor [{parent.SelfRef.Path.Child(name)}] is not defined; known: " +
                    string.Join(", ", new[] { DefaultDispatcherId }.Concat(Settings.Dispatchers.Keys)));
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
