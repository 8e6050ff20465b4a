using Gpuvmsim.Runtime;
using Gpuvmsim.Runtime.Event;

namespace Gpuvmsim.TestKit;

/// <summary>
/// Builds event expectations on the system's event stream (Akka's <c>EventFilter</c>):
/// <c>EventFilter.DeadLetter&lt;Ping&gt;().ExpectOne(() =&gt; stopped.Tell(new Ping()))</c>.
/// </summary>
public sealed class EventFilterFactory
{
    private readonly TestKit _kit;

    internal EventFilterFactory(TestKit kit) => _kit = kit;

    /// <summary>Dead letters whose message is a <typeparamref name="T"/> (matching <paramref name="isMessage"/>).</summary>
    public EventFilterApplier DeadLetter<T>(Predicate<T>? isMessage = null) =>
        new(_kit, typeof(DeadLetter), $"DeadLetter<{typeof(T).Name}>",
            e => e is DeadLetter { Message: T m } && (isMessage is null || isMessage(m)));

    /// <summary>Any dead letter.</summary>
    public EventFilterApplier DeadLetter() => new(_kit, typeof(DeadLetter), "DeadLetter", _ => true);

    /// <summary>Unhandled messages of type <typeparamref name="T"/>.</summary>
    public EventFilterApplier Unhandled<T>() =>
        new(_kit, typeof(UnhandledMessage), $"Unhandled<{typeof(T).Name}>", e => e is UnhandledMessage { Message: T });

    /// <summary>Error events caused by a <typeparamref name="TException"/> (actor failures are published so by their
    /// supervisor), optionally whose text equals <paramref name="message"/> or contains <paramref name="contains"/> and
    /// whose source starts with <paramref name="source"/>.</summary>
    public EventFilterApplier Exception<TException>(string? message = null, string? contains = null, string? source = null)
        where TException : Exception =>
        new(_kit, typeof(Error), $"Exception<{typeof(TException).Name}>",
            e => e is Error { Cause: TException } err && Matches(err, message, contains, source));

    /// <summary>Error events.</summary>
    public EventFilterApplier Error(string? message = null, string? contains = null, string? source = null) =>
        Log<Error>("Error", message, contains, source);

    /// <summary>Warning events.</summary>
    public EventFilterApplier Warning(string? message = null, string? contains = null, string? source = null) =>
        Log<Warning>("Warning", message, contains, source);

    /// <summary>Info events.</summary>
    public EventFilterApplier Info(string? message = null, string? contains = null, string? source = null) =>
        Log<Info>("Info", message, contains, source);

    /// <summary>Debug events.</summary>
    public EventFilterApplier Debug(string? message = null, string? contains = null, string? source = null) =>
        Log<Runtime.Event.Debug>("Debug", message, contains, source);

    private EventFilterApplier Log<T>(string name, string? message, string? contains, string? source) where T : LogEvent =>
        new(_kit, typeof(T), name, e => e is T log && Matches(log, message, contains, source));

    private static bool Matches(LogEvent e, string? message, string? contains, string? source) =>
        (message is null || e.Message == message || e.Cause?.Message == message) &&
        (contains is null || e.Message.Contains(contains, StringComparison.Ordinal) || (e.Cause?.Message.Contains(contains, StringComparison.Ordinal) ?? false)) &&
        (source is null || e.LogSource.StartsWith(source, StringComparison.Ordinal) ||
            e.LogSource.Contains("/" + source.TrimStart('/'), StringComparison.Ordinal));
}

/// <summary>One event expectation: run an action and count the matching events published meanwhile.</summary>
public sealed class EventFilterApplier
{
    private readonly TestKit _kit;
    private readonly Type _channel;
    private readonly string _name;
    private readonly Func<object, bool> _matches;

    internal EventFilterApplier(TestKit kit, Type channel, string name, Func<object, bool> matches)
    {
        _kit = kit;
        _channel = channel;
        _name = name;
        _matches = matches;
    }

    /// <summary>Runs <paramref name="action"/> and expects exactly one matching event.</summary>
    public void ExpectOne(Action action, TimeSpan? timeout = null) => Expect(1, action, timeout);

    /// <summary>Runs <paramref name="func"/>, expects exactly one matching event and returns the function's result.</summary>
    public T ExpectOne<T>(Func<T> func, TimeSpan? timeout = null)
    {
        T result = default!;
        Expect(1, () => result = func(), timeout);
        return result;
    }

    /// <summary>
    /// Runs <paramref name="action"/>, then steps the driver until <paramref name="expectedCount"/> matching events were
    /// published (or <paramref name="timeout"/> of virtual time passed, default 3 s), and checks the count is exact.
    /// Events are counted where they are published, without delivery steps.
    /// </summary>
    public void Expect(int expectedCount, Action action, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(action);
        var seen = new List<object>();
        var sys = _kit.Sys;
        var collector = CallbackActorRef.Create(sys, $"eventFilter{_kit.NextCounter()}", (e, _) =>
        {
            if (_matches(e)) lock (seen) seen.Add(e);
        });
        sys.EventStream.Subscribe(collector, _channel);
        try
        {
            action();
            sys.Deterministic!.RunUntil(() => Count(seen) >= expectedCount, timeout ?? TestProbe.DefaultTimeout);
        }
        finally
        {
            sys.EventStream.Unsubscribe(collector);
            collector.Stop();
        }
        int count = Count(seen);
        if (count != expectedCount)
            TestProbe.Fail($"Expected {expectedCount} {_name} event(s) but got {count}" +
                (count == 0 ? "" : $": [{string.Join(", ", seen)}]"));
    }

    private static int Count(List<object> seen)
    {
        lock (seen) return seen.Count;
    }
}
