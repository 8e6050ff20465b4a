using System.Collections.Concurrent;
using Gpuvmsim.Configuration;
using Gpuvmsim.Runtime.Deterministic;
using Gpuvmsim.Runtime.Dispatch;
using Gpuvmsim.Runtime.Event;
using Gpuvmsim.Runtime.Supervision;
using Gpuvmsim.Runtime.Timing;

namespace Gpuvmsim.Runtime;

/// <summary>
/// A hierarchy of actors with its dispatchers, scheduler and event stream. The root guardian <c>/</c> has two children:
/// <c>/user</c> (parent of everything made with <see cref="ActorOf"/>; restarts failed children by default) and
/// <c>/system</c> (runtime and test-kit actors). Several systems can run at once on different threads; the runtime
/// keeps no mutable static state.
///
/// A deterministic system (the default) is created without threads or timers and is cheap to make and drop, one per
/// explored schedule; drive it through <see cref="Deterministic"/>.
/// </summary>
public sealed partial class ActorSystem
{
    /// <summary>The id under which the system default dispatcher is known.</summary>
    public const string DefaultDispatcherId = "akka.actor.default-dispatcher";

    private static readonly Props GuardianProps = Props.Create<GuardianActor>();
    private static readonly Props RootProps = Props.Create<GuardianActor>().WithSupervisorStrategy(SupervisorStrategy.StoppingStrategy);

    private readonly MessageDispatcher _defaultDispatcher;
    private readonly DeadLetterActorRef _deadLetters;
    private readonly ActorCell _root;
    private readonly ActorCell _userGuardian;
    private readonly ActorCell _systemGuardian;
    private readonly TaskCompletionSource _terminated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _registryGate = new();
    // Made on first use: a simulation builds a system per explored schedule and most never use an extension.
    private ConcurrentDictionary<Type, object>? _extensions;
    private Dictionary<string, MessageDispatcher>? _namedDispatchers;
    private InternalActorRef?[]? _refsById;
    private int _lastId;
    private int _tempCounter;

    private ActorSystem(string name, ActorSystemSettings settings)
    {
        Name = name;
        Settings = settings;
        _lastId = 0;
        _deadLetters = new DeadLetterActorRef(this);
        EventStream = new EventStream();
        bool needsDriver = settings.DefaultDispatcherType == DispatcherType.Deterministic ||
            settings.Dispatchers.Values.Any(d => d.Type == DispatcherType.Deterministic);
        if (needsDriver)
        {
            Deterministic = new DeterministicDriver(this, settings);
            _refsById = new InternalActorRef?[8];
        }
        if (settings.DefaultDispatcherType == DispatcherType.Deterministic)
        {
            SchedulerImpl = new VirtualScheduler(Deterministic!);
            _defaultDispatcher = new DeterministicDispatcher(DefaultDispatcherId, Deterministic!);
        }
        else
        {
            SchedulerImpl = new ThreadPoolScheduler();
            _defaultDispatcher = new ThreadPoolDispatcher(DefaultDispatcherId, settings.Throughput);
        }
        Log = new LoggingAdapter(this, $"ActorSystem({name})", typeof(ActorSystem));

        _root = new ActorCell(this, NextId(), null, "", RootProps, _defaultDispatcher);
        Register(_deadLetters);
        Register(_root.SelfRef);
        _root.Create();
        _userGuardian = _root.MakeChild(GuardianProps, "user", validateName: false).Cell;
        _systemGuardian = _root.MakeChild(GuardianProps, "system", validateName: false).Cell;
    }

    /// <summary>Creates a system. Deterministic systems (the default) start no thread and no timer.</summary>
    /// <param name="name">Letters, digits, <c>-</c> and <c>_</c>, starting with a letter or digit.</param>
    /// <exception cref="InputException">Bad name or strategy settings.</exception>
    public static ActorSystem Create(string name, ActorSystemSettings? settings = null)
    {
        ValidateSystemName(name);
        return new ActorSystem(name, settings ?? ActorSystemSettings.Default);
    }

