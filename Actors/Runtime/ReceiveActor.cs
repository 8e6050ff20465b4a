namespace Gpuvmsim.Runtime;

/// <summary>
/// An actor that declares its protocol as typed handlers, registered in the constructor (or inside
/// <see cref="Become(Action)"/>): <c>Receive&lt;VmBind&gt;(OnVmBind)</c>. For each message the first registered handler
/// whose type matches (and whose predicate accepts it) runs; none matching sends it to <c>Unhandled</c>.
/// Dispatch is a per-behavior table with an exact-type cache, so the common case costs one type compare.
/// </summary>
public abstract class ReceiveActor : ActorBase
{
    private HandlerTable? _building;
    private HandlerTable _initial;

    protected ReceiveActor()
    {
        _initial = new HandlerTable();
        _building = _initial;
    }

    /// <summary>Handles messages of type <typeparamref name="T"/> (or derived), optionally only those matching <paramref name="shouldHandle"/>.</summary>
    protected void Receive<T>(Action<T> handler, Predicate<T>? shouldHandle = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Building().Add(new ActionHandler<T>(handler, shouldHandle));
    }

    /// <summary>Handles the messages of type <typeparamref name="T"/> matching <paramref name="shouldHandle"/>.</summary>
    protected void Receive<T>(Predicate<T> shouldHandle, Action<T> handler)
    {
        ArgumentNullException.ThrowIfNull(shouldHandle);
        ArgumentNullException.ThrowIfNull(handler);
        Building().Add(new ActionHandler<T>(handler, shouldHandle));
    }

    /// <summary>Handles messages of type <typeparamref name="T"/>; the handler returns false to pass the message on to later handlers.</summary>
    protected void Receive<T>(Func<T, bool> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Building().Add(new FuncHandler<T>(handler));
    }

    /// <summary>Handles every message not handled by an earlier registration.</summary>
    protected void ReceiveAny(Action<object> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Building().Add(new ActionHandler<object>(handler, null));
    }

    /// <summary>
    /// Handles <typeparamref name="T"/> with an async handler. The actor's mailbox is suspended (system messages still
    /// flow) until the returned task completes; every continuation of the handler runs in the actor's context as a
    /// delivery of its own (a step on the deterministic dispatcher), with <c>Sender</c> still the original sender.
    /// A faulted task fails the actor like a thrown exception. Do not use <c>ConfigureAwait(false)</c> inside.
    /// </summary>
    protected void ReceiveAsync<T>(Func<T, Task> handler, Predicate<T>? shouldHandle = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Building().Add(new AsyncHandler<T>(this, handler, shouldHandle));
    }

    /// <summary>Async form of <see cref="ReceiveAny"/>.</summary>
    protected void ReceiveAnyAsync(Func<object, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Building().Add(new AsyncHandler<object>(this, handler, null));
    }

    /// <summary>Replaces the behavior with the handlers registered by <paramref name="configure"/>.</summary>
    protected void Become(Action configure) => Become(Build(configure));

    /// <summary>Pushes the handlers registered by <paramref name="configure"/>; <c>UnbecomeStacked</c> pops them.</summary>
    protected void BecomeStacked(Action configure) => BecomeStacked(Build(configure));

    protected internal sealed override bool Receive(object message) => _initial.Dispatch(message);

    internal void SealInitialHandlers() => _building = null;

    private Receive Build(Action configure) => HandlerTable.Build(ref _building, configure);

    private HandlerTable Building() => _building
        ?? throw new InvalidOperationException(
            "Receive handlers can only be registered in the constructor or inside Become/BecomeStacked(configure).");

    internal void RunAsyncHandler(Func<Task> body) => Cell.RunTask(body);
}
