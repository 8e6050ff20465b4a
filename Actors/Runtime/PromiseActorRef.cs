using Gpuvmsim.Runtime.Dispatch;

namespace Gpuvmsim.Runtime;

/// <summary>
/// The temporary reply address of one <c>Ask</c> (<c>/temp/$a</c>, …). The first message completes the task (a
/// <see cref="Status.Failure"/> faults it, a message of the wrong type faults it with <see cref="InvalidCastException"/>);
/// later messages go to dead letters. On the deterministic dispatcher the reply is a delivery like any other (one step),
/// and the task's continuations run synchronously on the driver's thread, so an actor awaiting it resumes through its
/// own context deterministically.
/// </summary>
internal sealed class PromiseActorRef<T> : InternalActorRef
{
    private readonly TaskCompletionSource<T> _promise;
    private readonly string _name;
    private readonly string _targetText;
    private ActorPath? _path;
    private ICancelable? _timeout;
    private TimeSpan _timeoutSpan;

    internal PromiseActorRef(ActorSystem system, int id, string name, string targetText) : base(system, id)
    {
        _name = name;
        _targetText = targetText;
        _promise = new TaskCompletionSource<T>(system.Deterministic is null
            ? TaskCreationOptions.RunContinuationsAsynchronously
            : TaskCreationOptions.None);
    }

    public Task<T> Task => _promise.Task;

    public override ActorPath Path => _path ??= ActorPath.Root(System.Name).Child("temp").Child(_name);

    internal void StartTimeout(TimeSpan timeout)
    {
        _timeoutSpan = timeout;
        _timeout = System.SchedulerImpl.ScheduleOnce(timeout, static state =>
        {
            var self = (PromiseActorRef<T>)state!;
            self._promise.TrySetException(new AskTimeoutException(
                $"Ask timed out on [{self._targetText}] after {self._timeoutSpan.TotalMilliseconds} ms; the reply address was [{self.Path}]."));
        }, this);
    }

    public override void Tell(object message, IActorRef? sender)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (sender is IWrappedActorRef wrapped) sender = wrapped.Underlying;
        if (_promise.Task.IsCompleted)
        {
            System.PublishDeadLetter(message, sender, this);
            return;
        }
        var driver = System.Deterministic;
        if (driver is not null) driver.EnqueueUser(this, message, sender ?? System.DeadLetters);
        else Complete(message, sender);
    }

    internal override void SendSystemMessage(SystemMessage message, InternalActorRef? sender) { }

    internal override void DeliverUser(object message, IActorRef sender, ActorThread thread) => Complete(message, sender);

    internal override void DeliverSystem(SystemMessage message) { }

    internal override bool IsUserBlocked => false;

    internal override bool IsTerminated => _promise.Task.IsCompleted;

    private void Complete(object message, IActorRef? sender)
    {
        bool completed = message switch
        {
            T value => _promise.TrySetResult(value),
            Status.Failure failure => _promise.TrySetException(failure.Cause),
            _ => _promise.TrySetException(new InvalidCastException(
                $"Ask of [{_targetText}] expected a reply of type {typeof(T).Name} but got {message.GetType().Name}: {message}")),
        };
        if (completed) _timeout?.Cancel();
        else System.PublishDeadLetter(message, sender, this);
    }
}
