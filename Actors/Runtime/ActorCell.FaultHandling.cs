using Gpuvmsim.Runtime.Dispatch;
using Gpuvmsim.Runtime.Event;
using Gpuvmsim.Runtime.Supervision;

namespace Gpuvmsim.Runtime;

/// <summary>
/// Failure and supervision, as in Akka: a failing actor suspends itself and its subtree and tells its parent
/// (<see cref="Failed"/>); the parent's strategy answers with Resume, Recreate (restart), Terminate (stop), or fails
/// the parent itself (escalate). The message that caused the failure is dropped unless the strategy sets
/// <see cref="SupervisorStrategy.RedeliverFailedMessage"/>.
/// </summary>
internal sealed partial class ActorCell
{
    /// <summary>The actor threw while processing (or being created): suspend and report to the parent.</summary>
    private void HandleInvokeFailure(Exception cause, object? message, IActorRef? sender, bool hasMessage)
    {
        if (IsTerminating) return;
        if ((_state & StateFailed) != 0)
        {
            // Already waiting for the supervisor's decision: log this one, do not ask twice.
            SystemImpl.PublishLog(new Error(cause, SelfRef.Path.ToString(), _actor?.GetType() ?? PropsValue.ActorType,
                "Failure while already failed: " + cause.Message) { Timestamp = SystemImpl.Scheduler.Now });
            return;
        }
        var ext = Ext;
        ext.HasFailedMessage = hasMessage;
        ext.FailedMessage = message;
        ext.FailedSender = sender;
        SetState(StateFailed);
        SendToChildren(Suspend.Instance);
        if (ParentCell is null)
        {
            // The root guardian has no supervisor: log and stop it, which stops the system.
            SystemImpl.PublishLog(new Error(cause, SelfRef.Path.ToString(), GetType(), "Root guardian failed") { Timestamp = SystemImpl.Scheduler.Now });
            SelfRef.Stop();
            return;
        }
        ParentCell.SendSystem(new Failed(SelfRef, cause), SelfRef);
    }

    private void ClearFailedMessage()
    {
        if (_ext is null) return;
        _ext.HasFailedMessage = false;
        _ext.FailedMessage = null;
        _ext.FailedSender = null;
    }

    private SupervisorStrategy CurrentStrategy()
    {
        var ext = Ext;
        return ext.Strategy ??= PropsValue.SupervisorStrategy
            ?? _actor?.InvokeSupervisorStrategy()
            ?? SupervisorStrategy.DefaultStrategy;
    }

    /// <summary>System message <c>Failed</c> from a child: apply this actor's supervisor strategy.</summary>
    private void HandleChildFailure(InternalActorRef childRef, Exception cause)
    {
        if (childRef is not LocalActorRef { Cell: var child } || !ReferenceEquals(child.ParentCell, this)) return;
        if (child.IsTerminating) return;
        var strategy = CurrentStrategy();
        var directive = strategy.Decide(cause);
        strategy.LogFailure(SystemImpl, child.SelfRef, cause, directive);
        switch (directive)
        {
            case Directive.Resume:
                child.SendSystem(new Resume(cause), SelfRef);
                break;
            case Directive.Restart:
                strategy.ProcessFailure(this, restart: true, child, cause);
                break;
            case Directive.Stop:
                strategy.ProcessFailure(this, restart: false, child, cause);
                break;
            case Directive.Escalate:
                throw cause;
            default:
                throw new InvalidOperationException($"Unknown directive {directive}");
        }
    }

    /// <summary>Used by strategies: restart <paramref name="child"/> (suspending it first when it is a healthy sibling).</summary>
    internal void RestartChild(ActorCell child, Exception cause, bool suspendFirst, bool redeliver)
    {
        if (suspendFirst) child.SendSystem(Suspend.Instance, SelfRef);
        child.SendSystem(new Recreate(cause, redeliver), SelfRef);
    }

    /// <summary>System message <c>Recreate</c>: PreRestart on the old instance, wait for stopping children, then restart.</summary>
    private void FaultRecreate(Exception cause, bool redeliver)
    {
        if (IsTerminating) return;
        var ext = Ext;
        ext.RecreateCause = cause;
        ext.RecreateRedeliver = redeliver;
        ext.Stash?.UnstashAllToMailbox();
        var failed = _actor;
        if (failed is not null)
        {
            var previousMessage = _currentMessage;
            try
            {
                failed.InvokePreRestart(cause, ext.HasFailedMessage ? ext.FailedMessage : null);
            }
            catch (Exception e)
            {
                SystemImpl.PublishLog(new Error(e, SelfRef.Path.ToString(), failed.GetType(), "PreRestart failed") { Timestamp = SystemImpl.Scheduler.Now });
            }
            _currentMessage = previousMessage;
        }
        SetState(StateRecreating);
        if (!HasChildren || !AnyChildStopping()) FinishRecreate();
    }

    private bool AnyChildStopping()
    {
        foreach (var child in ChildCells)
            if (child.IsTerminating) return true;
        return false;
    }

    /// <summary>Second half of a restart: fresh instance, PostRestart, survivors restarted, mailbox resumed and,
    /// when asked, the failed message processed first, within this same delivery.</summary>
    private void FinishRecreate()
    {
        var ext = Ext;
        var cause = ext.RecreateCause!;
        bool redeliver = ext.RecreateRedeliver && ext.HasFailedMessage;
        var failedMessage = ext.FailedMessage;
        var failedSender = ext.FailedSender;
        ext.RecreateCause = null;
        ext.Strategy = null;
        ClearFailedMessage();
        ResetBehavior();

        bool wasBlocked = IsUserBlocked;
        // A failed actor was blocked by its Failed flag; a restarted sibling or survivor by one Suspend.
        if ((_state & StateFailed) == 0 && _suspendCount > 0) _suspendCount--;
        _state &= ~(StateRecreating | StateFailed);
        var thread = ActorThread.Current;
        var previous = thread.Cell;
        thread.Cell = this;
        try
        {
            _actor = NewInstance(thread);
            _actor.InvokePostRestart(cause);
        }
        catch (Exception e)
        {
            thread.Cell = previous;
            HandleInvokeFailure(new ActorInitializationException(SelfRef, $"Exception during restart of [{SelfRef.Path}]", e), null, null, hasMessage: false);
            return;
        }
        finally
        {
            thread.Cell = previous;
        }
        foreach (var survivor in ChildCells)
            if (!survivor.IsTerminating) survivor.SendSystem(new Recreate(cause, false), SelfRef);
        if (wasBlocked && !IsUserBlocked) DispatcherImpl.UserBlockedChanged(this);
        if (redeliver && !IsUserBlocked) Invoke(failedMessage!, failedSender ?? SystemImpl.DeadLetters, thread);
    }
}
