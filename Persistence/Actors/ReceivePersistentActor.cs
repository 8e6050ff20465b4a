using Gpuvmsim.Runtime;

namespace Gpuvmsim.Persistence.Actors;

/// <summary>
/// A persistent actor that declares its protocol as typed handlers in its constructor (Akka's
/// <c>ReceivePersistentActor</c>): <c>Command&lt;AddVa&gt;(OnAddVa)</c> for commands and
/// <c>Recover&lt;VaAdded&gt;(Apply)</c> for recovered events, <see cref="SnapshotOffer"/> and
/// <see cref="RecoveryCompleted"/>. For each message the first registered handler whose type matches (and whose
/// predicate accepts it) runs. See <see cref="Eventsourced"/> for the phases and the failure rules.
/// </summary>
/// <example>
/// <code>
/// public sealed class Counter : ReceivePersistentActor
/// {
///     private int _total;
///     public Counter(string id)
///     {
///         PersistenceId = id;
///         Recover&lt;Added&gt;(e =&gt; _total += e.Amount);
///         Command&lt;Add&gt;(c =&gt; Persist(new Added(c.Amount), e =&gt; { _total += e.Amount; Sender.Tell(_total); }));
///         Command&lt;GetTotal&gt;(_ =&gt; Sender.Tell(_total));
///     }
///     public override string PersistenceId { get; }
/// }
/// </code>
/// </example>
public abstract class ReceivePersistentActor : Eventsourced
{
    private readonly HandlerTable _recover = new();
    private readonly HandlerTable _commands = new();
    private HandlerTable? _building;
    private bool _sealed;

    protected ReceivePersistentActor()
    {
        _building = _commands;
    }

    /// <summary>Handles commands of type <typeparamref name="T"/>, optionally only those matching <paramref name="shouldHandle"/>.</summary>
    protected void Command<T>(Action<T> handler, Predicate<T>? shouldHandle = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Building().Add(new ActionHandler<T>(handler, shouldHandle));
    }

    /// <summary>Handles commands of type <typeparamref name="T"/>; the handler returns false to pass the command on.</summary>
    protected void Command<T>(Func<T, bool> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Building().Add(new FuncHandler<T>(handler));
    }

    /// <summary>Handles every command not handled by an earlier registration.</summary>
    protected void CommandAny(Action<object> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Building().Add(new ActionHandler<object>(handler, null));
    }

    /// <summary>Handles recovered messages of type <typeparamref name="T"/>: events, <see cref="SnapshotOffer"/>, <see cref="RecoveryCompleted"/>.</summary>
    protected void Recover<T>(Action<T> handler, Predicate<T>? shouldHandle = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (_sealed) throw new InvalidOperationException("Recover handlers can only be registered in the constructor.");
        _recover.Add(new ActionHandler<T>(handler, shouldHandle));
    }

    /// <summary>Handles every recovered message not handled by an earlier registration.</summary>
    protected void RecoverAny(Action<object> handler) => Recover(handler);

    /// <summary>Replaces the command handlers with those registered by <paramref name="configure"/>.</summary>
    protected void Become(Action configure) => Become(Build(configure));

    /// <summary>Pushes the command handlers registered by <paramref name="configure"/>; <c>UnbecomeStacked</c> pops them.</summary>
    protected void BecomeStacked(Action configure) => BecomeStacked(Build(configure));

    protected sealed override bool ReceiveRecover(object message) => _recover.Dispatch(message);

    protected sealed override bool ReceiveCommand(object message) => _commands.Dispatch(message);

    private protected override void OnConstructed()
    {
        _sealed = true;
        _building = null;
    }

    private Receive Build(Action configure) => HandlerTable.Build(ref _building, configure);

    private HandlerTable Building() => _building
        ?? throw new InvalidOperationException("Command handlers can only be registered in the constructor or inside Become/BecomeStacked(configure).");
}
