using Gpuvmsim.Runtime;
using Gpuvmsim.Runtime.Deterministic;

namespace Gpuvmsim.TestKit;

/// <summary>
/// Base class for actor tests, shaped like Akka.TestKit.Xunit2's: each test gets a fresh deterministic system
/// (<see cref="Sys"/>) and a probe actor (<see cref="TestActor"/>) that is also the implicit sender of
/// <c>Tell(msg)</c> from test code. Expectations run the deterministic driver on virtual time; nothing sleeps or
/// reads the wall clock. Disposing terminates the system. One test at a time per instance, on one thread.
/// </summary>
public abstract class TestKit : IDisposable
{
    private readonly TestProbe _testActor;
    private int _counter;
    private bool _disposed;

    /// <param name="settings">System settings; the default dispatcher is forced to deterministic.</param>
    /// <param name="systemName">Defaults to <c>test</c>.</param>
    protected TestKit(ActorSystemSettings? settings = null, string? systemName = null)
    {
        Sys = ActorSystem.Create(systemName ?? "test", (settings ?? ActorSystemSettings.Default) with { DefaultDispatcherType = DispatcherType.Deterministic });
        _testActor = new TestProbe(Sys, "testActor" + NextCounter());
        ActorCell.AmbientSender = _testActor.Ref;
        EventFilter = new EventFilterFactory(this);
    }

    public ActorSystem Sys { get; }

    /// <summary>The deterministic driver of <see cref="Sys"/>.</summary>
    public DeterministicDriver Driver => Sys.Deterministic!;

    /// <summary>The default probe's actor; the implicit sender of <c>Tell(msg)</c> in test code.</summary>
    public IActorRef TestActor => _testActor.Ref;

    /// <summary>The default probe itself.</summary>
    public TestProbe TestActorProbe => _testActor;

    /// <summary>Event expectations (dead letters, errors, warnings…).</summary>
    public EventFilterFactory EventFilter { get; }

    /// <summary>Sender of the last message taken from <see cref="TestActor"/>.</summary>
    public IActorRef LastSender => _testActor.LastSender;

    /// <summary>The time left in the current <c>Within</c> block, or the default timeout.</summary>
    public TimeSpan Remaining => _testActor.Remaining;

    /// <summary>A new probe, <c>/system/testProbe{n}</c> (or <paramref name="name"/>).</summary>
    public TestProbe CreateTestProbe(string? name = null) => new(Sys, name ?? "testProbe" + NextCounter());

    public T ExpectMsg<T>(Predicate<T>? isMessage = null, TimeSpan? timeout = null, string? hint = null) =>
        _testActor.ExpectMsg(isMessage, timeout, hint);

    public T ExpectMsg<T>(T expected, TimeSpan? timeout = null) => _testActor.ExpectMsg(expected, timeout);

    public void ExpectNoMsg(TimeSpan duration) => _testActor.ExpectNoMsg(duration);

    public void ExpectNoMsg() => _testActor.ExpectNoMsg();

    public Terminated ExpectTerminated(IActorRef target, TimeSpan? timeout = null) => _testActor.ExpectTerminated(target, timeout);

    public object FishForMessage(Predicate<object> isMessage, TimeSpan? max = null, string? hint = null) =>
        _testActor.FishForMessage(isMessage, max, hint);

    public T FishForMessage<T>(Predicate<T>? isMessage = null, TimeSpan? max = null, string? hint = null) =>
        _testActor.FishForMessage(isMessage, max, hint);

    public IReadOnlyList<object> ReceiveN(int count, TimeSpan? max = null) => _testActor.ReceiveN(count, max);

    public IReadOnlyList<T> ExpectMsgAllOf<T>(params T[] expected) => _testActor.ExpectMsgAllOf(expected);

    public T ExpectMsgAnyOf<T>(params T[] candidates) => _testActor.ExpectMsgAnyOf(candidates);

    /// <summary>Steps the driver until <paramref name="condition"/> holds (virtual time; default 3 s).</summary>
    public void AwaitCondition(Func<bool> condition, TimeSpan? max = null, string? message = null) =>
        _testActor.AwaitCondition(condition, max, message);

    public void Within(TimeSpan min, TimeSpan max, Action action) => _testActor.Within(min, max, action);

    public void Within(TimeSpan max, Action action) => _testActor.Within(max, action);

    /// <summary><see cref="TestActor"/> watches <paramref name="subject"/>.</summary>
    public IActorRef Watch(IActorRef subject) => _testActor.Watch(subject);

    public IActorRef Unwatch(IActorRef subject) => _testActor.Unwatch(subject);

    /// <summary>Creates a top-level actor whose instance the test can inspect.</summary>
    /// <exception cref="ArgumentException">The props build another actor type.</exception>
    public TestActorRef<T> ActorOfAsTestActorRef<T>(Props props, string? name = null) where T : ActorBase
    {
        ArgumentNullException.ThrowIfNull(props);
        if (!typeof(T).IsAssignableFrom(props.ActorType))
            throw new ArgumentException($"Props build {props.ActorType.Name}, not {typeof(T).Name}", nameof(props));
        return new TestActorRef<T>((LocalActorRef)Sys.ActorOf(props, name));
    }

    /// <summary><see cref="ActorOfAsTestActorRef{T}(Props, string?)"/> with <c>Props.Create&lt;T&gt;()</c>.</summary>
    public TestActorRef<T> ActorOfAsTestActorRef<T>(string? name = null) where T : ActorBase, new() =>
        ActorOfAsTestActorRef<T>(Props.Create<T>(), name);

    internal int NextCounter() => ++_counter;

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (_disposed) return;
        _disposed = true;
        if (ReferenceEquals(ActorCell.AmbientSender, _testActor.Ref)) ActorCell.AmbientSender = null;
        Sys.Terminate();
    }
}
