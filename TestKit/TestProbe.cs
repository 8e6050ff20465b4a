using Gpuvmsim.Runtime;
using Gpuvmsim.Runtime.Deterministic;

namespace Gpuvmsim.TestKit;

/// <summary>
/// A scriptable actor for tests (Akka.TestKit's <c>TestProbe</c>): it records what it receives and offers
/// expectations on it. It stands for its own <see cref="Ref"/> wherever an <see cref="IActorRef"/> is expected.
/// Waiting is on virtual time: an expectation steps the deterministic driver until the probe has a message, or the
/// system is quiescent and virtual time has reached the deadline; nothing sleeps or reads the wall clock.
/// Split by concern: this file (identity, sending, waiting), <c>TestProbe.Expect.cs</c>, <c>TestProbe.Receive.cs</c>.
/// </summary>
public sealed partial class TestProbe : IActorRef, IWrappedActorRef
{
    /// <summary>The timeout of an expectation that passes none (outside a <c>Within</c> block).</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(3);

    private readonly Queue<(object Message, IActorRef Sender)> _queue = new();
    private readonly LocalActorRef _ref;
    private DateTimeOffset? _withinDeadline;

    internal TestProbe(ActorSystem system, string name)
    {
        Sys = system;
        Driver = system.Deterministic
            ?? throw new InvalidOperationException("The test kit needs a system whose default dispatcher is deterministic.");
        _ref = system.SystemActorOf(Props.CreateBy(() => new TestActor(_queue)), name);
    }

    public ActorSystem Sys { get; }

    /// <summary>The driver the expectations step.</summary>
    public DeterministicDriver Driver { get; }

    /// <summary>The probe's actor.</summary>
    public IActorRef Ref => _ref;

    /// <summary>The sender of the last message taken by an expectation (dead letters before any).</summary>
    public IActorRef LastSender { get; private set; } = ActorRefs.Nobody;

    /// <summary>The last message taken by an expectation.</summary>
    public object? LastMessage { get; private set; }

    /// <summary>Messages received but not yet taken.</summary>
    public int PendingCount => _queue.Count;

    IActorRef IWrappedActorRef.Underlying => _ref;

    public ActorPath Path => _ref.Path;

    /// <summary>Tells the probe's actor (as any ref would).</summary>
    public void Tell(object message, IActorRef? sender) => _ref.Tell(message, sender);

    /// <summary>Sends <paramref name="message"/> to <paramref name="actor"/> with this probe as sender.</summary>
    public void Send(IActorRef actor, object message) => actor.Tell(message, _ref);

    /// <summary>Replies to <see cref="LastSender"/>.</summary>
    public void Reply(object message) => LastSender.Tell(message, _ref);

    /// <summary>Forwards the last message taken to <paramref name="actor"/>, keeping its original sender.</summary>
    public void Forward(IActorRef actor) =>
        actor.Tell(LastMessage ?? throw new InvalidOperationException("No message to forward"), LastSender);

    /// <summary>The probe watches <paramref name="subject"/>: a <see cref="Terminated"/> arrives when it stops.</summary>
    public IActorRef Watch(IActorRef subject) => _ref.Cell.Watch(subject);

    public IActorRef Unwatch(IActorRef subject) => _ref.Cell.Unwatch(subject);

    /// <summary>The virtual time left before the current deadline (<c>Within</c>), or the default timeout.</summary>
    public TimeSpan Remaining => _withinDeadline is { } d ? Max(TimeSpan.Zero, d - Driver.Now) : DefaultTimeout;

    /// <summary>
    /// Runs <paramref name="action"/> and checks that it took between <paramref name="min"/> and <paramref name="max"/>
    /// of virtual time; inside it, expectations without a timeout get the time left until <c>start + max</c>.
    /// </summary>
    public void Within(TimeSpan min, TimeSpan max, Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var start = Driver.Now;
        var outer = _withinDeadline;
        var deadline = start + max;
        _withinDeadline = outer is { } o && o < deadline ? o : deadline;
        try
        {
            action();
        }
        finally
        {
            _withinDeadline = outer;
        }
        var elapsed = Driver.Now - start;
        if (elapsed < min) Fail($"Within({min}, {max}): the block took {elapsed} of virtual time, less than the minimum {min}");
        if (elapsed > max) Fail($"Within({min}, {max}): the block took {elapsed} of virtual time, more than the maximum {max}");
    }

    /// <summary><see cref="Within(TimeSpan, TimeSpan, Action)"/> with no minimum.</summary>
    public void Within(TimeSpan max, Action action) => Within(TimeSpan.Zero, max, action);

    public bool Equals(IActorRef? other) => _ref.Equals(other is IWrappedActorRef w ? w.Underlying : other);

    public override bool Equals(object? obj) => obj is IActorRef r && Equals(r);

    public override int GetHashCode() => _ref.GetHashCode();

    public int CompareTo(IActorRef? other) => _ref.CompareTo(other is IWrappedActorRef w ? w.Underlying : other);

    public int CompareTo(object? obj) => CompareTo(obj as IActorRef);

    public override string ToString() => $"TestProbe{_ref}";

    /// <summary>Steps until a message is queued or the timeout passes; takes it.</summary>
    private bool TryTake(TimeSpan? timeout, out object message, out IActorRef sender)
    {
        var max = Effective(timeout);
        if (_queue.Count == 0) Driver.RunUntil(() => _queue.Count > 0, max);
        if (_queue.Count == 0)
        {
            message = null!;
            sender = null!;
            return false;
        }
        (message, sender) = _queue.Dequeue();
        LastMessage = message;
        LastSender = sender;
        return true;
    }

    private TimeSpan Effective(TimeSpan? timeout)
    {
        if (timeout is { } t) return t;
        return Remaining;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    internal static void Fail(string message) => Xunit.Assert.Fail(message);

    internal static string Describe(object? message) => message is null ? "null" : $"{message.GetType().Name} [{message}]";
}
