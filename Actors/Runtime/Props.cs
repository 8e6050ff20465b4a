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
    /// <remarks>Interpreted for the first instances, compiled once the Props has served
    /// <see cref="TieredFactory{T}.CompileAfter"/> of them: compiling emits and JIT-compiles a method (a fraction of a
    /// millisecond, wasted on the usual Props that serves one actor), interpreting costs microseconds per instance
    /// (wasted on a Props that serves thousands).</remarks>
    public static Props Create<T>(Expression<Func<T>> factory) where T : ActorBase
    {
        ArgumentNullException.ThrowIfNull(factory);
        return new(typeof(T), new TieredFactory<T>(factory).NewInstance, null, null);
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

    /// <summary>The object behind the factory delegate (tests look at a <see cref="TieredFactory{T}"/> through it).</summary>
    internal object? FactoryTarget => _factory.Target;

    public override string ToString() => $"Props({ActorType.Name}{(Dispatcher is null ? "" : ", " + Dispatcher)})";

    /// <summary>A constructor expression, interpreted until it has built <see cref="CompileAfter"/> instances, then
    /// compiled once. Shared by a Props and its <c>With…</c> copies, so they count together.</summary>
    internal sealed class TieredFactory<T>(Expression<Func<T>> expression) where T : ActorBase
    {
        public const int CompileAfter = 16;

        private Func<T> _current = expression.Compile(preferInterpretation: true);
        private int _instances;

        public bool IsCompiled { get; private set; }

        public ActorBase NewInstance()
        {
            // Exactly one caller sees the count reach the threshold, so the expression is compiled once; callers racing
            // with it keep using the interpreted delegate, which stays valid.
            if (Interlocked.Increment(ref _instances) == CompileAfter)
            {
                _current = expression.Compile();
                IsCompiled = true;
            }
            return _current();
        }
    }
}
