using System.Runtime.CompilerServices;

namespace Gpuvmsim.Runtime;

/// <summary>One registered handler of a <see cref="ReceiveActor"/> behavior.</summary>
internal abstract class Handler(Type messageType)
{
    public Type MessageType { get; } = messageType;

    /// <summary>The message as <typeparamref name="T"/>. <see cref="HandlerTable"/> only hands a handler messages whose
    /// type is assignable to <typeparamref name="T"/>, so for reference types the checked cast (slow in shared generic
    /// code) is skipped.</summary>
    protected static T As<T>(object message) => typeof(T).IsValueType ? (T)message : Unsafe.As<object, T>(ref message);

    /// <summary>Returns false when the handler declines the message (predicate false).</summary>
    public abstract bool TryHandle(object message);
}

internal sealed class ActionHandler<T>(Action<T> action, Predicate<T>? shouldHandle) : Handler(typeof(T))
{
    public override bool TryHandle(object message)
    {
        var value = As<T>(message);
        if (shouldHandle is not null && !shouldHandle(value)) return false;
        action(value);
        return true;
    }
}

internal sealed class FuncHandler<T>(Func<T, bool> handler) : Handler(typeof(T))
{
    public override bool TryHandle(object message) => handler(As<T>(message));
}

internal sealed class AsyncHandler<T>(ReceiveActor actor, Func<T, Task> handler, Predicate<T>? shouldHandle) : Handler(typeof(T))
{
    public override bool TryHandle(object message)
    {
        var value = As<T>(message);
        if (shouldHandle is not null && !shouldHandle(value)) return false;
        actor.RunAsyncHandler(() => handler(value));
        return true;
    }
}

/// <summary>
/// The handlers of one behavior, in registration order, with a per-message-type chain computed once (the handlers
/// whose type the message type is assignable to) and a two-entry exact-type cache in front of the dictionary.
/// Only the owning actor touches it, so it needs no lock. Used by <see cref="ReceiveActor"/> and by the persistent
/// actors' command and recovery tables.
/// </summary>
internal sealed class HandlerTable
{
    private readonly List<Handler> _handlers = [];
    private Type? _type0;
    private Handler[]? _chain0;

    /// <summary>The only handler of <c>_chain0</c> when it has exactly one (the usual case): one load fewer on the
    /// path of every message.</summary>
    private Handler? _single0;
    private Type? _type1;
    private Handler[]? _chain1;
    private Dictionary<Type, Handler[]>? _byType;

    /// <summary>A new table filled by <paramref name="configure"/>, which registers into whatever <paramref name="building"/>
    /// holds while it runs (the actor's table being built); <paramref name="building"/> is put back afterwards.</summary>
    public static Receive Build(ref HandlerTable? building, Action configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var previous = building;
        var table = new HandlerTable();
        building = table;
        try
        {
            configure();
        }
        finally
        {
            building = previous;
        }
        return table.Dispatch;
    }

    public void Add(Handler handler)
    {
        _handlers.Add(handler);
        _type0 = _type1 = null;
        _chain0 = _chain1 = null;
        _single0 = null;
        _byType = null;
    }

    public bool Dispatch(object message)
    {
        var type = message.GetType();
        Handler[] chain;
        if (ReferenceEquals(type, _type0))
        {
            if (_single0 is { } single) return single.TryHandle(message);
            chain = _chain0!;
        }
        else if (ReferenceEquals(type, _type1)) chain = _chain1!;
        else chain = Lookup(type);

        if (chain.Length == 1) return chain[0].TryHandle(message);
        foreach (var handler in chain)
            if (handler.TryHandle(message)) return true;
        return false;
    }

    private Handler[] Lookup(Type type)
    {
        _byType ??= [];
        if (!_byType.TryGetValue(type, out var chain))
        {
            var matching = new List<Handler>();
            foreach (var h in _handlers)
                if (h.MessageType.IsAssignableFrom(type)) matching.Add(h);
            chain = [.. matching];
            _byType[type] = chain;
        }
        _type1 = _type0;
        _chain1 = _chain0;
        _type0 = type;
        _chain0 = chain;
        _single0 = chain.Length == 1 ? chain[0] : null;
        return chain;
    }
}
