using Gpuvmsim.Runtime;

namespace Gpuvmsim.TestKit;

public sealed partial class TestProbe
{
    /// <summary>Waits for the next message and checks that it is a <typeparamref name="T"/> matching
    /// <paramref name="isMessage"/>; returns it.</summary>
    public T ExpectMsg<T>(Predicate<T>? isMessage = null, TimeSpan? timeout = null, string? hint = null)
    {
        var max = Effective(timeout);
        if (!TryTake(max, out var message, out _))
            Fail($"Timeout ({max} of virtual time) while waiting for a message of type {typeof(T).Name}{HintText(hint)}; " +
                 $"the system is {(Driver.IsQuiescent ? "quiescent" : "still busy")} at step {Driver.StepCount}");
        if (message is not T typed)
        {
            Fail($"Expected a message of type {typeof(T).Name}{HintText(hint)} but got {Describe(message)} from {LastSender}");
            return default!;
        }
        if (isMessage is not null && !isMessage(typed))
            Fail($"The message {Describe(message)} from {LastSender} does not match the expectation{HintText(hint)}");
        return typed;
    }

    /// <summary>Waits for the next message and checks that it equals <paramref name="expected"/>.</summary>
    public T ExpectMsg<T>(T expected, TimeSpan? timeout = null)
    {
        var max = Effective(timeout);
        if (!TryTake(max, out var message, out _))
            Fail($"Timeout ({max} of virtual time) while waiting for {Describe(expected)}");
        if (!Equals(expected, message))
            Fail($"Expected {Describe(expected)} but got {Describe(message)} from {LastSender}");
        return (T)message;
    }

    /// <summary>Checks that no message arrives during <paramref name="duration"/> of virtual time (the driver runs
    /// until then, so pending work happens first).</summary>
    public void ExpectNoMsg(TimeSpan duration)
    {
        if (_queue.Count == 0) Driver.RunUntil(() => _queue.Count > 0, duration);
        if (_queue.Count > 0)
        {
            var (message, sender) = _queue.Dequeue();
            LastMessage = message;
            LastSender = sender;
            Fail($"Expected no message for {duration} of virtual time but got {Describe(message)} from {sender}");
        }
    }

    /// <summary><see cref="ExpectNoMsg(TimeSpan)"/> for the remaining time (default 3 s of virtual time).</summary>
    public void ExpectNoMsg() => ExpectNoMsg(Remaining);

    /// <summary>Waits for the <see cref="Terminated"/> of <paramref name="target"/> (watch it first).</summary>
    public Terminated ExpectTerminated(IActorRef target, TimeSpan? timeout = null)
    {
        var wanted = target is IWrappedActorRef w ? w.Underlying : target;
        return ExpectMsg<Terminated>(t => t.ActorRef.Equals(wanted), timeout, $"Terminated of {wanted}");
    }

    private static string HintText(string? hint) => hint is null ? "" : $" ({hint})";
}
