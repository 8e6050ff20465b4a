using Gpuvmsim.Runtime.Dispatch;
using Gpuvmsim.Runtime.Event;

namespace Gpuvmsim.Runtime;

internal sealed partial class ActorCell
{
    /// <summary>
    /// Processes one system message on the actor's turn. Every system message maps to exactly one handler;
    /// an unknown one is a runtime bug and throws. A stopped actor still answers <c>Watch</c> (with a death
    /// notification) and ignores everything else.
    /// </summary>
    internal void SystemInvoke(SystemMessage message)
    {
        var thread = ActorThread.Current;
        var previous = thread.Cell;
        thread.Cell = this;
        try
        {
            if (IsTerminated)
            {
                if (message is Dispatch.Watch w) AddWatcher(w.Watcher);
                return;
            }
            switch (message)
            {
                case Terminate: StartTermination(); break;
                case Dispatch.Watch w: AddWatcher(w.Watcher); break;
                case Dispatch.Unwatch u: RemoveWatcher(u.Watcher); break;
                case DeathWatchNotification n: WatchedActorTerminated(n.Actor, n.ExistenceConfirmed); break;
                case Failed f: HandleChildFailure(f.Child, f.Cause); break;
                case Suspend: SuspendRecursively(); break;
                case Resume r: ResumeRecursively(r.CausedByFailure); break;
                case Recreate r: FaultRecreate(r.Cause, r.RedeliverFailedMessage); break;
                case ActorTaskContinuation c: RunContinuation(c); break;
                case ActorTaskCompleted c: FinishAsync(c.Task); break;
                default: throw new InvalidOperationException($"Unknown system message {message.GetType().Name}");
            }
        }
        catch (Exception e)
        {
            // A supervisor's own failure while handling a system message (e.g. Escalate) fails it in turn.
            HandleInvokeFailure(e, null, null, hasMessage: false);
        }
        finally
        {
            thread.Cell = previous;
        }
    }

    /// <summary>Terminate: block user messages, stop the children, finish once the last one has stopped.</summary>
    private void StartTermination()
    {
        if (IsTerminating) return;
        SetState(StateTerminating);
        var children = ChildCells;
        if (children.Length == 0)
        {
            FinishTermination();
            return;
        }
        foreach (var child in children) child.SelfRef.Stop();
    }

    /// <summary>A child left (DeathWatchNotification from it): continue a stop or restart that waited for it.</summary>
    private void ChildTerminated()
    {
        if ((_state & StateTerminated) == 0 && (_state & StateTerminating) != 0)
        {
            if (!HasChildren) FinishTermination();
        }
        else if ((_state & StateRecreating) != 0 && !AnyChildStopping())
        {
            // A restart waits only for the children PreRestart stopped; the survivors are restarted after it.
            FinishRecreate();
        }
    }

    private void FinishTermination()
    {
        var actor = _actor;
        try
        {
            actor?.InvokePostStop();
        }
        catch (Exception e)
        {
            SystemImpl.PublishLog(new Error(e, SelfRef.Path.ToString(), actor!.GetType(), "PostStop failed") { Timestamp = SystemImpl.Scheduler.Now });
        }
        _actor = null;
        _behavior = null;
        _currentMessage = null;
        if (_ext is { } ext)
        {
            ext.Stash?.DrainToDeadLetters();
            ext.BehaviorStack = null;
            ext.PendingTask = null;
        }
        SetState(StateTerminated);
        DispatcherImpl.Terminated(this);
        TellWatchersWeDied();
        SystemImpl.OnCellTerminated(this);
    }

    /// <summary>Stops this actor and its subtree at once, children first, without messages or notifications
    /// (deterministic <c>ActorSystem.Terminate</c>).</summary>
    internal void StopSynchronously()
    {
        if (IsTerminated) return;
        foreach (var child in ChildCells) child.StopSynchronously();
        _state |= StateTerminating;
        var thread = ActorThread.Current;
        var previous = thread.Cell;
        thread.Cell = this;
        try
        {
            _actor?.InvokePostStop();
        }
        catch (Exception e)
        {
            SystemImpl.PublishLog(new Error(e, SelfRef.Path.ToString(), _actor!.GetType(), "PostStop failed") { Timestamp = SystemImpl.Scheduler.Now });
        }
        finally
        {
            thread.Cell = previous;
        }
        _actor = null;
        _ext = null;
        _deathWatch = null;
        _state |= StateTerminated;
        _children = null;
    }

    private void SetState(int flag)
    {
        bool wasBlocked = IsUserBlocked;
        _state |= flag;
        if (!wasBlocked) DispatcherImpl.UserBlockedChanged(this);
    }

    private void ClearState(int flag)
    {
        bool wasBlocked = IsUserBlocked;
        _state &= ~flag;
        if (wasBlocked && !IsUserBlocked) DispatcherImpl.UserBlockedChanged(this);
    }

    private void SuspendRecursively()
    {
        bool wasBlocked = IsUserBlocked;
        _suspendCount++;
        if (!wasBlocked) DispatcherImpl.UserBlockedChanged(this);
        SendToChildren(Suspend.Instance);
    }

    private void ResumeRecursively(Exception? causedByFailure)
    {
        bool wasBlocked = IsUserBlocked;
        if (causedByFailure is not null && (_state & StateFailed) != 0)
        {
            _state &= ~StateFailed;
            ClearFailedMessage();
        }
        else if (_suspendCount > 0)
        {
            _suspendCount--;
        }
        if (wasBlocked && !IsUserBlocked) DispatcherImpl.UserBlockedChanged(this);
        SendToChildren(new Resume(null));
    }
}
