using Gpuvmsim.Runtime.Dispatch;

namespace Gpuvmsim.Runtime;

/// <summary>
/// Async handlers (<c>ReceiveAsync</c>): while the handler's task runs, user messages are blocked; its continuations
/// come back as <see cref="ActorTaskContinuation"/> system messages through <see cref="ActorSynchronizationContext"/>,
/// so they run on the actor's turn (one step each on the deterministic dispatcher).
/// </summary>
internal sealed partial class ActorCell
{
    internal void RunTask(Func<Task> body)
    {
        var ext = Ext;
        var context = ext.SyncContext ??= new ActorSynchronizationContext(this);
        var previousContext = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(context);
        Task task;
        try
        {
            task = body();
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previousContext);
        }
        if (task.IsCompleted)
        {
            if (task.IsFaulted || task.IsCanceled) task.GetAwaiter().GetResult();
            return;
        }
        ext.PendingTask = task;
        ext.AsyncMessage = _currentMessage;
        ext.AsyncSender = _currentSender;
        SetState(StateAsyncPending);
        task.ContinueWith(static (t, s) => ((ActorCell)s!).OnTaskCompleted(t), this,
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Runs where the task completed: inline when that is this actor's own turn (the usual case, no extra
    /// delivery), else as a system message.</summary>
    private void OnTaskCompleted(Task task)
    {
        if (ReferenceEquals(Current, this)) FinishAsync(task);
        else SendSystem(new ActorTaskCompleted(task), SelfRef);
    }

    private void RunContinuation(ActorTaskContinuation continuation)
    {
        if (IsTerminating) return;
        var ext = Ext;
        var previousContext = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(ext.SyncContext);
        _currentMessage = ext.AsyncMessage;
        _currentSender = ext.AsyncSender;
        try
        {
            continuation.Callback(continuation.State);
        }
        finally
        {
            _currentMessage = null;
            _currentSender = null;
            SynchronizationContext.SetSynchronizationContext(previousContext);
        }
    }

    private void FinishAsync(Task task)
    {
        var ext = _ext;
        if (ext is null || !ReferenceEquals(ext.PendingTask, task)) return;
        var message = ext.AsyncMessage;
        var sender = ext.AsyncSender;
        ext.PendingTask = null;
        ext.AsyncMessage = null;
        ext.AsyncSender = null;
        ClearState(StateAsyncPending);
        if (task.IsFaulted || task.IsCanceled)
        {
            var cause = task.Exception?.InnerException ?? new TaskCanceledException(task);
            HandleInvokeFailure(cause, message, sender, hasMessage: true);
        }
    }
}