    /// <summary>Creates a system configured by <paramref name="config"/> over <c>reference.conf</c>
    /// (<see cref="ActorSystemSettings.FromConfig"/>).</summary>
    /// <exception cref="InputException">Bad name, or a setting that cannot be bound (<see cref="ConfigException"/>, positioned).</exception>
    public static ActorSystem Create(string name, Config config)
    {
        ValidateSystemName(name);
        return new ActorSystem(name, ActorSystemSettings.FromConfig(config));
    }

    /// <summary>Creates a system configured by the HOCON text <paramref name="hocon"/> over <c>reference.conf</c>;
    /// errors name the text <c>&lt;string&gt;</c>.</summary>
    /// <exception cref="InputException">Bad name, bad HOCON, or a setting that cannot be bound.</exception>
    public static ActorSystem Create(string name, string hocon) => Create(name, ConfigurationFactory.ParseString(hocon));

    public string Name { get; }

    public ActorSystemSettings Settings { get; }

    /// <summary>The deterministic driver, or null for a system without a deterministic dispatcher.</summary>
    public DeterministicDriver? Deterministic { get; }

    /// <summary>Timed tells; virtual time on a deterministic system.</summary>
    public IScheduler Scheduler => SchedulerImpl;

    internal SchedulerBase SchedulerImpl { get; }

    public EventStream EventStream { get; }

    /// <summary>Publishes <see cref="LogEvent"/>s on the event stream.</summary>
    public ILoggingAdapter Log { get; }

    /// <summary><c>/deadLetters</c>: whatever is told to it is published as a <see cref="DeadLetter"/>.</summary>
    public IActorRef DeadLetters => _deadLetters;

    /// <summary>Completes when the system has terminated.</summary>
    public Task WhenTerminated => _terminated.Task;

    /// <summary>Creates a top-level actor under <c>/user</c>; its constructor and PreStart run inside this call.</summary>
    /// <exception cref="InvalidActorNameException">The name is illegal or taken.</exception>
    /// <exception cref="ActorConfigurationException">The dispatcher named by the props or a deployment is unknown.</exception>
    public IActorRef ActorOf(Props props, string? name = null) => _userGuardian.MakeChild(props, name, validateName: true);

    /// <summary>Creates an actor under <c>/system</c> (for tools such as the test kit); names are not checked for <c>$</c>.</summary>
    internal LocalActorRef SystemActorOf(Props props, string name) => _systemGuardian.MakeChild(props, name, validateName: false);

    /// <summary>Asks <paramref name="actor"/> to stop (asynchronously; watch it to learn when it has).</summary>
    public void Stop(IActorRef actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        (actor.Unwrap() as InternalActorRef)?.Stop();
    }

    /// <summary>
    /// Stops every actor and the scheduler. Deterministic: done synchronously before this returns (at the end of the
    /// current delivery when called from an actor), children before parents, with PostStop hooks but no messages,
    /// so it adds no steps. Thread pool: the guardians stop their subtrees asynchronously.
    /// </summary>
    /// <returns><see cref="WhenTerminated"/>.</returns>
    public Task Terminate()
    {
        if (Deterministic is { } driver) driver.RequestTermination();
        else _root.SelfRef.Stop();
        return WhenTerminated;
    }

    /// <summary>
    /// The system's instance of extension <typeparamref name="T"/> (Akka's <c>system.WithExtension</c>): made by
    /// <paramref name="create"/> on first use, then the same object for the life of the system. Thread-safe; when two
    /// threads race, one instance wins and <paramref name="create"/> may have run twice.
    /// </summary>
    internal T GetOrAddExtension<T>(Func<ActorSystem, T> create) where T : class =>
        (T)LazyInitializer.EnsureInitialized(ref _extensions).GetOrAdd(typeof(T), static (_, state) => state.create(state.system), (create, system: this));

    public override string ToString() => $"ActorSystem({Name})";

    private static void ValidateSystemName(string name)
    {
        if (string.IsNullOrEmpty(name) || !char.IsAsciiLetterOrDigit(name[0]) ||
            name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_')))
            throw new InputException($"actor system name '{name}' is invalid: use letters, digits, '-' and '_', starting with a letter or digit");
    }
}

/// <summary>The behavior of <c>/</c>, <c>/user</c> and <c>/system</c>: no messages of their own.</summary>
internal sealed class GuardianActor : ActorBase, IStateHashable
{
    protected internal override bool Receive(object message) => false;

    public void AddState(ref StateHasher hasher) { }
}
