using Gpuvmsim.Runtime.Dispatch;
using Gpuvmsim.Runtime.Supervision;

namespace Gpuvmsim.Runtime;

/// <summary>An actor's children by name (creation order kept), the generated-name counter and restart statistics.
/// Guarded by its own lock: <c>system.ActorOf</c> adds to the <c>/user</c> guardian from any thread.</summary>
internal sealed class ChildrenContainer
{
    /// <summary>A <see cref="Lock"/>, not a monitor on the container: no sync block, so systems on different threads
    /// never meet in the runtime's process-wide sync-block table.</summary>
    public readonly Lock Gate = new();
    public readonly Dictionary<string, ActorCell> ByName = new(StringComparer.Ordinal);
    public long AnonymousCounter;
    public Dictionary<ActorCell, ChildRestartStats>? Stats;
}

internal sealed partial class ActorCell
{
    private ChildrenContainer Container
    {
        get
        {
            var c = _children;
            if (c is not null) return c;
            Interlocked.CompareExchange(ref _children, new ChildrenContainer(), null);
            return _children!;
        }
    }

    internal bool HasChildren
    {
        get
        {
            var c = _children;
            if (c is null) return false;
            lock (c.Gate) return c.ByName.Count > 0;
        }
    }

    /// <summary>Snapshot of the children cells in creation order.</summary>
    internal ActorCell[] ChildCells
    {
        get
        {
            var c = _children;
            if (c is null) return [];
            lock (c.Gate)
            {
                if (c.ByName.Count == 0) return [];
                var result = new ActorCell[c.ByName.Count];
                c.ByName.Values.CopyTo(result, 0);
                return result;
            }
        }
    }

    public IEnumerable<IActorRef> Children => ChildCells.Select(c => (IActorRef)c.SelfRef);

    public IActorRef Child(string name)
    {
        var c = _children;
        if (c is null) return ActorRefs.Nobody;
        lock (c.Gate) return c.ByName.TryGetValue(name, out var cell) ? cell.SelfRef : ActorRefs.Nobody;
    }

    public IActorRef ActorOf(Props props, string? name = null) => MakeChild(props, name, validateName: true);

    /// <summary>Creates, registers and starts a child. <paramref name="validateName"/> is false only for the runtime's
    /// own names (guardians, test actors).</summary>
    internal LocalActorRef MakeChild(Props props, string? name, bool validateName)
    {
        ArgumentNullException.ThrowIfNull(props);
        if (IsTerminating)
            throw new InvalidOperationException($"Cannot create a child of [{SelfRef.Path}]: it is stopping.");
        var container = Container;
        if (name is not null && validateName) ActorNames.Validate(name);

        ActorCell cell;
        lock (container.Gate)
        {
            name ??= ActorNames.Anonymous(container.AnonymousCounter++);
            if (container.ByName.ContainsKey(name))
                throw new InvalidActorNameException($"Actor name [{name}] is not unique under [{SelfRef.Path}].");
            var dispatcher = SystemImpl.ResolveDispatcher(props, this, name);
            cell = new ActorCell(SystemImpl, SystemImpl.NextId(), this, name, props, dispatcher);
            container.ByName.Add(name, cell);
        }
        SystemImpl.Register(cell.SelfRef);
        cell.Create();
        return cell.SelfRef;
    }

    public void Stop(IActorRef actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.Unwrap() is InternalActorRef internalRef) internalRef.Stop();
    }

    private bool RemoveChild(InternalActorRef child)
    {
        var c = _children;
        if (c is null || child is not LocalActorRef local) return false;
        lock (c.Gate)
        {
            if (!c.ByName.TryGetValue(local.Cell.Name, out var cell) || !ReferenceEquals(cell, local.Cell)) return false;
            c.ByName.Remove(local.Cell.Name);
            c.Stats?.Remove(cell);
            return true;
        }
    }

    /// <summary>The restart statistics of <paramref name="child"/> (created on first failure).</summary>
    internal ChildRestartStats StatsFor(ActorCell child)
    {
        var c = Container;
        lock (c.Gate)
        {
            c.Stats ??= [];
            if (!c.Stats.TryGetValue(child, out var stats))
            {
                stats = new ChildRestartStats();
                c.Stats[child] = stats;
            }
            return stats;
        }
    }

    private void SendToChildren(SystemMessage message)
    {
        foreach (var child in ChildCells) child.SendSystem(message, SelfRef);
    }
}
