namespace Gpuvmsim.Runtime;

/// <summary>Akka's implicit-sender conveniences and the ask pattern.</summary>
public static class ActorRefExtensions
{
    /// <summary>Tells with the current actor as sender when called on an actor's turn; elsewhere with the thread's
    /// ambient sender (the test kit's <c>TestActor</c> inside a test), else with no sender.</summary>
    public static void Tell(this IActorRef receiver, object message)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        receiver.Tell(message, ActorCell.Current?.SelfRef ?? ActorCell.AmbientSender);
    }

    /// <summary>Tells keeping the sender of the message being processed, so the receiver replies to the original sender.
    /// Only meaningful on an actor's turn; elsewhere it tells with no sender.</summary>
    public static void Forward(this IActorRef receiver, object message)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        receiver.Tell(message, ActorCell.Current?.Sender);
    }

    /// <summary>
    /// Sends <paramref name="message"/> with a temporary reply address and returns a task completed by the first reply.
    /// Fails with <see cref="AskTimeoutException"/> after <paramref name="timeout"/> (default
    /// <see cref="ActorSystemSettings.DefaultAskTimeout"/>; null is infinite) measured on the system clock, which is
    /// virtual in deterministic mode. On the deterministic dispatcher the task completes only while the driver steps:
    /// use <c>system.Deterministic.RunUntil(() =&gt; task.IsCompleted, …)</c> (or the test kit) rather than blocking on it.
    /// A <see cref="Status.Failure"/> reply faults the task with its cause.
    /// </summary>
    public static Task<T> Ask<T>(this IActorRef receiver, object message, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        ArgumentNullException.ThrowIfNull(message);
        if (receiver is not InternalActorRef target)
            return Task.FromException<T>(new InvalidOperationException($"Cannot ask [{receiver}]: it belongs to no actor system."));
        var system = target.System;
        var promise = system.CreatePromise<T>(target);
        var effective = timeout ?? system.Settings.DefaultAskTimeout;
        if (effective is { } t && t != Timeout.InfiniteTimeSpan) promise.StartTimeout(t);
        target.Tell(message, promise);
        return promise.Task;
    }

    /// <summary>Untyped <see cref="Ask{T}"/>: completes with whatever the reply is.</summary>
    public static Task<object> Ask(this IActorRef receiver, object message, TimeSpan? timeout = null) =>
        receiver.Ask<object>(message, timeout);

    /// <summary>Sends the task's result (or a <see cref="Status.Failure"/>) to <paramref name="recipient"/> when it completes.</summary>
    public static Task PipeTo<T>(this Task<T> task, IActorRef recipient, IActorRef? sender = null) =>
        task.ContinueWith(t =>
        {
            if (t.IsCompletedSuccessfully) recipient.Tell(t.Result!, sender);
            else recipient.Tell(new Status.Failure(t.Exception?.InnerException ?? new TaskCanceledException(t)), sender);
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
}
