namespace Gpuvmsim.Runtime.Timing;

/// <summary>The scheduler plus the runtime's internal one-shot actions (ask timeouts).</summary>
internal abstract class SchedulerBase : IScheduler
{
    public abstract DateTimeOffset Now { get; }

    public abstract ICancelable ScheduleTellOnce(TimeSpan delay, IActorRef receiver, object message, IActorRef? sender);

    public abstract ICancelable ScheduleTellRepeatedly(TimeSpan initialDelay, TimeSpan interval, IActorRef receiver, object message, IActorRef? sender);

    /// <summary>Runs <paramref name="action"/> once after <paramref name="delay"/> (on the driver's thread in
    /// deterministic mode, on a pool thread otherwise).</summary>
    public abstract ICancelable ScheduleOnce(TimeSpan delay, Action<object?> action, object? state);

    /// <summary>Cancels everything (system termination).</summary>
    public abstract void Shutdown();

    protected static void CheckArguments(TimeSpan delay, IActorRef receiver, object message)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
    }
}
