using Gpuvmsim.Configuration;
using Gpuvmsim.Runtime.Scheduling;

namespace Gpuvmsim.Runtime;

/// <summary>Which kind of dispatcher runs an actor.</summary>
public enum DispatcherType
{
    /// <summary>One logical thread; nothing runs until <see cref="Deterministic.DeterministicDriver"/> steps.
    /// HOCON value <c>deterministic</c>.</summary>
    Deterministic,

    /// <summary>Concurrent on the .NET thread pool, one message at a time per actor. HOCON value <c>threadpool</c>.</summary>
    ThreadPool,
}

/// <summary>A named dispatcher definition (HOCON: a top-level block <c>my-dispatcher { type = threadpool, throughput = 5 }</c>,
/// referenced from <c>Props.WithDispatcher("my-dispatcher")</c> or <c>akka.actor.deployment</c>).</summary>
/// <param name="Type">HOCON <c>type</c>.</param>
/// <param name="Throughput">HOCON <c>throughput</c>: messages an actor processes per turn before it yields its thread
/// (thread-pool dispatchers only; the deterministic dispatcher delivers one message per step).</param>
public sealed record DispatcherSettings(DispatcherType Type, int Throughput = 30);

/// <summary>
/// Everything an <see cref="ActorSystem"/> is configured with, as a plain record so that it is cheap to create one
/// system per explored schedule. Each property names the HOCON key <see cref="FromConfig"/> maps onto it.
/// <para>
/// Two sets of defaults exist on purpose: a record built in code starts from <see cref="Default"/> (the plain,
/// quiet run tests build on: <c>fifo</c>, seed 0, no trace, no ask timeout), while a system configured from HOCON
/// gets <c>reference.conf</c>'s documented values (<c>random</c>, seed 1, trace on, ask timeout 5 s).
/// </para>
/// </summary>
public sealed record ActorSystemSettings
{
    /// <summary>The code defaults: deterministic dispatcher, <c>fifo</c> strategy, seed 0, no trace.</summary>
    public static ActorSystemSettings Default { get; } = new();

    /// <summary>
    /// Binds <paramref name="config"/>, with <c>reference.conf</c> (<see cref="ConfigurationFactory.Default"/>)
    /// underneath, to settings; the merged configuration is kept in <see cref="Config"/>. Top-level blocks whose
    /// <c>type</c> is a dispatcher type become <see cref="Dispatchers"/>, as do the blocks deployments name by path.
    /// </summary>
    /// <exception cref="ConfigException">A value has the wrong type, an unknown name or is out of range; the message
    /// starts with the value's <c>file:line:column</c> and names its key.</exception>
    public static ActorSystemSettings FromConfig(Config config) => ActorSystemSettingsBinder.Bind(config);

    /// <summary>HOCON <c>akka.actor.default-dispatcher.type</c> (<c>deterministic</c> | <c>threadpool</c>). The system's
    /// scheduler runs on virtual time when this is <see cref="DispatcherType.Deterministic"/>, on real timers otherwise.</summary>
    public DispatcherType DefaultDispatcherType { get; init; } = DispatcherType.Deterministic;

    /// <summary>HOCON <c>akka.actor.default-dispatcher.throughput</c> (thread-pool only).</summary>
    public int Throughput { get; init; } = 30;

    /// <summary>HOCON <c>akka.actor.deployment { "/user/x" { dispatcher = name } }</c>: actor path (without address)
    /// to dispatcher name; an element <c>*</c> matches any one path element (<c>"/user/vm/*"</c>), and an exact path
    /// wins over a pattern. A deployment wins over <c>Props.WithDispatcher</c>, as in Akka.</summary>
    public IReadOnlyDictionary<string, string> Deployments { get; init; } = new Dictionary<string, string>();

    /// <summary>Named dispatcher definitions (HOCON: top-level blocks with a <c>type</c> key). The name
    /// <c>akka.actor.default-dispatcher</c> always means the default one.</summary>
    public IReadOnlyDictionary<string, DispatcherSettings> Dispatchers { get; init; } = new Dictionary<string, DispatcherSettings>();

    /// <summary>HOCON <c>gpuvmsim.deterministic.strategy</c>: a <see cref="StrategyFactory"/> name
    /// (<c>fifo</c>, <c>random</c>, <c>pct</c>, <c>replay</c>).</summary>
    public string Strategy { get; init; } = FifoStrategy.StrategyName;

    /// <summary>HOCON <c>gpuvmsim.deterministic.seed</c>.</summary>
    public ulong Seed { get; init; }

    /// <summary>HOCON <c>gpuvmsim.deterministic.pct-depth</c>: the bug depth <c>d</c> of PCT.</summary>
    public int PctDepth { get; init; } = 3;

    /// <summary>HOCON <c>gpuvmsim.deterministic.trace</c>: record every delivery in <c>DeterministicDriver.Trace</c>.</summary>
    public bool Trace { get; init; }

    /// <summary>HOCON <c>gpuvmsim.deterministic.schedule</c>: a schedule string (<see cref="Schedule.Parse"/>) to replay
    /// before the strategy chooses (with strategy <c>replay</c>, the whole run).</summary>
    public Schedule? ReplaySchedule { get; init; }

    /// <summary>No HOCON key: a ready strategy instance (an explorer reusing one across iterations). Wins over
    /// <see cref="Strategy"/>; the caller calls <see cref="ExplorationStrategy.PrepareIteration"/> before each run.</summary>
    public ExplorationStrategy? StrategyInstance { get; init; }

    /// <summary>HOCON <c>akka.actor.ask-timeout</c> (a duration, or <c>infinite</c>): the timeout of an <c>Ask</c> that
    /// passes none; null is infinite.</summary>
    public TimeSpan? DefaultAskTimeout { get; init; }

    /// <summary>HOCON <c>gpuvmsim.deterministic.virtual-epoch</c> (ISO 8601): the virtual clock's start (never the wall clock).</summary>
    public DateTimeOffset VirtualEpoch { get; init; } = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>HOCON <c>akka.loglevel</c> (<c>DEBUG</c> | <c>INFO</c> | <c>WARNING</c> | <c>ERROR</c> | <c>OFF</c>): the
    /// lowest level that <c>Log</c> publishes to the event stream.</summary>
    public Event.LogLevel LogLevel { get; init; } = Event.LogLevel.Info;

    /// <summary>HOCON <c>akka.stdout-loglevel</c> set to other than <c>OFF</c>: also print log events at or above
    /// <see cref="LogLevel"/> to standard error. Off by default so explorations stay quiet.</summary>
    public bool LogToStandardError { get; init; }

    /// <summary>No HOCON key: the merged configuration these settings were bound from (the caller's over
    /// <c>reference.conf</c>), read by extensions such as persistence and for dispatchers named only by
    /// <c>Props.WithDispatcher</c>; null for settings built in code (extensions then read <c>reference.conf</c>).</summary>
    public Config? Config { get; init; }
}
