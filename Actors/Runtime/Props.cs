using System.Linq.Expressions;
using Gpuvmsim.Runtime.Supervision;

namespace Gpuvmsim.Runtime;

/// <summary>
/// The recipe for an actor: how to build an instance (again on restart), on which dispatcher it runs and, optionally,
/// how it supervises its children. Immutable: the <c>With…</c> methods return a copy.
/// </summary>
public sealed class Props
{
    private readonly Func<ActorBase> _factory;

    private Props(Type actorType, Func<ActorBase> factory, string? dispatcher, SupervisorStrategy? strategy)
    {
        ActorType = actorType;
        _factory = factory;
        Dispatcher = dispatcher;
        SupervisorStrategy = strategy;
    }

    /// <summary>Props for <typeparamref name="T"/> built with its parameterless constructor.</summary>
    public static Props Create<T>() where T : ActorBase, new() => new(typeof(T), static () => new T(), null, null);

    /// <summary>Props from a constructor expression such as <c>() =&gt; new VmActor(id)</c>, evaluated for each new
    /// instance (a captured variable is read then, as a lambda would).</summary>
    /// <remarks>Interpreted, not compiled: compiling emits and JIT-compiles a method for every Props made (a fraction of
    /// a millisecond each, and the usual Props serves one actor), where interpreting costs microseconds per instance.</remarks>
    public static Props Create<T>(Expression<Func<T>> factory) where T : ActorBase
    {
        ArgumentNullException.ThrowIfNull(factory);
        var interpreted = factory.Compile(preferInterpretation: true);
        return new(typeof(T), interpreted, null, null);
    }

    /// <summary>Props from a factory delegate typed as <see cref="ActorBase"/>, called for each new instance; its
    /// <see cref="ActorType"/> is <see cref="ActorBase"/> (a lambda <c>() =&gt; new X()</c> binds to the expression form
    /// instead, which knows <c>X</c>).</summary>
    public static Props Create(Func<ActorBase> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return new(typeof(ActorBase), factory, null, null);
    }

    /// <summary>Props from a plain factory delegate (no expression tree), called for each new instance.</summary>
    public static Props CreateBy<T>(Func<T> factory) where T : ActorBase
    {
        ArgumentNullException.ThrowIfNull(factory);
        return new(typeof(T), factory, null, null);
    }

    /// <summary>The class of the actor built.</summary>
    public Type ActorType { get; }

    /// <summary>The dispatcher name, or null for the system default (<c>akka.actor.default-dispatcher</c>).</summary>
    public string? Dispatcher { get; }

    /// <summary>The strategy the actor applies to its children, overriding its own <c>SupervisorStrategy()</c>.</summary>
    public SupervisorStrategy? SupervisorStrategy { get; }

    /// <summary>A copy that runs on the named dispatcher (see <see cref="ActorSystemSettings.Dispatchers"/>).</summary>
    public Props WithDispatcher(string dispatcher) => new(ActorType, _factory, dispatcher, SupervisorStrategy);

    /// <summary>A copy whose actor supervises its children with <paramref name="strategy"/>.</summary>
    public Props WithSupervisorStrategy(SupervisorStrategy strategy) => new(ActorType, _factory, Dispatcher, strategy);

    internal ActorBase NewActor() => _factory();

    public override string ToString() => $"Props({ActorType.Name}{(Dispatcher is null ? "" : ", " + Dispatcher)})";
}
