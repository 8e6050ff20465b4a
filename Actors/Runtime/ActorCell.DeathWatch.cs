using Gpuvmsim.Runtime.Dispatch;

namespace Gpuvmsim.Runtime;

/// <summary>Who an actor watches, who watches it, and which <see cref="Terminated"/> are queued but not yet processed.
/// Touched only on the actor's turn.</summary>
internal sealed class DeathWatchState
{
    public HashSet<InternalActorRef>? Watching;
    public HashSet<InternalActorRef>? WatchedBy;
    public HashSet<IActorRef>? TerminatedQueued;

    /// <summary>True (and forgets it) when a Terminated for <paramref name="actor"/> is expected: Unwatch drops it.</summary>
    public bool TakeQueuedTerminated(IActorRef actor) => TerminatedQueued?.Remove(actor) == true;
}

internal sealed partial class ActorCell
{
    private DeathWatchState DeathWatch => _deathWatch ??= new DeathWatchState();

    public IActorRef Watch(IActorRef subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        if (subject.Unwrap() is not InternalActorRef watchee || ReferenceEquals(watchee, SelfRef)) return subject;
        var state = DeathWatch;
        state.Watching ??= [];
        if (!state.Watching.Add(watchee)) return subject;
        if (watchee.IsTerminated)
        {
            // Watching the dead: the notification comes at once instead of a round trip through the watchee.
            SendSystem(new DeathWatchNotification(watchee, ExistenceConfirmed: false), watchee);
        }
        else
        {
            watchee.SendSystemMessage(new Dispatch.Watch(watchee, SelfRef), SelfRef);
        }
        return subject;
    }

    public IActorRef Unwatch(IActorRef subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        if (subject.Unwrap() is not InternalActorRef watchee || _deathWatch is null) return subject;
        _deathWatch.TerminatedQueued?.Remove(watchee);
        if (_deathWatch.Watching?.Remove(watchee) == true && !watchee.IsTerminated)
            watchee.SendSystemMessage(new Dispatch.Unwatch(watchee, SelfRef), SelfRef);
        return subject;
    }

    /// <summary>System message <c>Watch</c>: someone wants to know when this actor stops.</summary>
    private void AddWatcher(InternalActorRef watcher)
    {
        if (ReferenceEquals(watcher, SelfRef)) return;
        if (IsTerminated)
        {
            watcher.SendSystemMessage(new DeathWatchNotification(SelfRef, ExistenceConfirmed: true), SelfRef);
            return;
        }
        (DeathWatch.WatchedBy ??= []).Add(watcher);
    }

    private void RemoveWatcher(InternalActorRef watcher) => _deathWatch?.WatchedBy?.Remove(watcher);

    /// <summary>System message <c>DeathWatchNotification</c>: a watched actor or a child stopped.</summary>
    private void WatchedActorTerminated(InternalActorRef actor, bool existenceConfirmed)
    {
        var state = _deathWatch;
        if (state?.Watching?.Remove(actor) == true && !IsTerminating)
        {
            (state.TerminatedQueued ??= []).Add(actor);
            SelfRef.Tell(new Terminated(actor, existenceConfirmed, AddressTerminated: false), actor);
        }
        if (RemoveChild(actor)) ChildTerminated();
    }

    /// <summary>On stop: tell every watcher and the parent, and drop the watches this actor holds.</summary>
    private void TellWatchersWeDied()
    {
        var state = _deathWatch;
        var parent = ParentCell?.SelfRef;
        if (state?.WatchedBy is { } watchers)
        {
            foreach (var watcher in watchers.OrderBy(w => w.Id))
                if (!ReferenceEquals(watcher, parent))
                    watcher.SendSystemMessage(new DeathWatchNotification(SelfRef, ExistenceConfirmed: true), SelfRef);
            watchers.Clear();
        }
        parent?.SendSystemMessage(new DeathWatchNotification(SelfRef, ExistenceConfirmed: true), SelfRef);
        if (state?.Watching is { } watching)
        {
            foreach (var watchee in watching.OrderBy(w => w.Id))
                if (!watchee.IsTerminated)
                    watchee.SendSystemMessage(new Dispatch.Unwatch(watchee, SelfRef), SelfRef);
            watching.Clear();
        }
        state?.TerminatedQueued?.Clear();
    }
}
